from datetime import time

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from huiwu.lib.api import errors_answered
from huiwu.venues.access import get_room_for_user, rooms_for
from huiwu.venues.models import Layout, Room, Site

router = Router(tags=["venues"])


class SiteOut(Schema):
    code: str
    name: str


class SiteDetailOut(SiteOut):
    day_starts: time = Field(description="The room timeline's usual day starts (HH:MM:SS, Shanghai time)")
    day_ends: time = Field(description="… and ends; a meeting outside it widens that day's timeline")


class FloorOut(Schema):
    name: str
    level: int


class LayoutOut(Schema):
    code: Layout
    label: str


class RoomRefOut(Schema):
    """A room as other objects (meetings) mention it."""

    code: str
    name: str
    site: SiteOut
    floor: FloorOut

    @staticmethod
    def resolve_site(room: Room) -> Site:
        return room.floor.site


class RoomOut(RoomRefOut):
    site: SiteDetailOut
    capacity: int
    layouts: list[LayoutOut]
    equipment: list[str]
    default_setup_minutes: int
    default_teardown_minutes: int
    notes: str

    @staticmethod
    def resolve_layouts(room: Room) -> list[dict]:
        labels = dict(Layout.choices)
        return [{"code": code, "label": str(labels[code])} for code in room.layouts if code in labels]

    @staticmethod
    def resolve_equipment(room: Room) -> list[str]:
        return [equipment.name for equipment in room.equipment.all()]


@router.get(
    "/rooms",
    response={200: list[RoomOut], **errors_answered()},
    summary="Rooms in service, by site, floor and name",
)
def rooms(request: HttpRequest):
    return rooms_for(request.user)


@router.get(
    "/rooms/{code}",
    response={200: RoomOut, **errors_answered(404, 422)},
    summary="One room in service, by its code",
)
def room(request: HttpRequest, code: str = Path(max_length=40)):
    return get_room_for_user(request.user, code)
