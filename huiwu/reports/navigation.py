"""The reports' entry of the main navigation (listed in core/navigation.py): 报表, for the service centre's manager
(a client contact reads their own organization's figures at the same address)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (NavItem(_("Reports"), "reports:dashboard", frozenset({Role.MANAGER})),)
