"""Seating over JSON: the protocol's order for an ad-hoc list (n people, a mode, a variant, the rostrum's rows
or a meeting table), so that an integrator can check a layout without any data of Huiwu's."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from huiwu.lib.api import InputSchema, answers_validation_errors, errors_answered
from huiwu.seating.protocol import (
    MAX_PEOPLE,
    MAX_ROWS,
    MAX_SEATS_IN_ROW,
    EvenVariant,
    Mode,
    rostrum_rows,
    table_sides,
)
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
