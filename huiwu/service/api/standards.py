"""The service standards: the version in force, their history, and a new version."""

import re
from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from huiwu.lib.api import (
    DateTime,
    InputSchema,
    SmallCount,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    without_defaults,
)
from huiwu.service import services
from huiwu.service.access import can_edit_standards, can_see_service
from huiwu.service.api.types import REQUEST_FIELDS
from huiwu.service.models import ServiceStandard
from huiwu.service.standards import standard_current, standard_values
from huiwu.venues.models import Site

router = Router(tags=["service"])


class StandardOut(Schema):
    id: int | None = Field(description="null: the seed's defaults, never changed")
    level1_minutes: int = Field(description="Level 1 check due this long before the start")
    level2_minutes: int
    level3_minutes: int
    summer_refills: list[list[int]] = Field(description="[from, to] minutes: first, second, then repeated")
    winter_refills: list[list[int]]
    summer_from: str = Field(description="MM-DD")
    summer_until: str = Field(description="MM-DD, inclusive")
    site_seasons: dict[str, list[str]] = Field(description='Site code → ["MM-DD", "MM-DD"], the summer there')
    recess_headcount: int = Field(
        description="A meeting from this headcount is large: tea cups are changed at the recess"
    )
    ready_minutes: int = Field(description="The room is ready this long before the start")
    ready_item: str
    recess_item: str
    level1_items: list[str]
    level2_items: list[str]
    level3_items: list[str]
    before_items: list[str]
    after_items: list[str]
    confidential_before_items: list[str] = Field(description="Joined to a confidential meeting's before list")
    confidential_after_items: list[str] = Field(description="Joined to a confidential meeting's after list")
    changed_by: UserRefOut | None
    changed_at: DateTime = Field(description="In force from")
    reason: str


MAX_REFILL_MINUTES = 240
MAX_REFILL_WINDOWS = 20
MAX_CHECKLIST_ITEMS = 50
ITEM_MAX_LENGTH = 200


def _is_window(window: Any) -> bool:
    # bool is an int in Python, and true is no number of minutes.
    if not (isinstance(window, list) and len(window) == 2 and all(type(minutes) is int for minutes in window)):
        return False
    return 0 < window[0] <= window[1] <= MAX_REFILL_MINUTES


def _refill_windows(value: Any) -> Any:
    if not (isinstance(value, list) and 0 < len(value) <= MAX_REFILL_WINDOWS and all(map(_is_window, value))):
        raise PydanticCustomError(
            "refill_windows",
            _("Give one to %(count)s windows as [from, to] in minutes, with 0 < from ≤ to ≤ %(max)s.")
            % {"count": MAX_REFILL_WINDOWS, "max": MAX_REFILL_MINUTES},
        )
    return value


def _is_month_day(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d\d-\d\d", value):
        return False
    try:
        date(2000, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a day of the year
    except ValueError:
        return False
    return True


def _month_day(value: Any) -> Any:
    if not _is_month_day(value):
        raise PydanticCustomError("month_day", _("Give a day of the year as MM-DD, e.g. 05-01."))
    return value


def _site_seasons(value: Any) -> Any:
    if not isinstance(value, dict) or not all(
        isinstance(code, str) and isinstance(days, list) and len(days) == 2 and all(_is_month_day(day) for day in days)
        for code, days in value.items()
    ):
        raise PydanticCustomError(
            "site_seasons", _("Give each site's summer under its code as two days, from and until, written MM-DD.")
        )
    return value


def _item(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > ITEM_MAX_LENGTH:
        raise PydanticCustomError(
            "checklist_item", _("Write each item out, in at most %(max)s characters.") % {"max": ITEM_MAX_LENGTH}
        )
    return value.strip()


def _items(value: Any) -> Any:
    if not isinstance(value, list) or len(value) > MAX_CHECKLIST_ITEMS:
        raise PydanticCustomError(
            "checklist", _("Give a list of at most %(count)s items.") % {"count": MAX_CHECKLIST_ITEMS}
        )
    items = [_item(item) for item in value]
    if len(set(items)) < len(items):
        twice = next(item for item in items if items.count(item) > 1)
        raise PydanticCustomError("checklist", _("“%(item)s” is listed twice.") % {"item": twice})
    return items


RefillWindows = Annotated[
    list[Annotated[list[Annotated[int, Field(ge=1, le=MAX_REFILL_MINUTES)]], Field(min_length=2, max_length=2)]],
    Field(min_length=1, max_length=MAX_REFILL_WINDOWS),
    BeforeValidator(_refill_windows),
]
MonthDay = Annotated[str, Field(pattern=r"^\d\d-\d\d$", examples=["05-01"]), BeforeValidator(_month_day)]
Item = Annotated[str, Field(min_length=1, max_length=ITEM_MAX_LENGTH), BeforeValidator(_item)]
Items = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=ITEM_MAX_LENGTH)]],
    Field(max_length=MAX_CHECKLIST_ITEMS),
    BeforeValidator(_items),
]
SiteSeasons = Annotated[
    dict[str, Annotated[list[Annotated[str, Field(pattern=r"^\d\d-\d\d$")]], Field(min_length=2, max_length=2)]],
    BeforeValidator(_site_seasons),
]


class StandardIn(InputSchema):
    """A new version of the standards: the fields sent change, the others keep their current value."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    level1_minutes: SmallCount = None
    level2_minutes: SmallCount = None
    level3_minutes: SmallCount = None
    summer_refills: RefillWindows = Field(None, description="[from, to] minutes, 0 < from ≤ to ≤ 240")
    winter_refills: RefillWindows = Field(None, description="[from, to] minutes, 0 < from ≤ to ≤ 240")
    summer_from: MonthDay = None
    summer_until: MonthDay = None
    site_seasons: SiteSeasons = Field(None, description='Site code → ["MM-DD", "MM-DD"]')
    recess_headcount: SmallCount = None
    ready_minutes: SmallCount = None
    ready_item: Item = None
    recess_item: Item = None
    level1_items: Items = None
    level2_items: Items = None
    level3_items: Items = None
    before_items: Items = None
    after_items: Items = None
    confidential_before_items: Items = None
    confidential_after_items: Items = None
    reason: str = Field("", max_length=200, description="Why the standards change; kept with the version")


@router.get(
    "/service/standard",
    response={200: StandardOut, **errors_answered()},
    summary="The service standards in force for every meeting that has not started",
)
def standard(request: HttpRequest):
    if not can_see_service(request.user):
        raise PermissionDenied
    return standard_current()


@router.get(
    "/service/standards",
    response={200: list[StandardOut], **errors_answered()},
    summary="Every saved version of the standards, the one in force first",
)
def standards(request: HttpRequest):
    if not can_see_service(request.user):
        raise PermissionDenied
    return list(ServiceStandard.objects.select_related("changed_by").order_by("-changed_at", "-id"))


@router.post(
    "/service/standards",
    response={201: StandardOut, **errors_answered(422)},
    summary="A new version of the standards (managers); it applies at once to every meeting not yet started",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def standard_create(request: HttpRequest, payload: StandardIn):
    if not can_edit_standards(request.user):
        raise PermissionDenied
    changes = payload.model_dump(exclude_unset=True, exclude={"reason"})
    codes = set(changes.get("site_seasons") or {})
    if unknown := sorted(codes - set(Site.objects.filter(code__in=codes).values_list("code", flat=True))):
        raise ValidationError(
            {"site_seasons": _("There are no sites with these codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    values = standard_values(standard_current()) | changes
    created = services.standard_create(user=request.user, values=values, reason=payload.reason)
    return Reply(201, created)
