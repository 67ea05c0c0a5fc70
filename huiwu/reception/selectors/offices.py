"""Reads of the leaders' offices: the presence board and the cleanings."""

from datetime import date


def cleaning_outstanding(day: date) -> list[str]:
    """What keeps the day's cleaning item open: the offices of leaders who are out (不在 that day, or 出差) not
    yet cleaned and locked, one line each (e.g. "7楼 705室 吴晓峰"). Empty: every such office is done."""
    return []
