"""The reviewed-documents register as an Excel workbook, filtered as its page is, in the reader's language and
the display time zone."""

from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.lib.xlsx import DATETIME_FORMAT, text_cell, when_cell, xlsx_response
from huiwu.reception.access import documents_visible_to
from huiwu.reception.models import ReviewedDocument
from huiwu.reception.selectors.documents import documents_filtered
from huiwu.reception.selectors.offices import office_line


def _field(name: str) -> str:
    return capfirst(ReviewedDocument._meta.get_field(name).verbose_name)


def _headers() -> list[tuple[str, int]]:
    """Column titles in the active language, with widths in characters."""
    return [
        (_field("retrieved_at"), 17),
        (_field("document_number"), 24),
        (_field("title"), 40),
        (_field("reviewing_leader"), 12),
        (_field("office"), 20),
        (_field("retrieved_by"), 12),
        (_field("due_at"), 17),
        (capfirst(_("status")), 10),
        (_field("handed_at"), 17),
        (_field("handed_to"), 12),
        (_field("clerk_confirmation"), 28),
        (_field("handed_by"), 12),
        (_field("notes"), 32),
    ]


def _when(sheet, value: datetime | None):
    if value is None:
        return None
    # Excel has no time zones: the cells hold the wall-clock time people see on the pages.
    return when_cell(sheet, timezone.localtime(value).replace(tzinfo=None), DATETIME_FORMAT)


def _status(document: ReviewedDocument, now: datetime) -> str:
    if document.handed_at is not None:
        return _("Handed over")
    return _("Overdue") if document.due_at <= now else _("Waiting")


def _row_maker(now: datetime):
    def row(sheet, document: ReviewedDocument) -> list:
        return [
            _when(sheet, document.retrieved_at),
            text_cell(sheet, document.document_number),
            text_cell(sheet, document.title),
            text_cell(sheet, document.reviewing_leader.name),
            text_cell(sheet, office_line(document.office) if document.office else ""),
            text_cell(sheet, document.retrieved_by),
            _when(sheet, document.due_at),
            text_cell(sheet, _status(document, now)),
            _when(sheet, document.handed_at),
            text_cell(sheet, document.handed_to),
            text_cell(sheet, document.get_clerk_confirmation_display()),
            text_cell(sheet, document.handed_by or ""),
            text_cell(sheet, document.notes),
        ]

    return row


def documents_export(
    user: User, *, since: date | None, until: date | None, leader_id: int | None, q: str
) -> HttpResponse:
    """The register as the user sees it, filtered as its page filters it, as a workbook (page and API)."""
    documents = documents_filtered(documents_visible_to(user), since=since, until=until, leader_id=leader_id, q=q)
    return xlsx_response(
        title=_("Reviewed documents"),
        headers=_headers(),
        rows=documents.iterator(chunk_size=1000),
        row_cells=_row_maker(timezone.now()),
        filename=f"{_('reviewed-documents')}-{timezone.localdate():%Y%m%d}.xlsx",
    )
