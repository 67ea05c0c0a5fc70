"""The meeting's timed rules: reminders before it starts (settings.MEETING_REMINDER_MINUTES).

`meeting_sync_deadlines` is called by every service that changes a meeting, so a moved meeting moves its
reminders and a cancelled one cancels them (all its deadlines, the service's included). The three-level
check, the room-ready item and the refills are the service's: `huiwu.service.deadlines`.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.dates import format_slot
from huiwu.meetings.access import CONFIDENTIAL_LABEL
from huiwu.meetings.models import Meeting
from huiwu.notify.models import Kind
from huiwu.notify.services import deadline_upsert, deadlines_cancel


def meeting_people(meeting: Meeting) -> list[User]:
    """Who is reminded of a meeting: who booked it, the meeting's contact (if they have an account), the
    organizer's client contacts and the attendants assigned to serve it."""
    contacts = User.objects.filter(
        is_active=True, organization_id=meeting.organizer_id, groups__name=Role.CLIENT.value
    ).distinct()
    contact_account = [meeting.contact.user] if meeting.contact and meeting.contact.user else []
    serving = User.objects.filter(is_active=True, service_assignments__meeting=meeting)
    return [meeting.created_by, *contact_account, *contacts, *serving]


def meeting_describe(meeting: Meeting) -> str:
    """“党组会 · 11月27日 09:00–10:00 · 701会议室”, in the site language like every message."""
    return f"{meeting.title} · {format_slot(meeting.start, meeting.end)} · {meeting.room.name}"


def meeting_busy_describe(meeting: Meeting) -> str:
    """A confidential meeting for those who may not see it: “保密会议 · 11月27日 09:00–10:00 · 701会议室”."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{CONFIDENTIAL_LABEL} · {format_slot(meeting.start, meeting.end)} · {meeting.room.name}"


def meeting_sync_deadlines(meeting: Meeting) -> None:
    reminders = meeting.deadlines.filter(kind=Kind.MEETING_REMINDER)
    if not meeting.is_active:
        deadlines_cancel(meeting.deadlines.all())
        return
    wanted = []
    people = meeting_people(meeting)
    url = reverse("meetings:detail", args=[meeting.pk])
    with translation.override(settings.LANGUAGE_CODE):
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
