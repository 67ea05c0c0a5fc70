"""Reads for the service pages and the API: a meeting's service record, the today board, an attendant's
next actions and the team's workload. Callers pass meetings already limited by access.py. Each read
costs a fixed number of queries however many meetings it covers (the board's test asserts it)."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, roles_holding
from huiwu.directory.models import Person
from huiwu.meetings.models import Meeting, MeetingChange, MeetingQuerySet, ServiceItem, Status
from huiwu.meetings.selectors import attendees_in_precedence, day_bounds
from huiwu.security.eligibility import missing_for
from huiwu.service.models import (
    Assignment,
    ChecklistTick,
    CheckRecord,
    Level,
    MeetingCheck,
    Phase,
    Refill,
    Season,
    ServiceLogEntry,
    ServiceStandard,
)
from huiwu.service.standards import level_offset, phase_items, refill_window, season_on, standard_current


def _with_service(meetings: MeetingQuerySet) -> MeetingQuerySet:
    return meetings.select_related("room__floor__site", "organizer", "service__standard").prefetch_related(
        Prefetch("checks", queryset=MeetingCheck.objects.order_by("level")),
        Prefetch("refills", queryset=Refill.objects.select_related("done_by").order_by("number")),
        Prefetch("assignments", queryset=Assignment.objects.select_related("attendant")),
    )


def _standard(meeting: Meeting, current: ServiceStandard) -> ServiceStandard:
    return meeting.service.standard if hasattr(meeting, "service") else current


def _levels(levels) -> str:
    return _(", ").join(str(Level(level).label) for level in levels)


@dataclass
class ChecklistLine:
    phase: str
    item: str
    tick: ChecklistTick | None
    due_at: datetime | None = None


def booked_tea(meeting: Meeting) -> str:
    """The tea kind the booking asks for (the note of its tea item), or "" when it names none. Reads the
    meeting's service items, which service_record has prefetched."""
    return next((line.note.strip() for line in meeting.service_items.all() if line.item == ServiceItem.TEA), "")


@dataclass(frozen=True)
class ServedPerson:
    """A leader or guest in the order of service with the tea to serve. The booking is the source of truth:
    its tea kind wins, and the directory's preference is shown beside it when it differs, never instead."""

    person: Person
    booked_tea: str

    @property
    def own_tea(self) -> str:
        """The person's own preference from the directory, when it is not what the booking asks for."""
        preference = self.person.tea_preference.strip()
        return "" if preference == self.booked_tea else preference


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
    def booked_tea(self) -> str:
        return booked_tea(self.meeting)

    @property
    def order_of_service(self) -> list[ServedPerson]:
        tea = self.booked_tea
        return [ServedPerson(person=person, booked_tea=tea) for person in self.attendees]

    @property
    def season(self) -> str:
        """The refill standard's season: the one recorded at the start, else the one of the planned day."""
        if self.started:
            return self.meeting.service.season
        meeting = self.meeting
        return season_on(self.standard, meeting.room.floor.site.code, timezone.localdate(meeting.start))

    @property
    def refill_windows(self) -> list[list[int]]:
        """[low, high] minutes of each refill after the previous one (the first: after the start)."""
        standard = self.standard
        return standard.summer_refills if self.season == Season.SUMMER else standard.winter_refills

    @property
    def unchecked_levels(self) -> str:
        """The check levels not confirmed when the start was recorded, in words ("" if none): its exception."""
        return _levels(self.meeting.service.unchecked_levels) if self.started else ""

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


# A bound on the lines of the refill schedule: a meeting of a whole working day at 25 minutes needs some 20.
MAX_REFILL_LINES = 40


@dataclass(frozen=True)
class RefillLine:
    """One refill on the printed service sheet: recorded (`refill` set) or foreseen from the standard."""

    number: int
    opens_at: datetime
    closes_at: datetime
    refill: Refill | None = None


