"""The working-day calendar and the 09:30 rule for reviewed documents (DESIGN.md §4.4, seed 篇3 (二) 4), by the
official 2026 schedule the chinese-calendar package carries, with the override table above it."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.utils import translation

from huiwu.reception.models import CalendarOverride, CalendarYear
from huiwu.reception.workdays import (
    Source,
    calendar_warning,
    data_ends_on,
    day_info,
    document_due_at,
    is_workday,
    next_workday_after,
    workday_calendar,
)
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    # The warnings are checked in the English source, which stays put when the Chinese wording is polished.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


NINE_THIRTY = time(9, 30)


@pytest.mark.parametrize(
    ("retrieved", "due"),
    [
        # Thursday evening → Friday 09:30.
        ("2026-11-26 17:45", "2026-11-27 09:30"),
        # Friday evening → Monday 09:30.
        ("2026-11-27 17:45", "2026-11-30 09:30"),
        # The evening before National Day (2026-10-01…07 off): the first working day after the holiday.
        ("2026-09-30 18:10", "2026-10-08 09:30"),
        # Friday 10-09 evening → the 调休 Saturday 10-10, a working day by the official schedule.
        ("2026-10-09 17:40", "2026-10-10 09:30"),
        # Late at night is still that evening: the day after is what counts.
        ("2026-11-26 23:59", "2026-11-27 09:30"),
        # Just after midnight it is already Friday: due on the next working day, Monday.
        ("2026-11-27 00:00", "2026-11-30 09:30"),
    ],
)
def test_it_makes_a_document_due_at_nine_thirty_on_the_next_working_day(db, retrieved, due):
    with time_machine.travel(at(retrieved), tick=False):
        assert document_due_at(at(retrieved), NINE_THIRTY) == at(due)


def test_it_reads_the_official_2026_national_day_schedule(db):
    assert is_workday(date(2026, 9, 30))
    assert not any(is_workday(date(2026, 10, day)) for day in range(1, 8))
    assert is_workday(date(2026, 10, 8))
    info = day_info(date(2026, 10, 3))
    assert (info.is_workday, info.source, str(info.reason)) == (False, Source.OFFICIAL, "National Day")


def test_it_counts_an_adjusted_saturday_as_a_working_day(db):
    info = day_info(date(2026, 10, 10))
    assert info.is_workday
    assert info.is_adjusted_workday
    assert str(info.reason) == "Adjusted working day (National Day)"
    assert not day_info(date(2026, 11, 28)).is_workday


def test_it_puts_the_override_table_above_the_package(db):
    CalendarOverride.objects.create(day=date(2026, 11, 27), is_workday=False, reason="单位调休")
    assert not is_workday(date(2026, 11, 27))
    assert next_workday_after(date(2026, 11, 26)) == date(2026, 11, 30)
    CalendarOverride.objects.create(day=date(2026, 11, 28), is_workday=True, reason="单位加班")
    assert next_workday_after(date(2026, 11, 26)) == date(2026, 11, 28)
    assert day_info(date(2026, 11, 28)).source == Source.OVERRIDE


def test_it_reads_a_year_the_package_does_not_know_as_weekdays_plus_overrides(db):
    # 2027-01-01 is a Friday: the package has no 2027, so it is a weekday like any other until entered.
    assert is_workday(date(2027, 1, 1))
    assert day_info(date(2027, 1, 1)).source == Source.WEEKDAYS
    assert not is_workday(date(2027, 1, 2))
    CalendarOverride.objects.create(day=date(2027, 1, 1), is_workday=False, reason="2027年元旦")
    assert next_workday_after(date(2026, 12, 31)) == date(2027, 1, 4)


def test_it_answers_a_whole_month_with_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        days = workday_calendar(date(2026, 10, 1), date(2026, 10, 31))
    assert len(days) == 31
    assert sum(info.is_workday for info in days.values()) == 18


def test_it_refuses_to_search_past_a_year_of_days_off(db):
    CalendarOverride.objects.bulk_create(
        CalendarOverride(day=date(2027, 1, 1) + timedelta(days=n), is_workday=False, reason="x") for n in range(367)
    )
    with pytest.raises(ValueError, match="no working day"):
        next_workday_after(date(2026, 12, 31))


def test_it_warns_sixty_days_before_the_data_ends(db, settings):
    settings.WORKDAY_CALENDAR_WARNING_DAYS = 60
    assert data_ends_on() == date(2026, 12, 31)
    # 61 days before the end, then 60.
    assert calendar_warning(date(2026, 10, 31)) == ""
    assert "2026-12-31" in calendar_warning(date(2026, 11, 1))
    assert "2027" in calendar_warning(date(2026, 12, 2))
    assert "no official schedule after 2026-12-31" in calendar_warning(date(2027, 1, 1))


def test_it_stops_warning_once_the_next_year_is_entered(db):
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕X号")
    assert data_ends_on() == date(2027, 12, 31)
    assert calendar_warning(date(2026, 12, 2)) == ""
    # A year entered after a gap does not extend the data: 2028 without 2027 leaves 2027 unknown.
    CalendarYear.objects.filter(year=2027).delete()
    CalendarYear.objects.create(year=2028)
    assert data_ends_on() == date(2026, 12, 31)
