"""Each item of the day is a deadline (reception:<day>:<code>): reception reminded the standard's ten minutes
before it is due, the team leader told when it is missed, nothing more once it is done. The day is planned at
Thursday 2026-11-26 08:00; the door is due at 08:45."""

from datetime import date

import pytest
import time_machine

from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.reception.services.routine import day_plan_ensure, routine_item_complete, routine_item_done
from huiwu.testing import at

THURSDAY = date(2026, 11, 26)


@pytest.fixture
def plan(frozen_now, reception, team_leader):
    return day_plan_ensure(THURSDAY)


def _told(user, event, code="door") -> int:
    """How many notifications of `event` about the item `code` of Thursday `user` received."""
    key = f"reception:2026-11-26:{code}"
    return Notification.objects.filter(recipient=user, kind=Kind.RECEPTION, event=event, deadline__key=key).count()


def test_it_gives_each_item_a_deadline_for_reception_escalated_to_the_team_leader(plan):
    deadline = Deadline.objects.get(key="reception:2026-11-26:door")
    assert (deadline.kind, deadline.responsible_role, deadline.escalate_to_role) == (
        "reception",
        "reception",
        "team_leader",
    )
    assert deadline.awaits_completion
    assert (deadline.opens_at, deadline.due_at) == (at("2026-11-26 08:35"), at("2026-11-26 08:45"))
    assert deadline.url == "/reception/?day=2026-11-26"
    assert Deadline.objects.get(key="reception:2026-11-26:newspapers").opens_at == at("2026-11-26 10:50")
    assert Deadline.objects.get(key="reception:2026-11-26:afternoon_duty").opens_at == at("2026-11-26 12:50")


@pytest.mark.parametrize(("when", "reminded"), [("2026-11-26 08:34", False), ("2026-11-26 08:35", True)])
def test_it_reminds_reception_when_the_deadline_opens_not_the_minute_before(plan, reception, when, reminded):
    deadlines_process(now=at(when))
    assert _told(reception, "reminder") == (1 if reminded else 0)


@pytest.mark.parametrize(("when", "escalated"), [("2026-11-26 08:44", False), ("2026-11-26 08:45", True)])
def test_it_escalates_a_missed_item_to_the_team_leader_at_its_due_time_not_before(
    plan, reception, team_leader, when, escalated
):
    deadlines_process(now=at("2026-11-26 08:35"))
    deadlines_process(now=at(when))
    assert _told(team_leader, "escalation") == (1 if escalated else 0)
    assert Deadline.objects.get(key="reception:2026-11-26:door").state == ("missed" if escalated else "reminded")


def test_it_does_not_escalate_an_item_done_before_its_due_time(plan, reception, team_leader, frozen_now):
    deadlines_process(now=at("2026-11-26 08:35"))
    frozen_now.move_to(at("2026-11-26 08:44"))
    routine_item_done(user=reception, item=plan.items.get(code="door"))
    assert Deadline.objects.get(key="reception:2026-11-26:door").state == "done"
    deadlines_process(now=at("2026-11-26 08:45"))
    assert _told(team_leader, "escalation") == 0


def test_it_does_not_remind_of_an_item_done_before_its_reminder(plan, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:40"))
    routine_item_done(user=reception, item=plan.items.get(code="door"))
    deadlines_process(now=at("2026-11-26 08:35"))
    assert _told(reception, "reminder") == 0


def test_it_completes_the_deadline_of_an_item_its_register_completes(plan, reception):
    routine_item_complete(day=THURSDAY, code="newspapers", user=reception, at=at("2026-11-26 10:55"))
    assert Deadline.objects.get(key="reception:2026-11-26:newspapers").state == "done"


def test_it_keeps_the_escalation_of_an_item_done_late(plan, reception, team_leader, frozen_now):
    deadlines_process(now=at("2026-11-26 08:45"))
    frozen_now.move_to(at("2026-11-26 09:05"))
    routine_item_done(user=reception, item=plan.items.get(code="door"))
    assert Deadline.objects.get(key="reception:2026-11-26:door").state == "missed"


def test_it_reminds_at_once_of_items_due_soon_after_a_late_plan(db, reception):
    with time_machine.travel(at("2026-11-26 08:40"), tick=False):
        day_plan_ensure(THURSDAY)
    door = Deadline.objects.get(key="reception:2026-11-26:door")
    assert door.opens_at == at("2026-11-26 08:40")


def test_it_never_opens_a_deadline_after_its_due_time(db, reception):
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        day_plan_ensure(THURSDAY)
    door = Deadline.objects.get(key="reception:2026-11-26:door")
    assert door.opens_at == door.due_at == at("2026-11-26 08:45")