def refill_schedule(record: ServiceRecord) -> list[RefillLine]:
    """The refills recorded so far, then those the standard foresees until the planned end: each foreseen
    window counted from the previous one served at its opening, the first from the actual start (else the
    planned one). A forecast to write the times on, since each window really opens from the refill before."""
    meeting = record.meeting
    lines = [RefillLine(r.number, r.opens_at, r.closes_at, r) for r in record.refills]
    if record.ended:
        return lines
    if lines:
        last = lines[-1]
        previous = last.refill.done_at or last.opens_at
    else:
        previous = meeting.service.started_at if record.started else meeting.start
    number = len(lines) + 1
    while len(lines) < MAX_REFILL_LINES:
        opens, closes = refill_window(record.standard, record.season, number, previous)
        if opens >= meeting.end:
            break
        lines.append(RefillLine(number, opens, closes))
        previous, number = opens, number + 1
    return lines


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
    # What the booking asked for and whom to call about it, in constant queries: the page and the API read
    # them from the meeting.
    prefetch_related_objects([meeting], "service_items", "contact")
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
        attendees=attendees_in_precedence(meeting),
    )


# --- refill punctuality (the board's and the reports' definition) ---------------------------------------


@dataclass
class Punctuality:
    """Refills against their windows (DESIGN §4.2). A window still open or to come is not counted yet."""

    on_time: int
    early: int
    late: int

    @property
    def counted(self) -> int:
        return self.on_time + self.early + self.late

    @property
    def rate(self) -> float | None:
        """The share done in their window; None when no refill is counted yet."""
        return self.on_time / self.counted if self.counted else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


def refill_punctuality(meetings: MeetingQuerySet, now: datetime) -> Punctuality:
    """How the refills of these meetings kept their windows: on time (done in the window), early (done
    before it opened, with a reason) and late (done after it closed, or not done and closed). One query."""
    counts = Refill.objects.filter(meeting__in=meetings).aggregate(
        on_time=Count("pk", filter=Q(done_at__gte=F("opens_at"), done_at__lte=F("closes_at"))),
        early=Count("pk", filter=Q(done_at__lt=F("opens_at"))),
        late=Count("pk", filter=Q(done_at__gt=F("closes_at")) | Q(done_at__isnull=True, closes_at__lt=now)),
    )
    return Punctuality(**counts)


# --- an attendant's next actions ----------------------------------------------------------------------


def minutes_until(moment: datetime, now: datetime) -> int:
    """Whole minutes from now to the moment, negative once it has passed: the phone view's countdown."""
    return round((moment - now).total_seconds() / 60)


def countdown_changes_at(moment: datetime, now: datetime) -> datetime:
    """When countdown(moment, now) without `late_after` next reads differently: when the time left, rounded to
    whole minutes, next crosses a half minute."""
    left = (moment - now).total_seconds()
    return moment - timedelta(seconds=60 * math.floor((left - 30) / 60) + 30)


def countdown(moment: datetime, now: datetime, late_after: datetime | None = None) -> str:
    """ "in 4 min", "now", "6 min ago": the countdown of the board and the phone view, refreshed by polling.
    Given the moment it becomes late (a refill's window closing, or the start itself), a moment passed
    says how long is left ("3 min left") and then how late it is ("3 min late") instead."""
    minutes = minutes_until(moment, now)
    if late_after is not None and minutes <= 0:
        left = minutes_until(late_after, now)
        if now > late_after:
            late = max(1, -left)
            return ngettext("%(n)d min late", "%(n)d min late", late) % {"n": late}
        if left > 0:
            return ngettext("%(n)d min left", "%(n)d min left", left) % {"n": left}
        return _("now")
    if minutes > 0:
        return ngettext("in %(n)d min", "in %(n)d min", minutes) % {"n": minutes}
    if minutes < 0:
        return ngettext("%(n)d min ago", "%(n)d min ago", -minutes) % {"n": -minutes}
    return _("now")


