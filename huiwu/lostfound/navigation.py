"""The lost-and-found register's entry of the main navigation (listed in core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (NavItem(_("Lost and found"), "lostfound:list", frozenset(Role) - {Role.CLIENT, Role.ADMIN}),)
