"""The today board's rows (会务看板), read for the page, its polling fragment, the today page, the team day sheet
and the API: every requested or confirmed meeting of a day with its check lights, attendants, refills and
exceptions. Callers pass meetings already limited by access.py.

The board is polled every 30 s by every screen in the service centre, so its rows are built from plain
values: one query per kind (meetings, rooms, checks, refills, assignments), whatever the number of meetings,
no model object per row, and every time and label the page shows formatted here once per render (one time-zone
conversion per value, labels from maps built once), so that the template only places strings
(bench/pages.py, test_pages.py).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from django.db.models import QuerySet, TextChoices
from django.db.models.query import EmptyQuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.lib.rows import WallClock
from huiwu.lib.snapshots import Horizon, Snapshots
from huiwu.lib.urls import id_url
from huiwu.lib.versions import PeriodVersions
from huiwu.meetings.access import meetings_busy_for
from huiwu.meetings.models import Meeting, MeetingQuerySet, Status
from huiwu.meetings.selectors import day_bounds
from huiwu.security.levels import level_choices
from huiwu.service.models import (
    Assignment,
    Level,
    MeetingCheck,
    MeetingService,
    Refill,
    refill_is_early,
    refill_is_late,
)
from huiwu.service.selectors import Punctuality, countdown, countdown_changes_at, refill_punctuality
from huiwu.venues.models import Room


class ExceptionKind(TextChoices):
    """What the board lists on top (DESIGN §4.1, §4.2): a departure from the procedure, or work waiting."""

    UNCHECKED_START = "unchecked_start", gettext_lazy("Started without checks")
    CHECK_OVERDUE = "check_overdue", gettext_lazy("Check overdue")
    REFILL_LATE = "refill_late", gettext_lazy("Refill late")
    REFILL_EARLY = "refill_early", gettext_lazy("Refill early")
    OVERTIME = "overtime", gettext_lazy("Running over time")
    REQUEST_PENDING = "request_pending", gettext_lazy("Request awaiting confirmation")


# Departures from the procedure: the row is red. The others (an early refill has its reason, a request
# waits for the hotline) are shown, not alarmed.
SERIOUS = frozenset(
    {ExceptionKind.UNCHECKED_START, ExceptionKind.CHECK_OVERDUE, ExceptionKind.REFILL_LATE, ExceptionKind.OVERTIME}
)


@dataclass(slots=True)
class RowException:
    kind: ExceptionKind
    text: str  # the exception in words, e.g. "开始时检查未确认：二级、三级"

    @property
    def serious(self) -> bool:
        return self.kind in SERIOUS


@dataclass(slots=True)
class BoardUser:
    """Who an assignment or a refill names: the API's reference and the name the page shows."""

    id: int
    display_name: str
    name: str  # the display name, or the username when there is none (as User.__str__)


@dataclass(slots=True)
class BoardMeeting:
    id: int
    title: str
    start: datetime
    end: datetime
    headcount: int
    status: str
    status_label: str
    room: Room  # one object per room of the day, shared by its meetings
    organizer: str
    confidentiality: int
    confidentiality_label: str
    started_at: datetime | None  # the service's actual start and end, None until recorded
    ended_at: datetime | None
    unchecked_levels: list[int]  # the levels unconfirmed when the start was recorded
    times: str  # "08:30–09:00", Shanghai time

    @property
    def pk(self) -> int:
        return self.id

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality > 0


@dataclass(slots=True)
class BoardCheck:
    level: int
    level_label: str
    state: str
    state_label: str
    due_at: datetime
    confirmed_at: datetime | None
    urgent: bool
    overdue: bool
    due_hm: str  # "09:30", Shanghai time


@dataclass(slots=True)
class BoardRefill:
    number: int
    opens_at: datetime
    closes_at: datetime
    done_at: datetime | None
    done_by: str
    late: bool  # done after its window closed, or not done and closed (at the board's `now`)
    early: bool
    window: str  # "10:15–10:20"
    done_hm: str  # "10:16", empty until done
    early_reason: str
    early_note: str


