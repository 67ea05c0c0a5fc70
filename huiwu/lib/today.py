"""A section of the today page, as each app contributes it (`<app>/today.py`, listed in core/today.py)."""

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.functional import Promise


@dataclass
class TodaySection:
    """What one of the user's roles (an accounts.roles.Role) has waiting today, and where to go about it."""

    role: TextChoices
    hint: Promise
    waiting: str = ""  # e.g. "2 checks to confirm today"; empty: nothing waiting
    link_url: str = ""
    link_label: Promise | str = ""
