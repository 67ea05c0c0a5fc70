"""The deadline of each item of a day's timeline (key reception:<YYYY-MM-DD>:<code>), made when the day is
planned: reception is reminded the standard's `reminder_minutes` before the item is due (not before the day
was planned: a plan made late reminds at once instead of recording a reminder missed long ago); not done by
then, it is escalated to the team leader (issue 13: "escalated to the team leader when missed"). Doing the
item completes it; an item done after it was escalated stays missed there and shows as done late on the page.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.roles import Role
from huiwu.lib.i18n import site_language
from huiwu.notify.models import Kind
from huiwu.notify.services import deadline_complete, deadline_upsert
from huiwu.reception.models import DayPlan, RoutineItem
from huiwu.reception.selectors.day import reminder_at


def routine_key(day, code: str) -> str:
    return f"reception:{day:%Y-%m-%d}:{code}"


def day_url(day) -> str:
    return f"{reverse('reception:day')}?day={day:%Y-%m-%d}"


def routine_deadlines_create(plan: DayPlan, items: list[RoutineItem]) -> None:
    """The deadlines of a day just planned, one per item."""
    with site_language():
        for item in items:
            opens_at = min(max(reminder_at(item.due_at, plan.standard), plan.planned_at), item.due_at)
            deadline_upsert(
                key=routine_key(plan.day, item.code),
                kind=Kind.RECEPTION,
                title=_("Reception routine, by %(time)s: %(item)s")
                % {"time": f"{timezone.localtime(item.due_at):%H:%M}", "item": item.get_code_display()},
                url=day_url(plan.day),
                opens_at=opens_at,
                due_at=item.due_at,
                responsible_role=Role.RECEPTION,
                awaits_completion=True,
                escalate_to_role=Role.TEAM_LEADER,
            )


def routine_deadline_complete(item: RoutineItem) -> None:
    deadline_complete(key=routine_key(item.plan.day, item.code))
