"""The period a report covers: a week (Monday to Sunday), a month, or a range of days, always a whole number
of days in Asia/Shanghai, at most a year and a day (a leap year's 366 days)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DAYS = 366


class PeriodKind(TextChoices):
    WEEK = "week", gettext_lazy("Week")
    MONTH = "month", gettext_lazy("Month")
    RANGE = "range", gettext_lazy("Range of days")


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def period_days(kind: str, *, day: date, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """(first, last) day of the period: the week or the month of `day`, or the range asked. A range's end
    before its start, or longer than MAX_DAYS, raises ValidationError({field: message})."""
    if kind == PeriodKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if kind == PeriodKind.MONTH:
        return month_of(day)
    errors = {}
    if date_from is None:
        errors["date_from"] = _("Give the first day of the range.")
    if date_to is None:
        errors["date_to"] = _("Give the last day of the range.")
    if errors:
        raise ValidationError(errors)
    if date_to < date_from:
        raise ValidationError({"date_to": _("The end cannot be before the start.")})
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise ValidationError({"date_to": _("Ask for at most %(days)d days at once.") % {"days": MAX_DAYS}})
    return date_from, date_to
