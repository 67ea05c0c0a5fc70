"""The figures a service centre is judged by, each defined once here: what it counts, over which meetings, and
how. Each is computed by SQL aggregation (a fixed number of queries, however many rows), for a period of days
and optionally a site, a room or an organizer (`ReportFilters`).

The meetings of a period are those whose (planned) start falls on one of its days, in Asia/Shanghai; a
meeting counts whole on the day it starts. "Now" is passed in: what has not happened yet is not counted as
missed or late.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, ExtractMinute, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from huiwu.delegations.models import DelegatedTask
from huiwu.feedback.models import Complaint
from huiwu.meetings.models import Meeting, MeetingChange, MeetingQuerySet, Status
from huiwu.meetings.selectors import day_bounds
from huiwu.reception.models import ReviewedDocument, RoutineItem
from huiwu.reception.workdays import workday_calendar
from huiwu.security.models import Authorization, BackgroundCheck, ConfidentialityAgreement
from huiwu.service.models import Assignment, Level, MeetingCheck, MeetingService, Refill
from huiwu.service.selectors import Punctuality, refill_punctuality
from huiwu.surveys.models import SurveyAnswer
from huiwu.surveys.selectors import ASPECTS, MonthFigure, aspect_label, satisfaction_by_month
from huiwu.venues.models import Room


@dataclass(frozen=True)
class ReportFilters:
    first: date
    last: date  # inclusive
    site_id: int | None = None
    room_id: int | None = None
    organizer_id: int | None = None

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return day_bounds(self.first)[0], day_bounds(self.last)[1]


def _narrowed(rows: QuerySet, filters: ReportFilters, *, organizer: str, meeting: str = "") -> QuerySet:
    """`rows` of the organizer, room and site asked: `organizer` names the field of the row's organizer,
    `meeting` the path to its meeting ("" when the rows are meetings)."""
    if filters.organizer_id is not None:
        rows = rows.filter(**{organizer: filters.organizer_id})
    if filters.room_id is not None:
        rows = rows.filter(**{f"{meeting}room_id": filters.room_id})
    if filters.site_id is not None:
        rows = rows.filter(**{f"{meeting}room__floor__site_id": filters.site_id})
    return rows


def meetings_of(filters: ReportFilters) -> MeetingQuerySet:
    """Every meeting starting in the period, in the site, room or organizer asked, whatever its status."""
    start, end = filters.bounds
    return _narrowed(Meeting.objects.filter(start__gte=start, start__lt=end), filters, organizer="organizer_id")


def held_of(filters: ReportFilters) -> MeetingQuerySet:
    """The confirmed meetings of the period: those that were (or are to be) held."""
    return meetings_of(filters).filter(status=Status.CONFIRMED)


def _duration(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _hours(value: timedelta | None) -> float:
    return round((value or timedelta()).total_seconds() / 3600, 2)


def _median(durations: QuerySet, name: str) -> timedelta | None:
    """The median of the annotated duration `name` over `durations`, in SQL: counted, ordered and the middle
    one (or the middle two, averaged) read — three queries at most, whatever the number of rows."""
    count = durations.count()
    if not count:
        return None
    ordered = durations.order_by(name).values_list(name, flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


# --- meetings and rooms -------------------------------------------------------------------------------


def workdays_in(filters: ReportFilters) -> int:
    """The working days of the period (the working-day calendar: holidays off, 调休 Saturdays worked)."""
    return sum(1 for info in workday_calendar(filters.first, filters.last).values() if info.is_workday)


def open_hours_per_room(filters: ReportFilters) -> float:
    """The hours a room is open in the period: its working days (the working-day calendar, 调休 included)
    times the opening hours of a working day (REPORTS_ROOM_OPEN_FROM … REPORTS_ROOM_OPEN_UNTIL)."""
    days = workdays_in(filters)
    opening, closing = settings.REPORTS_ROOM_OPEN_FROM, settings.REPORTS_ROOM_OPEN_UNTIL
    span = datetime.combine(filters.first, closing) - datetime.combine(filters.first, opening)
    return round(days * span.total_seconds() / 3600, 2)


@dataclass(frozen=True)
class RoomUse:
    room_id: int
    room: str
    site_id: int
    site: str
    meetings: int
    hours: float  # booked: the planned durations of its confirmed meetings
    open_hours: float

    @property
    def utilisation(self) -> float | None:
        """Booked hours ÷ open hours; None when the room is not open in the period (no working day)."""
        return round(self.hours / self.open_hours, 4) if self.open_hours else None

    @property
    def utilisation_percent(self) -> str:
        """As the page shows it, e.g. "2.4%"; "" without open hours."""
        return "" if self.utilisation is None else f"{self.utilisation * 100:.1f}%"


def room_use(filters: ReportFilters) -> list[RoomUse]:
    """Per active room of the site (or the one room) asked: its confirmed meetings of the period, their
    planned hours and the room's utilisation — booked hours ÷ open hours. Rooms without a meeting show 0.
    The organizer filter narrows the meetings counted, not the rooms. One query and the calendar's."""
    start, end = filters.bounds
    counted = Q(meetings__status=Status.CONFIRMED, meetings__start__gte=start, meetings__start__lt=end)
    if filters.organizer_id is not None:
        counted &= Q(meetings__organizer_id=filters.organizer_id)
    rooms = Room.objects.filter(is_active=True)
    if filters.site_id is not None:
        rooms = rooms.filter(floor__site_id=filters.site_id)
    if filters.room_id is not None:
        rooms = rooms.filter(pk=filters.room_id)
    # The period in the join itself: only the period's meetings are joined, not every meeting ever held.
    rows = (
        rooms.annotate(counted=FilteredRelation("meetings", condition=counted))
        .annotate(held=Count("counted"), booked=Sum(_duration("counted__end", "counted__start")))
        .values_list("pk", "name", "floor__site_id", "floor__site__name", "held", "booked")
    )
    open_hours = open_hours_per_room(filters)
    return [
        RoomUse(pk, name, site_id, site, meetings=held, hours=_hours(booked), open_hours=open_hours)
        for pk, name, site_id, site, held, booked in rows.order_by("floor__site__name", "name")
    ]


