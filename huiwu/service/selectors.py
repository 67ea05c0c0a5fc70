"""Reads for the service pages and the API: a meeting's service record, the today board, an attendant's
next actions and the team's workload. Callers pass meetings already limited by access.py. Each read
costs a fixed number of queries however many meetings it covers (the board's test asserts it)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.meetings.access import meetings_busy_for
from huiwu.meetings.models import Meeting, MeetingAttendee, MeetingQuerySet, Status
from huiwu.meetings.selectors import day_bounds
from huiwu.security.eligibility import missing_for
from huiwu.service.models import (
    Assignment,
    ChecklistTick,
    CheckRecord,
    MeetingCheck,
    Phase,
    Refill,
    ServiceLogEntry,
    ServiceStandard,
)
from huiwu.service.standards import phase_items, standard_current


def _with_service(meetings: MeetingQuerySet) -> MeetingQuerySet:
    return meetings.select_related("room__floor__site", "organizer", "service__standard").prefetch_related(
        Prefetch("checks", queryset=MeetingCheck.objects.order_by("level")),
        Prefetch("refills", queryset=Refill.objects.select_related("done_by").order_by("number")),
        Prefetch("assignments", queryset=Assignment.objects.select_related("attendant")),
    )


def _standard(meeting: Meeting, current: ServiceStandard) -> ServiceStandard:
    return meeting.service.standard if hasattr(meeting, "service") else current


@dataclass
class ChecklistLine:
    phase: str
    item: str
    tick: ChecklistTick | None
    due_at: datetime | None = None


@dataclass
class ServiceRecord:
    """Everything about one meeting's service, for its page and the API."""

    meeting: Meeting
    standard: ServiceStandard
    checks: list[MeetingCheck]
    check_records: list[CheckRecord]
    assignments: list[Assignment]
    checklist: dict[str, list[ChecklistLine]]
    refills: list[Refill]
    log: list[ServiceLogEntry]
    attendees: list = field(default_factory=list)
    # For a confidential meeting: what each assigned person no longer has (a paper expired since), by
    # assignment id. Empty lists are left out.
    eligibility_lapses: dict[int, list[str]] = field(default_factory=dict)

    @property
    def started(self) -> bool:
        return hasattr(self.meeting, "service")

    @property
    def ended(self) -> bool:
        return self.started and self.meeting.service.ended_at is not None

    @property
    def pending_refill(self) -> Refill | None:
        return next((refill for refill in self.refills if refill.done_at is None), None)

    def open_phases(self) -> list[str]:
        """The checklist phases whose items can be ticked now: before the meeting until it starts, during
        it while it runs, after it once it has ended."""
        if self.meeting.status != Status.CONFIRMED:
            return []
        if not self.started:
            return [Phase.BEFORE]
        return [Phase.BEFORE, Phase.AFTER] if self.ended else [Phase.BEFORE, Phase.DURING]

    def next_check_level(self) -> int | None:
        """The lowest level not confirmed yet: the only one that may be confirmed now."""
        return next((check.level for check in self.checks if check.state != MeetingCheck.State.CONFIRMED), None)


def checklist_lines(meeting: Meeting, standard: ServiceStandard, ticks: list[ChecklistTick]) -> dict[str, list]:
    """The before/during/after items of the standard, each with its tick. A tick of an item the standard
    no longer lists stays shown: what was done is never hidden."""
    by_item = {(tick.phase, tick.item): tick for tick in ticks}
    ready_due = meeting.start - timedelta(minutes=standard.ready_minutes)
    lines: dict[str, list[ChecklistLine]] = {}
    for phase in Phase:
        items = phase_items(standard, meeting, phase)
        extra = [tick.item for tick in ticks if tick.phase == phase and tick.item not in items]
        lines[phase] = [
            ChecklistLine(
                phase=phase,
                item=item,
                tick=by_item.get((phase, item)),
                due_at=ready_due if phase == Phase.BEFORE else None,
            )
            for item in [*items, *extra]
        ]
    return lines


def _eligibility_lapses(meeting: Meeting, assignments: list[Assignment]) -> dict[int, list[str]]:
    if not meeting.is_confidential:
        return {}
    lapses = {
        assignment.pk: missing_for(
            assignment.attendant, level=meeting.confidentiality, start=meeting.start, end=meeting.end
        )
        for assignment in assignments
    }
    return {pk: missing for pk, missing in lapses.items() if missing}


def service_record(meeting: Meeting) -> ServiceRecord:
    standard = _standard(meeting, standard_current())
    ticks = list(meeting.checklist_ticks.select_related("done_by"))
    assignments = list(meeting.assignments.select_related("attendant"))
    return ServiceRecord(
        meeting=meeting,
        standard=standard,
        checks=list(meeting.checks.select_related("confirmed_by").order_by("level")),
        check_records=list(meeting.check_records.select_related("by")),
        assignments=assignments,
        eligibility_lapses=_eligibility_lapses(meeting, assignments),
        checklist=checklist_lines(meeting, standard, ticks),
        refills=list(meeting.refills.select_related("done_by")),
        log=list(meeting.service_log.select_related("recorded_by")),
        attendees=[
            link.person
            for link in MeetingAttendee.objects.filter(meeting=meeting)
            .select_related("person")
            .order_by("person__precedence", "person__name_pinyin")
        ],
    )


# --- the today board ----------------------------------------------------------------------------------


@dataclass
class BoardRow:
    meeting: Meeting
    checks: list[MeetingCheck]
    overdue_checks: list[MeetingCheck]
    next_refill: Refill | None
    last_refill: Refill | None
    assignments: list[Assignment]
    urgent: bool
    running: bool
    ended: bool
    refill_late: bool

    @property
    def needs_attention(self) -> bool:
        return self.urgent or bool(self.overdue_checks) or self.refill_late


