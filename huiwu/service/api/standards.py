"""The service standards: the version in force, their history, and a new version."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import ConfigDict, WithJsonSchema

from huiwu.lib.api import (
    DateTime,
    InputSchema,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    without_defaults,
)
from huiwu.service import services
from huiwu.service.access import require_service_reader, require_standards_editor
from huiwu.service.api.types import REQUEST_FIELDS
from huiwu.service.models import ServiceStandard
from huiwu.service.standards import (
    MAX_CHECKLIST_ITEMS,
    MAX_CONFIRM_EARLY_MINUTES,
    MAX_REFILL_MINUTES,
    MAX_REFILL_WINDOWS,
    standard_current,
    standard_values,
)

router = Router(tags=["service"])


class StandardOut(Schema):
    id: int | None = Field(description="null: the seed's defaults, never changed")
    level1_minutes: int = Field(description="Level 1 check due this long before the start")
    level2_minutes: int
    level3_minutes: int
    confirm_early_minutes: int = Field(
        description="A level can be passed from this long before it is due (a problem may be reported earlier)"
    )
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


# The input is only parsed here: the rules a new version keeps (bounds, order, items listed once, known
# sites) are standards.standard_clean's, enforced by services.standard_create for the page and the API alike.
# Lists are taken whole, as sent, so that the rules judge their items too and name the list, not an item.
RefillWindows = Annotated[
    list[Any], WithJsonSchema({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}})
]
Items = Annotated[list[Any], WithJsonSchema({"type": "array", "items": {"type": "string"}})]
SiteSeasons = Annotated[
    dict[str, Any],
    WithJsonSchema({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}),
]


class StandardIn(InputSchema):
    """A new version of the standards: the fields sent change, the others keep their current value."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    level1_minutes: int = Field(None, description="Level 1 is due this long before the start, more than level 2")
    level2_minutes: int = Field(None, description="More than level 3")
    level3_minutes: int = Field(None, description="1 to 1440 minutes, as the others")
    confirm_early_minutes: int = Field(
        None, description=f"1 to {MAX_CONFIRM_EARLY_MINUTES}: how long before it is due a level can be passed"
    )
    summer_refills: RefillWindows = Field(
        None, description=f"[from, to] minutes, 0 < from ≤ to ≤ {MAX_REFILL_MINUTES}, 1 to {MAX_REFILL_WINDOWS}"
    )
    winter_refills: RefillWindows = Field(None, description="As summer_refills")
    summer_from: str = Field(None, description="MM-DD", examples=["05-01"])
    summer_until: str = Field(None, description="MM-DD, inclusive", examples=["09-30"])
    site_seasons: SiteSeasons = Field(None, description='Site code → ["MM-DD", "MM-DD"]')
    recess_headcount: int = None
    ready_minutes: int = None
    ready_item: str = None
    recess_item: str = None
    level1_items: Items = Field(None, description=f"At most {MAX_CHECKLIST_ITEMS} items, each once")
    level2_items: Items = None
    level3_items: Items = None
    before_items: Items = None
    after_items: Items = None
    confidential_before_items: Items = Field(None, description="May be empty")
    confidential_after_items: Items = Field(None, description="May be empty")
    reason: str = Field("", max_length=200, description="Why the standards change; kept with the version")


@router.get(
    "/service/standard",
    response={200: StandardOut, **errors_answered()},
    summary="The service standards in force for every meeting that has not started",
)
def standard(request: HttpRequest):
    require_service_reader(request.user)
    return standard_current()


@router.get(
    "/service/standards",
    response={200: list[StandardOut], **errors_answered()},
    summary="Every saved version of the standards, the one in force first",
)
def standards(request: HttpRequest):
    require_service_reader(request.user)
    return list(ServiceStandard.objects.select_related("changed_by").order_by("-changed_at", "-id"))


@router.post(
    "/service/standards",
    response={201: StandardOut, **errors_answered(400, 422)},
    summary="A new version of the standards (managers); it applies at once to every meeting not yet started",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def standard_create(request: HttpRequest, payload: StandardIn):
    require_standards_editor(request.user)
    changes = payload.model_dump(exclude_unset=True, exclude={"reason"})
    values = standard_values(standard_current()) | changes
    created = services.standard_create(user=request.user, values=values, reason=payload.reason)
    return Reply(201, created)
