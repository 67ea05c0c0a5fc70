"""The navigation: which entries each role sees. Each app contributes its own entries of the main menu
(`<app>/navigation.py`); they are listed here, in the order of the menu, so a new capability adds one line.
Here too: the user menu (the account's pages) and the phone's tab bar, which repeats the few entries an
attendant's day runs on."""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.delegations import navigation as delegations
from huiwu.directory import navigation as directory
from huiwu.feedback import navigation as feedback
from huiwu.lib.navigation import NavItem
from huiwu.lostfound import navigation as lostfound
from huiwu.meetings import navigation as meetings
from huiwu.reception import navigation as reception
from huiwu.reports import navigation as reports
from huiwu.security import navigation as security
from huiwu.service import navigation as service
from huiwu.surveys import navigation as surveys
from huiwu.venues import navigation as venues

NAV_ITEMS = (
    NavItem(_("Today"), "core:today"),
    *service.NAV_ITEMS,
    *meetings.NAV_ITEMS,
    *delegations.NAV_ITEMS,
    *feedback.NAV_ITEMS,
    *surveys.NAV_ITEMS,
    *reception.NAV_ITEMS,
    *reports.NAV_ITEMS,
    *venues.NAV_ITEMS,
    *directory.NAV_ITEMS,
    *lostfound.NAV_ITEMS,
    *security.NAV_ITEMS,
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMIN})),
)

# The account's own pages. Everybody signed in may create API tokens (accounts.views), so the API's
# documentation sits with them here rather than in the main menu, where it meant nothing to most users.
USER_MENU = (
    NavItem(_("Notification settings"), "notify:preferences"),
    NavItem(_("Change password"), "accounts:password_change"),
    NavItem(_("Calendar feeds"), "meetings:calendar"),
    NavItem(_("API tokens"), "accounts:api_tokens"),
    NavItem(_("API documentation"), "api:openapi-view"),
)


@dataclass(frozen=True)
class Tab:
    key: str  # names the tab's icon (templates/_tab_icon.html)
    label: Promise
    url_name: str
    # None: whoever has the entry in the main menu; otherwise only those of them holding one of these roles.
    roles: frozenset[str] | None = None


# The phone's tab bar, after which comes "me" (the user menu). A tab is shown to whoever has its entry in
# the main menu (the same roles); the inbox, which is not in the menu, to everybody.
TABS = (
    Tab("today", _("Today"), "core:today"),
    # A client follows their organization's meetings (即将举行 / 已结束) from the phone: staff reach the list
    # from the menu, their tabs are the day's work.
    Tab("meetings", _("Meetings"), "meetings:list", frozenset({Role.CLIENT})),
    # The reception attendant's day runs on the routine's timeline; the team leader and the manager read it
    # from the menu.
    Tab("day", pgettext_lazy("phone tab bar", "Routine"), "reception:day", frozenset({Role.RECEPTION})),
    Tab("tasks", _("Tasks"), "service:my_tasks"),
    Tab("board", _("Board"), "service:board"),
    # Short enough for a fifth of a phone's width in English too.
    Tab("inbox", pgettext_lazy("phone tab bar", "Inbox"), "notify:inbox"),
)
_MENU_ROLES = {item.url_name: item.roles for item in NAV_ITEMS}


def _allowed(user: User, roles: frozenset[str] | None) -> bool:
    return user.is_authenticated and (roles is None or user.has_role(*roles))


@lru_cache(maxsize=256)
def _url(url_name: str, script_prefix: str) -> str:
    # Every page shows the menu: reversed once per entry and prefix, not on every request.
    return reverse(url_name)


def _link(item: NavItem | Tab) -> dict:
    return {"label": item.label, "url": _url(item.url_name, get_script_prefix()), "url_name": item.url_name}


def nav_items_for(user: User) -> list[dict]:
    return [_link(item) for item in NAV_ITEMS if _allowed(user, item.roles)]


def user_menu_for(user: User) -> list[dict]:
    return [_link(item) for item in USER_MENU if _allowed(user, item.roles)]


def tabs_for(user: User) -> list[dict]:
    return [
        _link(tab) | {"key": tab.key}
        for tab in TABS
        if _allowed(user, _MENU_ROLES.get(tab.url_name)) and _allowed(user, tab.roles)
    ]
