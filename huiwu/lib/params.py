"""Reading query and form parameters that nobody validated yet: a bad value reads as None, never a 500."""

from datetime import date

from django.utils.dateparse import parse_date

from huiwu.lib.dates import EARLIEST_DAY, LATEST_DAY

MAX_ID = 2**63 - 1  # database ids are 64-bit; a larger number would overflow SQLite instead of matching nothing


def int_param(text: str | None) -> int | None:
    """A non-negative whole number written in ASCII digits (not "²" or "٣", which str.isdigit accepts)."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def date_param(text: str | None) -> date | None:
    """A day as YYYY-MM-DD, within the days Huiwu accepts anywhere: pages step a day or a week from it, and
    9999-12-31 + 1 day would overflow."""
    try:
        day = parse_date(text or "")
    except ValueError:  # well formed but impossible, e.g. 2026-02-30
        return None
    return day if day and EARLIEST_DAY <= day <= LATEST_DAY else None
