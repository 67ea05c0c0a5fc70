"""The complaints' entries of the main navigation (listed in core/navigation.py): "投诉" for who handles
complaints and for client contacts (their own, and the form to send one), "案例库" for every role that reads
the case library. Follow-ups are reached from the complaints page and the today page."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role, roles_holding
from huiwu.lib.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        _("Complaints"), "feedback:complaints", frozenset({*roles_holding("feedback.view_complaint"), Role.CLIENT})
    ),
    NavItem(_("Case library"), "feedback:cases", frozenset(roles_holding("feedback.view_case"))),
)