@dataclass(slots=True)
class BoardAssignee:
    attendant: BoardUser
    duty: str
    duty_label: str


@dataclass(slots=True)
class BoardRow:
    meeting: BoardMeeting
    checks: list[BoardCheck]
    overdue_checks: list[BoardCheck]
    next_refill: BoardRefill | None
    last_refill: BoardRefill | None
    assignments: list[BoardAssignee]
    urgent: bool
    running: bool
    ended: bool
    refill_late: bool
    exceptions: list[RowException] = field(default_factory=list)
    url: str = ""  # the meeting's service page
    serious: bool = False  # has a serious exception: listed first, red
    needs_attention: bool = False  # urgent or with any exception: listed after the serious ones
    # The row's line of service in words, formatted once: "进行中（自 08:30）", "续水 2 10:15–10:20 · 3 分钟后", …
    running_text: str = ""
    next_refill_text: str = ""
    last_refill_text: str = ""
    ended_text: str = ""


_MEETING_VALUES = (
    "pk",
    "title",
    "start",
    "end",
    "headcount",
    "status",
    "room_id",
    "organizer__name",
    "confidentiality",
    "service__started_at",
    "service__ended_at",
    "service__unchecked_levels",
)


def _between(meetings: MeetingQuerySet, start: datetime, end: datetime) -> MeetingQuerySet:
    return meetings.filter(start__lt=end, end__gt=start, status__in=[Status.CONFIRMED, Status.REQUESTED])


def _on_day(meetings: MeetingQuerySet, day: date) -> MeetingQuerySet:
    return _between(meetings, *day_bounds(day))


class _Labels:
    """The board's words in the request's language, looked up once per render rather than once per cell."""

    def __init__(self) -> None:
        self.level = {value: str(label) for value, label in Level.choices}
        self.state = {value: str(label) for value, label in MeetingCheck.State.choices}
        self.status = {value: str(label) for value, label in Status.choices}
        self.duty = {value: str(label) for value, label in Assignment.Duty.choices}
        self.early_reason = {value: str(label) for value, label in Refill._meta.get_field("early_reason").choices}
        self.confidentiality = {value: str(label) for value, label in level_choices()}
        self.comma = _(", ")
        self.running_since = _("Running since %(at)s")
        self.refill = _("Refill %(number)s")
        self.refill_done = _("Refill %(number)s done %(at)s by %(by)s")
        self.ended = _("Ended %(at)s")


def _checks_by_meeting(ids: QuerySet, labels: _Labels, clock: WallClock, horizon: Horizon, started: set[int]) -> dict:
    checks, now = defaultdict(list), horizon.now
    rows = (
        MeetingCheck.objects.filter(meeting__in=ids)
        .order_by("meeting_id", "level")
        .values_list("meeting_id", "level", "state", "due_at", "confirmed_at", "urgent")
    )
    for meeting_id, level, state, due_at, confirmed_at, urgent in rows:
        # Once the meeting runs, checks still open are history: the board shows the refills instead.
        overdue = state != MeetingCheck.State.CONFIRMED and meeting_id not in started and due_at < now
        horizon.note(due_at)
        checks[meeting_id].append(
            BoardCheck(
                level=level,
                level_label=labels.level[level],
                state=state,
                state_label=labels.state[state],
                due_at=due_at,
                confirmed_at=confirmed_at,
                urgent=urgent,
                overdue=overdue,
                due_hm=clock.hm(due_at),
            )
        )
    return checks