@dataclass(frozen=True)
class RoomHours:
    """A room's use hour by hour of the working day: the heat map's row."""

    room_id: int
    room: str
    minutes: list[int]  # booked minutes in each hour of `RoomHeat.hours`, over the period
    open_days: int  # the period's working days: each hour is open 60 minutes on each

    @property
    def utilisation(self) -> list[float | None]:
        """Per hour: booked minutes ÷ the minutes it is open (60 × working days); None without a working day."""
        open_minutes = 60 * self.open_days
        return [round(minutes / open_minutes, 4) if open_minutes else None for minutes in self.minutes]


@dataclass(frozen=True)
class RoomHeat:
    hours: list[int]  # the hours of the working day (8 for 08:00–09:00, …), from the rooms' opening to closing
    rooms: list[RoomHours]


def _minute_of_day(field: str) -> ExpressionWrapper:
    zone = timezone.get_current_timezone()
    return ExpressionWrapper(
        ExtractHour(field, tzinfo=zone) * 60 + ExtractMinute(field, tzinfo=zone), output_field=IntegerField()
    )


def room_heat(filters: ReportFilters, rooms: list[RoomUse]) -> RoomHeat:
    """Per room of `rooms` (room_use's) and per hour of the working day (the hours REPORTS_ROOM_OPEN_FROM …
    REPORTS_ROOM_OPEN_UNTIL touch): the minutes of that hour its confirmed meetings of the period were booked,
    in Asia/Shanghai, and so the share of the hour booked over the working days. A meeting running past
    midnight counts until midnight. One query: the meetings are counted per room and per start and end minute
    of the day, so that each minute is worked out once per meeting and the few groups' overlaps in Python."""
    opening, closing = settings.REPORTS_ROOM_OPEN_FROM, settings.REPORTS_ROOM_OPEN_UNTIL
    hours = list(range(opening.hour, closing.hour + (1 if closing.minute else 0)))
    groups = (
        held_of(filters)
        .filter(room_id__in=[room.room_id for room in rooms])
        .annotate(
            start_minute=_minute_of_day("start"),
            # The end as a minute of the start's day: 24:00 when the meeting ends on a later day.
            end_minute=Case(
                When(Q(end__date__gt=F("start__date")), then=Value(24 * 60)),
                default=_minute_of_day("end"),
                output_field=IntegerField(),
            ),
        )
        .values_list("room_id", "start_minute", "end_minute")
        .annotate(meetings=Count("pk"))
        .order_by()
    )
    booked = {room.room_id: [0] * len(hours) for room in rooms}
    for room_id, start_minute, end_minute, meetings in groups:
        for index, hour in enumerate(hours):
            overlap = min(end_minute, (hour + 1) * 60) - max(start_minute, hour * 60)
            if overlap > 0:
                booked[room_id][index] += overlap * meetings
    days = workdays_in(filters)
    return RoomHeat(
        hours=hours,
        rooms=[RoomHours(room.room_id, room.room, booked[room.room_id], open_days=days) for room in rooms],
    )


