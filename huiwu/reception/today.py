"""Reception's part of the today page (listed in core/today.py)."""

from huiwu.accounts.models import User
from huiwu.lib.today import TodaySection


def today_sections(user: User) -> list[TodaySection]:
    return []
