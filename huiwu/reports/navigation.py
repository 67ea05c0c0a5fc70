"""The reports' entries of the main navigation (listed in core/navigation.py): 报表 for the service centre's
manager; for a client contact their organization's monthly service reports (whose page links to their figures
on the dashboard)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Reports"), "reports:dashboard", frozenset({Role.MANAGER})),
    NavItem(_("Monthly service reports"), "reports:monthly", frozenset({Role.CLIENT})),
)