@dataclass(frozen=True)
class SiteUse:
    site_id: int
    site: str
    rooms: int
    meetings: int
    hours: float
    open_hours: float  # all its rooms together

    @property
    def utilisation(self) -> float | None:
        return round(self.hours / self.open_hours, 4) if self.open_hours else None


def site_use(rooms: list[RoomUse]) -> list[SiteUse]:
    """The rooms' figures added up per site (their utilisation: all booked hours ÷ all open hours)."""
    sites: dict[int, list[RoomUse]] = {}
    for room in rooms:
        sites.setdefault(room.site_id, []).append(room)
    return [
        SiteUse(
            site_id=site_id,
            site=members[0].site,
            rooms=len(members),
            meetings=sum(room.meetings for room in members),
            hours=round(sum(room.hours for room in members), 2),
            open_hours=round(sum(room.open_hours for room in members), 2),
        )
        for site_id, members in sites.items()
    ]


@dataclass(frozen=True)
class OrganizerUse:
    organizer_id: int
    organizer: str
    meetings: int
    hours: float


def organizer_use(filters: ReportFilters) -> list[OrganizerUse]:
    """Per organizer: its confirmed meetings of the period and their planned hours, most meetings first. One
    query."""
    rows = (
        held_of(filters)
        .values("organizer_id", "organizer__name")
        .annotate(held=Count("pk"), booked=Sum(_duration("end", "start")))
        .order_by("-held", "organizer__name")
    )
    return [
        OrganizerUse(row["organizer_id"], row["organizer__name"], row["held"], _hours(row["booked"])) for row in rows
    ]


@dataclass(frozen=True)
class RequestOutcomes:
    """The clients' requests for meetings of the period and what became of them."""

    requested: int
    confirmed: int
    rejected: int
    waiting: int  # neither yet (cancelled requests are in `requested` only)
    # From the request to the booking staff's answer (confirmed or rejected), the median; None without one.
    median_answer: timedelta | None


def request_outcomes(filters: ReportFilters) -> RequestOutcomes:
    """The meetings of the period that a client requested (their history starts with a request), how many were
    confirmed, rejected or are still waiting, and the median time from the request to the staff's answer.
    Four queries at most."""
    changes = MeetingChange.objects.filter(meeting=OuterRef("pk")).order_by("changed_at", "pk")
    answered = changes.filter(action__in=[MeetingChange.Action.CONFIRMED, MeetingChange.Action.REJECTED])
    requested = changes.filter(action=MeetingChange.Action.REQUESTED)
    # Exists, not a join: a join needs DISTINCT, and DISTINCT would then also fold equal answer times
    # together in the median's value list.
    requests = (
        meetings_of(filters)
        .filter(Exists(requested))
        .annotate(
            requested_at=Subquery(requested.values("changed_at")[:1]),
            answered_at=Subquery(answered.values("changed_at")[:1]),
        )
    )
    counts = requests.aggregate(
        requested=Count("pk"),
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        waiting=Count("pk", filter=Q(status=Status.REQUESTED)),
    )
    durations = requests.filter(answered_at__isnull=False).annotate(answer=_duration("answered_at", "requested_at"))
    return RequestOutcomes(**counts, median_answer=_median(durations, "answer"))


# --- the three-level check ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelPunctuality:
    level: int
    on_time: int  # confirmed by its due time
    late: int  # confirmed after it
    missed: int  # not confirmed when the meeting started

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.missed

    def share(self, count: int) -> float | None:
        return round(count / self.counted, 4) if self.counted else None

    @property
    def label(self) -> str:
        return str(Level(self.level).label)


