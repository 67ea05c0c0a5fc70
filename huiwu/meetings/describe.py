"""How a meeting is named in texts that leave its pages: notifications, reminders, alerts, exports, feeds.

A read of the meeting alone (layer 3 of DESIGN.md §5), so that the notify engine, the deadlines of every
app and the services can all name a meeting without importing one another.
"""

from django.utils.translation import gettext_lazy as _

from huiwu.lib.dates import format_slot
from huiwu.lib.i18n import site_language
from huiwu.meetings.models import Meeting, MeetingChange, Status

# What stands in for a confidential meeting's title wherever the reader may not see it.
CONFIDENTIAL_LABEL = _("Confidential meeting")
# What a client's booking is until booking staff decide on it: the same words after the form is sent, in the
# hotline's notice and in the meeting's history.
REQUEST_SUBMITTED = _("Request submitted, awaiting confirmation")


def change_describe(change: MeetingChange) -> str:
    """The action of a history entry as people read it. A booking that was created as a request (its entry
    records the status it was created in, in the site language like the rest of the history) is a request
    submitted, not a meeting booked."""
    if change.action == MeetingChange.Action.CREATED:
        created_as = change.changes.get("status", ["", ""])[1]
        with site_language():
            requested = str(Status.REQUESTED.label)
        if created_as == requested:
            return str(REQUEST_SUBMITTED)
    return str(change.get_action_display())


def meeting_describe(meeting: Meeting) -> str:
    """“党组会 · 11月27日 09:00–10:00 · 701会议室”, in the current language (callers choose the site's)."""
    return f"{meeting.title} · {format_slot(meeting.start, meeting.end)} · {meeting.room.name}"


def meeting_busy_describe(meeting: Meeting) -> str:
    """A confidential meeting for those who may not see it: “保密会议 · 11月27日 09:00–10:00 · 701会议室”."""
    with site_language():
        return f"{CONFIDENTIAL_LABEL} · {format_slot(meeting.start, meeting.end)} · {meeting.room.name}"
