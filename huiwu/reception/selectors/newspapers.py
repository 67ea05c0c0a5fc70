"""Reads of the subscription table and each working day's distribution list."""

from datetime import date


def newspapers_outstanding(day: date) -> list[str]:
    """What keeps the day's newspapers item open: the offices on the day's distribution list not ticked as
    delivered, one line each (e.g. "7楼 705室 吴晓峰：人民日报×1"). Empty: every office is done."""
    return []
