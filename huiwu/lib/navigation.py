"""An entry of the main navigation, as each app contributes it (`<app>/navigation.py`, listed in
core/navigation.py)."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    # None: every signed-in user; otherwise any one of these roles (accounts.roles.Role).
    roles: frozenset[str] | None = None
