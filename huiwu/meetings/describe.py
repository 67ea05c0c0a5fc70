"""How a meeting is named in texts that leave its pages: notifications, reminders, alerts, exports, feeds.

A read of the meeting alone (layer 3 of DESIGN.md §5), so that the notify engine, the deadlines of every
app and the services can all name a meeting without importing one another.
"""

from django.utils.translation import gettext_lazy as _

from huiwu.lib.dates import format_slot
from huiwu.lib.i18n import site_language
from huiwu.meetings.models import Meeting

# What stands in for a confidential meeting's title wherever the reader may not see it.
CONFIDENTIAL_LABEL = _("Confidential meeting")


def meeting_describe(meeting: Meeting) -> str:
    """“党组会 · 11月27日 09:00–10:00 · 701会议室”, in the current language (callers choose the site's)."""
    return f"{meeting.title} · {format_slot(meeting.start, meeting.end)} · {meeting.room.name}"


def meeting_busy_describe(meeting: Meeting) -> str:
    """A confidential meeting for those who may not see it: “保密会议 · 11月27日 09:00–10:00 · 701会议室”."""
    with site_language():
        return f"{CONFIDENTIAL_LABEL} · {format_slot(meeting.start, meeting.end)} · {meeting.room.name}"
