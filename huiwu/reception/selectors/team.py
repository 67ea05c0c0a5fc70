"""Reads of the team: grooming self-checks and whereabouts notes."""

from datetime import date

from huiwu.accounts.models import User


def grooming_outstanding(day: date, user: User) -> list[str]:
    """What keeps `user`'s grooming item open on `day`: their self-check, when not recorded yet. Empty: done."""
    return []
