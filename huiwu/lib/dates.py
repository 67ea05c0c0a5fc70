from datetime import datetime

from django.utils import formats, timezone


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
