"""The meetings' part of the today page (listed in core/today.py): the client contact's section — their
organization's meetings from today on, with their status and what has been done for them — and the list of
client requests waiting for confirmation, which the hotline's section shows (service/today.py).

Each list costs a fixed number of queries however many meetings there are (core/tests/test_today_roles.py)."""

from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import TodayCount, TodayItem, TodayList, TodaySection, Tone, first_items
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import Meeting, Status
from huiwu.meetings.selectors import When, day_bounds
from huiwu.service.models import Level, MeetingCheck

HINT = _(
    "Your organization's meetings from today on: whether each request is confirmed, how many of the three "
    "checks are done, and when the meeting started and ended."
)


def _clock(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def requests_waiting(user: User, now: datetime) -> TodayList:
    """Client requests still to confirm or reject, soonest first (those whose meeting is over are moot)."""
    requests = meetings_visible_to(user).filter(status=Status.REQUESTED, end__gt=now).order_by("start", "room__name")
    shown, total = first_items(requests)
    items = [
        TodayItem(
            title=meeting.title,
            at=meeting.start,
            place=meeting.room.name,
            status=_("Awaiting confirmation"),
            tone=Tone.WAITING,
            detail=str(meeting.organizer),
            url=reverse("meetings:detail", args=[meeting.pk]),
            action=_("Confirm or reject"),
        )
        for meeting in shown
    ]
    return TodayList(
        title=_("Requests waiting for confirmation"),
        items=items,
        total=total,
        empty=_("No request is waiting."),
        url=reverse("meetings:list") + f"?status={Status.REQUESTED}",
    )


def _progress(meeting: Meeting) -> str:
    """What has been done for a meeting, in the words the client knows: confirmed, checked, served."""
    if meeting.status == Status.REJECTED:
        return _("Reason: %(reason)s") % {"reason": meeting.status_reason} if meeting.status_reason else ""
    if meeting.status == Status.REQUESTED:
        return _("Submitted %(day)s %(time)s") % {
            "day": timezone.localtime(meeting.created_at).strftime("%m-%d"),
            "time": _clock(meeting.created_at),
        }
    done = [_("Checks %(done)d/%(total)d") % {"done": meeting.checks_confirmed, "total": len(Level)}]
    service = getattr(meeting, "service", None)
    if service is not None:
        done.append(_("Started %(time)s") % {"time": _clock(service.started_at)})
        if service.ended_at:
            done.append(_("Ended %(time)s") % {"time": _clock(service.ended_at)})
    return " · ".join(str(part) for part in done)


def _portal_url() -> str:
    """The client's meetings still to come, as cards (the portal's list)."""
    return reverse("meetings:list") + f"?when={When.UPCOMING}"


_STATUS_TONES = {Status.REQUESTED: Tone.WAITING, Status.CONFIRMED: Tone.OK, Status.REJECTED: Tone.ALERT}


def organization_meetings(user: User, now: datetime) -> TodayList:
    """The client's organization's meetings from today on (cancelled ones left out), soonest first."""
    start = day_bounds(timezone.localdate(now))[0]
    meetings = (
        meetings_visible_to(user)
        .filter(organizer_id=user.organization_id, start__gte=start, status__in=list(_STATUS_TONES))
        .select_related("service")
        .annotate(checks_confirmed=Count("checks", filter=Q(checks__state=MeetingCheck.State.CONFIRMED)))
        .order_by("start", "room__name")
    )
    shown, total = first_items(meetings)
    items = [
        TodayItem(
            title=meeting.title,
            at=meeting.start,
            place=meeting.room.name,
            status=_("Awaiting confirmation")
            if meeting.status == Status.REQUESTED
            else str(meeting.get_status_display()),
            tone=_STATUS_TONES[meeting.status],
            detail=_progress(meeting),
            url=reverse("meetings:detail", args=[meeting.pk]),
            action=_("Details"),
        )
        for meeting in shown
    ]
    return TodayList(
        title=_("Your organization's meetings"),
        items=items,
        total=total,
        empty=_("No meeting from today on. Request one with “Request a meeting”."),
        url=_portal_url(),
    )


def _client_section(user: User, now: datetime) -> TodaySection:
    upcoming = organization_meetings(user, now)
    counts = (
        meetings_visible_to(user)
        .filter(organizer_id=user.organization_id)
        .aggregate(
            waiting=Count("pk", filter=Q(status=Status.REQUESTED, end__gt=now)),
            to_come=Count("pk", filter=Q(status=Status.CONFIRMED, start__gt=now)),
        )
    )
    waiting = counts["waiting"]
    return TodaySection(
        role=Role.CLIENT,
        hint=HINT,
        waiting=ngettext("%(count)d request awaiting confirmation", "%(count)d requests awaiting confirmation", waiting)
        % {"count": waiting}
        if waiting
        else "",
        link_url=reverse("meetings:new"),
        link_label=_("Request a meeting"),
        counts=[
            TodayCount(
                label=_("Awaiting confirmation"),
                value=waiting,
                tone=Tone.WAITING if waiting else Tone.NEUTRAL,
                url=_portal_url(),
            ),
            TodayCount(label=_("Confirmed, to come"), value=counts["to_come"], tone=Tone.OK, url=_portal_url()),
        ],
        lists=[upcoming],
    )


def today_sections(user: User) -> list[TodaySection]:
    return [_client_section(user, timezone.now())] if user.has_role(Role.CLIENT) else []
