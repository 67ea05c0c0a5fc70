"""Reads shared by the pages, the API and the export. Callers pass a queryset already limited by access.py."""

from django.db.models import F, Q, QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import ROLE_PERMISSIONS
from huiwu.lostfound.models import LostItemQuerySet

SEARCH_MAX_LENGTH = 100


class State(TextChoices):
    OPEN = "open", _("Not yet returned")
    RETURNED = "returned", _("Returned")
    ALL = "all", _("All")


def lost_items_filtered(items: LostItemQuerySet, *, state: str = State.OPEN, q: str = "") -> LostItemQuerySet:
    """Items in `state` whose description, place found or place kept contain `q`; open ones first.

    Open items come newest found first; returned ones follow, most recently returned first."""
    if state == State.OPEN:
        items = items.open()
    elif state == State.RETURNED:
        items = items.filter(returned_at__isnull=False)
    q = q.strip()
    if q:
        items = items.filter(Q(description__icontains=q) | Q(found_where__icontains=q) | Q(stored_where__icontains=q))
    return items.order_by(F("returned_at").desc(nulls_first=True), "-found_at", "-id")


def handover_staff() -> QuerySet[User]:
    """Who may hand an item back: active users holding a role that may record returns (roles.py decides)."""
    roles = [role.value for role, codes in ROLE_PERMISSIONS.items() if "lostfound.change_lostitem" in codes]
    return User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("display_name", "username")
