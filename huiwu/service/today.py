"""The service's sections of the today page (listed in core/today.py): the checks each level's role has to
confirm today with their times, the meetings still without an attendant (team leader), the requests waiting
for confirmation (hotline), the attendant's next action per meeting, and for the manager today's counts and
the service exceptions, read from the board.

Each list costs a fixed number of queries however many meetings there are (tests/test_today_roles.py)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.snapshots import Snapshots
from huiwu.lib.today import MAX_ITEMS, TodayCount, TodayItem, TodayList, TodaySection, Tone, first_items
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import MeetingQuerySet, Status
from huiwu.meetings.selectors import day_bounds
from huiwu.meetings.today import requests_waiting
from huiwu.service.board import BoardRow, board_kept
from huiwu.service.models import LEVEL_ROLES, Level, MeetingCheck
from huiwu.service.selectors import tasks_for

HINTS = {
    Role.MANAGER: _(
        "The today board shows every meeting of the day with its checks and refills, the exceptions on top."
    ),
    Role.TEAM_LEADER: _("Level-1 checks are due two hours before each start; staff meetings on their service pages."),
    Role.ENV_SUPERVISOR: _("Level-2 checks are due one hour before each start, once level 1 is confirmed."),
    Role.HOTLINE: _("Level-3 checks are due thirty minutes before each start, once levels 1 and 2 are confirmed."),
    Role.ATTENDANT: _("Your next refills and checklist items, in time order, are in My tasks."),
}


def _local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _check_state(check: MeetingCheck, now: datetime) -> tuple[str, str]:
    if check.state == MeetingCheck.State.FAILED:
        return str(check.get_state_display()), Tone.ALERT
    if check.lowest_open_below is not None:
        return _("Waiting for the %(level)s check") % {"level": Level(check.lowest_open_below).label}, Tone.NEUTRAL
    if check.due_at < now:
        return _("Overdue"), Tone.ALERT
    return str(check.get_state_display()), Tone.WAITING


def checks_due(user: User, level: int, now: datetime) -> TodayList:
    """The level's checks still to confirm that fall due by the end of today, for meetings not yet started,
    by due time; each says whether a level below is still open (then it cannot be confirmed yet)."""
    end = day_bounds(timezone.localdate(now))[1]
    open_below = (
        MeetingCheck.objects.filter(meeting_id=OuterRef("meeting_id"), level__lt=level)
        .exclude(state=MeetingCheck.State.CONFIRMED)
        .order_by("level")
        .values("level")[:1]
    )
    checks = (
        MeetingCheck.objects.filter(
            meeting__in=meetings_visible_to(user),
            level=level,
            due_at__lt=end,
            meeting__status=Status.CONFIRMED,
            meeting__start__gt=now,
            meeting__service__isnull=True,
        )
        .exclude(state=MeetingCheck.State.CONFIRMED)
        .annotate(lowest_open_below=Subquery(open_below))
        .select_related("meeting__room")
        .order_by("due_at", "meeting__start", "meeting_id")
    )
    shown, total = first_items(checks)
    items = []
    for check in shown:
        status, tone = _check_state(check, now)
        detail = _("Meeting starts %(time)s") % {"time": _local_time(check.meeting.start)}
        if check.urgent:
            detail = f"{detail} · {_('urgent')}"
        items.append(
            TodayItem(
                title=check.meeting.title,
                at=check.due_at,
                place=check.meeting.room.name,
                status=status,
                tone=tone,
                detail=detail,
                url=reverse("service:meeting", args=[check.meeting_id]),
                action=_("View the checks") if check.lowest_open_below is not None else _("Open the checks"),
            )
        )
    return TodayList(
        title=_("%(level)s checks due today") % {"level": Level(level).label},
        items=items,
        total=total,
        empty=_("No check of yours is due today."),
        url=reverse("service:board"),
    )


def unassigned_meetings(user: User, now: datetime) -> TodayList:
    """Confirmed meetings of today and tomorrow, not yet started, that nobody has been assigned to serve."""
    end = day_bounds(timezone.localdate(now) + timedelta(days=1))[1]
    meetings = (
        meetings_visible_to(user)
        .filter(status=Status.CONFIRMED, start__gt=now, start__lt=end, assignments__isnull=True)
        .order_by("start", "room__name")
    )
    shown, total = first_items(meetings)
    items = [
        TodayItem(
            title=meeting.title,
            at=meeting.start,
            place=meeting.room.name,
            status=_("Nobody assigned"),
            tone=Tone.ALERT if meeting.start - now <= timedelta(hours=2) else Tone.WAITING,
            detail=ngettext("%(count)d person", "%(count)d people", meeting.headcount) % {"count": meeting.headcount},
            url=reverse("service:meeting", args=[meeting.pk]),
            action=_("Assign attendants"),
        )
        for meeting in shown
    ]
    return TodayList(
        title=_("Meetings today and tomorrow without attendants"),
        items=items,
        total=total,
        empty=_("Every meeting of today and tomorrow has its attendants."),
        url=reverse("service:workload"),
    )


def next_actions(user: User, now: datetime) -> TodayList:
    """The next thing to do in each meeting the attendant serves today (as My tasks puts it), and how far
    the checklist of its current phase has got."""
    entries = [entry for entry in tasks_for(user, meetings_visible_to(user), now) if not entry.finished]
    items = []
    for entry in entries[:MAX_ITEMS]:
        checklist = entry.checklist
        progress = f"{checklist.title} {checklist.done}/{checklist.total}" if checklist else ""
        task = entry.next
        late = (task.late if task else False) or bool(checklist and checklist.late)
        items.append(
            TodayItem(
                title=entry.meeting.title,
                at=task.at if task else None,
                place=entry.meeting.room.name,
                status=task.title if task else progress,
                tone=Tone.ALERT if late else Tone.WAITING,
                detail=progress if task else "",
                url=reverse("service:my_tasks"),
                action=_("My tasks"),
            )
        )
    return TodayList(
        title=_("Next action per meeting"),
        items=items,
        total=len(entries),
        empty=_("No meeting of yours today has anything left to do."),
        url=reverse("service:my_tasks"),
    )


def _waiting(lists: list[TodayList]) -> str:
    total = sum(today_list.total for today_list in lists)
    if not total:
        return ""
    return ngettext("%(count)d thing to see to", "%(count)d things to see to", total) % {"count": total}


def _level_of(role: Role) -> int:
    return next(level for level, level_role in LEVEL_ROLES.items() if level_role == role)


def _team_leader_section(user: User, now: datetime) -> TodaySection:
    lists = [unassigned_meetings(user, now), checks_due(user, _level_of(Role.TEAM_LEADER), now)]
    return TodaySection(
        role=Role.TEAM_LEADER,
        hint=HINTS[Role.TEAM_LEADER],
        waiting=_waiting(lists),
        link_url=reverse("service:board"),
        link_label=_("Today board"),
        lists=lists,
    )


def _env_supervisor_section(user: User, now: datetime) -> TodaySection:
    lists = [checks_due(user, _level_of(Role.ENV_SUPERVISOR), now)]
    return TodaySection(
        role=Role.ENV_SUPERVISOR,
        hint=HINTS[Role.ENV_SUPERVISOR],
        waiting=_waiting(lists),
        link_url=reverse("service:board"),
        link_label=_("Today board"),
        lists=lists,
    )


def _hotline_section(user: User, now: datetime) -> TodaySection:
    lists = [requests_waiting(user, now), checks_due(user, _level_of(Role.HOTLINE), now)]
    return TodaySection(
        role=Role.HOTLINE,
        hint=HINTS[Role.HOTLINE],
        waiting=_waiting(lists),
        link_url=reverse("service:board"),
        link_label=_("Today board"),
        lists=lists,
    )


def _attendant_section(user: User, now: datetime) -> TodaySection:
    lists = [next_actions(user, now)]
    return TodaySection(
        role=Role.ATTENDANT,
        hint=HINTS[Role.ATTENDANT],
        waiting=_waiting(lists),
        link_url=reverse("service:my_tasks"),
        link_label=_("My tasks"),
        lists=lists,
    )


def service_exceptions(rows: list[BoardRow]) -> TodayList:
    """The day's meetings with an exception, as the board lists them (serious first), each in words."""
    rows = [row for row in rows if row.exceptions]
    items = [
        TodayItem(
            title=row.meeting.title,
            at=row.meeting.start,
            place=row.meeting.room.name,
            status=str(row.exceptions[0].kind.label),
            tone=Tone.ALERT if row.serious else Tone.WAITING,
            detail=_("; ").join(exception.text for exception in row.exceptions),
            url=reverse("service:meeting", args=[row.meeting.pk]),
            action=_("Open the service"),
        )
        for row in rows[:MAX_ITEMS]
    ]
    return TodayList(
        title=_("Service exceptions today"),
        items=items,
        total=len(rows),
        empty=_("No exception today: every meeting so far follows the procedure."),
        url=reverse("service:board"),
    )