def check_punctuality(filters: ReportFilters, now: datetime) -> list[LevelPunctuality]:
    """Per level of the three-level check, over the confirmed meetings of the period that have started by
    `now`: confirmed on time (at or before the level's due time), late (after it), or missed (not confirmed —
    open or a problem reported). A level re-opened by a change counts as it stands now. One query."""
    checks = MeetingCheck.objects.filter(meeting__in=held_of(filters).filter(start__lte=now))
    confirmed = Q(state=MeetingCheck.State.CONFIRMED)
    rows = {
        row["level"]: row
        for row in checks.values("level").annotate(
            on_time=Count("pk", filter=confirmed & Q(confirmed_at__lte=F("due_at"))),
            late=Count("pk", filter=confirmed & Q(confirmed_at__gt=F("due_at"))),
            missed=Count("pk", filter=~confirmed),
        )
    }
    empty = {"on_time": 0, "late": 0, "missed": 0}
    return [LevelPunctuality(level, **{key: rows.get(level, empty)[key] for key in empty}) for level in Level.values]


def started_unchecked(filters: ReportFilters) -> int:
    """The confirmed meetings of the period whose start was recorded with a level of the check unconfirmed."""
    return MeetingService.objects.filter(meeting__in=held_of(filters)).exclude(unchecked_levels=[]).count()


# --- refills ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefillFigures:
    punctuality: Punctuality  # on time (in the window), early, late (after it, or not done once it closed)
    # Of the refills done late, how long after their window closed, the median; None without one.
    median_lateness: timedelta | None


def refill_figures(filters: ReportFilters, now: datetime) -> RefillFigures:
    """The refills of the period's confirmed meetings against their windows (service.selectors'
    refill_punctuality: the board's definition), and the median lateness of those done late."""
    meetings = held_of(filters)
    late = Refill.objects.filter(meeting__in=meetings, done_at__gt=F("closes_at"))
    return RefillFigures(
        punctuality=refill_punctuality(meetings, now),
        median_lateness=_median(late.annotate(lateness=_duration("done_at", "closes_at")), "lateness"),
    )


@dataclass(frozen=True)
class AttendantRefills:
    attendant_id: int
    attendant: str
    on_time: int
    early: int
    late: int  # done after the window closed (a refill never done has no attendant)

    @property
    def done(self) -> int:
        return self.on_time + self.early + self.late


def refills_by_attendant(filters: ReportFilters) -> list[AttendantRefills]:
    """The refills each attendant recorded in the period's confirmed meetings, by punctuality, most first. One
    query."""
    rows = (
        Refill.objects.filter(meeting__in=held_of(filters), done_by__isnull=False)
        .values("done_by_id", "done_by__display_name", "done_by__username")
        .annotate(
            on_time=Count("pk", filter=Q(done_at__gte=F("opens_at"), done_at__lte=F("closes_at"))),
            early=Count("pk", filter=Q(done_at__lt=F("opens_at"))),
            late=Count("pk", filter=Q(done_at__gt=F("closes_at"))),
            done=Count("pk"),
        )
        .order_by("-done", "done_by__username")
    )
    return [
        AttendantRefills(
            row["done_by_id"],
            row["done_by__display_name"] or row["done_by__username"],
            row["on_time"],
            row["early"],
            row["late"],
        )
        for row in rows
    ]


# --- complaints ---------------------------------------------------------------------------------------


def complaints_of(filters: ReportFilters) -> QuerySet[Complaint]:
    """The complaints received in the period, about the organizer's (the complaint's organization), the room
    or the site asked (the room complained of, or else the meeting's)."""
    start, end = filters.bounds
    complaints = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    if filters.organizer_id is not None:
        complaints = complaints.filter(organization_id=filters.organizer_id)
    if filters.room_id is not None:
        complaints = complaints.filter(
            Q(room_id=filters.room_id) | Q(room__isnull=True, meeting__room_id=filters.room_id)
        )
    if filters.site_id is not None:
        complaints = complaints.filter(
            Q(room__floor__site_id=filters.site_id)
            | Q(room__isnull=True, meeting__room__floor__site_id=filters.site_id)
        )
    return complaints


@dataclass(frozen=True)
class ComplaintFigures:
    received: int
    closed: int  # of those received in the period, closed by now
    return_visits: int  # of those closed, visited again afterwards (回访)
    # From receiving the complaint to the first apology, and to its closing: the medians, None without any.
    median_to_apology: timedelta | None
    median_to_close: timedelta | None


