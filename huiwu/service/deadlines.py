"""The service's timed rules for one meeting, computed by `meeting_service_deadlines` for
`meetings.deadlines.meeting_deadlines_sync`, which writes them with the reminders whenever the meeting, its
checks, its assignments or the standards change:

- the three-level check: a confirmed meeting still to come has three levels (MeetingCheck), created when it is
  confirmed. Level N is due at start − offset(N), its role reminded SERVICE_REMINDER_LEAD_MINUTES
  before, the manager told when it is missed. Work that became necessary too late for that (a meeting
  booked less than the level-1 offset before its start, a re-opening after the level's due time) is urgent:
  reminded at once and due by the level-3 time at the latest, every level together, confirmed in order;
- the room-ready item (door, lights, tea, water, tissues) at start − ready_minutes, for the attendants;
- the open refill window of a running meeting (services.refill_record), for the attendants.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.i18n import site_language
from huiwu.meetings.describe import meeting_describe
from huiwu.meetings.models import Meeting, Status
from huiwu.notify.models import Deadline, Kind
from huiwu.notify.services import DeadlineSpec, deadlines_upsert
from huiwu.service.models import LEVEL_ROLES, Level, MeetingCheck, Phase, Refill, ServiceStandard
from huiwu.service.standards import level_offset, standard_for


def _lead() -> timedelta:
    return timedelta(minutes=settings.SERVICE_REMINDER_LEAD_MINUTES)


def check_key(meeting: Meeting, level: int) -> str:
    return f"meeting:{meeting.pk}:check:{level}"


def ready_key(meeting: Meeting) -> str:
    return f"meeting:{meeting.pk}:ready"


def refill_key(refill: Refill) -> str:
    return f"meeting:{refill.meeting_id}:refill:{refill.number}"


def has_started(meeting: Meeting) -> bool:
    """By the clock or recorded: no check or preparation can come before the start any more."""
    return meeting.start <= timezone.now() or hasattr(meeting, "service")


def service_url(meeting: Meeting) -> str:
    return reverse("service:meeting", args=[meeting.pk])


def serving_users(meeting: Meeting) -> list[User]:
    return [a.attendant for a in meeting.assignments.select_related("attendant") if a.attendant.is_active]


def compressed_times(*, normal_due: datetime, since: datetime, start: datetime):
    """(opens, due, urgent) of work normally due at `normal_due` that became necessary at `since`: reminded a
    lead before its time, or, if that moment has passed, at once, urgent, and due one lead later at the
    earliest (never after the start)."""
    if since <= normal_due - _lead():
        return normal_due - _lead(), normal_due, False
    return since, min(start, max(normal_due, since + _lead())), True


def check_times(meeting: Meeting, standard: ServiceStandard, level: int, since: datetime, level1_since: datetime):
    """(opens, due, urgent) of one level. An urgent meeting (level 1 arranged after its due time) makes every
    level due together at the level-3 time, or one lead after the arrangement if that is later."""
    normal_due = meeting.start - level_offset(standard, level)
    last_due = meeting.start - level_offset(standard, Level.THREE)  # pragma: no mutate (any level but 1, 2 is 3)
    if level1_since > meeting.start - level_offset(standard, Level.ONE):
        since = max(since, level1_since)
        return since, min(meeting.start, max(last_due, since + _lead())), True
    return compressed_times(normal_due=normal_due, since=since, start=meeting.start)


def _checks_sync(
    meeting: Meeting, standard: ServiceStandard, *, described: str, created: bool
) -> tuple[list[DeadlineSpec], MeetingCheck]:
    """Bring the open levels' times up to date and return their deadlines, with level 1, whose `since` is when
    the meeting was arranged. A confirmed meeting still to come has its three levels: those it lacks (it was
    just booked by booking staff, or a request was just confirmed) are created here, their `since` now, when the
    work became necessary. The levels are written in one INSERT and one UPDATE at most."""
    checks = {} if created else {check.level: check for check in meeting.checks.all()}
    now = timezone.now()
    new = [MeetingCheck(meeting=meeting, level=level, since=now) for level in Level if level not in checks]
    checks.update((check.level, check) for check in new)
    level1_since = checks[Level.ONE].since
    moved, specs = [], []
    for level in Level:
        check = checks[level]
        if check.state == MeetingCheck.State.CONFIRMED:
            continue
        opens_at, due_at, urgent = check_times(meeting, standard, level, check.since, level1_since)
        if check.pk is not None and (check.opens_at, check.due_at, check.urgent) != (opens_at, due_at, urgent):
            moved.append(check)
        check.opens_at, check.due_at, check.urgent = opens_at, due_at, urgent
        role = LEVEL_ROLES[level]
        title = _("%(level)s check (%(role)s) due %(due)s: %(meeting)s") % {
            "level": Level(level).label,
            "role": role.label,
            "due": timezone.localtime(due_at).strftime("%H:%M"),
            "meeting": described,
        }
        specs.append(
            DeadlineSpec(
                key=check_key(meeting, level),
                kind=Kind.SERVICE_CHECK,
                title=(_("[Urgent] %(title)s") % {"title": title}) if urgent else title,
                url=service_url(meeting),
                opens_at=opens_at,
                due_at=due_at,
                meeting=meeting,
                responsible_role=role,
                awaits_completion=True,
                escalate_to_role=Role.MANAGER,
                # The level is not confirmed (any more): a deadline closed by its confirmation opens again.
                undone=True,
            )
        )
    MeetingCheck.objects.bulk_create(new)
    MeetingCheck.objects.bulk_update(moved, ["opens_at", "due_at", "urgent"])
    return specs, checks[Level.ONE]


def _ready_deadline(
    meeting: Meeting, standard: ServiceStandard, since: datetime, people: list[User], *, described: str, created: bool
) -> DeadlineSpec | None:
    """The room-ready item's deadline; None once the item is ticked (a meeting just booked has no ticks)."""
    if not created and meeting.checklist_ticks.filter(phase=Phase.BEFORE, item=standard.ready_item).exists():
        return None
    normal_due = meeting.start - timedelta(minutes=standard.ready_minutes)
    opens_at, due_at, _urgent = compressed_times(normal_due=normal_due, since=since, start=meeting.start)
    return DeadlineSpec(
        key=ready_key(meeting),
        kind=Kind.ROOM_READY,
        title=_("%(item)s by %(due)s: %(meeting)s")
        % {"item": standard.ready_item, "due": timezone.localtime(due_at).strftime("%H:%M"), "meeting": described},
        url=service_url(meeting),
        opens_at=opens_at,
        due_at=due_at,
        meeting=meeting,
        # Nobody assigned yet: the team leader sees to it (and is the one who should assign someone).
        responsible_role="" if people else Role.TEAM_LEADER,
        responsible_users=people,
        awaits_completion=True,
        escalate_to_role=Role.TEAM_LEADER,
    )


