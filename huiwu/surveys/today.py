from huiwu.accounts.models import User
from huiwu.lib.today import TodaySection


def today_sections(user: User) -> list[TodaySection]:
    return []
