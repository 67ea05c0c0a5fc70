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
from huiwu.notify.services import deadline_upsert, deadlines_cancel
from huiwu.service.deadlines import meeting_service_sync


def meeting_people(meeting: Meeting) -> list[User]:
    """Who is reminded of a meeting: who booked it, the meeting's contact (if they have an account), the
    organizer's client contacts and the attendants assigned to serve it."""
    contacts = User.objects.filter(
        is_active=True, organization_id=meeting.organizer_id, groups__name=Role.CLIENT.value
    ).distinct()
    contact_account = [meeting.contact.user] if meeting.contact and meeting.contact.user else []
    serving = User.objects.filter(is_active=True, service_assignments__meeting=meeting)
    return [meeting.created_by, *contact_account, *contacts, *serving]


def meeting_deadlines_sync(meeting: Meeting) -> None:
    """Bring every deadline of the meeting in line with the meeting as it now is: its reminders, and the
    service's checks, room-ready item and refill (which go to whoever serves it now)."""
    _reminders_sync(meeting)
    meeting_service_sync(meeting)


def _reminders_sync(meeting: Meeting) -> None:
    reminders = meeting.deadlines.filter(kind=Kind.MEETING_REMINDER)
    if not meeting.is_active:
        # Its own reminders only (the service drops its own): a delegated task or a complaint about the meeting
        # keeps its deadlines, which are about the task or the complaint, not about the meeting taking place.
        deadlines_cancel(reminders)
        return
    wanted = []
    people = meeting_people(meeting)
    url = reverse("meetings:detail", args=[meeting.pk])
    with site_language():
        for minutes in settings.MEETING_REMINDER_MINUTES:
            key = f"meeting:{meeting.pk}:reminder:{minutes}"
            wanted.append(key)
            deadline_upsert(
                key=key,
                kind=Kind.MEETING_REMINDER,
                title=_("Meeting reminder: %(meeting)s") % {"meeting": meeting_describe(meeting)},
                url=url,
                opens_at=meeting.start - timedelta(minutes=minutes),
                due_at=meeting.start,
                meeting=meeting,
                responsible_users=people,
            )
    deadlines_cancel(reminders.exclude(key__in=wanted))
