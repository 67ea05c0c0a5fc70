"""Meeting lists as Excel workbooks, in the reader's language and the display time zone."""

import io
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from huiwu.meetings.models import Meeting, MeetingQuerySet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


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


def _text(sheet, value: str) -> WriteOnlyCell:
    # Characters Excel refuses would make openpyxl raise; and text someone typed, such as a title
    # starting with "=", must stay text rather than become a formula.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    return cell


def _when(sheet, value: date | datetime, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _row(sheet, meeting: Meeting) -> list:
    # Excel has no time zones: the cells hold the wall-clock time people see on the pages.
    start = timezone.localtime(meeting.start).replace(tzinfo=None)
    end = timezone.localtime(meeting.end).replace(tzinfo=None)
    contact = ""
    if meeting.contact:
        contact = " ".join(part for part in (meeting.contact.name, meeting.contact.phone) if part)
    return [
        _when(sheet, start.date(), DATE_FORMAT),
        _when(sheet, start, TIME_FORMAT),
        # A meeting may run past midnight: then its end shows the day too.
        _when(sheet, end, TIME_FORMAT if end.date() == start.date() else DATETIME_FORMAT),
        _text(sheet, meeting.room.name),
        _text(sheet, meeting.room.floor.site.name),
        _text(sheet, meeting.title),
        _text(sheet, str(meeting.organizer)),
        _text(sheet, contact),
        meeting.headcount,
        _text(sheet, meeting.get_nature_display()),
        _text(sheet, meeting.get_layout_display()),
        _text(sheet, meeting.get_status_display()),
        _text(sheet, str(meeting.created_by)),
    ]


def meetings_xlsx_response(meetings: MeetingQuerySet, *, filename: str) -> HttpResponse:
    """An .xlsx download of `meetings`, already filtered and limited by access.py, in their order."""
    # Write-only: rows stream to a temporary file instead of piling up as cell objects in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Meetings"))
    headers = _headers()
    for index, (_label, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for title, _width in headers:
        cell = _text(sheet, title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    rows = meetings.select_related("room__floor__site", "organizer", "contact", "created_by")
    for meeting in rows.iterator(chunk_size=1000):
        sheet.append(_row(sheet, meeting))

    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
