"""The worker's claim on its boundaries: a deadline whose state changed after its chunk was read is left
alone (compare-and-set), and a reminder is sent up to the late cutoff exactly, recorded as missed after it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiwu.notify import services
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadline_upsert, deadlines_process
from huiwu.testing import at

OPENS = at("2026-11-27 08:00")
DUE = at("2026-11-27 08:30")


@pytest.fixture(autouse=True)
def _cutoff(settings):
    settings.REMINDER_CUTOFF_MINUTES = 30


@pytest.fixture
def deadline(hotline, manager):
    """make(awaits_completion=True): a deadline for the hotline, opening 08:00, due 08:30 (unless `due_at`),
    escalated to the manager when missed."""

    def make(key="test:claim:1", *, awaits_completion=True, due_at=DUE):
        return deadline_upsert(
            key=key,
            kind=Kind.SERVICE_CHECK,
            title="三级检查：党组会",
            url="/service/meetings/1/",
            opens_at=OPENS,
            due_at=due_at,
            responsible_role="hotline",
            awaits_completion=awaits_completion,
            escalate_to_role="manager",
        )

    return make


@pytest.fixture
def changed_after_the_claim(monkeypatch):
    """changed_after_the_claim(state): the first deadline a chunk claims is put in `state` just after it
    was read, as another worker or the person doing the work would between the read and the update."""
    claim = services._claim

    def install(state):
        def claim_then_change(queryset):
            deadlines = claim(queryset)
            Deadline.objects.filter(pk__in=[d.pk for d in deadlines[:1]]).update(state=state)
            return deadlines

        monkeypatch.setattr(services, "_claim", claim_then_change)

    return install


def _state(deadline):
    deadline.refresh_from_db()
    return deadline.state


@pytest.mark.parametrize(
    "state", [Deadline.State.DONE, Deadline.State.REMINDED, Deadline.State.MISSED, Deadline.State.CANCELLED]
)
def test_it_does_not_remind_of_a_deadline_that_changed_after_its_chunk_was_read(
    deadline, changed_after_the_claim, state
):
    pending = deadline()
    changed_after_the_claim(state)
    assert deadlines_process(now=OPENS) == 1
    assert not Notification.objects.exists()
    assert _state(pending) == state


@pytest.mark.parametrize("state", [Deadline.State.DONE, Deadline.State.MISSED, Deadline.State.CANCELLED])
def test_it_does_not_escalate_a_deadline_that_changed_after_its_chunk_was_read(
    deadline, changed_after_the_claim, state
):
    reminded = deadline()
    deadlines_process(now=OPENS)
    assert _state(reminded) == Deadline.State.REMINDED
    changed_after_the_claim(state)
    assert deadlines_process(now=DUE) == 1
    assert not Notification.objects.filter(event=Notification.Event.ESCALATION).exists()
    assert _state(reminded) == state


def test_it_goes_on_with_the_rest_of_the_chunk_after_a_changed_deadline(deadline, changed_after_the_claim):
    first, second = deadline("test:claim:1"), deadline("test:claim:2")
    changed_after_the_claim(Deadline.State.DONE)
    assert deadlines_process(now=OPENS) == 2
    assert (_state(first), _state(second)) == (Deadline.State.DONE, Deadline.State.REMINDED)
    assert [n.deadline for n in Notification.objects.all()] == [second]


def test_it_escalates_to_the_responsible_and_the_next_level_linked_to_the_deadline(deadline, hotline, manager):
    missed = deadline()
    deadlines_process(now=OPENS)
    deadlines_process(now=DUE)
    missed.refresh_from_db()
    assert (missed.state, missed.closed_at) == (Deadline.State.MISSED, DUE)
    escalated = Notification.objects.filter(event=Notification.Event.ESCALATION)
    assert {n.recipient for n in escalated} == {hotline, manager}
    assert {(n.deadline, n.deadline_round, n.title, n.body, n.url) for n in escalated} == {
        (missed, 1, "三级检查：党组会", "", "/service/meetings/1/")
    }


def test_it_escalates_a_deadline_still_pending_when_it_falls_due(deadline, hotline, manager):
    # Its reminder was not handled by this pass (written between the pass's two steps, say).
    pending = deadline()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_open_chunk", lambda now: 0)
        deadlines_process(now=DUE)
    assert _state(pending) == Deadline.State.MISSED
    escalated = Notification.objects.filter(event=Notification.Event.ESCALATION)
    assert {n.recipient for n in escalated} == {hotline, manager}


def test_it_never_escalates_a_deadline_that_awaits_nothing(deadline):
    reminder = deadline(awaits_completion=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_open_chunk", lambda now: 0)
        assert deadlines_process(now=DUE) == 0
    assert _state(reminder) == Deadline.State.PENDING
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("awaits_completion", "sent_state"), [(True, Deadline.State.REMINDED), (False, Deadline.State.DONE)]
)
def test_it_still_reminds_exactly_at_the_late_cutoff(deadline, hotline, awaits_completion, sent_state):
    reminder = deadline(awaits_completion=awaits_completion, due_at=OPENS + timedelta(hours=1))
    deadlines_process(now=OPENS + timedelta(minutes=30))
    assert _state(reminder) == sent_state
    assert reminder.reminded_at == OPENS + timedelta(minutes=30)
    sent = Notification.objects.get()
    assert (sent.recipient, sent.event, sent.deadline) == (hotline, Notification.Event.REMINDER, reminder)
    assert (sent.deadline_round, sent.title, sent.body, sent.url) == (1, "三级检查：党组会", "", "/service/meetings/1/")


def test_it_records_a_reminder_one_second_past_the_cutoff_as_missed(deadline):
    late = deadline(awaits_completion=False, due_at=OPENS + timedelta(hours=1))
    deadlines_process(now=OPENS + timedelta(minutes=30, seconds=1))
    assert _state(late) == Deadline.State.MISSED
    assert late.closed_at == OPENS + timedelta(minutes=30, seconds=1)
    assert late.note == "too late to remind: 0:30:01 after its time"
    assert not Notification.objects.filter(event=Notification.Event.REMINDER).exists()


def test_it_keeps_work_open_when_only_its_reminder_came_too_late_and_escalates_it_when_due(deadline, manager):
    # The worker was down past the cutoff: the reminder is dropped, but the check itself is still to be done,
    # and the next level must still hear of it if it is not done in time.
    work = deadline(awaits_completion=True, due_at=OPENS + timedelta(hours=1))
    deadlines_process(now=OPENS + timedelta(minutes=30, seconds=1))
    assert _state(work) == Deadline.State.REMINDED
    work.refresh_from_db()
    assert (work.reminded_at, work.closed_at) == (None, None)
    assert work.note == "too late to remind: 0:30:01 after its time"
    assert not Notification.objects.exists()

    deadlines_process(now=OPENS + timedelta(hours=1) - timedelta(seconds=1))
    assert not Notification.objects.exists()
    deadlines_process(now=OPENS + timedelta(hours=1))
    assert _state(work) == Deadline.State.MISSED
    assert Notification.objects.filter(recipient=manager, event=Notification.Event.ESCALATION).exists()


def test_it_escalates_at_once_work_whose_due_time_passed_while_the_worker_was_down(deadline, manager):
    work = deadline(awaits_completion=True, due_at=OPENS + timedelta(hours=1))
    deadlines_process(now=OPENS + timedelta(hours=3))
    assert _state(work) == Deadline.State.MISSED
    assert Notification.objects.filter(recipient=manager, event=Notification.Event.ESCALATION).exists()
    assert not Notification.objects.filter(event=Notification.Event.REMINDER).exists()


def test_it_does_not_remind_before_the_opening_time_nor_escalate_before_the_due_time(deadline):
    reminder = deadline()
    assert deadlines_process(now=OPENS - timedelta(seconds=1)) == 0
    assert _state(reminder) == Deadline.State.PENDING
    deadlines_process(now=DUE - timedelta(seconds=1))
    assert _state(reminder) == Deadline.State.REMINDED
    assert not Notification.objects.filter(event=Notification.Event.ESCALATION).exists()
    deadlines_process(now=DUE)
    assert _state(reminder) == Deadline.State.MISSED


def test_it_works_through_every_chunk_in_one_pass(deadline, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    deadlines = [deadline(f"test:claim:{number}") for number in range(5)]
    assert deadlines_process(now=OPENS) == 5
    assert {_state(d) for d in deadlines} == {Deadline.State.REMINDED}
    assert Notification.objects.filter(event=Notification.Event.REMINDER).count() == 5
    assert deadlines_process(now=DUE) == 5
    assert {_state(d) for d in deadlines} == {Deadline.State.MISSED}


@pytest.mark.parametrize("batch", [3, 4])
def test_it_stops_a_pass_after_its_batch(deadline, monkeypatch, batch):
    monkeypatch.setattr(services, "CHUNK", 2)
    deadlines = [deadline(f"test:claim:{number}") for number in range(5)]
    # Whole chunks: a pass that may handle 3 or 4 handles 4, and the rest waits for the next pass.
    assert deadlines_process(now=OPENS, batch=batch) == 4
    assert [_state(d) for d in deadlines].count(Deadline.State.REMINDED) == 4
    assert deadlines_process(now=OPENS, batch=batch) == 1


def test_it_handles_200_deadlines_a_pass_by_default(db):
    Deadline.objects.bulk_create(
        Deadline(key=f"test:many:{number}", kind=Kind.MEETING_REMINDER, title="提醒", opens_at=OPENS, due_at=DUE)
        for number in range(201)
    )
    assert deadlines_process(now=OPENS) == 200
    assert deadlines_process(now=OPENS) == 1


def test_it_looks_up_what_a_chunk_shares_once_however_many_deadlines_it_holds(deadline, attendant, make_endpoint):
    make_endpoint()
    for number in range(3):
        deadline(f"test:claim:{number}").responsible_users.set([attendant])
    with CaptureQueriesContext(connection) as queries:
        deadlines_process(now=OPENS)
    lookups = {
        "robots and webhooks, once per step (reminders, then escalations)": ('FROM "notify_endpoint"', 2),
        "the people responsible, for the whole chunk": ('INNER JOIN "notify_deadline_responsible_users"', 1),
        "the role's members, for the whole chunk": ('INNER JOIN "auth_group"', 1),
    }
    assert {what: sum(sql in query["sql"] for query in queries) for what, (sql, _count) in lookups.items()} == {
        what: count for what, (_sql, count) in lookups.items()
    }
    assert Notification.objects.filter(recipient=attendant).count() == 3
    with CaptureQueriesContext(connection) as queries:
        deadlines_process(now=DUE)
    # Escalations: the responsible role's members and the manager's, each looked up once for the chunk.
    lookups["the role's members, for the whole chunk"] = ('INNER JOIN "auth_group"', 2)
    assert {what: sum(sql in query["sql"] for query in queries) for what, (sql, _count) in lookups.items()} == {
        what: count for what, (_sql, count) in lookups.items()
    }
    assert Notification.objects.filter(recipient=attendant, event=Notification.Event.ESCALATION).count() == 3