@dataclass(frozen=True, slots=True)
class _ManagerDay:
    """The manager's counts and exceptions of a day, read from the board."""

    meetings: int
    running: int
    overdue: int
    with_exceptions: int
    serious: bool
    exceptions: TodayList


# Like the board's own (service/views/board.py): a few days, in both languages, of each set of meetings readers
# may see; it holds while the board's version and clock do.
_MANAGER_DAYS = Snapshots(size=16)


def _manager_day(meetings: MeetingQuerySet, day: date, now: datetime) -> _ManagerDay:
    """From its snapshot while that holds, keyed and built as the board is (board_kept)."""

    def make(rows: list[BoardRow], _ids: tuple) -> _ManagerDay:
        return _ManagerDay(
            meetings=len(rows),
            running=sum(1 for row in rows if row.running),
            overdue=sum(len(row.overdue_checks) for row in rows),
            with_exceptions=sum(1 for row in rows if row.exceptions),
            serious=any(row.serious for row in rows),
            exceptions=service_exceptions(rows),
        )

    return board_kept(_MANAGER_DAYS, meetings, day, now, make)


def _manager_section(user: User, now: datetime) -> TodaySection:
    """Today's counts and exceptions, read from the board (a fixed number of queries)."""
    day = _manager_day(meetings_visible_to(user), timezone.localdate(now), now)
    board = reverse("service:board")
    counts = [
        TodayCount(label=_("Meetings today"), value=day.meetings, url=board),
        TodayCount(label=_("Running now"), value=day.running, url=board),
        TodayCount(
            label=_("Checks overdue"), value=day.overdue, tone=Tone.ALERT if day.overdue else Tone.OK, url=board
        ),
        TodayCount(
            label=_("Exceptions"),
            value=day.with_exceptions,
            tone=Tone.ALERT if day.serious else Tone.WAITING if day.with_exceptions else Tone.OK,
            url=board,
        ),
    ]
    lists = [day.exceptions]
    return TodaySection(
        role=Role.MANAGER,
        hint=HINTS[Role.MANAGER],
        waiting=_waiting(lists),
        link_url=board,
        link_label=_("Today board"),
        counts=counts,
        lists=lists,
    )


_ROLE_SECTIONS = {
    Role.MANAGER: _manager_section,
    Role.TEAM_LEADER: _team_leader_section,
    Role.ENV_SUPERVISOR: _env_supervisor_section,
    Role.HOTLINE: _hotline_section,
    Role.ATTENDANT: _attendant_section,
}


def today_sections(user: User) -> list[TodaySection]:
    now = timezone.now()
    return [_ROLE_SECTIONS[role](user, now) for role in user.roles if role in _ROLE_SECTIONS]