@dataclass
class Task:
    """A timed step of a meeting's service as it stands at `now`: its start, a refill, its end."""

    at: datetime  # when it is due; for a refill, when its window opens
    kind: str  # "start", "refill", "end"
    meeting: Meeting
    label: str  # the refill's number; empty for the start and the end
    late_after: datetime  # when it becomes late: the refill's window closing; the start or end itself
    now: datetime
    # The start can be recorded once the room is held for the meeting, not before.
    possible: bool = True

    @property
    def title(self) -> str:
        if self.kind == "refill":
            return _("Refill no. %(number)s") % {"number": self.label}
        return _("Meeting starts") if self.kind == "start" else _("Meeting ends")

    @property
    def late(self) -> bool:
        return self.now > self.late_after

    @property
    def countdown(self) -> int:
        """Minutes until it is due (until the refill's window opens), negative once that has passed."""
        return minutes_until(self.at, self.now)

    @property
    def late_minutes(self) -> int:
        """How late it is: at least a minute once it is late at all."""
        return max(1, -minutes_until(self.late_after, self.now)) if self.late else 0

    @property
    def needs_reason(self) -> bool:
        """A refill before its window opens is served only with a reason (EarlyReason)."""
        return self.kind == "refill" and self.now < self.at


# The checklist row's name in the phone view, by phase: what that part of the work is called.
CHECKLIST_TITLES = {
    Phase.BEFORE: gettext_lazy("Preparation"),
    Phase.DURING: gettext_lazy("In-meeting service"),
    Phase.AFTER: gettext_lazy("Wrap-up"),
}


@dataclass
class ChecklistProgress:
    """The checklist of the meeting's current phase as one row: done of total, and its lines to tick."""

    phase: str
    lines: list[ChecklistLine]
    due_at: datetime | None
    now: datetime

    @property
    def title(self) -> str:
        return str(CHECKLIST_TITLES[self.phase])

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.tick is not None)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def late(self) -> bool:
        return self.due_at is not None and self.due_at < self.now and not self.complete


@dataclass
class MeetingTasks:
    """What is left to do in one meeting the user serves: its timed steps in time order (the first is the
    next action, shown on top) and the checklist of its current phase."""

    meeting: Meeting
    actions: list[Task]
    checklist: ChecklistProgress | None
    ended: bool = False

    @property
    def next(self) -> Task | None:
        return self.actions[0] if self.actions else None

    @property
    def later(self) -> list[Task]:
        return self.actions[1:]

    @property
    def finished(self) -> bool:
        return not self.actions and (self.checklist is None or self.checklist.complete)

    @property
    def sort_key(self) -> tuple:
        """Meetings with a timed step first, by the time of that step; then those with only their wrap-up
        left; finished ones last."""
        moment = self.next.at if self.next else self.meeting.end
        return (self.finished, self.next is None, moment, self.meeting.start, self.meeting.pk)


def _checklist(phase: str, lines: list[ChecklistLine], due_at: datetime | None, now: datetime):
    return ChecklistProgress(phase=phase, lines=lines, due_at=due_at, now=now) if lines else None


def _meeting_tasks(meeting: Meeting, standard: ServiceStandard, now: datetime) -> MeetingTasks:
    lines = checklist_lines(meeting, standard, list(meeting.checklist_ticks.all()))
    if not hasattr(meeting, "service"):
        start = Task(
            at=meeting.start,
            kind="start",
            meeting=meeting,
            label="",
            late_after=meeting.start,
            now=now,
            possible=meeting.blocked_from <= now,
        )
        ready_due = meeting.start - timedelta(minutes=standard.ready_minutes)
        return MeetingTasks(meeting, [start], _checklist(Phase.BEFORE, lines[Phase.BEFORE], ready_due, now))
    if meeting.service.ended_at is not None:
        return MeetingTasks(meeting, [], _checklist(Phase.AFTER, lines[Phase.AFTER], None, now), ended=True)
    actions = [
        Task(
            at=refill.opens_at,
            kind="refill",
            meeting=meeting,
            label=str(refill.number),
            late_after=refill.closes_at,
            now=now,
        )
        for refill in meeting.refills.all()
        if refill.done_at is None
    ]
    actions.append(Task(at=meeting.end, kind="end", meeting=meeting, label="", late_after=meeting.end, now=now))
    actions.sort(key=lambda task: task.at)
    return MeetingTasks(meeting, actions, _checklist(Phase.DURING, lines[Phase.DURING], None, now))


