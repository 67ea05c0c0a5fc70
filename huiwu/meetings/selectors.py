"""Reads shared by pages, the API, exports and feeds. Callers pass a queryset already limited by access.py."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, TextChoices, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.models import User
from huiwu.directory.models import Contact, Person
from huiwu.meetings.access import meetings_busy_for, meetings_visible_to
from huiwu.meetings.models import MAX_BLOCKED_SPAN, Meeting, MeetingAttendee, MeetingChange, MeetingQuerySet, Status
from huiwu.venues.models import Room


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Midnight to midnight of a day in the display time zone, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def meetings_between(meetings: MeetingQuerySet, start: datetime, end: datetime) -> MeetingQuerySet:
    """Meetings whose blocked time (buffers included) touches [start, end), by the room index."""
    return meetings.filter(
        blocked_from__gt=start - MAX_BLOCKED_SPAN, blocked_from__lt=end, blocked_until__gt=start
    ).order_by("blocked_from")


@dataclass(frozen=True)
class MeetingFilters:
    date_from: date | None = None
    date_to: date | None = None
    room: Room | None = None
    status: str = ""
    organizer_id: int | None = None
    q: str = ""


def meetings_filtered(meetings: MeetingQuerySet, filters: MeetingFilters) -> MeetingQuerySet:
    if filters.date_from:
        meetings = meetings.filter(start__gte=day_bounds(filters.date_from)[0])
    if filters.date_to:
        meetings = meetings.filter(start__lt=day_bounds(filters.date_to)[1])
    if filters.room:
        meetings = meetings.filter(room=filters.room)
    if filters.status:
        meetings = meetings.filter(status=filters.status)
    if filters.organizer_id:
        meetings = meetings.filter(organizer_id=filters.organizer_id)
    if filters.q:
        meetings = meetings.filter(title__icontains=filters.q)
    return meetings.select_related("room__floor__site", "organizer", "contact").order_by("start", "room__name")


def rooms_free(*, start: datetime, end: datetime, headcount: int) -> list[Room]:
    """Active rooms that hold `headcount` and are free from start to end, each with its own default buffers."""
    candidates = list(
        Room.objects.active().filter(capacity__gte=headcount).select_related("floor__site").order_by("capacity", "name")
    )
    widest_setup = max((room.default_setup_minutes for room in candidates), default=0)
    widest_teardown = max((room.default_teardown_minutes for room in candidates), default=0)
    # One query for every candidate's bookings near the window, then each room is checked with its buffers.
    nearby = meetings_between(
        Meeting.objects.active().filter(room__in=candidates),
        start - timedelta(minutes=widest_setup),
        end + timedelta(minutes=widest_teardown),
    ).values_list("room_id", "blocked_from", "blocked_until")
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for room_id, blocked_from, blocked_until in nearby:
        busy.setdefault(room_id, []).append((blocked_from, blocked_until))
    free = []
    for room in candidates:
        wanted_from = start - timedelta(minutes=room.default_setup_minutes)
        wanted_until = end + timedelta(minutes=room.default_teardown_minutes)
        if not any(b_from < wanted_until and b_until > wanted_from for b_from, b_until in busy.get(room.pk, [])):
            free.append(room)
    return free


# The order of service and of seating: most senior first, then by name (pinyin) as the directory lists them.
PRECEDENCE_ORDER = ("person__precedence", "person__name_pinyin", "person_id")


def attendees_in_precedence(meeting: Meeting) -> list[Person]:
    """The meeting's leaders and guests with their organizations, most senior first (one query)."""
    links = MeetingAttendee.objects.filter(meeting=meeting).select_related("person__organization")
    return [link.person for link in links.order_by(*PRECEDENCE_ORDER)]


def meetings_with_details(meetings: MeetingQuerySet) -> MeetingQuerySet:
    """What the detail page, the API and exports show about each meeting, without N+1 queries."""
    return meetings.select_related(
        "room__floor__site", "organizer", "contact", "created_by", "series", "service"
    ).prefetch_related(
        Prefetch(
            "attendee_links",
            queryset=MeetingAttendee.objects.select_related("person__organization").order_by(*PRECEDENCE_ORDER),
        ),
        "service_items",
    )


def meetings_listed(user: User, filters: MeetingFilters) -> MeetingQuerySet:
    """What a list shows the user: the meetings they may see, and, as busy blocks (annotated `hidden`), the
    confidential ones they may not — unless the filter searches titles or organizers, which busy blocks
    must never match."""
    visible = meetings_filtered(meetings_visible_to(user), filters)
    if filters.q or filters.organizer_id:
        return visible.annotate(hidden=Value(False))
    busy = meetings_filtered(meetings_busy_for(user), filters)
    return (
        Meeting.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=busy.values("pk")))
        .annotate(hidden=Exists(busy.filter(pk=OuterRef("pk"))))
        .select_related("room__floor__site", "organizer")
        .order_by("start", "room__name")
    )


def own_contact(user: User) -> Contact | None:
    """The directory's contact record linked to the user's account, when it is of their own organization: who
    a client's bookings name as the contact unless they choose another."""
    if not user.is_authenticated or user.organization_id is None:
        return None
    return (
        Contact.objects.select_related("organization").filter(user=user, organization_id=user.organization_id).first()
    )


# --- the client's view: where each meeting stands --------------------------------------------------------


class Stage(TextChoices):
    """Where a meeting stands, in the words its client knows: its status, and once confirmed whether it is
    under way or over (recorded by the attendants, or else by the clock)."""

    REQUESTED = "requested", MeetingChange.Action.REQUESTED.label
    CONFIRMED = "confirmed", _("Confirmed")
    RUNNING = "running", pgettext_lazy("meeting", "In progress")
    ENDED = "ended", pgettext_lazy("meeting", "Ended")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


def meeting_stage(meeting: Meeting, now: datetime) -> Stage:
    """Reads the meeting's service record (select_related "service" to list many without a query each)."""
    if meeting.status != Status.CONFIRMED:
        return Stage(meeting.status)
    service = getattr(meeting, "service", None)
    if service is not None:
        return Stage.ENDED if service.ended_at else Stage.RUNNING
    if now >= meeting.end:
        return Stage.ENDED
    return Stage.RUNNING if now >= meeting.start else Stage.CONFIRMED


class When(TextChoices):
    """The two tabs of a client's meetings."""

    UPCOMING = "upcoming", _("Upcoming")
    PAST = "past", pgettext_lazy("meetings", "Past")


def _still_on(now: datetime) -> Q:
    """Not over yet: before its planned end, or started and not recorded as ended (running over time)."""
    return Q(end__gt=now) | Q(service__isnull=False, service__ended_at__isnull=True)


def meetings_when(meetings: MeetingQuerySet, when: str, now: datetime) -> MeetingQuerySet:
    """The meetings still to come or under way, soonest first; or those that are over, latest first."""
    if when == When.PAST:
        return meetings.exclude(_still_on(now)).order_by("-start", "room__name")
    return meetings.filter(_still_on(now)).order_by("start", "room__name")
