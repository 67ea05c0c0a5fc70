"""The demo's day in progress: today planned, the morning items ticked by hand done at their usual times once
those have passed, nothing done ahead of the clock, the same on a second run."""

import time_machine

from huiwu.reception.demo import day as day_demo
from huiwu.reception.models import DayPlan, JournalEntry, RoutineItem
from huiwu.testing import at


def _done():
    return dict(RoutineItem.objects.filter(done_at__isnull=False).values_list("code", "done_at"))


def test_it_has_the_morning_done_in_a_day_in_progress(reception):
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        day_demo.demo_load()
        day_demo.demo_load()
    assert _done() == {"door": at("2026-11-26 08:42"), "hot_water": at("2026-11-26 08:50")}
    assert JournalEntry.objects.count() == 2


def test_it_does_nothing_ahead_of_the_clock(reception):
    with time_machine.travel(at("2026-11-26 08:41"), tick=False):
        day_demo.demo_load()
    assert _done() == {}
    assert DayPlan.objects.count() == 1


def test_it_has_the_afternoon_duty_done_once_it_began(reception):
    with time_machine.travel(at("2026-11-26 15:00"), tick=False):
        day_demo.demo_load()
    assert set(_done()) == {"door", "hot_water", "afternoon_duty"}


def test_it_plans_nothing_on_a_day_off(reception):
    with time_machine.travel(at("2026-10-01 10:00"), tick=False):
        day_demo.demo_load()
    assert not DayPlan.objects.exists()


def test_it_has_the_registers_demos_tick_their_items_as_their_services_do(reception):
    # The whole reception demo (the directory's leaders first): yesterday's document handed over at 09:20 ticks
    # today's documents item; the newspaper round, under way with its last office to go, does not tick its own.
    from huiwu.directory.demo import demo_load as directory_demo_load
    from huiwu.reception.demo import demo_load

    with time_machine.travel(at("2026-11-26 10:50"), tick=False):
        directory_demo_load()
        demo_load()
    done = _done()
    assert done["documents"] == at("2026-11-26 09:20")
    assert "newspapers" not in done
