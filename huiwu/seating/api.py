"""Seating over JSON: the protocol's order for an ad-hoc list (n people, a mode, a variant, the rostrum's rows
or a meeting table), so that an integrator can check a layout without any data of Huiwu's; and a meeting's
seating plan, generated from its leaders and guests and changed seat by seat, through the meeting's access."""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from huiwu.lib.api import (
    DateTime,
    Id,
    InputSchema,
    SmallCount,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    pdf_answered,
)
from huiwu.seating import services
from huiwu.seating.access import get_seating_meeting_for_user, get_seating_meeting_to_arrange
from huiwu.seating.exports import name_cards_pdf, seating_chart_pdf
from huiwu.seating.models import SeatingPlan
from huiwu.seating.protocol import (
    MAX_PEOPLE,
    MAX_ROWS,
    MAX_SEATS_IN_ROW,
    EvenVariant,
    Mode,
    rostrum_rows,
    table_sides,
)
from huiwu.seating.selectors import plan_view
from huiwu.service.access import require_service_reader

router = Router(tags=["seating"])

ModeIn = Literal[tuple(mode.value for mode in Mode)]
VariantIn = Literal[tuple(variant.value for variant in EvenVariant)]
_MODE = "domestic: 以左为上 (rank 2 on rank 1's own left); foreign: 以右为上, the mirror"
_VARIANT = "Even rows: a puts 2 on 1's own left (n=6 → 5 3 1 2 4 6); b mirrors it (6 4 2 1 3 5)"


class OrderIn(InputSchema):
    n: int = Field(ge=0, le=MAX_PEOPLE, description="How many people, in precedence order")
    mode: ModeIn = Field(Mode.DOMESTIC, description=_MODE)
    variant: VariantIn = Field(EvenVariant.A, description=_VARIANT)
    rows: list[int] = Field(
        [],
        max_length=MAX_ROWS,
        description=f"Seats per rostrum row, front row first (?rows=5&rows=7); none: one row of n. "
        f"At most {MAX_ROWS} rows of 1 to {MAX_SEATS_IN_ROW}",
    )


class OrderOut(Schema):
    n: int
    mode: ModeIn
    variant: VariantIn
    rows: list[list[int]] = Field(
        description="Each row, front row first: the ranks in its seats, left to right as seen from the audience"
    )


class TableIn(InputSchema):
    guests: int = Field(ge=0, le=MAX_SEATS_IN_ROW, description="People on the guests' side")
    hosts: int = Field(ge=0, le=MAX_SEATS_IN_ROW, description="People on the hosts' side")
    mode: ModeIn = Field(Mode.DOMESTIC, description=_MODE)
    variant: VariantIn = Field(EvenVariant.A, description=_VARIANT)


class TableOut(Schema):
    guests: list[int] = Field(description="The guests' side, facing the door: left to right as the hosts see it")
    hosts: list[int] = Field(description="The hosts' side, backs to the door: left to right as the guests see it")


@router.get(
    "/seating/order",
    response={200: OrderOut, **errors_answered(422)},
    summary="The protocol's seat order for n people on a rostrum (one or several rows), without any data",
)
@answers_validation_errors()
def seating_order(request: HttpRequest, query: Query[OrderIn]):
    require_service_reader(request.user)
    sizes = query.rows or None
    if sizes is not None and any(not 1 <= size <= MAX_SEATS_IN_ROW for size in sizes):
        raise ValidationError({"rows": _("A row has 1 to %(most)d seats.") % {"most": MAX_SEATS_IN_ROW}})
    if sizes is None and query.n > MAX_SEATS_IN_ROW:
        raise ValidationError(
            {"n": _("One row has at most %(most)d seats: give the rows.") % {"most": MAX_SEATS_IN_ROW}}
        )
    if sizes is not None and query.n > sum(sizes):
        raise ValidationError(
            {"rows": _("%(n)d people do not fit %(seats)d seats.") % {"n": query.n, "seats": sum(sizes)}}
        )
    mode, variant = Mode(query.mode), EvenVariant(query.variant)
    rows = rostrum_rows(query.n, row_sizes=sizes, mode=mode, variant=variant)
    return {"n": query.n, "mode": mode, "variant": variant, "rows": rows}


@router.get(
    "/seating/table",
    response={200: TableOut, **errors_answered(422)},
    summary="The protocol's seat order at a meeting table: each side's chief in its middle",
)
@answers_validation_errors()
def seating_table(request: HttpRequest, query: Query[TableIn]):
    require_service_reader(request.user)
    sides = table_sides(query.guests, query.hosts, mode=Mode(query.mode), variant=EvenVariant(query.variant))
    return {"guests": sides.guests, "hosts": sides.hosts}


# --- a meeting's seating plan -------------------------------------------------------------------------


class SeatPersonOut(Schema):
    id: int
    name: str
    title: str


class SeatOut(Schema):
    position: int = Field(description="0 is the leftmost seat as seen from the audience (a table: from across it)")
    rank: int | None = Field(description="The person's place in the meeting's precedence order; null: empty seat")
    person: SeatPersonOut | None