def _refill_deadline(refill: Refill, people: list[User]) -> DeadlineSpec:
    meeting = refill.meeting
    return DeadlineSpec(
        key=refill_key(refill),
        kind=Kind.REFILL,
        title=_("Refill %(number)s · %(room)s · %(opens)s–%(closes)s")
        % {
            "number": refill.number,
            "room": meeting.room.name,
            "opens": timezone.localtime(refill.opens_at).strftime("%H:%M"),
            "closes": timezone.localtime(refill.closes_at).strftime("%H:%M"),
        },
        url=reverse("service:my_tasks"),
        opens_at=refill.opens_at,
        due_at=refill.closes_at,
        meeting=meeting,
        responsible_role="" if people else Role.TEAM_LEADER,
        responsible_users=people,
        awaits_completion=True,
        escalate_to_role=Role.TEAM_LEADER,
    )


def refill_sync_deadline(refill: Refill, people: list[User]) -> None:
    deadlines_upsert(specs=[_refill_deadline(refill, people)])


def meeting_service_deadlines(
    meeting: Meeting, people: list[User], *, created: bool = False
) -> tuple[list[DeadlineSpec], QuerySet[Deadline] | None]:
    """The check, room-ready and refill deadlines the meeting should have as it now is (its levels' times
    brought up to date on the way), and those of its service deadlines that are to be cancelled unless named
    again (None: none), for meetings.deadlines to write together with the reminders. `people`: who serves it.
    Only confirmed meetings are checked and served; a requested one waits, a cancelled one is dropped.

    `created`: the meeting was inserted by the calling transaction, so it has no levels, ticks, refills or
    service yet, and they are not read."""
    service_deadlines = meeting.deadlines.filter(kind__in=[Kind.SERVICE_CHECK, Kind.ROOM_READY, Kind.REFILL]).exclude(
        state__in=[Deadline.State.DONE, Deadline.State.MISSED]
    )
    if meeting.status != Status.CONFIRMED:
        return [], service_deadlines
    if created:
        # The reverse one-to-one's cache: None reads as "not started" (as services._lock leaves it).
        meeting._state.fields_cache["service"] = None
    with site_language():
        if has_started(meeting):
            # What is left is serving it, whose refill deadline services.py keeps in step.
            pending = None if created else meeting.refills.filter(done_at__isnull=True).first()
            running = pending and hasattr(meeting, "service") and meeting.service.ended_at is None
            specs = [_refill_deadline(pending, people)] if running else []
            return specs, service_deadlines.exclude(kind=Kind.REFILL)
        standard = standard_for(meeting)
        described = meeting_describe(meeting)
        specs, level1 = _checks_sync(meeting, standard, described=described, created=created)
        ready = _ready_deadline(meeting, standard, level1.since, people, described=described, created=created)
    return [*specs, ready] if ready else specs, None
