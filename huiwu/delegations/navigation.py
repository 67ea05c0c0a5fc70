"""The delegated tasks' entry of the main navigation (listed in core/navigation.py): for the staff roles that
read tasks, and for client contacts, who follow and confirm their organization's."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import ROLE_PERMISSIONS, Role
from huiwu.delegations.access import VIEW
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        _("Delegated tasks"),
        "delegations:list",
        frozenset({role for role, codes in ROLE_PERMISSIONS.items() if VIEW in codes} | {Role.CLIENT}),
    ),
)