def tasks_for(user: User, meetings: MeetingQuerySet, now: datetime) -> list[MeetingTasks]:
    """What the user has to do in each meeting they serve today, one entry per meeting, those whose next
    step comes first on top and finished ones last. A fixed number of queries however many meetings."""
    start, end = day_bounds(timezone.localdate(now))
    mine = (
        _with_service(
            meetings.filter(
                assignments__attendant=user, status=Status.CONFIRMED, start__lt=end, end__gt=start - timedelta(hours=2)
            )
        )
        .prefetch_related(Prefetch("checklist_ticks", queryset=ChecklistTick.objects.select_related("done_by")))
        .order_by("start")
    )
    current = standard_current()
    entries = [_meeting_tasks(meeting, _standard(meeting, current), now) for meeting in mine]
    return sorted(entries, key=lambda entry: entry.sort_key)


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


# --- the service progress a client follows ------------------------------------------------------------


@dataclass(frozen=True)
class ProgressStep:
    """One step of a meeting's service as its client follows it (服务进度): done, with when it was done; or
    still to come, with when it is planned (None when nothing sets a time). It is built from what a client may
    read and nothing else: a check shows only that it was confirmed and when, never its checklist answers,
    notes or the problems reported; the staff are named only as who serves the meeting, a confirmation only
    by its role. The same steps are shown to the client, to staff and by the API."""

    key: str  # requested, confirmed, rejected, cancelled, assigned, check_1…check_3, started, refill_N, ended
    label: str
    at: datetime | None
    done: bool
    detail: str = ""


# A confirmation is signed, for the client, with the role that gave it: the hotline's when the confirmer is
# one (it confirms client requests), or else the first of their roles that confirms bookings.
_CONFIRMING_ROLES = sorted(roles_holding("meetings.approve_meeting"), key=lambda role: role != Role.HOTLINE)
_TIMELINE_ACTIONS = [
    MeetingChange.Action.CREATED,
    MeetingChange.Action.REQUESTED,
    MeetingChange.Action.CONFIRMED,
    MeetingChange.Action.REJECTED,
    MeetingChange.Action.CANCELLED,
]


def _signed_role(user: User) -> str:
    codes = {group.name for group in user.groups.all()}
    role = next((role for role in _CONFIRMING_ROLES if role.value in codes), None)
    return str(role.label) if role else _("the service centre")


def _before_start(lead: timedelta) -> str:
    """How long before the start a check is due, in the unit people say it in: "2 hours", "30 minutes"."""
    minutes = round(lead.total_seconds() / 60)
    if minutes <= 0:
        return ""
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour before the start", "%(count)d hours before the start", hours) % {"count": hours}
    return ngettext("%(count)d minute before the start", "%(count)d minutes before the start", minutes) % {
        "count": minutes
    }


def _staff_names(assignments: list[Assignment]) -> str:
    """Who serves the meeting, the lead attendant first: names are how a client asks for someone."""
    names = [
        _("%(name)s (lead)") % {"name": a.attendant} if a.duty == Assignment.Duty.LEAD else str(a.attendant)
        for a in assignments
    ]
    return _(", ").join(names)


def _request_steps(meeting: Meeting, changes: list[MeetingChange]) -> list[ProgressStep]:
    """The booking's own steps: submitted (a client's request), then confirmed, or still to be confirmed."""
    steps = []
    last = {change.action: change for change in changes}
    if requested := next((change for change in changes if change.action == MeetingChange.Action.REQUESTED), None):
        steps.append(ProgressStep("requested", _("Request submitted"), requested.changed_at, True))
    if meeting.status == Status.REQUESTED:
        steps.append(
            ProgressStep(
                "confirmed", _("Request to be confirmed"), None, False, _("To be confirmed by the service hotline")
            )
        )
    elif confirmed := last.get(MeetingChange.Action.CONFIRMED):
        detail = _("Confirmed by %(role)s") % {"role": _signed_role(confirmed.changed_by)}
        steps.append(ProgressStep("confirmed", _("Request confirmed"), confirmed.changed_at, True, detail))
    elif booked := last.get(MeetingChange.Action.CREATED):
        # Booked by staff: confirmed as it was booked.
        detail = _("Booked by %(role)s") % {"role": _signed_role(booked.changed_by)}
        steps.append(ProgressStep("confirmed", _("Booking confirmed"), booked.changed_at, True, detail))
    return steps


