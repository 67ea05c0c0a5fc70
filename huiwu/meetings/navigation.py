"""The meetings' entries of the main navigation (listed in core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Timeline"), "meetings:timeline", frozenset(Role)),
    NavItem(_("Meetings"), "meetings:list", frozenset(Role)),
)
