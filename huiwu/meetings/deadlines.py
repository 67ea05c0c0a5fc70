"""The meeting's timed rules: reminders before it starts (settings.MEETING_REMINDER_MINUTES), and the one
entry point that keeps all of a meeting's deadlines in step, the service's included.

`meeting_deadlines_sync` is called by every write that changes a meeting, who serves it, its checks or its
start, so a moved meeting moves its reminders and checks and a cancelled one cancels them. The three-level
check, the room-ready item and the refills are computed by the service: `huiwu.service.deadlines`.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.i18n import site_language
from huiwu.meetings.describe import meeting_describe
from huiwu.meetings.models import Meeting
from huiwu.notify.models import Kind
from huiwu.notify.services import DeadlineSpec, deadlines_create, deadlines_upsert
from huiwu.service.deadlines import meeting_service_deadlines, serving_users


def meeting_people(meeting: Meeting, serving: list[User]) -> list[User]:
    """Who is reminded of a meeting: who booked it, the meeting's contact (if they have an account), the
    organizer's client contacts and `serving`, the attendants assigned to serve it."""
    contacts = User.objects.filter(
        is_active=True, organization_id=meeting.organizer_id, groups__name=Role.CLIENT.value
    ).distinct()
    contact_account = [meeting.contact.user] if meeting.contact and meeting.contact.user else []
    return [meeting.created_by, *contact_account, *contacts, *serving]


def meeting_deadlines_sync(meeting: Meeting, *, created: bool = False) -> None:
    """Bring every deadline of the meeting in line with the meeting as it now is: its reminders, and the
    service's checks, room-ready item and refill (which go to whoever serves it now), all written together.
    `created`: the meeting was inserted by the calling transaction, so nobody serves it yet and it has no
    levels, ticks or deadlines: they are not read (a booking is the hot path, see bench/booking.py)."""
    specs, serving = [], []
    if meeting.is_active:
        serving = [] if created else serving_users(meeting)
        specs = _reminders(meeting, meeting_people(meeting, serving))
    service, dropped = meeting_service_deadlines(meeting, serving, created=created)
    if created:
        deadlines_create(specs=[*specs, *service])
        return
    # The reminders no longer named are cancelled (all of them once the meeting is), and those the service drops.
    # Only these: a delegated task or a complaint about the meeting keeps its deadlines, which are about the task
    # or the complaint, not about the meeting taking place.
    reminders = meeting.deadlines.filter(kind=Kind.MEETING_REMINDER)
    deadlines_upsert(specs=[*specs, *service], others=reminders if dropped is None else reminders | dropped)


def _reminders(meeting: Meeting, people: list[User]) -> list[DeadlineSpec]:
    url = reverse("meetings:detail", args=[meeting.pk])
    with site_language():
        title = _("Meeting reminder: %(meeting)s") % {"meeting": meeting_describe(meeting)}
    return [
        DeadlineSpec(
            key=f"meeting:{meeting.pk}:reminder:{minutes}",
            kind=Kind.MEETING_REMINDER,
            title=title,
            url=url,
            opens_at=meeting.start - timedelta(minutes=minutes),
            due_at=meeting.start,
            meeting=meeting,
            responsible_users=people,
        )
        for minutes in settings.MEETING_REMINDER_MINUTES
    ]
