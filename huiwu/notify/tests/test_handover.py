"""Handing deliveries to the task backend in batches (one UPDATE and one write however many), and the sweep
that queues again, within 30 seconds, a delivery whose task never reached the backend."""

import logging
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max

from huiwu.core.management.commands import worker
from huiwu.notify import tasks
from huiwu.notify.models import Delivery, Kind, Notification
from huiwu.notify.services import deadline_upsert, notify_users
from huiwu.notify.tasks import HANDOVER_GRACE, SWEEP_INTERVAL, deliveries_enqueue, deliveries_requeue_stale

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _writes(queries) -> list[str]:
    """ "UPDATE <table>" or "INSERT <table>" for each write among the statements, in order."""
    words = [query["sql"].replace('"', "").split() for query in queries.captured_queries]
    return [f"UPDATE {w[1]}" if w[0] == "UPDATE" else f"INSERT {w[2]}" for w in words if w[0] in ("UPDATE", "INSERT")]


def _tasks() -> set[tuple[int, int]]:
    """(delivery, attempt) of every task in the database backend."""
    return {
        (row["kwargs"]["delivery_id"], row["kwargs"]["attempt"])
        for row in DBTaskResult.objects.values_list("args_kwargs", flat=True)
    }


@pytest.fixture
def people(notify_recipient, make_persona):
    """Two people with an e-mail address."""
    attendant = make_persona("attendant")
    attendant.email = "attendant@huiwu.example"
    attendant.save(update_fields=["email"])
    return [notify_recipient, attendant]


def _notice(people) -> None:
    notify_users(recipients=people, kind=Kind.MEETING_BOOKED, title="预订：党组会", body="", url="/meetings/1/")


# --- batches ------------------------------------------------------------------------------------------


def test_it_queues_a_batch_of_deliveries_with_one_update_and_one_insert(make_delivery, frozen_now):
    deliveries = [make_delivery("email", mentions=[]) for _ in range(5)]
    deliveries[0].attempts = 2  # each task is for its delivery's attempt
    announced = []

    def receive(sender, task_result, **kwargs):
        announced.append(task_result.kwargs)

    task_enqueued.connect(receive)
    try:
        with CaptureQueriesContext(connection) as queries:
            deliveries_enqueue(deliveries)
    finally:
        task_enqueued.disconnect(receive)

    assert len(queries) == 2
    assert _writes(queries) == ["UPDATE notify_delivery", "INSERT django_tasks_database_dbtaskresult"]
    expected = {(d.pk, d.attempts) for d in deliveries}
    assert _tasks() == expected
    # Rows as the backend's own enqueue writes them: ready at once, for the worker's queue.
    assert set(DBTaskResult.objects.values_list("status", "run_after", "task_path", "queue_name")) == {
        ("READY", get_date_max(), "huiwu.notify.tasks.deliver", "default")
    }
    assert DBTaskResult.objects.ready().count() == 5
    assert {(kwargs["delivery_id"], kwargs["attempt"]) for kwargs in announced} == expected
    assert set(Delivery.objects.values_list("expected_at", flat=True)) == {timezone.now()}


def test_it_writes_a_notices_deliveries_and_their_tasks_in_one_insert_each(
    people, make_endpoint, frozen_now, django_capture_on_commit_callbacks
):
    make_endpoint("wecom")
    with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
        _notice(people)

    # The database backend: the tasks are written in the notice's own transaction, nothing waits for its commit.
    assert callbacks == []
    assert _writes(queries) == [
        "INSERT notify_notification",
        "INSERT notify_delivery",
        "INSERT django_tasks_database_dbtaskresult",
    ]
    deliveries = Delivery.objects.all()
    assert sorted(deliveries.values_list("channel", flat=True)) == ["email", "email", "wecom"]
    assert _tasks() == {(delivery.pk, 0) for delivery in deliveries}
    assert set(deliveries.values_list("expected_at", flat=True)) == {timezone.now()}


def test_it_hands_a_notices_deliveries_to_another_backend_in_one_go_once_it_commits(
    settings, people, make_endpoint, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    make_endpoint("wecom")
    with django_capture_on_commit_callbacks() as callbacks:
        _notice(people)

    [handover] = callbacks
    assert set(Delivery.objects.values_list("expected_at", flat=True)) == {None}  # no task yet
    with CaptureQueriesContext(connection) as queries:
        handover()
    assert len(queries) == 1
    assert _writes(queries) == ["UPDATE notify_delivery"]
    queued = {(result.kwargs["delivery_id"], result.kwargs["attempt"]) for result in task_backends["default"].results}
    assert queued == {(pk, 0) for pk in Delivery.objects.values_list("pk", flat=True)}
    assert None not in set(Delivery.objects.values_list("expected_at", flat=True))


# --- the sweep ------------------------------------------------------------------------------------------


def test_it_queues_again_a_delivery_that_never_got_its_task_20_seconds_after_it_was_made(make_delivery, frozen_now):
    # Rows without a task, as a process that died between their commit and the handover leaves them.
    first = make_delivery("email", mentions=[])
    frozen_now.shift(timedelta(seconds=5))
    second = make_delivery("email", mentions=[])
    made = first.created_at

    frozen_now.move_to(made + HANDOVER_GRACE - timedelta(milliseconds=1))
    assert deliveries_requeue_stale() == 0
    frozen_now.move_to(made + HANDOVER_GRACE)
    assert deliveries_requeue_stale() == 1
    assert _tasks() == {(first.pk, 0)}
    frozen_now.move_to(second.created_at + HANDOVER_GRACE - timedelta(milliseconds=1))
    assert deliveries_requeue_stale() == 0
    frozen_now.move_to(second.created_at + HANDOVER_GRACE + timedelta(seconds=1))
    assert deliveries_requeue_stale() == 1
    assert _tasks() == {(first.pk, 0), (second.pk, 0)}
    # Queued now, they wait for their tasks like any other.
    assert deliveries_requeue_stale() == 0
    assert set(Delivery.objects.values_list("expected_at", flat=True)) == {
        made + HANDOVER_GRACE,
        second.created_at + HANDOVER_GRACE + timedelta(seconds=1),
    }


def test_it_sends_once_when_the_first_task_turns_up_after_the_sweep_queued_another(
    make_delivery, frozen_now, run_delivery_tasks
):
    delivery = make_delivery("email", mentions=[])
    frozen_now.shift(HANDOVER_GRACE)
    assert deliveries_requeue_stale() == 1
    tasks.delivery_enqueue(delivery)  # the first handover, merely late

    assert run_delivery_tasks() == 2

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)


