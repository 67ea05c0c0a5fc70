"""Reads of a meeting's seating: its plan row by row, and whether the meeting's attendees still are those it
was generated from."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import attendees_in_precedence
from huiwu.seating.models import Seat, SeatingPlan


@dataclass(frozen=True)
class SeatRow:
    """One rostrum row or table side: its seats left to right, None where a seat is empty."""

    row: int
    label: str  # 第 1 排, or 客方 / 主方 at a table
    seats: list[Seat | None]


@dataclass(frozen=True)
class PlanView:
    plan: SeatingPlan
    rows: list[SeatRow]
    # The meeting's attendees changed since the plan was generated: offer to generate it again.
    is_out_of_date: bool
    # Person id → their place in the precedence order the plan was generated from (1 the most senior).
    ranks: dict[int, int]


def row_label(plan: SeatingPlan, row: int) -> str:
    if plan.arrangement == SeatingPlan.Arrangement.TABLE:
        return str(Seat.Side(row).label)
    return _("Row %(row)d") % {"row": row}


def plan_view(meeting: Meeting) -> PlanView | None:
    """The meeting's plan as its chart and the API show it (two queries and one for the attendees)."""
    plan = SeatingPlan.objects.filter(meeting=meeting).select_related("generated_by").first()
    if plan is None:
        return None
    seats = list(plan.seats.select_related("person"))
    by_place = {(seat.row, seat.position): seat for seat in seats}
    rows = [
        SeatRow(row, row_label(plan, row), [by_place.get((row, position)) for position in range(size)])
        for row, size in plan_row_sizes(plan, places=list(by_place))
    ]
    current = [person.pk for person in attendees_in_precedence(meeting)]
    ranks = {person_id: rank for rank, person_id in enumerate(plan.generated_from, start=1)}
    return PlanView(plan=plan, rows=rows, is_out_of_date=current != plan.generated_from, ranks=ranks)


def plan_row_sizes(plan: SeatingPlan, *, places: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(row, seats) of each row of the plan: a rostrum's rows as arranged, a table's two sides as seated
    (from `places`, the (row, position) of its seats, when the caller has read them already)."""
    if plan.arrangement == SeatingPlan.Arrangement.ROSTRUM:
        return list(enumerate(plan.row_sizes, start=1))
    sides = {Seat.Side.GUESTS: 0, Seat.Side.HOSTS: 0}
    for row, position in places if places is not None else plan.seats.values_list("row", "position"):
        sides[row] = max(sides[row], position + 1)
    return [(side, count) for side, count in sides.items()]


SEAT_WIDTH, SEAT_HEIGHT, GAP, LABEL_WIDTH = 96, 52, 8, 56


def chart_of(view: PlanView) -> dict:
    """The SVG chart's geometry: each row a line of seats centred under the widest, front row on top."""
    widest = max((len(row.seats) for row in view.rows), default=0)
    width = LABEL_WIDTH + widest * (SEAT_WIDTH + GAP)
    rows = []
    for index, row in enumerate(view.rows):
        y = GAP + index * (SEAT_HEIGHT + 2 * GAP)
        left = LABEL_WIDTH + (widest - len(row.seats)) * (SEAT_WIDTH + GAP) / 2
        seats = [
            {
                "x": left + position * (SEAT_WIDTH + GAP),
                "cx": left + position * (SEAT_WIDTH + GAP) + SEAT_WIDTH / 2,
                "name": seat.person.name if seat else "",
                "rank": view.ranks.get(seat.person_id, "") if seat else "",
            }
            for position, seat in enumerate(row.seats)
        ]
        rows.append(
            {
                "label": row.label,
                "y": y,
                "label_y": y + SEAT_HEIGHT / 2 + 5,
                "name_y": y + 24,
                "rank_y": y + 42,
                "seats": seats,
            }
        )
    height = GAP + len(view.rows) * (SEAT_HEIGHT + 2 * GAP)
    return {"width": width, "height": height, "seat_width": SEAT_WIDTH, "seat_height": SEAT_HEIGHT, "rows": rows}
