"""Meeting lists as Excel workbooks, in the reader's language and the display time zone."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.lib.xlsx import DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT, text_cell, when_cell, xlsx_response
from huiwu.meetings.access import audit_meeting
from huiwu.meetings.describe import CONFIDENTIAL_LABEL
from huiwu.meetings.models import Meeting, MeetingQuerySet
from huiwu.meetings.selectors import MeetingFilters, meetings_listed
from huiwu.security.models import AuditEntry


def _headers() -> list[tuple[str, int]]:
    """Column titles in the active language, with widths in characters."""
    return [
        (capfirst(_("date")), 12),
        (capfirst(_("start")), 8),
        (capfirst(_("end")), 8),
        (capfirst(_("room")), 16),
        (capfirst(_("site")), 16),
        (capfirst(_("meeting title")), 32),
        (capfirst(_("organizer")), 24),
        (capfirst(_("contact")), 20),
        (capfirst(_("headcount")), 8),
        (capfirst(_("nature")), 12),
        (capfirst(_("layout")), 16),
        (capfirst(_("status")), 8),
        (capfirst(_("booked by")), 12),
    ]


def _row(sheet, meeting: Meeting) -> list:
    # Excel has no time zones: the cells hold the wall-clock time people see on the pages.
    start = timezone.localtime(meeting.start).replace(tzinfo=None)
    end = timezone.localtime(meeting.end).replace(tzinfo=None)
    if getattr(meeting, "hidden", False):
        # A confidential meeting the reader may not see: a busy block, room and time only.
        return [
            when_cell(sheet, start.date(), DATE_FORMAT),
            when_cell(sheet, start, TIME_FORMAT),
            when_cell(sheet, end, TIME_FORMAT if end.date() == start.date() else DATETIME_FORMAT),
            text_cell(sheet, meeting.room.name),
            text_cell(sheet, meeting.room.floor.site.name),
            text_cell(sheet, CONFIDENTIAL_LABEL),
        ]
    contact = ""
    if meeting.contact:
        contact = " ".join(part for part in (meeting.contact.name, meeting.contact.phone) if part)
    return [
        when_cell(sheet, start.date(), DATE_FORMAT),
        when_cell(sheet, start, TIME_FORMAT),
        # A meeting may run past midnight: then its end shows the day too.
        when_cell(sheet, end, TIME_FORMAT if end.date() == start.date() else DATETIME_FORMAT),
        text_cell(sheet, meeting.room.name),
        text_cell(sheet, meeting.room.floor.site.name),
        text_cell(sheet, meeting.title),
        text_cell(sheet, str(meeting.organizer)),
        text_cell(sheet, contact),
        meeting.headcount,
        text_cell(sheet, meeting.get_nature_display()),
        text_cell(sheet, meeting.get_layout_display()),
        text_cell(sheet, meeting.get_status_display()),
        text_cell(sheet, str(meeting.created_by)),
    ]


def meetings_xlsx_response(meetings: MeetingQuerySet, *, filename: str) -> HttpResponse:
    """An .xlsx download of `meetings`, already filtered and limited by access.py, in their order."""
    rows = meetings.select_related("room__floor__site", "organizer", "contact", "created_by")
    return xlsx_response(
        title=_("Meetings"), headers=_headers(), rows=rows.iterator(chunk_size=1000), row_cells=_row, filename=filename
    )


def meetings_export(user: User, filters: MeetingFilters) -> HttpResponse:
    """The meeting list as the user sees it (busy blocks included) as a workbook, for the page and the API.
    The file leaves Huiwu: each confidential meeting the user reads in it is audited as exported."""
    meetings = meetings_listed(user, filters)
    for meeting in meetings.filter(confidentiality__gt=0, hidden=False):
        audit_meeting(user, meeting, AuditEntry.Action.EXPORT)
    return meetings_xlsx_response(meetings, filename=f"会议列表-{timezone.localdate():%Y%m%d}.xlsx")
