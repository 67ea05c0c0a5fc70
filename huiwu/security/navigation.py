"""The security pages' entries of the main navigation (listed in core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Qualifications"), "security:staff", frozenset({Role.MANAGER, Role.SECURITY_OFFICER})),
    NavItem(_("Audit log"), "security:audit", frozenset({Role.SECURITY_OFFICER})),
)
