"""The seating's papers as PDFs: the chart (座次图), A4 landscape, large names with their titles, row by row as
the audience sees the rostrum (a table: each side as seen from across it), for the rostrum and the attendants'
folder; and the name cards (桌签) that stand on the table. Reached through the meeting's access; exporting a
confidential meeting's papers is audited."""

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.lib.pdf import pdf_response
from huiwu.meetings.access import audit_meeting
from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import attendees_in_precedence
from huiwu.seating.selectors import PlanView, plan_view
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
    filename = f"座次图-{timezone.localtime(meeting.start):%Y%m%d}-{meeting.pk}.pdf"
    return pdf_response("seating/chart_pdf.html", context, stylesheet="huiwu/pdf-seating.css", filename=filename)


# --- name cards (桌签) ----------------------------------------------------------------------------------

# The face of an A4 tent card is 186 mm of print across: a name gets the largest size at which it fits on
# one line, measured in CJK characters (a Latin letter or digit is about 0.6 of one, a space or a dot 0.35).
# Each class of pdf-name-cards.css holds names up to its width; longer ones wrap at the smallest size.
CARD_FITS = [(2, "fit-2"), (3, "fit-3"), (4, "fit-4"), (5, "fit-5"), (6, "fit-6"), (8, "fit-8"), (11, "fit-11")]
CARD_FIT_LONG = "fit-long"


def name_width(name: str) -> float:
    """The name's width in CJK characters."""
    width = 0.0
    for char in name:
        if char.isspace() or char in "·.・-'":
            width += 0.35
        elif char.isascii():
            width += 0.6
        else:
            width += 1
    return width


def card_fit(name: str) -> str:
    """The size class of the name on its card: the largest it fits in on one line."""
    width = name_width(name)
    return next((fit for capacity, fit in CARD_FITS if width <= capacity), CARD_FIT_LONG)


@dataclass(frozen=True)
class NameCard:
    person: Person
    fit: str
    place: str  # where the card stands ("第1排 左起第3座"), "" without a plan


def name_cards(meeting: Meeting, view: PlanView | None) -> list[NameCard]:
    """A card per seated person in the plan's order (row by row, left to right as the audience sees the
    rostrum), so that they are laid out as they come off the printer; without a plan, the leaders and guests
    in precedence order."""
    if view is None:
        return [NameCard(person, card_fit(person.name), "") for person in attendees_in_precedence(meeting)]
    return [
        NameCard(
            seat.person,
            card_fit(seat.person.name),
            _("%(row)s, seat %(seat)d from the left") % {"row": row.label, "seat": position},
        )
        for row in view.rows
        for position, seat in enumerate(row.seats, start=1)
        if seat
    ]


def name_cards_pdf(user: User, meeting: Meeting) -> HttpResponse:
    """One A4 page per card, folded across the middle into a tent: the name on both faces, the upper one
    printed upside down so that each reads upright once folded. 404 for a meeting with nobody to seat."""
    cards = name_cards(meeting, plan_view(meeting))
    if not cards:
        raise Http404
    if meeting.is_confidential:
        audit_meeting(user, meeting, AuditEntry.Action.EXPORT)
    filename = f"桌签-{timezone.localtime(meeting.start):%Y%m%d}-{meeting.pk}.pdf"
    context = {"meeting": meeting, "cards": cards}
    return pdf_response(
        "seating/name_cards_pdf.html", context, stylesheet="huiwu/pdf-name-cards.css", filename=filename
    )
