"""The main navigation: which entries each role sees. Each app contributes its own entries
(`<app>/navigation.py`); they are listed here, in the order of the menu, so a new capability adds one line."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory import navigation as directory
from huiwu.lib.navigation import NavItem
from huiwu.lostfound import navigation as lostfound
from huiwu.meetings import navigation as meetings
from huiwu.security import navigation as security
from huiwu.service import navigation as service
from huiwu.venues import navigation as venues

NAV_ITEMS = (
    NavItem(_("Today"), "core:today"),
    *service.NAV_ITEMS,
    *meetings.NAV_ITEMS,
    *venues.NAV_ITEMS,
    *directory.NAV_ITEMS,
    *lostfound.NAV_ITEMS,
    *security.NAV_ITEMS,
    NavItem(_("API"), "api:openapi-view", frozenset(Role) - {Role.CLIENT}),
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMIN})),
)


def nav_items_for(user: User) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAV_ITEMS
        if item.roles is None or user.has_role(*item.roles)
    ]
