"""The reception day sheet (礼仪接待日报) as a PDF, with the CJK font embedded: the same sheet as its page, for
the folder and the GM office. The next working day's meetings it lists leave Huiwu on paper: a confidential
one the reader may see is audited as exported."""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.lib.pdf import pdf_response
from huiwu.meetings.access import audit_meeting, meetings_visible_to
from huiwu.reception.selectors.sheet import day_sheet
from huiwu.security.models import AuditEntry


def day_sheet_pdf(user: User, day: date) -> HttpResponse:
    sheet = day_sheet(user, day)
    shown = [line.meeting_id for line in sheet.meetings if not line.hidden]
    for meeting in meetings_visible_to(user).filter(pk__in=shown, confidentiality__gt=0):
        audit_meeting(user, meeting, AuditEntry.Action.EXPORT)
    context = {"sheet": sheet, "printed_at": timezone.now(), "printed_by": user}
    return pdf_response(
        "reception/sheet/sheet_pdf.html",
        context,
        stylesheet="huiwu/pdf-reception.css",
        filename=f"礼仪接待日报-{day:%Y%m%d}.pdf",
    )
