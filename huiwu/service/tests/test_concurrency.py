"""Two phones tap at the same instant: service writes to one meeting run one after the other.

Each tap is its own process with its own database connection, as gunicorn workers are.
"""

import multiprocessing

from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from huiwu.meetings.services import meeting_create
from huiwu.service.models import Assignment, ChecklistTick, Refill
from huiwu.service.services import assignment_add, checklist_tick, meeting_start, refill_record
from huiwu.service.standards import standard_current

TAPS = 8


def _tap(action, barrier, results) -> None:
    barrier.wait()
    try:
        action()
        results.put("done")
    except ValidationError as error:
        results.put(f"refused: {' '.join(error.messages)}")
    except Exception as error:
        results.put(f"error: {error!r}")
    finally:
        connections.close_all()


def _race(action) -> list[str]:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(TAPS)
    results = context.Queue()
    connections.close_all()  # children open their own connections, never share the parent's
    processes = [context.Process(target=_tap, args=(action, barrier, results)) for _ in range(TAPS)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return outcomes


def _running_meeting(draft, manager, attendant):
    now = timezone.now()
    meeting = meeting_create(
        user=manager,
        draft=draft(now - timezone.timedelta(minutes=20), now + timezone.timedelta(hours=1), setup_minutes=0),
    )
    assignment_add(user=manager, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)
    meeting_start(user=attendant, meeting=meeting, at=now - timezone.timedelta(minutes=20))
    return meeting


def test_it_records_one_refill_when_several_phones_tap_at_once(transactional_db, draft, manager, attendant):
    meeting = _running_meeting(draft, manager, attendant)
    outcomes = _race(lambda: refill_record(user=attendant, meeting=meeting))
    assert outcomes.count("done") == 1, outcomes
    assert all("a moment ago" in outcome or "刚刚" in outcome for outcome in outcomes if outcome != "done"), outcomes
    refills = Refill.objects.filter(meeting=meeting).order_by("number")
    assert [(refill.number, refill.done_at is not None) for refill in refills] == [(1, True), (2, False)]


def test_it_ticks_an_item_once_however_many_tap_it(transactional_db, draft, manager, attendant):
    meeting = _running_meeting(draft, manager, attendant)
    item = standard_current().ready_item
    outcomes = _race(lambda: checklist_tick(user=attendant, meeting=meeting, phase="before", item=item))
    assert outcomes.count("done") == 1, outcomes
    assert all(outcome.startswith("refused: ") for outcome in outcomes if outcome != "done"), outcomes
    assert ChecklistTick.objects.filter(meeting=meeting).count() == 1


def test_it_gives_a_meeting_one_lead_when_two_are_assigned_at_once(
    transactional_db, draft, manager, team_leader, make_persona
):
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    now = timezone.now()
    meeting = meeting_create(
        user=manager, draft=draft(now + timezone.timedelta(days=1), now + timezone.timedelta(days=1, hours=1))
    )
    people = [
        user_upsert(username=f"att{n}", password="x" * 12, display_name=f"服务员{n}", roles=[Role.ATTENDANT])
        for n in range(TAPS)
    ]
    counter = multiprocessing.get_context("fork").Value("i", 0)

    def assign():
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        assignment_add(user=team_leader, meeting=meeting, attendant=people[index], duty=Assignment.Duty.LEAD)

    outcomes = _race(assign)
    assert outcomes.count("done") == 1, outcomes
    assert Assignment.objects.filter(meeting=meeting, duty=Assignment.Duty.LEAD).count() == 1