def complaint_figures(filters: ReportFilters) -> ComplaintFigures:
    """How the complaints received in the period were handled: how many were closed and visited again, and the
    median times from receiving one to its first apology and to its closing. Seven queries at most."""
    complaints = complaints_of(filters)
    counts = complaints.aggregate(
        received=Count("pk"),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
        return_visits=Count("pk", filter=Q(return_visit_at__isnull=False)),
    )
    apologised = complaints.filter(apology_at__isnull=False).annotate(wait=_duration("apology_at", "received_at"))
    closed = complaints.filter(closed_at__isnull=False).annotate(wait=_duration("closed_at", "received_at"))
    return ComplaintFigures(
        **counts, median_to_apology=_median(apologised, "wait"), median_to_close=_median(closed, "wait")
    )


# How a complaint without a root cause yet (it is named when the complaint is closed) is shown.
OPEN_CAUSE_LABEL = gettext_lazy("Not closed yet")


@dataclass(frozen=True)
class CauseCount:
    cause: str  # the root cause's name, "" while the complaint is open (it is named when it is closed)
    complaints: int


def complaints_by_cause(filters: ReportFilters) -> list[CauseCount]:
    """The complaints received in the period per root cause, most first; those not closed yet under "". One
    query."""
    rows = (
        complaints_of(filters)
        .values("root_cause__name")
        .annotate(complaints=Count("pk"))
        .order_by("-complaints", "root_cause__name")
    )
    return [CauseCount(row["root_cause__name"] or "", row["complaints"]) for row in rows]


@dataclass(frozen=True)
class MonthCount:
    month: date  # its first day
    complaints: int


