"""A meeting's cost list (会议费用清单) as an Excel workbook for reimbursement: one row per delegated purchase,
amounts as numbers with two decimals, a total row; in the reader's language and the display time zone."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from huiwu.accounts.models import User
from huiwu.delegations.describe import state_label
from huiwu.delegations.models import DelegatedTask
from huiwu.delegations.selectors import CostList, meeting_cost_list
from huiwu.lib.xlsx import DATETIME_FORMAT, text_cell, when_cell, xlsx_response
from huiwu.meetings.access import audit_meeting
from huiwu.meetings.models import Meeting
from huiwu.security.models import AuditEntry

MONEY_FORMAT = "#,##0.00"


def _field(name: str) -> str:
    return capfirst(DelegatedTask._meta.get_field(name).verbose_name)


def _headers() -> list[tuple[str, int]]:
    """事项, 数量, 预算, 实际费用, 状态, 承办人, 完成时间, 确认/知会, 收据: in the reader's language."""
    return [
        (_field("title"), 24),
        (_field("quantity"), 20),
        (_field("budget"), 12),
        (_field("actual_cost"), 14),
        (_field("state"), 12),
        (_field("assignee"), 10),
        (_field("done_at"), 17),
        (_("Confirmed or notified"), 36),
        (_("Receipts"), 8),
    ]


def _money(sheet, value, *, bold: bool = False):
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = MONEY_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def confirmation_text(task: DelegatedTask) -> str:
    """How the task reached the client: “客户已确认 周敏 2026-11-26 10:05” or the last notice, “电话知会 …”."""
    if task.state == DelegatedTask.State.CONFIRMED:
        return f"{state_label(task.state)} {task.confirmed_by} {timezone.localtime(task.confirmed_at):%Y-%m-%d %H:%M}"
    notice = getattr(task, "last_notice", None)
    if notice is not None:
        return _("Notified by %(method)s, %(when)s, %(person)s") % {
            "method": notice.get_method_display(),
            "when": f"{timezone.localtime(notice.notified_at):%Y-%m-%d %H:%M}",
            "person": notice.notified_person or notice.notified_by,
        }
    return ""


def _row(sheet, entry) -> list:
    if isinstance(entry, CostList):
        bold = Font(bold=True)
        label = text_cell(sheet, _("Total"))
        label.font = bold
        receipts = WriteOnlyCell(sheet, value=entry.receipts_total)
        receipts.font = bold
        return [
            label,
            None,
            _money(sheet, entry.budget_total, bold=True),
            _money(sheet, entry.actual_total, bold=True),
            None,
            None,
            None,
            None,
            receipts,
        ]
    task = entry
    return [
        text_cell(sheet, task.title),
        text_cell(sheet, task.quantity),
        _money(sheet, task.budget),
        _money(sheet, task.actual_cost),
        text_cell(sheet, state_label(task.state)),
        text_cell(sheet, task.assignee or ""),
        when_cell(sheet, timezone.localtime(task.done_at).replace(tzinfo=None), DATETIME_FORMAT)
        if task.done_at
        else None,
        text_cell(sheet, confirmation_text(task)),
        task.receipts,
    ]


def meeting_costs_export(user: User, meeting: Meeting) -> HttpResponse:
    """The cost list of a meeting the user may see (fetched through access.py), for page and API alike."""
    costs = meeting_cost_list(user, meeting)
    if meeting.is_confidential:
        audit_meeting(user, meeting, AuditEntry.Action.EXPORT)
    return xlsx_response(
        title=_("Cost list"),
        headers=_headers(),
        rows=[*costs.tasks, costs],
        row_cells=_row,
        filename=f"{_('cost-list')}-{timezone.localtime(meeting.start):%Y%m%d}-{meeting.pk}.xlsx",
    )
