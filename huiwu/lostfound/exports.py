"""The lost-and-found register as an Excel workbook, in the reader's language and the display time zone."""

from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.lib.xlsx import DATETIME_FORMAT, text_cell, when_cell, xlsx_response
from huiwu.lostfound.access import lost_items_visible_to
from huiwu.lostfound.models import LostItem, LostItemQuerySet
from huiwu.lostfound.selectors import lost_items_filtered
from huiwu.meetings.describe import CONFIDENTIAL_LABEL


def _field(name: str) -> str:
    return capfirst(LostItem._meta.get_field(name).verbose_name)


def _headers() -> list[tuple[str, int]]:
    """Column titles in the active language, with widths in characters."""
    return [
        (_field("found_at"), 17),
        (_("Item"), 28),
        (capfirst(_("status")), 10),
        (_field("meeting"), 28),
        (_field("room"), 16),
        (_field("found_where"), 20),
        (_field("found_by"), 12),
        (_field("stored_where"), 20),
        (_field("returned_at"), 17),
        (_field("returned_to"), 12),
        (_field("returned_to_phone"), 16),
        (_field("handed_over_by"), 12),
        (_field("notes"), 32),
    ]


def _when(sheet, value: datetime | None):
    if value is None:
        return None
    # Excel has no time zones: the cells hold the wall-clock time people see on the pages.
    return when_cell(sheet, timezone.localtime(value).replace(tzinfo=None), DATETIME_FORMAT)


def _meeting_title(item: LostItem) -> str:
    if item.meeting is None:
        return ""
    return str(CONFIDENTIAL_LABEL) if getattr(item, "meeting_hidden", False) else item.meeting.title


def _row(sheet, item: LostItem) -> list:
    return [
        _when(sheet, item.found_at),
        text_cell(sheet, item.description),
        text_cell(sheet, _("Not yet returned") if item.is_open else _("Returned")),
        text_cell(sheet, _meeting_title(item)),
        text_cell(sheet, item.room.name if item.room else ""),
        text_cell(sheet, item.found_where),
        text_cell(sheet, item.found_by),
        text_cell(sheet, item.stored_where),
        _when(sheet, item.returned_at),
        text_cell(sheet, item.returned_to),
        text_cell(sheet, item.returned_to_phone),
        text_cell(sheet, item.handed_over_by or ""),
        text_cell(sheet, item.notes),
    ]


def lost_items_xlsx_response(items: LostItemQuerySet, *, filename: str) -> HttpResponse:
    """An .xlsx download of `items`, already filtered and limited by access.py, in their order."""
    rows = items.select_related("meeting", "room", "found_by", "handed_over_by")
    return xlsx_response(
        title=_("Lost and found"),
        headers=_headers(),
        rows=rows.iterator(chunk_size=1000),
        row_cells=_row,
        filename=filename,
    )


def lost_items_export(user: User, *, state: str, q: str) -> HttpResponse:
    """The register as the user sees it, filtered as its page filters it, as a workbook (page and API)."""
    items = lost_items_filtered(lost_items_visible_to(user), state=state, q=q)
    return lost_items_xlsx_response(items, filename=f"{_('lost-and-found')}-{timezone.localdate():%Y%m%d}.xlsx")
