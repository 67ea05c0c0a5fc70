"""The seating chart as a PDF (座次图): A4 landscape, large names with their titles, row by row as the audience
sees the rostrum (a table: each side as seen from across it), for the rostrum and the attendants' folder.
Reached through the meeting's access; exporting a confidential meeting's chart is audited."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.lib.pdf import pdf_response
from huiwu.meetings.access import audit_meeting
from huiwu.meetings.models import Meeting
from huiwu.seating.models import Seat, SeatingPlan
from huiwu.seating.selectors import PlanView
from huiwu.security.models import AuditEntry


def _row_label(plan: SeatingPlan, row: int) -> str:
    if plan.arrangement == SeatingPlan.Arrangement.TABLE:
        return str(Seat.Side(row).label)
    return _("Row %(row)d") % {"row": row}


def seating_chart_pdf(user: User, meeting: Meeting, view: PlanView) -> HttpResponse:
    ranks = {person_id: rank for rank, person_id in enumerate(view.plan.generated_from, start=1)}
    rows = [
        {
            "label": _row_label(view.plan, row.row),
            "seats": [
                {"person": seat.person, "rank": ranks.get(seat.person_id, "")} if seat else None for seat in row.seats
            ],
        }
        for row in view.rows
    ]
    if meeting.is_confidential:
        audit_meeting(user, meeting, AuditEntry.Action.EXPORT)
    context = {"meeting": meeting, "plan": view.plan, "rows": rows}
    filename = f"{meeting.start:%Y%m%d}-{meeting.pk}-seating.pdf"
    return pdf_response("seating/chart_pdf.html", context, stylesheet="huiwu/pdf-seating.css", filename=filename)
