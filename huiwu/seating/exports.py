"""The seating chart as a PDF (座次图): A4 landscape, large names with their titles, row by row as the audience
sees the rostrum (a table: each side as seen from across it), for the rostrum and the attendants' folder.
Reached through the meeting's access; exporting a confidential meeting's chart is audited."""

from django.http import HttpResponse

from huiwu.accounts.models import User
from huiwu.lib.pdf import pdf_response
from huiwu.meetings.access import audit_meeting
from huiwu.meetings.models import Meeting
from huiwu.seating.selectors import PlanView
from huiwu.security.models import AuditEntry


def seating_chart_pdf(user: User, meeting: Meeting, view: PlanView) -> HttpResponse:
    rows = [
        {
            "label": row.label,
            "seats": [
                {"person": seat.person, "rank": view.ranks.get(seat.person_id, "")} if seat else None
                for seat in row.seats
            ],
        }
        for row in view.rows
    ]
    if meeting.is_confidential:
        audit_meeting(user, meeting, AuditEntry.Action.EXPORT)
    context = {"meeting": meeting, "plan": view.plan, "rows": rows}
    filename = f"{meeting.start:%Y%m%d}-{meeting.pk}-seating.pdf"
    return pdf_response("seating/chart_pdf.html", context, stylesheet="huiwu/pdf-seating.css", filename=filename)