def board_rows(meetings: MeetingQuerySet, day: date, now: datetime) -> list[BoardRow]:
    """The day's confirmed and requested meetings by time and room, those needing attention first."""
    start, end = day_bounds(day)
    rows = []
    day_meetings = _with_service(
        meetings.filter(start__lt=end, end__gt=start, status__in=[Status.CONFIRMED, Status.REQUESTED])
    ).order_by("start", "room__name")
    for meeting in day_meetings:
        checks = list(meeting.checks.all())
        started = hasattr(meeting, "service")
        # Once the meeting runs, checks still open are history: the board shows the refills instead.
        open_checks = [c for c in checks if c.state != MeetingCheck.State.CONFIRMED and not started]
        running = started and meeting.service.ended_at is None
        refills = list(meeting.refills.all())
        next_refill = next((r for r in refills if r.done_at is None), None) if running else None
        rows.append(
            BoardRow(
                meeting=meeting,
                checks=checks,
                overdue_checks=[c for c in open_checks if c.due_at < now],
                next_refill=next_refill,
                refill_late=next_refill is not None and next_refill.is_late(now),
                last_refill=next((r for r in reversed(refills) if r.done_at), None),
                assignments=list(meeting.assignments.all()),
                urgent=any(c.urgent for c in open_checks),
                running=running,
                ended=started and not running,
            )
        )
    return sorted(rows, key=lambda row: not row.needs_attention)


def busy_blocks(user: User, day: date) -> list[Meeting]:
    """The day's confidential meetings the user may not see: shown on the board as busy, room and time."""
    start, end = day_bounds(day)
    return list(
        meetings_busy_for(user)
        .filter(start__lt=end, end__gt=start, status__in=[Status.CONFIRMED, Status.REQUESTED])
        .order_by("start", "room__name")
    )


# --- an attendant's next actions ----------------------------------------------------------------------


@dataclass
class Task:
    at: datetime
    kind: str  # "refill", "item", "start", "end"
    meeting: Meeting
    label: str
    phase: str = ""
    late: bool = False


def tasks_for(user: User, meetings: MeetingQuerySet, now: datetime) -> list[Task]:
    """What the user has to do next in the meetings they serve today, in time order."""
    start, end = day_bounds(timezone.localdate(now))
    mine = (
        _with_service(
            meetings.filter(
                assignments__attendant=user, status=Status.CONFIRMED, start__lt=end, end__gt=start - timedelta(hours=2)
            )
        )
        .prefetch_related(Prefetch("checklist_ticks", queryset=ChecklistTick.objects.all()))
        .order_by("start")
    )
    current = standard_current()
    tasks: list[Task] = []
    for meeting in mine:
        standard = _standard(meeting, current)
        started = hasattr(meeting, "service")
        ended = started and meeting.service.ended_at is not None
        lines = checklist_lines(meeting, standard, list(meeting.checklist_ticks.all()))
        if not started:
            ready_due = meeting.start - timedelta(minutes=standard.ready_minutes)
            tasks += [
                Task(
                    at=ready_due, kind="item", meeting=meeting, label=line.item, phase=line.phase, late=ready_due < now
                )
                for line in lines[Phase.BEFORE]
                if line.tick is None
            ]
            tasks.append(Task(at=meeting.start, kind="start", meeting=meeting, label=""))
        elif not ended:
            for refill in (r for r in meeting.refills.all() if r.done_at is None):
                tasks.append(
                    Task(
                        at=refill.opens_at,
                        kind="refill",
                        meeting=meeting,
                        label=str(refill.number),
                        late=refill.closes_at < now,
                    )
                )
            tasks += [
                Task(at=now, kind="item", meeting=meeting, label=line.item, phase=line.phase)
                for line in lines[Phase.DURING]
                if line.tick is None
            ]
            tasks.append(Task(at=max(meeting.end, now), kind="end", meeting=meeting, label=""))
        else:
            tasks += [
                Task(at=meeting.service.ended_at, kind="item", meeting=meeting, label=line.item, phase=line.phase)
                for line in lines[Phase.AFTER]
                if line.tick is None
            ]
    return sorted(tasks, key=lambda task: (task.at, task.meeting.pk))


# --- workload -----------------------------------------------------------------------------------------


@dataclass
class WorkloadRow:
    person: User
    today: list[Assignment]
    week_count: int


def workload(people, day: date) -> list[WorkloadRow]:
    """Who serves what today, and how many meetings this week (Monday to Sunday)."""
    monday = day - timedelta(days=day.weekday())
    week_start, week_end = day_bounds(monday)[0], day_bounds(monday + timedelta(days=6))[1]
    day_start, day_end = day_bounds(day)
    active = [Status.CONFIRMED, Status.REQUESTED]
    people = people.annotate(
        week_count=Count(
            "service_assignments",
            filter=Q(
                service_assignments__meeting__status__in=active,
                service_assignments__meeting__start__gte=week_start,
                service_assignments__meeting__start__lt=week_end,
            ),
        )
    ).prefetch_related(
        Prefetch(
            "service_assignments",
            queryset=Assignment.objects.filter(
                meeting__status__in=active, meeting__start__lt=day_end, meeting__end__gt=day_start
            )
            .select_related("meeting__room")
            .order_by("meeting__start"),
            to_attr="today_assignments",
        )
    )
    return [WorkloadRow(person=p, today=p.today_assignments, week_count=p.week_count) for p in people]
