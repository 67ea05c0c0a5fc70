"""The main navigation: which entries each role sees. Later capabilities add their entries here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    # None: every signed-in user; otherwise any one of these roles.
    roles: frozenset[Role] | None = None


NAV_ITEMS = [
    NavItem(_("Today"), "core:today"),
    NavItem(
        _("Board"), "service:board", frozenset(Role) - {Role.CLIENT, Role.RECEPTION, Role.SECURITY_OFFICER, Role.ADMIN}
    ),
    NavItem(_("My tasks"), "service:my_tasks", frozenset({Role.ATTENDANT, Role.TEAM_LEADER, Role.ENV_SUPERVISOR})),
    NavItem(_("Timeline"), "meetings:timeline", frozenset(Role)),
    NavItem(_("Meetings"), "meetings:list", frozenset(Role)),
    NavItem(_("Rooms"), "venues:list", frozenset(Role)),
    NavItem(_("Directory"), "directory:people", frozenset(Role) - {Role.CLIENT}),
    NavItem(_("Lost and found"), "lostfound:list", frozenset(Role) - {Role.CLIENT, Role.ADMIN}),
    NavItem(_("Qualifications"), "security:staff", frozenset({Role.MANAGER, Role.SECURITY_OFFICER})),
    NavItem(_("Audit log"), "security:audit", frozenset({Role.SECURITY_OFFICER})),
    NavItem(_("API"), "api:openapi-view", frozenset(Role) - {Role.CLIENT}),
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMIN})),
]


def nav_items_for(user: User) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAV_ITEMS
        if item.roles is None or user.has_role(*item.roles)
    ]