def _refills_by_meeting(ids: QuerySet, clock: WallClock, horizon: Horizon) -> dict:
    refills, now = defaultdict(list), horizon.now
    rows = (
        Refill.objects.filter(meeting__in=ids)
        .order_by("meeting_id", "number")
        .values_list(
            "meeting_id",
            "number",
            "opens_at",
            "closes_at",
            "done_at",
            "done_by__display_name",
            "done_by__username",
            "early_reason",
            "early_note",
        )
    )
    for meeting_id, number, opens_at, closes_at, done_at, display_name, username, reason, note in rows:
        horizon.note(opens_at)
        horizon.note(closes_at)  # also where the day's punctuality counts a refill not done as late
        refill = BoardRefill(
            number=number,
            opens_at=opens_at,
            closes_at=closes_at,
            done_at=done_at,
            done_by=display_name or username or "",
            late=refill_is_late(done_at=done_at, closes_at=closes_at, now=now),
            early=refill_is_early(done_at=done_at, opens_at=opens_at),
            window=f"{clock.hm(opens_at)}–{clock.hm(closes_at)}",
            done_hm=clock.hm(done_at) if done_at else "",
            early_reason=reason,
            early_note=note,
        )
        refills[meeting_id].append(refill)
    return refills


def _assignees_by_meeting(ids: QuerySet, labels: _Labels) -> dict:
    assignees = defaultdict(list)
    rows = (
        Assignment.objects.filter(meeting__in=ids)
        .order_by("meeting_id", *Assignment._meta.ordering)
        .values_list("meeting_id", "attendant_id", "attendant__display_name", "attendant__username", "duty")
    )
    for meeting_id, user_id, display_name, username, duty in rows:
        assignees[meeting_id].append(
            BoardAssignee(
                attendant=BoardUser(id=user_id, display_name=display_name, name=display_name or username),
                duty=duty,
                duty_label=labels.duty[duty],
            )
        )
    return assignees


def _exceptions(row: BoardRow, refills: list[BoardRefill], labels: _Labels, clock: WallClock, now: datetime) -> list:
    """The row's exceptions in words, in the order of ExceptionKind."""
    meeting = row.meeting
    found = []
    if meeting.unchecked_levels:
        levels = labels.comma.join(labels.level[level] for level in meeting.unchecked_levels)
        found.append(
            RowException(
                ExceptionKind.UNCHECKED_START, _("Started with checks unconfirmed: %(levels)s") % {"levels": levels}
            )
        )
    if row.overdue_checks:
        due = [
            _("%(level)s (due %(time)s)") % {"level": check.level_label, "time": clock.hm(check.due_at)}
            for check in row.overdue_checks
        ]
        found.append(
            RowException(
                ExceptionKind.CHECK_OVERDUE, _("Check overdue: %(levels)s") % {"levels": labels.comma.join(due)}
            )
        )
    late = [
        _("no. %(number)d at %(time)s (window %(opens)s–%(closes)s)")
        % {"number": r.number, "time": r.done_hm, "opens": clock.hm(r.opens_at), "closes": clock.hm(r.closes_at)}
        if r.done_at
        else _("no. %(number)d not done (window closed %(closes)s)")
        % {"number": r.number, "closes": clock.hm(r.closes_at)}
        for r in refills
        if r.late
    ]
    if late:
        found.append(
            RowException(
                ExceptionKind.REFILL_LATE, _("Refill late: %(refills)s") % {"refills": labels.comma.join(late)}
            )
        )
    early = [
        _("no. %(number)d at %(time)s, before %(opens)s (%(reason)s)")
        % {
            "number": r.number,
            "time": r.done_hm,
            "opens": clock.hm(r.opens_at),
            "reason": r.early_note or labels.early_reason.get(r.early_reason, ""),
        }
        for r in refills
        if r.early
    ]
    if early:
        found.append(
            RowException(
                ExceptionKind.REFILL_EARLY, _("Refill early: %(refills)s") % {"refills": labels.comma.join(early)}
            )
        )
    if meeting.started_at and meeting.ended_at is None and meeting.end < now:
        found.append(
            RowException(
                ExceptionKind.OVERTIME,
                _("Running over time: planned to end at %(end)s") % {"end": clock.hm(meeting.end)},
            )
        )
    if meeting.status == Status.REQUESTED:
        found.append(RowException(ExceptionKind.REQUEST_PENDING, _("Client request awaiting confirmation")))
    return found


