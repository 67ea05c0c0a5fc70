"""Who may read rooms. Every page and API call about rooms goes through these."""

from django.db.models import QuerySet
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import RoleRequired, roles_holding
from huiwu.venues.models import Room


def can_read_rooms(user: User) -> bool:
    # Clients read rooms too: they pick one to request a booking.
    return user.has_perm("venues.view_room") or user.has_perm("meetings.add_meeting")


def require_room_reader(user: User) -> None:
    if not can_read_rooms(user):
        raise RoleRequired([*roles_holding("venues.view_room"), *roles_holding("meetings.add_meeting")])


def rooms_for(user: User) -> QuerySet[Room]:
    """The rooms in service, for a user who may read rooms; RoleRequired (403) for anybody else."""
    require_room_reader(user)
    return Room.objects.active().select_related("floor__site").prefetch_related("equipment")


def get_room_for_user(user: User, code: str) -> Room:
    room = rooms_for(user).filter(code=code).first()
    if room is None:
        raise Http404
    return room