def test_it_queues_again_more_deliveries_than_one_statement_takes(make_delivery, frozen_now, monkeypatch):
    monkeypatch.setattr(tasks, "SWEEP_BATCH", 2)
    deliveries = [make_delivery("email", mentions=[]) for _ in range(5)]
    frozen_now.shift(HANDOVER_GRACE)

    with CaptureQueriesContext(connection) as queries:
        assert deliveries_requeue_stale() == 5

    assert _writes(queries).count("UPDATE notify_delivery") == 3  # 2 + 2 + 1
    assert _tasks() == {(delivery.pk, 0) for delivery in deliveries}


def test_it_keeps_the_inbox_entries_when_the_backend_refuses_their_tasks_and_queues_them_later(
    transactional_db, settings, people, frozen_now, monkeypatch, caplog
):
    settings.TASKS = DUMMY_TASKS

    def refuse(self, task, args, kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(DummyBackend, "enqueue", refuse)
    with caplog.at_level(logging.ERROR, logger="django.db.backends"), transaction.atomic():
        _notice(people)

    # Logged, not raised: the notice's transaction had committed.
    assert "Connection refused" in caplog.text
    assert Notification.objects.count() == 2
    assert set(Delivery.objects.values_list("expected_at", flat=True)) == {None}
    monkeypatch.undo()  # the backend is back
    frozen_now.shift(HANDOVER_GRACE - timedelta(seconds=1))
    assert deliveries_requeue_stale() == 0
    frozen_now.shift(timedelta(seconds=1))
    assert deliveries_requeue_stale() == 2
    queued = {result.kwargs["delivery_id"] for result in task_backends["default"].results}
    assert queued == set(Delivery.objects.values_list("pk", flat=True))


# --- the worker's loop ----------------------------------------------------------------------------------


def test_it_reminds_before_it_sweeps_so_that_a_failing_sweep_holds_up_no_reminder(
    transactional_db, hotline, frozen_now, monkeypatch
):
    def backend_down():
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(worker, "deliveries_requeue_stale", backend_down)
    deadline_upsert(
        key="test:handover:1",
        kind=Kind.MEETING_REMINDER,
        title="会议提醒：党组会",
        url="/meetings/1/",
        opens_at=timezone.now() - timedelta(seconds=1),
        due_at=timezone.now() + timedelta(hours=1),
        responsible_users=[hotline],
    )

    with pytest.raises(ConnectionError):
        call_command("worker", once=True)

    assert hotline.notifications.filter(event=Notification.Event.REMINDER).count() == 1


def test_it_sends_nothing_while_more_deadlines_are_due_than_a_pass_takes(
    transactional_db, people, frozen_now, monkeypatch
):
    monkeypatch.setattr(worker, "DEADLINES_PER_PASS", 2)
    for number in range(3):
        deadline_upsert(
            key=f"test:handover:{number}",
            kind=Kind.MEETING_REMINDER,
            title=f"会议提醒：党组会 {number}",
            url="/meetings/1/",
            opens_at=timezone.now() - timedelta(seconds=1),
            due_at=timezone.now() + timedelta(hours=1),
            responsible_users=people,
        )

    call_command("worker", once=True)  # takes the three (a chunk at a time), more than its two: maybe more due
    assert Notification.objects.filter(event=Notification.Event.REMINDER).count() == 6
    assert DBTaskResult.objects.ready().count() == 6
    assert mail.outbox == []
    call_command("worker", once=True)  # nothing left due: now the deliveries
    assert len(mail.outbox) == 6
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_it_tries_a_failed_sweep_again_at_the_next_interval_not_at_every_pass(monkeypatch):
    calls = []

    def backend_down():
        calls.append("sweep")
        raise ConnectionError("Connection refused.")

    monkeypatch.setattr(worker, "deliveries_requeue_stale", backend_down)
    command = worker.Command()
    command.next_sweep = 0.0

    with pytest.raises(ConnectionError):
        command._sweep()
    assert command._sweep() == 0

    assert calls == ["sweep"]
    assert SWEEP_INTERVAL.total_seconds() - 1 < command.next_sweep - time.monotonic() <= SWEEP_INTERVAL.total_seconds()
