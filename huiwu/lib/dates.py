from datetime import date, datetime

from django.utils import formats, timezone

# Every day Huiwu accepts, in a form, a query or the API, lies between these. Far-off years are mistakes (year 1,
# 9999), and the pages and rules step days and weeks from what they are given: 9999-12-31 + 1 day overflows.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def format_slot(start: datetime, end: datetime) -> str:
    """ "11月27日 09:00–11:30" in the current language, in the display time zone."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    day = formats.date_format(start, "MONTH_DAY_FORMAT")
    end_text = (
        end.strftime("%H:%M")
        if end.date() == start.date()
        else formats.date_format(end, "MONTH_DAY_FORMAT") + end.strftime(" %H:%M")
    )
    return f"{day} {start:%H:%M}–{end_text}"
