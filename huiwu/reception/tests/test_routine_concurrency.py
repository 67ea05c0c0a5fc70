"""Several workers plan the same day at the same instant: one timeline, one set of deadlines. Each planner is
a thread with its own database connection, as each worker process has; they all find the day unplanned before
any of them inserts it, so the unique day is what decides (on SQLite and PostgreSQL alike)."""

import threading
from datetime import date

from django.db import connections

from huiwu.notify.models import Deadline
from huiwu.reception.models import DayPlan, RoutineItem
from huiwu.reception.services import routine
from huiwu.reception.services.standard import routine_standard_current

PLANNERS = 6
THURSDAY = date(2026, 11, 26)


def test_it_makes_one_timeline_when_several_workers_plan_the_day_at_once(transactional_db, monkeypatch):
    standard = routine_standard_current()
    everyone_looked = threading.Barrier(PLANNERS, timeout=30)

    def standard_after_everyone_looked():
        # Reached once a planner has found no plan: wait until every planner has, then all insert.
        everyone_looked.wait()
        return standard

    monkeypatch.setattr(routine, "routine_standard_current", standard_after_everyone_looked)
    plans, errors = [], []

    def plan() -> None:
        try:
            plans.append(routine.day_plan_ensure(THURSDAY).pk)
        except Exception as error:  # the assertion below names it
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=plan) for _ in range(PLANNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(plans) == PLANNERS
    assert len(set(plans)) == 1
    assert DayPlan.objects.count() == 1
    assert RoutineItem.objects.count() == 9
    assert Deadline.objects.filter(key__startswith="reception:2026-11-26:").count() == 9
