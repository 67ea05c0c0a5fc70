"""Planning a working day's timeline (DESIGN.md §4.4, seed 篇3 (二)): the seed's times from the routine
standard, once per working day — none on a holiday or a weekend, one on a 调休 Saturday — and the worker's
share of it. The clock is Thursday 2026-11-26 08:00 unless a test moves it."""

from datetime import date, time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huiwu.notify.models import Deadline
from huiwu.reception.models import CalendarOverride, DayPlan, RoutineItem
from huiwu.reception.services.routine import day_plan_ensure, reception_days_plan, routine_standard_add
from huiwu.reception.services.standard import routine_standard_current
from huiwu.testing import at

THURSDAY = date(2026, 11, 26)


def _windows(plan):
    return {
        item.code: (f"{timezone.localtime(item.starts_at):%H:%M}", f"{timezone.localtime(item.due_at):%H:%M}")
        for item in plan.items.all()
    }


def test_it_plans_a_working_day_with_the_seeds_times(db, frozen_now):
    plan = day_plan_ensure(THURSDAY)
    assert _windows(plan) == {
        "grooming": ("08:40", "08:45"),
        "door": ("08:40", "08:45"),
        "hot_water": ("08:40", "09:00"),
        "documents": ("08:40", "09:30"),
        "newspapers": ("10:30", "11:00"),
        "lunch": ("11:00", "11:40"),
        "afternoon_duty": ("13:00", "13:00"),
        "cleaning": ("16:30", "17:30"),
        "review": ("16:30", "17:30"),
    }
    assert all(timezone.localtime(item.due_at).date() == THURSDAY for item in plan.items.all())
    # Keep the door open until 09:10; two pots of hot water.
    assert (plan.standard.door_open_until, plan.standard.hot_water_pots) == (time(9, 10), 2)


def test_it_orders_the_items_as_the_day_goes(db, frozen_now):
    plan = day_plan_ensure(THURSDAY)
    assert list(plan.items.values_list("code", flat=True)) == [
        "grooming",
        "door",
        "hot_water",
        "documents",
        "newspapers",
        "lunch",
        "afternoon_duty",
        "cleaning",
        "review",
    ]


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 10, 1),  # National Day
        date(2026, 10, 5),  # still the National Day holiday, a Monday
        date(2026, 11, 28),  # a Saturday
        date(2026, 11, 29),  # a Sunday
    ],
)
def test_it_plans_no_timeline_on_a_day_off(db, frozen_now, day):
    assert day_plan_ensure(day) is None
    assert not DayPlan.objects.exists()
    assert not Deadline.objects.exists()


def test_it_plans_the_adjusted_saturday_worked_for_national_day(db, frozen_now):
    plan = day_plan_ensure(date(2026, 10, 10))
    assert plan is not None
    assert plan.items.count() == 9
    assert _windows(plan)["door"] == ("08:40", "08:45")


def test_it_follows_the_override_table(db, frozen_now):
    CalendarOverride.objects.create(day=THURSDAY, is_workday=False, reason="单位调休")
    CalendarOverride.objects.create(day=date(2026, 11, 28), is_workday=True, reason="单位加班")
    assert day_plan_ensure(THURSDAY) is None
    assert day_plan_ensure(date(2026, 11, 28)) is not None


def test_it_plans_a_day_once_however_often_asked(db, frozen_now):
    first = day_plan_ensure(THURSDAY)
    again = day_plan_ensure(THURSDAY)
    assert again == first
    assert DayPlan.objects.count() == 1
    assert RoutineItem.objects.count() == 9
    assert Deadline.objects.filter(key__startswith="reception:2026-11-26:").count() == 9


def test_it_keeps_the_version_a_day_was_planned_with(db, frozen_now, manager):
    planned = day_plan_ensure(THURSDAY)
    old = planned.standard
    times = {name: getattr(old, name) for name in ("door_open_from", "door_open_by", "door_open_until")}
    routine_standard_add(
        user=manager,
        reason="冬季作息",
        **{
            name: getattr(old, name)
            for name in (
                "hot_water_by",
                "hot_water_pots",
                "documents_by",
                "newspapers_from",
                "newspapers_until",
                "lunch_at",
                "afternoon_duty_at",
                "cleaning_from",
                "work_ends_at",
                "reminder_minutes",
            )
        },
        **(times | {"door_open_from": time(8, 30), "door_open_by": time(8, 35)}),
    )
    assert routine_standard_current() != old
    planned.refresh_from_db()
    assert planned.standard == old
    assert _windows(planned)["door"] == ("08:40", "08:45")
    friday = day_plan_ensure(date(2026, 11, 27))
    assert _windows(friday)["door"] == ("08:30", "08:35")


def test_it_has_the_worker_plan_today_once(db, frozen_now):
    assert reception_days_plan() == 1
    assert reception_days_plan() == 0
    assert DayPlan.objects.get().day == THURSDAY


def test_it_costs_the_worker_one_query_once_today_is_planned(db, frozen_now):
    reception_days_plan()
    with CaptureQueriesContext(connection) as queries:
        assert reception_days_plan() == 0
    assert len(queries) == 1


def test_it_has_the_worker_plan_nothing_on_a_holiday(db):
    with time_machine.travel(at("2026-10-01 00:05"), tick=False):
        assert reception_days_plan() == 0
    assert not DayPlan.objects.exists()


def test_it_plans_the_new_day_after_midnight(db):
    with time_machine.travel(at("2026-11-26 23:59"), tick=False):
        reception_days_plan()
    with time_machine.travel(at("2026-11-27 00:00"), tick=False):
        assert reception_days_plan() == 1
    assert list(DayPlan.objects.order_by("day").values_list("day", flat=True)) == [THURSDAY, date(2026, 11, 27)]


def test_it_plans_the_day_in_a_pass_of_the_worker_and_reminds_in_a_later_one(transactional_db, reception):
    with time_machine.travel(at("2026-11-26 00:01"), tick=False) as clock:
        call_command("worker", once=True, stdout=StringIO())
        assert DayPlan.objects.filter(day=THURSDAY).exists()
        clock.move_to(at("2026-11-26 08:35"))
        call_command("worker", once=True, stdout=StringIO())
    reminded = reception.notifications.filter(kind="reception").values_list("title", flat=True)
    assert sorted(reminded) == [
        "礼仪接待流程（08:45 前）：仪容仪表自查",
        "礼仪接待流程（08:45 前）：打开七楼礼仪接待组办公室门",
    ]