def _closing_step(meeting: Meeting, changes: list[MeetingChange]) -> ProgressStep | None:
    """A rejection or cancellation, with its reason: the last step, after which nothing is to come."""
    if meeting.status not in (Status.REJECTED, Status.CANCELLED):
        return None
    closing = next((c for c in reversed(changes) if c.action == meeting.status), None)
    at = closing.changed_at if closing else meeting.updated_at
    return ProgressStep(str(meeting.status), str(meeting.get_status_display()), at, True, meeting.status_reason)


def _check_steps(meeting: Meeting, checks: list[MeetingCheck], *, to_come: bool) -> list[ProgressStep]:
    """Each level confirmed, with its time; while the meeting is to come, the others with their due time. A
    level with a problem reported is one not confirmed: the client sees it as still to come, nothing more."""
    steps = []
    rows = {check.level: check for check in checks}
    standard = None
    for level in Level:
        check = rows.get(level)
        name = Level(level).label
        if check and check.state == MeetingCheck.State.CONFIRMED and meeting.status != Status.REQUESTED:
            steps.append(
                ProgressStep(
                    f"check_{level}", _("%(level)s check confirmed") % {"level": name}, check.confirmed_at, True
                )
            )
            continue
        if not to_come:
            continue
        if check and meeting.status == Status.CONFIRMED:
            due = check.due_at
        else:
            # A request has no checks yet: they will be due by the standards in force.
            standard = standard or standard_current()
            due = meeting.start - level_offset(standard, level)
        steps.append(
            ProgressStep(
                f"check_{level}",
                _("%(level)s check") % {"level": name},
                due,
                False,
                _before_start(meeting.start - due),
            )
        )
    return steps


def meeting_progress(meeting: Meeting) -> list[ProgressStep]:
    """What has been done for the meeting, in time order, then what is still to come, in the order it
    will come. Six queries at most, whatever the meeting holds."""
    now = timezone.now()
    changes = list(
        meeting.changes.filter(action__in=_TIMELINE_ACTIONS)
        .select_related("changed_by")
        .prefetch_related("changed_by__groups")
    )
    service = getattr(meeting, "service", None)
    active = meeting.status in (Status.REQUESTED, Status.CONFIRMED)
    # Preparation can be to come only before the start; what was not done by then is not shown as owed.
    to_come = active and service is None and now < meeting.start
    assignments = list(meeting.assignments.select_related("attendant"))
    steps = _request_steps(meeting, changes)
    if assignments:
        first = min(assignment.assigned_at for assignment in assignments)
        steps.append(ProgressStep("assigned", _("Service staff assigned"), first, True, _staff_names(assignments)))
    elif to_come:
        steps.append(ProgressStep("assigned", _("Service staff to be assigned"), None, False))
    steps += _check_steps(meeting, list(meeting.checks.all()), to_come=to_come)
    if service is not None:
        steps.append(ProgressStep("started", _("Meeting starts"), service.started_at, True))
        steps += [
            ProgressStep(
                f"refill_{refill.number}", _("Refill no. %(number)s") % {"number": refill.number}, refill.done_at, True
            )
            for refill in meeting.refills.filter(done_at__isnull=False).order_by("number")
        ]
        if service.ended_at:
            steps.append(ProgressStep("ended", _("Meeting ends"), service.ended_at, True))
        elif active:
            steps.append(ProgressStep("ended", _("Meeting ends"), meeting.end, False))
    elif active and now < meeting.end:
        steps.append(ProgressStep("started", _("Meeting starts"), meeting.start, False))
        steps.append(ProgressStep("ended", _("Meeting ends"), meeting.end, False))
    done = sorted((step for step in steps if step.done), key=lambda step: step.at)
    if closing := _closing_step(meeting, changes):
        return [*done, closing]
    return done + [step for step in steps if not step.done]
