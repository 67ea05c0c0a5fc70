"""The audit log as an Excel workbook, in the reader's language and the display time zone."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.lib.i18n import site_language
from huiwu.lib.xlsx import DATETIME_FORMAT, text_cell, when_cell, xlsx_response
from huiwu.security.audit import audit_record
from huiwu.security.models import AuditEntry
from huiwu.security.selectors import (
    AuditFilters,
    audit_entries,
    audit_entries_filtered,
    audit_filters_describe,
    subject_type_label,
)

# Excel holds about a million rows; an export this large is narrowed down with the filters first.
EXPORT_MAX_ROWS = 100_000


def _field(name: str) -> str:
    return capfirst(AuditEntry._meta.get_field(name).verbose_name)


def _headers() -> list[tuple[str, int]]:
    return [
        (_field("at"), 17),
        (_field("user"), 14),
        (_field("action"), 10),
        (_field("subject_type"), 14),
        (_field("subject_id"), 10),
        (_field("summary"), 60),
        (_field("address"), 16),
        (_field("path"), 40),
        (_field("request_id"), 34),
    ]


def _row(sheet, entry: AuditEntry) -> list:
    return [
        # Excel has no time zones: the cells hold the wall-clock time people see on the pages.
        when_cell(sheet, timezone.localtime(entry.at).replace(tzinfo=None), DATETIME_FORMAT),
        text_cell(sheet, entry.user or "—"),
        text_cell(sheet, entry.get_action_display()),
        text_cell(sheet, subject_type_label(entry.subject_type)),
        entry.subject_id,
        text_cell(sheet, entry.summary),
        text_cell(sheet, entry.address or ""),
        text_cell(sheet, entry.path),
        text_cell(sheet, entry.request_id),
    ]


def audit_xlsx_response(entries, *, filename: str) -> HttpResponse:
    """An .xlsx download of `entries` (already filtered and limited), newest first."""
    return xlsx_response(
        title=_("Audit log"),
        headers=_headers(),
        rows=entries.select_related("user").iterator(chunk_size=1000),
        row_cells=_row,
        filename=filename,
    )


def audit_export(*, user: User, filters: AuditFilters) -> HttpResponse:
    """The filtered log as a workbook, for the page and the API; ValidationError when more entries match
    than can be exported at once. The export is itself an audited action, written once the file is made."""
    entries = audit_entries_filtered(audit_entries(), filters)
    count = entries.count()
    if count > EXPORT_MAX_ROWS:
        raise ValidationError(
            _("%(count)d entries match; at most %(max)d can be exported at once. Narrow the filters.")
            % {"count": count, "max": EXPORT_MAX_ROWS}
        )
    response = audit_xlsx_response(entries, filename=f"{_('audit-log')}-{timezone.localdate():%Y%m%d}.xlsx")
    with site_language():
        summary = _("Exported %(count)d entries of the audit log") % {"count": count}
        if described := audit_filters_describe(filters):
            summary = _("%(text)s (%(note)s)") % {"text": summary, "note": described}
    audit_record(user=user, action=AuditEntry.Action.EXPORT, subject_type="audit_log", subject_id=0, summary=summary)
    return response
