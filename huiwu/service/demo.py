"""The demo's service: the week's meetings staffed, today's checks partly confirmed, and a meeting running
now with a refill done, so that the board, the phone view and the workload have something to show."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from huiwu.accounts.demo import DEMO_PASSWORD
from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.directory.demo import CLIENT_ORGANIZATION
from huiwu.directory.models import Organization, Person
from huiwu.meetings.models import Meeting, Status
from huiwu.meetings.selectors import day_bounds
from huiwu.meetings.services import BookingConflict, MeetingDraft, meeting_create
from huiwu.service.models import Assignment, MeetingCheck
from huiwu.service.services import assignment_add, check_confirm, meeting_start, refill_record
from huiwu.service.standards import level_items, standard_for
from huiwu.venues.models import Room

RUNNING_TITLE = "临时协调会"


def _staff(meeting: Meeting, team_leader: User, attendants: list[User]) -> None:
    if meeting.assignments.exists():
        return
    for attendant in attendants:
        try:
            assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)
        except ValidationError:  # serving another meeting then: the next attendant
            continue
        return


def _running_meeting(manager: User, team_leader: User, attendants: list[User]) -> None:
    """A meeting that started 20 minutes ago in the first free room, with its first refill recorded."""
    now = timezone.now().replace(second=0, microsecond=0)
    if Meeting.objects.filter(title=RUNNING_TITLE, start__gte=now - timedelta(hours=12)).exists():
        return
    start = now - timedelta(minutes=20)
    organizer = Organization.objects.get(name=CLIENT_ORGANIZATION)
    for room in Room.objects.active().order_by("capacity"):
        draft = MeetingDraft(
            title=RUNNING_TITLE,
            organizer=organizer,
            room=room,
            start=start,
            end=now + timedelta(minutes=70),
            headcount=min(8, room.capacity),
            setup_minutes=0,
            teardown_minutes=0,
            attendees=list(Person.objects.filter(is_active=True).order_by("precedence")[:3]),
            service_items={"tea": (8, "龙井"), "tissues": (2, "")},
        )
        try:
            meeting = meeting_create(user=manager, draft=draft)
        except (BookingConflict, ValidationError):
            continue
        _staff(meeting, team_leader, attendants)
        # Recorded by who serves it (or the team leader, if nobody was free): nobody else may.
        server = next((assignment.attendant for assignment in meeting.assignments.all()), team_leader)
        meeting_start(user=server, meeting=meeting, at=start)
        refill_record(user=server, meeting=meeting, at=min(now, start + timedelta(minutes=16)))
        return


def demo_load() -> None:
    manager = User.objects.get(username=Role.MANAGER.value)
    team_leader = User.objects.get(username=Role.TEAM_LEADER.value)
    people = {level: User.objects.get(username=role) for level, role in ((1, "team_leader"), (2, "env_supervisor"))}
    # A second attendant, so that the workload shows the team's share.
    second = user_upsert(
        username="attendant2",
        password=DEMO_PASSWORD,
        display_name="马丽",
        phone="13800000010",
        roles=[Role.ATTENDANT],
    )
    attendants = [User.objects.get(username=Role.ATTENDANT.value), second]
    # First, so that the demo attendant serves it: their phone view then has a refill coming.
    _running_meeting(manager, team_leader, attendants)
    today = timezone.localdate()
    window_start, window_end = day_bounds(today)[0], day_bounds(today + timedelta(days=2))[1]
    upcoming = Meeting.objects.filter(
        status=Status.CONFIRMED,
        start__gte=window_start,
        start__lt=window_end,
        end__gt=timezone.now(),
        service__isnull=True,
    ).order_by("start")
    first_today = True
    for meeting in upcoming:
        _staff(meeting, team_leader, attendants)
        if timezone.localdate(meeting.start) != today:
            continue
        # Today's meetings: level 1 confirmed (levels 1 and 2 for the first) where their time to confirm has
        # come, the rest still to do.
        for level in (1, 2) if first_today else (1,):
            check = MeetingCheck.objects.filter(meeting=meeting, level=level).first()
            if check and check.state == MeetingCheck.State.OPEN:
                results = dict.fromkeys(level_items(standard_for(meeting), level), True)
                try:
                    check_confirm(user=people[level], meeting=meeting, level=level, results=results)
                except ValidationError:  # too early to confirm yet, or nobody free to serve it: left open
                    break
        first_today = False