@dataclass(slots=True)
class BoardDay:
    rows: list[BoardRow]
    horizon: Horizon  # when, from `now` on, a row may first read differently: a check falls overdue, …


def board_rows(meetings: MeetingQuerySet, day: date, now: datetime) -> list[BoardRow]:
    """The day's confirmed and requested meetings by time and room: those with a serious exception first,
    then those needing attention (urgent, or another exception), then the others. Five queries."""
    return board_day(meetings, day, now).rows


def board_day(meetings: MeetingQuerySet, day: date, now: datetime) -> BoardDay:
    """The board's rows (as board_rows), and the first moment after `now` when their words or flags may change
    with the clock alone: a check's due time, a refill's window, a meeting's start or end, a countdown's next
    minute."""
    horizon = Horizon(now)
    day_meetings = _on_day(meetings, day)
    values = list(day_meetings.order_by("start", "room__name").values_list(*_MEETING_VALUES))
    if not values:
        return BoardDay([], horizon)
    # The day's meetings again as a subquery, not as a list of ids: the database joins them in far less time
    # than Django takes to bind hundreds of parameters to each of the three queries.
    ids = day_meetings.order_by().values("pk")
    rooms = Room.objects.select_related("floor__site").in_bulk({row[6] for row in values})
    labels, clock = _Labels(), WallClock()
    started = {row[0] for row in values if row[9] is not None}
    checks = _checks_by_meeting(ids, labels, clock, horizon, started)
    refills = _refills_by_meeting(ids, clock, horizon)
    assignees = _assignees_by_meeting(ids, labels)
    service_url = id_url("service:meeting")
    rows = []
    for pk, title, start, end, headcount, status, room_id, organizer, level, started_at, ended_at, unchecked in values:
        horizon.note(start)
        horizon.note(end)
        meeting = BoardMeeting(
            id=pk,
            title=title,
            start=start,
            end=end,
            headcount=headcount,
            status=status,
            status_label=labels.status[status],
            room=rooms[room_id],
            organizer=organizer,
            confidentiality=level,
            confidentiality_label=labels.confidentiality.get(level, ""),
            started_at=started_at,
            ended_at=ended_at,
            unchecked_levels=unchecked or [],
            times=f"{clock.hm(start)}–{clock.hm(end)}",
        )
        meeting_checks = checks.get(pk, [])
        meeting_refills = refills.get(pk, [])
        running = started_at is not None and ended_at is None
        next_refill = next((r for r in meeting_refills if r.done_at is None), None) if running else None
        last_refill = next((r for r in reversed(meeting_refills) if r.done_at), None)
        row = BoardRow(
            meeting=meeting,
            checks=meeting_checks,
            overdue_checks=[check for check in meeting_checks if check.overdue],
            next_refill=next_refill,
            last_refill=last_refill,
            assignments=assignees.get(pk, []),
            urgent=started_at is None
            and any(check.urgent and check.state != MeetingCheck.State.CONFIRMED for check in meeting_checks),
            running=running,
            ended=started_at is not None and not running,
            refill_late=next_refill is not None and next_refill.late,
            url=service_url(pk),
        )
        row.exceptions = _exceptions(row, meeting_refills, labels, clock, now)
        row.serious = any(exception.serious for exception in row.exceptions)
        row.needs_attention = row.urgent or bool(row.exceptions)
        if running:
            row.running_text = labels.running_since % {"at": clock.hm(started_at)}
        if next_refill:
            row.next_refill_text = f"{labels.refill % {'number': next_refill.number}} {next_refill.window}"
            if not row.refill_late:
                row.next_refill_text += f" · {countdown(next_refill.opens_at, now)}"
                horizon.note(countdown_changes_at(next_refill.opens_at, now))
        if last_refill:
            row.last_refill_text = labels.refill_done % {
                "number": last_refill.number,
                "at": last_refill.done_hm,
                "by": last_refill.done_by,
            }
        if ended_at:
            row.ended_text = labels.ended % {"at": clock.hm(ended_at)}
        rows.append(row)
    return BoardDay(sorted(rows, key=lambda row: (not row.serious, not row.needs_attention)), horizon)


