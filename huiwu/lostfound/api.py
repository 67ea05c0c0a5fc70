"""The lost-and-found register over JSON. Views stay thin: parse, fetch through access.py, call the service.

An item the user may not see answers 404 like one that does not exist. Times are ISO 8601; a time without
an offset is Shanghai time, and answers carry the +08:00 offset.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from huiwu.lib.api import (
    DateTime,
    Id,
    InputSchema,
    Page,
    PageIn,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    xlsx_answered,
)
from huiwu.lib.params import MAX_ID
from huiwu.lostfound import services
from huiwu.lostfound.access import (
    get_lost_item_for_user,
    lost_items_visible_to,
    require_lost_item_reader,
    require_lost_item_registrar,
    require_lost_item_returner,
)
from huiwu.lostfound.exports import lost_items_export
from huiwu.lostfound.models import LostItem
from huiwu.lostfound.selectors import SEARCH_MAX_LENGTH, State, handover_staff, lost_items_filtered
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.describe import CONFIDENTIAL_LABEL
from huiwu.venues.api import RoomRefOut
from huiwu.venues.models import Room

router = Router(tags=["lost and found"])

_READ_ERRORS = errors_answered(404, 422)


# --- output -------------------------------------------------------------------------------------------


class MeetingRefOut(Schema):
    id: int | None = Field(description="null for a confidential meeting the caller may not see")
    title: str
    start: DateTime
    end: DateTime


class LostItemOut(Schema):
    id: int
    description: str
    state: State = Field(description='"open" until returned, then "returned"')
    meeting: MeetingRefOut | None
    room: RoomRefOut | None
    found_where: str
    found_by: UserRefOut
    found_at: DateTime
    stored_where: str
    returned_to: str
    returned_to_phone: str
    returned_at: DateTime | None
    handed_over_by: UserRefOut | None
    notes: str
    recorded_by: UserRefOut
    recorded_at: DateTime

    @staticmethod
    def resolve_meeting(item: LostItem) -> dict | None:
        meeting = item.meeting
        if meeting is None:
            return None
        if item.meeting_hidden:
            return {"id": None, "title": str(CONFIDENTIAL_LABEL), "start": meeting.start, "end": meeting.end}
        return {"id": meeting.pk, "title": meeting.title, "start": meeting.start, "end": meeting.end}

    @staticmethod
    def resolve_state(item: LostItem) -> str:
        return State.OPEN if item.is_open else State.RETURNED


class LostItemPageOut(Page[LostItemOut]):
    pass


# --- input --------------------------------------------------------------------------------------------


class LostItemFiltersIn(InputSchema):
    """The filters of the register, its page and its export alike."""

    state: State = Field(State.OPEN, description="open (default), returned or all; open items come first")
    q: str = Field("", max_length=SEARCH_MAX_LENGTH, description="Part of the item, where found or where kept")


class LostItemListIn(PageIn, LostItemFiltersIn):
    pass


class LostItemIn(InputSchema):
    description: str = Field(max_length=200, description="What it is, e.g. 黑色保温杯")
    found_where: str = Field(max_length=200, description="e.g. 主席台第三座")
    found_at: DateTime = Field(description="Not in the future")
    stored_where: str = Field(max_length=200, description="Where it is kept until returned")
    meeting_id: Id | None = None
    room: str | None = Field(None, max_length=40, description="Room code; omitted: the meeting's room")
    notes: str = Field("", max_length=2000)


class ReturnIn(InputSchema):
    returned_to: str = Field(max_length=100, description="Who received the item")
    returned_to_phone: str = Field("", max_length=30)
    returned_at: DateTime | None = Field(None, description="Omitted: now. Not in the future, not before found_at")
    handed_over_by_id: Id | None = Field(None, description="A member of staff; omitted: the caller")


# --- helpers ------------------------------------------------------------------------------------------

# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {"meeting": "meeting_id", "handed_over_by": "handed_over_by_id"}


def _item(user, item_id: int) -> LostItem:
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= item_id <= MAX_ID:
        raise Http404
    return get_lost_item_for_user(user, item_id)


def _references(user, payload: dict[str, Any]) -> dict[str, Any]:
    """Ids and codes of the request as the objects the services take, or field errors."""
    values = dict(payload)
    errors: dict[str, str] = {}
    if "meeting_id" in values:
        meeting_id = values.pop("meeting_id")
        values["meeting"] = None
        if meeting_id is not None:
            values["meeting"] = meetings_visible_to(user).filter(pk=meeting_id).first()
            if values["meeting"] is None:
                errors["meeting_id"] = _("There is no meeting with this id.")
    if values.get("room") is not None:
        code = values["room"]
        values["room"] = Room.objects.select_related("floor__site").filter(code=code).first()
        if values["room"] is None:
            errors["room"] = _("There is no room with this code.")
    if "handed_over_by_id" in values:
        user_id = values.pop("handed_over_by_id")
        values["handed_over_by"] = None
        if user_id is not None:
            values["handed_over_by"] = handover_staff().filter(pk=user_id).first()
            if values["handed_over_by"] is None:
                errors["handed_over_by_id"] = _("Choose an active member of staff who may hand items over.")
    if errors:
        raise ValidationError(errors)
    return values


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/lost-items",
    response={200: LostItemPageOut, **errors_answered(422)},
    summary="The lost-and-found register: items not yet returned by default, newest found first",
)
def lost_items(request: HttpRequest, filters: Query[LostItemListIn]):
    require_lost_item_reader(request.user)
    found = lost_items_filtered(lost_items_visible_to(request.user), state=filters.state, q=filters.q)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": list(page)}


@router.post(
    "/lost-items",
    response={201: LostItemOut, **errors_answered(400, 422)},
    summary="Register a found item; found by the caller, in the meeting's room unless a room is given",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def lost_item_create(request: HttpRequest, payload: LostItemIn):
    require_lost_item_registrar(request.user)
    item = services.lost_item_register(user=request.user, **_references(request.user, payload.model_dump()))
    return Reply(201, get_lost_item_for_user(request.user, item.pk))


@router.get(
    "/lost-items/export.xlsx",
    response=errors_answered(422),
    openapi_extra=xlsx_answered("The register as an Excel workbook, in the caller's language"),
    summary="The register as an Excel workbook, filtered as the list is; a confidential meeting the caller may "
    "not see is named only as such",
)
def lost_items_export_xlsx(request: HttpRequest, filters: Query[LostItemFiltersIn]):
    require_lost_item_reader(request.user)
    return lost_items_export(request.user, state=filters.state, q=filters.q.strip())


@router.get(
    "/lost-items/{item_id}",
    response={200: LostItemOut, **_READ_ERRORS},
    summary="One item of the register",
)
def lost_item_detail(request: HttpRequest, item_id: int):
    return _item(request.user, item_id)


@router.post(
    "/lost-items/{item_id}/return",
    response={200: LostItemOut, **errors_answered(400, 404, 422)},
    summary="Record that an item went back to its owner; an item is returned once",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def lost_item_return(request: HttpRequest, item_id: int, payload: ReturnIn):
    item = _item(request.user, item_id)
    require_lost_item_returner(request.user)
    services.lost_item_return(user=request.user, item=item, **_references(request.user, payload.model_dump()))
    return get_lost_item_for_user(request.user, item.pk)
