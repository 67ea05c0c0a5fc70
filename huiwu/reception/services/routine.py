"""The day's timeline: planning a working day from the routine standard, and ticking its items."""

from datetime import date, datetime

from huiwu.accounts.models import User
from huiwu.reception.models import RoutineItem


def routine_item_complete(*, day: date, code: str, user: User, at: datetime | None = None) -> RoutineItem | None:
    """Mark the `code` item of `day` done by `user` because the facts it stands for now hold (called by the
    service whose write completed them, e.g. the last office's newspapers ticked). No-op when the day has no
    timeline or the item is done already."""
    return None
