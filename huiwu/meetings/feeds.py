"""ICS calendar feeds behind a per-user secret URL, and the page that hands the URLs out.

Calendar apps cannot sign in, so the token in the URL is the credential: it stands for its user, and every
feed shows only what `access.meetings_visible_to` lets that user see. Regenerating the token cuts off every
link handed out before.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event, vDuration

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.i18n import site_language
from huiwu.meetings.access import audit_meeting, meetings_busy_for, meetings_visible_to
from huiwu.meetings.describe import CONFIDENTIAL_LABEL
from huiwu.meetings.models import CalendarFeed, Meeting, MeetingChange, MeetingQuerySet, Status
from huiwu.meetings.selectors import meetings_between
from huiwu.meetings.services import calendar_feed_reset
from huiwu.security.models import AuditEntry
from huiwu.service.models import Assignment
from huiwu.venues.access import rooms_for
from huiwu.venues.models import Room

# What a feed holds: recent history (so that a cancellation still reaches the calendar) and the year ahead.
FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=365)
# A hint to calendar apps on how often to fetch again (not all of them follow it).
FEED_REFRESH = timedelta(minutes=15)

_ICS_STATUS = {
    Status.REQUESTED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    # Kept in the feed, so that calendar apps remove the event they already have.
    Status.REJECTED: "CANCELLED",
    Status.CANCELLED: "CANCELLED",
}


def calendar_feed_for(user: User) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(user=user)[0]


def _feed_user(token: str) -> User:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user


def _in_feed_window(meetings: MeetingQuerySet) -> MeetingQuerySet:
    now = timezone.now()
    history = (
        MeetingChange.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(entries=Count("pk"))
        .values("entries")
    )
    return (
        meetings_between(meetings, now - FEED_PAST, now + FEED_AHEAD)
        .select_related("room__floor__site", "organizer")
        .annotate(history_entries=Coalesce(Subquery(history, output_field=IntegerField()), 0))
    )


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _event(request: HttpRequest, meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@huiwu")
    event.add("summary", meeting.title)
    event.add("dtstart", _utc(meeting.start))
    event.add("dtend", _utc(meeting.end))
    event.add("dtstamp", _utc(meeting.updated_at))
    event.add("last-modified", _utc(meeting.updated_at))
    # Every change is one history entry, so the count only grows; the booking itself is version 0.
    event.add("sequence", max(meeting.history_entries - 1, 0))
    event.add("status", _ICS_STATUS[meeting.status])
    event.add("location", f"{meeting.room.floor.site.name} {meeting.room.name}")
    lines = [
        _("Organizer: %(organizer)s") % {"organizer": meeting.organizer},
        _("Headcount: %(headcount)d") % {"headcount": meeting.headcount},
        _("Status: %(status)s") % {"status": meeting.get_status_display()},
    ]
    event.add("description", "\n".join(lines))
    event.add("url", request.build_absolute_uri(reverse("meetings:detail", args=[meeting.pk])))
    return event


def _busy_event(meeting: Meeting) -> Event:
    """A confidential meeting the subscriber may not see: busy, with its room and time and nothing else."""
    event = Event()
    event.add("uid", f"busy-{meeting.pk}@huiwu")
    event.add("summary", str(CONFIDENTIAL_LABEL))
    event.add("dtstart", _utc(meeting.start))
    event.add("dtend", _utc(meeting.end))
    event.add("dtstamp", _utc(meeting.updated_at))
    event.add("sequence", max(meeting.history_entries - 1, 0))
    event.add("status", _ICS_STATUS[meeting.status])
    event.add("class", "CONFIDENTIAL")
    event.add("location", f"{meeting.room.floor.site.name} {meeting.room.name}")
    return event


def _calendar_name(subject: str) -> str:
    """What calendar apps call the subscription, e.g. 会务 · 701会议室."""
    return " · ".join([_("Huiwu"), subject])


def _calendar_response(
    request: HttpRequest, user: User, name: str, meetings: MeetingQuerySet, busy: MeetingQuerySet | None = None
) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Huiwu//Huiwu conference service//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    for meeting in meetings:
        if meeting.is_confidential:
            audit_meeting(user, meeting, AuditEntry.Action.EXPORT)
        calendar.add_component(_event(request, meeting))
    for meeting in busy if busy is not None else []:
        calendar.add_component(_busy_event(meeting))
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


# Feeds are read by calendar apps, not people: always in the site language, like the printed sheets.
@require_safe
@cache_control(private=True, max_age=0)
def feed_user(request: HttpRequest, token: str) -> HttpResponse:
    user = _feed_user(token)
    # What the user booked or serves; for a client contact, their organization's meetings.
    relevant = Q(created_by=user) | Q(Exists(Assignment.objects.filter(meeting=OuterRef("pk"), attendant=user)))
    if user.has_role(Role.CLIENT) and user.organization_id:
        relevant |= Q(organizer_id=user.organization_id)
    meetings = _in_feed_window(meetings_visible_to(user).filter(relevant))
    with site_language():
        return _calendar_response(request, user, _calendar_name(_("My meetings")), meetings)


@require_safe
@cache_control(private=True, max_age=0)
def feed_room(request: HttpRequest, token: str, code: str) -> HttpResponse:
    user = _feed_user(token)
    # Any room may be subscribed to; what the feed shows is limited by meetings_visible_to below.
    room = Room.objects.filter(code=code).first()
    if room is None:
        raise Http404
    meetings = _in_feed_window(meetings_visible_to(user).filter(room=room))
    busy = _in_feed_window(meetings_busy_for(user).filter(room=room))
    with site_language():
        return _calendar_response(request, user, _calendar_name(room.name), meetings, busy)


@dataclass
class RoomFeedLink:
    room: Room
    url: str


@dataclass
class FeedLinks:
    """The links a user subscribes to: their own meetings, and for staff who see meetings, each room's."""

    mine: str
    rooms: list[RoomFeedLink]


def calendar_feed_links(request: HttpRequest, user: User) -> FeedLinks:
    """The user's feed links as absolute URLs, for the calendar page and the API alike."""
    feed = calendar_feed_for(user)

    def url(name: str, *args: str) -> str:
        return request.build_absolute_uri(reverse(f"meetings:{name}", args=[feed.token, *args]))

    rooms = []
    if user.has_perm("meetings.view_meeting"):
        rooms = [RoomFeedLink(room=room, url=url("feed_room", room.code)) for room in rooms_for(user)]
    return FeedLinks(mine=url("feed_user"), rooms=rooms)


@never_cache
@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    links = calendar_feed_links(request, request.user)
    return render(request, "meetings/calendar.html", {"my_url": links.mine, "rooms": links.rooms})


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    calendar_feed_reset(user=request.user)
    messages.success(
        request, _("New calendar links were created. The old links no longer work: subscribe again with these.")
    )
    return redirect("meetings:calendar")


urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/reset/", calendar_reset, name="calendar_reset"),
    path("feeds/<str:token>/me.ics", feed_user, name="feed_user"),
    path("feeds/<str:token>/rooms/<slug:code>.ics", feed_room, name="feed_room"),
]
