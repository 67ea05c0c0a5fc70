"""Reads of the leaders' lunch: tableware, menu, the five checks and the requests."""

from datetime import date


def lunch_outstanding(day: date) -> list[str]:
    """What keeps the day's lunch item open: the five checks not done yet (the fifth names the leaders not yet
    told the menu and asked), one line each. Empty: all five are done."""
    return []
