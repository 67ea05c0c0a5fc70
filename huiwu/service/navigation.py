"""The service's entries of the main navigation (listed in core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        _("Board"), "service:board", frozenset(Role) - {Role.CLIENT, Role.RECEPTION, Role.SECURITY_OFFICER, Role.ADMIN}
    ),
    NavItem(_("My tasks"), "service:my_tasks", frozenset({Role.ATTENDANT, Role.TEAM_LEADER, Role.ENV_SUPERVISOR})),
)
