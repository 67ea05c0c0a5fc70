"""Reception's entry of the main navigation (listed in core/navigation.py): 接待, for who reads the reception
team's day."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import roles_holding
from huiwu.lib.navigation import NavItem
from huiwu.reception.access import READ

NAV_ITEMS = (NavItem(_("Reception"), "reception:day", frozenset(roles_holding(READ))),)
