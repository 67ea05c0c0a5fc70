"""The service's sections of the today page (listed in core/today.py): the checks each level's role has to
confirm today, the attendant's tasks, and the board for the manager."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import TodaySection
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import Status
from huiwu.meetings.selectors import day_bounds
from huiwu.service.models import LEVEL_ROLES, MeetingCheck
from huiwu.service.selectors import tasks_for

HINTS = {
    Role.MANAGER: _(
        "The today board shows every meeting with its checks and refills; complaints and reports will join it."
    ),
    Role.TEAM_LEADER: _("Level-1 checks are due two hours before each start; staff meetings on their service pages."),
    Role.ENV_SUPERVISOR: _("Level-2 checks are due one hour before each start, once level 1 is confirmed."),
    Role.HOTLINE: _("Level-3 checks are due thirty minutes before each start, once levels 1 and 2 are confirmed."),
    Role.ATTENDANT: _("Your next refills and checklist items, in time order, are in My tasks."),
}


def _open_checks_today(user: User, role: Role) -> int:
    """Checks of this role's level still to confirm for today's meetings not yet started."""
    start, end = day_bounds(timezone.localdate())
    levels = [level for level, level_role in LEVEL_ROLES.items() if level_role == role]
    return (
        MeetingCheck.objects.filter(
            meeting__in=meetings_visible_to(user),
            level__in=levels,
            meeting__status=Status.CONFIRMED,
            meeting__start__gte=max(start, timezone.now()),
            meeting__start__lt=end,
        )
        .exclude(state=MeetingCheck.State.CONFIRMED)
        .count()
    )


def _section(user: User, role: Role) -> TodaySection:
    section = TodaySection(role=role, hint=HINTS[role])
    if role == Role.ATTENDANT:
        count = len(tasks_for(user, meetings_visible_to(user), timezone.now()))
        if count:
            section.waiting = ngettext("%(count)d task waiting", "%(count)d tasks waiting", count) % {"count": count}
        section.link_url, section.link_label = reverse("service:my_tasks"), _("My tasks")
        return section
    if role in LEVEL_ROLES.values():
        count = _open_checks_today(user, role)
        if count:
            section.waiting = ngettext(
                "%(count)d check to confirm today", "%(count)d checks to confirm today", count
            ) % {"count": count}
    section.link_url, section.link_label = reverse("service:board"), _("Today board")
    return section


def today_sections(user: User) -> list[TodaySection]:
    return [_section(user, role) for role in user.roles if role in HINTS]
