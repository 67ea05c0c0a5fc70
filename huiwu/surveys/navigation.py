"""The surveys' entry of the main navigation (listed in core/navigation.py): 满意度, for who reads the results."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import roles_holding
from huiwu.lib.navigation import NavItem
from huiwu.surveys.access import RESULTS_PERMISSION

NAV_ITEMS = (NavItem(_("Satisfaction"), "surveys:results", frozenset(roles_holding(RESULTS_PERMISSION))),)
