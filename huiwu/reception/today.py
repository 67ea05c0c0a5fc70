"""Reception's part of the today page (listed in core/today.py):

- the reception attendant: the day's items still to do, what is due now first, with their windows, and those
  missed (past due, undone: the team leader has heard of them); on a day off, why and when work resumes;
- the team leader and the manager, who read the team's day: a section titled 礼仪接待 only when an item of
  today was missed.

Today's plan is made here for reception when no worker made it yet. Each section costs a fixed number of
queries (tests/test_day_today.py)."""

from datetime import date, datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import MAX_ITEMS, TodayCount, TodayItem, TodayList, TodaySection, Tone
from huiwu.reception import workdays
from huiwu.reception.access import can_read, can_work
from huiwu.reception.models import RoutineItem
from huiwu.reception.selectors.day import TONES, State, item_state, missed_items, plan_items, window_text
from huiwu.reception.services.routine import day_plan_ensure

TITLE = _("Reception")
READER_ROLES = (Role.TEAM_LEADER, Role.MANAGER)


def _row(item: RoutineItem, state: str, action) -> TodayItem:
    return TodayItem(
        title=item.get_code_display(),
        at=item.due_at,
        status=State(state).label,
        tone=TONES[state],
        detail=window_text(item.starts_at, item.due_at),
        url=reverse("reception:day"),
        action=action,
    )


def _day_off_section(today: date) -> TodaySection:
    info = workdays.day_info(today)
    try:
        following = workdays.next_workday_after(today)
    except ValueError:
        following = None  # only an override table closing a whole year has none
    hint = _("No routine today: %(why)s.") % {"why": info.reason or _("Day off")}
    if following is not None:
        hint = _("%(hint)s Next working day: %(day)s.") % {
            "hint": hint,
            "day": formats.date_format(following, "MONTH_DAY_FORMAT"),
        }
    return TodaySection(
        role=Role.RECEPTION,
        hint=hint,
        link_url=reverse("reception:day"),
        link_label=pgettext_lazy("day page title", "Routine"),
    )


def _reception_section(now: datetime) -> TodaySection:
    plan = day_plan_ensure(timezone.localdate(now))
    if plan is None:
        return _day_off_section(timezone.localdate(now))
    items = plan_items(plan)
    states = {
        item.pk: item_state(
            starts_at=item.starts_at, due_at=item.due_at, done_at=item.done_at, standard=plan.standard, now=now
        )
        for item in items
    }
    missed = [item for item in items if states[item.pk] == State.MISSED]
    # What is due now first: the open items by their due time (the day's order), then those to come.
    upcoming = [item for item in items if states[item.pk] in (State.NOW, State.DUE_SOON)]
    upcoming += [item for item in items if states[item.pk] == State.TO_COME]
    done = sum(1 for item in items if item.done_at is not None)
    due_now = sum(1 for item in items if states[item.pk] in (State.NOW, State.DUE_SOON))
    lists = [
        TodayList(
            title=_("Next in the routine"),
            items=[_row(item, states[item.pk], _("Open")) for item in upcoming[:MAX_ITEMS]],
            total=len(upcoming),
            empty=_("Nothing more to do in today's routine."),
            url=reverse("reception:day"),
        )
    ]
    if missed:
        lists.insert(
            0,
            TodayList(
                title=_("Missed"),
                items=[_row(item, State.MISSED, _("Do it late")) for item in missed[:MAX_ITEMS]],
                total=len(missed),
                url=reverse("reception:day"),
            ),
        )
    waiting = [
        ngettext("%(count)d routine item due now", "%(count)d routine items due now", due_now) % {"count": due_now}
        if due_now
        else "",
        ngettext("%(count)d missed", "%(count)d missed", len(missed)) % {"count": len(missed)} if missed else "",
    ]
    return TodaySection(
        role=Role.RECEPTION,
        hint=_(
            "Each item of the day is done with one tap on the routine page; a missed one is told to the team leader."
        ),
        waiting=pgettext("list separator", "; ").join(part for part in waiting if part),
        link_url=reverse("reception:day"),
        link_label=_("Today's routine"),
        counts=[
            TodayCount(
                label=_("Done"),
                value=done,
                tone=Tone.OK if done == len(items) else Tone.NEUTRAL,
                url=reverse("reception:day"),
            ),
            TodayCount(label=_("Due now"), value=due_now, tone=Tone.WAITING if due_now else Tone.NEUTRAL),
            TodayCount(label=_("Missed"), value=len(missed), tone=Tone.ALERT if missed else Tone.NEUTRAL),
        ],
        lists=lists,
    )


def _reader_section(role: Role, now: datetime) -> TodaySection | None:
    missed = missed_items(timezone.localdate(now), now)
    if not missed:
        return None
    return TodaySection(
        role=role,
        title=TITLE,
        hint=_("The reception team's routine items past their time and not done today."),
        waiting=ngettext(
            "%(count)d reception routine item missed today",
            "%(count)d reception routine items missed today",
            len(missed),
        )
        % {"count": len(missed)},
        link_url=reverse("reception:day"),
        link_label=_("Today's routine"),
        counts=[TodayCount(label=_("Missed"), value=len(missed), tone=Tone.ALERT)],
        lists=[
            TodayList(
                title=_("Missed"),
                items=[_row(item, State.MISSED, _("Details")) for item in missed[:MAX_ITEMS]],
                total=len(missed),
                url=reverse("reception:day"),
            )
        ],
    )


def today_sections(user: User) -> list[TodaySection]:
    now = timezone.now()
    if user.has_role(Role.RECEPTION) and can_work(user):
        return [_reception_section(now)]
    if not can_read(user):
        return []
    role = next((role for role in READER_ROLES if user.has_role(role)), None)
    section = _reader_section(role, now) if role is not None else None
    return [section] if section is not None else []
