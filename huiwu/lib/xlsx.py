"""Excel downloads of lists (every list exports, DESIGN §3.10): one streaming writer for all of them."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def text_cell(sheet, value) -> WriteOnlyCell:
    # Characters Excel refuses would make openpyxl raise; and text someone typed, such as a title
    # starting with "=", must stay text rather than become a formula.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    return cell


def when_cell(sheet, value: date | datetime, number_format: str) -> WriteOnlyCell:
    """A date or time cell; datetimes must already be the naive wall-clock time shown on the pages
    (Excel has no time zones)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: bold frozen headers (title, width in characters), then one row per object,
    made by `row_cells(sheet, obj)`."""

    title: str
    headers: list[tuple[str, int]]
    rows: Iterable
    row_cells: Callable


def _write(workbook: Workbook, table: Sheet) -> None:
    sheet = workbook.create_sheet(table.title)
    for index, (_label, width) in enumerate(table.headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for label, _width in table.headers:
        cell = text_cell(sheet, label)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for obj in table.rows:
        sheet.append(table.row_cells(sheet, obj))


def workbook_response(sheets: list[Sheet], *, filename: str) -> HttpResponse:
    """An .xlsx download of `sheets`, in their order. Write-only: rows stream to a temporary file instead of
    piling up as cell objects in memory."""
    workbook = Workbook(write_only=True)
    for table in sheets:
        _write(workbook, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(
    *, title: str, headers: list[tuple[str, int]], rows: Iterable, row_cells: Callable, filename: str
) -> HttpResponse:
    """A one-sheet .xlsx download (see Sheet)."""
    return workbook_response([Sheet(title, headers, rows, row_cells)], filename=filename)