def complaints_by_month(filters: ReportFilters) -> list[MonthCount]:
    """The complaints received per month (in Asia/Shanghai) of the period, every month of it listed, those
    without a complaint as 0. One query."""
    rows = (
        complaints_of(filters)
        .annotate(month=TruncMonth("received_at", output_field=DateField(), tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(complaints=Count("pk"))
    )
    counts = {row["month"]: row["complaints"] for row in rows}
    months, month = [], filters.first.replace(day=1)
    while month <= filters.last:
        months.append(MonthCount(month, counts.get(month, 0)))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


# --- delegated tasks ----------------------------------------------------------------------------------


def tasks_of(filters: ReportFilters) -> QuerySet[DelegatedTask]:
    """The delegated tasks marked done in the period, of the organizer asked (the task's organization), in the
    room or site of their meeting."""
    start, end = filters.bounds
    tasks = DelegatedTask.objects.filter(done_at__gte=start, done_at__lt=end)
    return _narrowed(tasks, filters, organizer="organization_id", meeting="meeting__")


@dataclass(frozen=True)
class TaskFigures:
    done: int
    confirmed: int  # by the client (确认)
    notified: int  # completed by a notice to the client (知会) instead
    awaiting: int  # neither yet, or disputed
    # From done to the client's confirmation, the median; None without a confirmed task.
    median_to_confirmation: timedelta | None

    @property
    def confirmed_share(self) -> float | None:
        """Of the tasks completed, the share the client confirmed themselves."""
        completed = self.confirmed + self.notified
        return round(self.confirmed / completed, 4) if completed else None


def task_figures(filters: ReportFilters) -> TaskFigures:
    """The tasks marked done in the period: confirmed by the client, completed by a notice, still awaiting the
    client (or disputed); and the median time from done to the client's confirmation. Four queries at most."""
    tasks = tasks_of(filters)
    state = DelegatedTask.State
    counts = tasks.aggregate(
        done=Count("pk"),
        confirmed=Count("pk", filter=Q(state=state.CONFIRMED)),
        notified=Count("pk", filter=Q(state=state.NOTIFIED)),
        awaiting=Count("pk", filter=Q(state__in=[state.AWAITING_CLIENT, state.DISPUTED])),
    )
    confirmed = tasks.filter(state=state.CONFIRMED).annotate(wait=_duration("confirmed_at", "done_at"))
    return TaskFigures(**counts, median_to_confirmation=_median(confirmed, "wait"))


# --- satisfaction -------------------------------------------------------------------------------------


def answers_of(filters: ReportFilters) -> QuerySet[SurveyAnswer]:
    """The survey answers about meetings of the organizer, room or site asked (the period is the answers')."""
    return _narrowed(SurveyAnswer.objects.all(), filters, organizer="meeting__organizer_id", meeting="meeting__")


@dataclass(frozen=True)
class Satisfaction:
    months: list[MonthFigure]  # each month of the period: answers, satisfied, the rate (share of 4–5 overall)
    target: float  # REPORTS_SATISFACTION_TARGET as a share, e.g. 0.96

    def below_target(self) -> list[MonthFigure]:
        return [month for month in self.months if month.rate is not None and month.rate < self.target]


def satisfaction(filters: ReportFilters) -> Satisfaction:
    """The satisfaction rate per month of the period (surveys.selectors' definition: the share of answers with
    an overall 4 or 5, in the month the answer was given) against the target. One query."""
    months = satisfaction_by_month(date_from=filters.first, date_to=filters.last, answers=answers_of(filters))
    return Satisfaction(months=months, target=settings.REPORTS_SATISFACTION_TARGET / 100)


@dataclass(frozen=True)
class ItemSatisfaction:
    aspect: str
    label: str
    answers: int
    satisfied: int  # a 4 or 5 for this item
    average: float | None

    @property
    def rate(self) -> float | None:
        return round(self.satisfied / self.answers, 4) if self.answers else None


def satisfaction_by_item(filters: ReportFilters) -> list[ItemSatisfaction]:
    """Per item of the survey (venue, tea, equipment, attitude, overall), over the answers given in the period:
    the share of 4–5 and the average. One query."""
    start, end = filters.bounds
    answers = answers_of(filters).filter(answered_at__gte=start, answered_at__lt=end)
    satisfied = SurveyAnswer.SATISFIED_FROM
    totals = answers.aggregate(
        answers=Count("pk"),
        **{f"satisfied_{aspect}": Count("pk", filter=Q(**{f"{aspect}__gte": satisfied})) for aspect in ASPECTS},
        **{f"average_{aspect}": Avg(aspect) for aspect in ASPECTS},
    )
    return [
        ItemSatisfaction(
            aspect=aspect,
            label=aspect_label(aspect),
            answers=totals["answers"],
            satisfied=totals[f"satisfied_{aspect}"],
            average=None if totals[f"average_{aspect}"] is None else round(totals[f"average_{aspect}"], 2),
        )
        for aspect in ASPECTS
    ]


# --- reception ----------------------------------------------------------------------------------------
# The reception team works for the building, not for an organizer or a room: these read the period only.


@dataclass(frozen=True)
class RoutinePunctuality:
    code: str
    label: str
    on_time: int  # done by its due time
    late: int  # done after it
    missed: int  # not done, and its due time has passed

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.missed


def routine_punctuality(filters: ReportFilters, now: datetime) -> list[RoutinePunctuality]:
    """Per item of the reception routine (the door, the documents, the newspapers, the lunch checks, …), over
    the working days of the period: done on time, late, or missed. An item still to come is not counted. One
    query."""
    items = RoutineItem.objects.filter(plan__day__gte=filters.first, plan__day__lte=filters.last)
    rows = {
        row["code"]: row
        for row in items.values("code").annotate(
            on_time=Count("pk", filter=Q(done_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(done_at__gt=F("due_at"))),
            missed=Count("pk", filter=Q(done_at__isnull=True, due_at__lt=now)),
        )
    }
    empty = {"on_time": 0, "late": 0, "missed": 0}
    return [
        RoutinePunctuality(code, str(label), **{key: rows.get(code, empty)[key] for key in empty})
        for code, label in RoutineItem.Code.choices
    ]


@dataclass(frozen=True)
class DocumentFigures:
    due: int  # reviewed documents due in the period (by 09:30 of the next working day)
    on_time: int  # handed over by then
    late: int
    waiting: int  # not handed over, and past due


def document_figures(filters: ReportFilters, now: datetime) -> DocumentFigures:
    """The reviewed documents due in the period: handed over to the GM office by their due time, late, or not
    yet and past due. One query."""
    start, end = filters.bounds
    counts = ReviewedDocument.objects.filter(due_at__gte=start, due_at__lt=end).aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(handed_at__lte=F("due_at"))),
        late=Count("pk", filter=Q(handed_at__gt=F("due_at"))),
        waiting=Count("pk", filter=Q(handed_at__isnull=True, due_at__lt=now)),
    )
    return DocumentFigures(**counts)


# --- staff --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffWork:
    user_id: int
    name: str
    meetings: int  # confirmed meetings of the period they were assigned to serve
    hours: float  # those meetings' planned hours


def staff_work(filters: ReportFilters) -> list[StaffWork]:
    """Per member of staff assigned to the period's confirmed meetings: how many and how many hours, most
    first. One query."""
    rows = (
        Assignment.objects.filter(meeting__in=held_of(filters))
        .values("attendant_id", "attendant__display_name", "attendant__username")
        .annotate(served=Count("meeting", distinct=True), booked=Sum(_duration("meeting__end", "meeting__start")))
        .order_by("-served", "attendant__username")
    )
    return [
        StaffWork(
            row["attendant_id"],
            row["attendant__display_name"] or row["attendant__username"],
            row["served"],
            _hours(row["booked"]),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ExpiringPaper:
    kind: str  # the paper's name: background check, confidentiality agreement, authorization to serve
    user_id: int
    name: str
    valid_until: date


def papers_expiring(today: date) -> list[ExpiringPaper]:
    """The staff papers (background checks, confidentiality agreements, authorizations to serve) whose last
    valid day falls within CLEARANCE_EXPIRY_NOTICE_DAYS of `today` and that no later paper of the same kind
    follows without a gap (security.deadlines' rule), soonest first. One query per kind of paper."""
    last = today + timedelta(days=settings.CLEARANCE_EXPIRY_NOTICE_DAYS)
    papers = []
    for model in (BackgroundCheck, ConfidentialityAgreement, Authorization):
        records = model.objects.filter(valid_until__gte=today, valid_until__lte=last)
        if model is Authorization:
            records = records.filter(revoked_at__isnull=True)
        followed = model.objects.filter(
            user=OuterRef("user"),
            valid_from__gt=OuterRef("valid_from"),
            valid_from__lte=OuterRef("valid_until") + timedelta(days=1),
        )
        for user_id, display, username, until in (
            records.exclude(Exists(followed))
            .values_list("user_id", "user__display_name", "user__username", "valid_until")
            .order_by("valid_until", "user__username")
        ):
            papers.append(ExpiringPaper(str(model._meta.verbose_name), user_id, display or username, until))
    return sorted(papers, key=lambda paper: (paper.valid_until, paper.name))


# --- all of them --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Every figure of one period and filters: what the dashboard shows, the API answers and the workbook
    holds. The building's own (reception, staff, each attendant's refills) only when `building` was asked."""

    filters: ReportFilters
    rooms: list[RoomUse]
    heat: RoomHeat
    sites: list[SiteUse]
    organizers: list[OrganizerUse]
    requests: RequestOutcomes
    checks: list[LevelPunctuality]
    started_unchecked: int
    refills: RefillFigures
    tasks: TaskFigures
    complaints: ComplaintFigures
    complaints_by_cause: list[CauseCount]
    complaints_by_month: list[MonthCount]
    satisfaction: Satisfaction
    satisfaction_by_item: list[ItemSatisfaction]
    refills_by_attendant: list[AttendantRefills] | None
    routine: list[RoutinePunctuality] | None
    documents: DocumentFigures | None
    staff: list[StaffWork] | None
    papers_expiring: list[ExpiringPaper] | None


def all_figures(filters: ReportFilters, now: datetime, *, building: bool) -> Figures:
    rooms = room_use(filters)
    return Figures(
        filters=filters,
        rooms=rooms,
        heat=room_heat(filters, rooms),
        sites=site_use(rooms),
        organizers=organizer_use(filters),
        requests=request_outcomes(filters),
        checks=check_punctuality(filters, now),
        started_unchecked=started_unchecked(filters),
        refills=refill_figures(filters, now),
        tasks=task_figures(filters),
        complaints=complaint_figures(filters),
        complaints_by_cause=complaints_by_cause(filters),
        complaints_by_month=complaints_by_month(filters),
        satisfaction=satisfaction(filters),
        satisfaction_by_item=satisfaction_by_item(filters),
        refills_by_attendant=refills_by_attendant(filters) if building else None,
        routine=routine_punctuality(filters, now) if building else None,
        documents=document_figures(filters, now) if building else None,
        staff=staff_work(filters) if building else None,
        papers_expiring=papers_expiring(timezone.localdate(now)) if building else None,
    )