def board_meeting_ids(meetings: MeetingQuerySet, day: date) -> tuple[int, ...]:
    """The ids of the day's meetings on the board, in order: with the reader's access already in `meetings`,
    what a snapshot of the board is keyed by (views/board.py)."""
    return tuple(_on_day(meetings, day).order_by("pk").values_list("pk", flat=True))


def _board_parts(start: datetime, end: datetime) -> list[QuerySet]:
    # What the board shows: the meetings, per kind their rows, and the names of rooms and people (counted over
    # their whole, small tables).
    meetings = _between(Meeting.objects.all(), start, end)
    ids = meetings.values("pk")
    related = [model.objects.filter(meeting__in=ids) for model in (MeetingService, MeetingCheck, Refill, Assignment)]
    return [meetings, *related, Room.objects.all(), User.objects.all()]


_BOARD_VERSIONS = PeriodVersions(_board_parts)


def board_version(day: date) -> tuple:
    """What the board of `day` was built from, as numbers that any committed insert, update or delete changes
    (lib/versions.py). Every meeting of the day counts, whoever reads: one reading serves every reader's
    snapshot. One query."""
    return _BOARD_VERSIONS(*day_bounds(day))


_Kept = TypeVar("_Kept")


def board_kept(
    snapshots: Snapshots,
    meetings: MeetingQuerySet,
    day: date,
    now: datetime,
    make: Callable[[list[BoardRow], tuple], _Kept],
) -> _Kept:
    """What `make` builds from the board of the meetings the reader may see (the rows, then their ids), from its
    snapshot while that holds. The snapshot is keyed by exactly those meetings, and built from them alone: no
    reader is served a row, or a count, of a meeting that only another reader may see, even one added while
    this one was building."""
    ids = board_meeting_ids(meetings, day)
    key = (ids, day, get_language(), timezone.get_current_timezone_name())
    version = board_version(day)  # read before the rows, as lib/snapshots.py requires
    kept = snapshots.get(key, version, now)
    if kept is None:
        built, readable = board_day(meetings, day, now), set(ids)
        kept = make([row for row in built.rows if row.meeting.id in readable], ids)
        snapshots.put(key, version, built.horizon, kept)
    return kept


@dataclass(slots=True)
class ExceptionCount:
    kind: ExceptionKind
    count: int  # meetings with this exception

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def serious(self) -> bool:
        return self.kind in SERIOUS


def exception_counts(rows: list[BoardRow]) -> list[ExceptionCount]:
    """For the head of the board: how many of its meetings have each kind of exception, every kind listed."""
    counts = dict.fromkeys(ExceptionKind, 0)
    for row in rows:
        for kind in {exception.kind for exception in row.exceptions}:
            counts[kind] += 1
    return [ExceptionCount(kind, count) for kind, count in counts.items()]


def day_punctuality(meetings: MeetingQuerySet, day: date, now: datetime) -> Punctuality:
    """The refill punctuality of the day's meetings on the board."""
    return refill_punctuality(_on_day(meetings, day), now)


def busy_blocks(user: User, day: date) -> list[Meeting]:
    """The day's confidential meetings the user may not see: shown on the board as busy, room and time."""
    busy = meetings_busy_for(user)
    if isinstance(busy, EmptyQuerySet):  # nothing is hidden from them: no query to build, as none to run
        return []
    return list(_on_day(busy, day).select_related("room__floor__site").order_by("start", "room__name"))
