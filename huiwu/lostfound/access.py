"""Who may see and do what with the lost-and-found register. Every page, API call and export goes through these.

Service staff see the whole register; clients and users without a role see none of it, and an item they
may not see is indistinguishable from one that does not exist.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import RoleRequired
from huiwu.lostfound.models import LostItem, LostItemQuerySet
from huiwu.meetings.access import meetings_visible_to


def can_view(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("lostfound.view_lostitem")


def require_lost_item_reader(user: User) -> None:
    if not can_view(user):
        raise RoleRequired.holding("lostfound.view_lostitem")


def require_lost_item_registrar(user: User) -> None:
    if not can_register(user):
        raise RoleRequired.holding("lostfound.view_lostitem", "lostfound.add_lostitem")


def require_lost_item_returner(user: User) -> None:
    if not can_return(user):
        raise RoleRequired.holding("lostfound.view_lostitem", "lostfound.change_lostitem")


def lost_items_visible_to(user: User) -> LostItemQuerySet:
    """The register, each item annotated `meeting_hidden` when its meeting is a confidential one the user may
    not see: then only its time shows, as a busy block."""
    items = LostItem.objects.select_related("meeting", "room__floor__site", "found_by", "handed_over_by", "recorded_by")
    if not can_view(user):
        return items.none()
    shown = meetings_visible_to(user).filter(pk=OuterRef("meeting_id"))
    return items.annotate(
        meeting_hidden=ExpressionWrapper(Q(meeting__isnull=False) & ~Exists(shown), output_field=BooleanField())
    )


def get_lost_item_for_user(user: User, item_id: int) -> LostItem:
    try:
        return lost_items_visible_to(user).get(pk=item_id)
    except LostItem.DoesNotExist:
        raise Http404 from None


def can_register(user: User) -> bool:
    return can_view(user) and user.has_perm("lostfound.add_lostitem")


def can_return(user: User) -> bool:
    """Records that an item went back to its owner (the security officer only reads the register)."""
    return can_view(user) and user.has_perm("lostfound.change_lostitem")


def get_lost_item_to_return(user: User, item_id: int) -> LostItem:
    """An item whose return the user records: 404 as get_lost_item_for_user, then 403 for readers only."""
    item = get_lost_item_for_user(user, item_id)
    require_lost_item_returner(user)
    return item