class RowOut(Schema):
    row: int = Field(description="A rostrum: 1 is the front row. A table: 1 the guests' side, 2 the hosts'")
    seats: list[SeatOut]


class ChangeOut(Schema):
    action: str
    detail: str
    at: DateTime
    by: UserRefOut


class PlanOut(Schema):
    arrangement: Literal[tuple(SeatingPlan.Arrangement.values)]
    rule: ModeIn
    variant: VariantIn
    row_sizes: list[int]
    rows: list[RowOut]
    is_out_of_date: bool = Field(description="The meeting's leaders and guests changed since it was generated")
    generated_at: DateTime
    generated_by: UserRefOut
    changes: list[ChangeOut]


class GenerateIn(InputSchema):
    arrangement: Literal[tuple(SeatingPlan.Arrangement.values)]
    rule: ModeIn = Field(Mode.DOMESTIC.value, description=_MODE)
    variant: VariantIn = Field(EvenVariant.A.value, description=_VARIANT)
    row_sizes: list[SmallCount] = Field(
        [], max_length=MAX_ROWS, description="A rostrum's seats per row, front first; none: one row of everyone"
    )


class PlaceIn(InputSchema):
    row: SmallCount
    position: SmallCount


class SwapIn(InputSchema):
    first: PlaceIn
    second: PlaceIn


def _plan_out(meeting) -> dict[str, Any] | None:
    view = plan_view(meeting)
    if view is None:
        return None
    return {
        "arrangement": view.plan.arrangement,
        "rule": view.plan.rule,
        "variant": view.plan.variant,
        "row_sizes": view.plan.row_sizes,
        "rows": [
            {
                "row": row.row,
                "seats": [
                    {
                        "position": position,
                        "rank": view.ranks.get(seat.person_id) if seat else None,
                        "person": seat.person if seat else None,
                    }
                    for position, seat in enumerate(row.seats)
                ],
            }
            for row in view.rows
        ],
        "is_out_of_date": view.is_out_of_date,
        "generated_at": view.plan.generated_at,
        "generated_by": view.plan.generated_by,
        "changes": list(view.plan.changes.select_related("by")),
    }


@router.get(
    "/meetings/{meeting_id}/seating",
    response={200: PlanOut, **errors_answered(404, 422)},
    summary="The meeting's seating plan, row by row (404 while none was generated)",
)
def meeting_seating(request: HttpRequest, meeting_id: Id):
    plan = _plan_out(get_seating_meeting_for_user(request.user, meeting_id))
    if plan is None:
        raise Http404
    return plan


@router.post(
    "/meetings/{meeting_id}/seating",
    response={200: PlanOut, **errors_answered(400, 404, 422)},
    summary="Generate the meeting's seating plan by protocol from its leaders and guests (replaces hand changes)",
)
@answers_validation_errors()
def meeting_seating_generate(request: HttpRequest, meeting_id: Id, payload: GenerateIn):
    meeting = get_seating_meeting_to_arrange(request.user, meeting_id)
    services.seating_plan_generate(
        user=request.user,
        meeting=meeting,
        arrangement=payload.arrangement,
        rule=payload.rule,
        variant=payload.variant,
        row_sizes=payload.row_sizes or None,
    )
    return _plan_out(meeting)


@router.post(
    "/meetings/{meeting_id}/seating/swap",
    response={200: PlanOut, **errors_answered(400, 404, 422)},
    summary="Exchange what two seats hold (two people, or a person and an empty seat)",
)
@answers_validation_errors()
def meeting_seating_swap(request: HttpRequest, meeting_id: Id, payload: SwapIn):
    meeting = get_seating_meeting_to_arrange(request.user, meeting_id)
    plan = SeatingPlan.objects.filter(meeting=meeting).first()
    if plan is None:
        raise Http404
    services.seating_seats_swap(
        user=request.user,
        plan=plan,
        first=(payload.first.row, payload.first.position),
        second=(payload.second.row, payload.second.position),
    )
    return _plan_out(meeting)


@router.get(
    "/meetings/{meeting_id}/seating.pdf",
    response=errors_answered(404, 422),
    openapi_extra=pdf_answered("The seating chart, A4 landscape, with its CJK font embedded"),
    summary="The meeting's seating chart as a PDF (404 while no plan was generated)",
)
def meeting_seating_pdf(request: HttpRequest, meeting_id: Id):
    meeting = get_seating_meeting_for_user(request.user, meeting_id)
    view = plan_view(meeting)
    if view is None:
        raise Http404
    return seating_chart_pdf(request.user, meeting, view)


@router.get(
    "/meetings/{meeting_id}/name-cards.pdf",
    response=errors_answered(404, 422),
    openapi_extra=pdf_answered("The name cards, one A4 tent card per page, with their CJK font embedded"),
    summary="The meeting's name cards (桌签) as a PDF: in the plan's seat order, else by precedence (404 if nobody)",
)
def meeting_name_cards_pdf(request: HttpRequest, meeting_id: Id):
    return name_cards_pdf(request.user, get_seating_meeting_for_user(request.user, meeting_id))
