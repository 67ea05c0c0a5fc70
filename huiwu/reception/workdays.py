"""Working days by the Chinese calendar (DESIGN.md §4.4): weekends, public holidays and the adjusted working
days (调休) of the official schedule, from the pinned chinese-calendar package, with the unit's override table
(CalendarOverride) above it. A year the package does not cover yet is read as weekdays working and weekends
off, plus its overrides, until an administrator has entered its official schedule (CalendarYear): nothing
fails for want of data, and the calendar page warns WORKDAY_CALENDAR_WARNING_DAYS ahead of the data's end.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.conf import settings
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huiwu.reception.models import CalendarOverride, CalendarYear

# The package's holiday names (chinese_calendar.Holiday values), in the user's language.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
}
# The longest run of days off looked through for the next working day: the longest official holiday with
# its weekends is nine days; an override table that closes a whole year is a mistake, not a calendar.
_SEARCH_DAYS = 366


class Source(TextChoices):
    OVERRIDE = "override", _("Override table")
    OFFICIAL = "official", _("Official schedule")
    WEEKDAYS = "weekdays", _("Weekdays only (no official schedule yet)")


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_workday: bool
    source: str  # a Source
    # Why: the holiday's name, 调休 (an adjusted working day), the override's reason; empty for a plain day.
    reason: Promise | str = ""

    @property
    def is_adjusted_workday(self) -> bool:
        """A weekend day worked in lieu of a holiday (调休上班), by the official schedule or an override."""
        return self.is_workday and self.day.weekday() >= 5


def package_last_day() -> date:
    """The last day the chinese-calendar package knows (the end of its newest year)."""
    newest = max(max(chinese_calendar.holidays), max(chinese_calendar.workdays))
    return date(newest.year, 12, 31)


def data_ends_on() -> date:
    """The last day the calendar's data covers: the package's years, then the years whose official schedule was
    entered by hand, as long as they follow on without a gap."""
    last = package_last_day()
    for year in CalendarYear.objects.filter(year__gt=last.year).order_by("year").values_list("year", flat=True):
        if year != last.year + 1:
            break
        last = date(year, 12, 31)
    return last


def calendar_warning(today: date | None = None) -> str:
    """What the calendar page says when its data ends within WORKDAY_CALENDAR_WARNING_DAYS; empty otherwise."""
    today = today or timezone.localdate()
    ends = data_ends_on()
    left = (ends - today).days
    if left > settings.WORKDAY_CALENDAR_WARNING_DAYS:
        return ""
    following = ends.year + 1
    if left < 0:
        message = _(
            "The working-day calendar has no official schedule after %(end)s: days since then are read as weekdays "
            "working and weekends off. Enter the holidays and adjusted working days of %(year)d in the override "
            "table, then mark the year as entered."
        )
    else:
        message = _(
            "The working-day calendar's official schedule ends on %(end)s. Enter the holidays and adjusted working "
            "days of %(year)d in the override table from the State Council's notice, then mark the year as entered."
        )
    return message % {"end": f"{ends:%Y-%m-%d}", "year": following}


def _official(day: date, package_last: date) -> DayInfo:
    if day > package_last or day.year < 2004:
        return DayInfo(day, day.weekday() < 5, Source.WEEKDAYS)
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if not on_holiday:
        # A weekend day with a holiday's name is worked in lieu of it (调休上班).
        reason = _("Adjusted working day (%(holiday)s)") % {"holiday": HOLIDAY_NAMES.get(name, name)} if name else ""
        return DayInfo(day, True, Source.OFFICIAL, reason)
    if name:
        return DayInfo(day, False, Source.OFFICIAL, HOLIDAY_NAMES.get(name, name))
    return DayInfo(day, False, Source.OFFICIAL, _("Weekend"))


def workday_calendar(first: date, last: date) -> dict[date, DayInfo]:
    """Every day from `first` to `last` inclusive, with one query for the overrides."""
    overrides = {override.day: override for override in CalendarOverride.objects.filter(day__gte=first, day__lte=last)}
    package_last = package_last_day()
    days = {}
    day = first
    while day <= last:
        override = overrides.get(day)
        if override is not None:
            days[day] = DayInfo(day, override.is_workday, Source.OVERRIDE, override.reason)
        else:
            days[day] = _official(day, package_last)
        day += timedelta(days=1)
    return days


def day_info(day: date) -> DayInfo:
    return workday_calendar(day, day)[day]


def is_workday(day: date) -> bool:
    return day_info(day).is_workday


def next_workday_after(day: date) -> date:
    """The first working day after `day` (Friday → Monday; the eve of a holiday → the first working day after
    it; a 调休 Saturday counts). ValueError when none falls within a year, which only a broken override table
    can cause."""
    last = day + timedelta(days=_SEARCH_DAYS)
    for candidate, info in workday_calendar(day + timedelta(days=1), last).items():
        if info.is_workday:
            return candidate
    raise ValueError(f"no working day in the {_SEARCH_DAYS} days after {day:%Y-%m-%d}")


def at_local(day: date, clock: time) -> datetime:
    """`clock` on `day` in Shanghai time, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, clock))


def document_due_at(retrieved_at: datetime, documents_by: time) -> datetime:
    """A reviewed document retrieved at `retrieved_at` is handed to the document clerk by `documents_by` (09:30)
    on the next working day after the day it was retrieved (seed 篇3 (二) 4)."""
    return at_local(next_workday_after(timezone.localtime(retrieved_at).date()), documents_by)
