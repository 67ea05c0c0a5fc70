"""Delivering messages outside the inbox, as django-tasks tasks that `huiwu worker` runs.

Each task run is one attempt at one Delivery:

1. Reserve the attempt in one short transaction. A group robot takes at most ROBOT_MESSAGES_PER_MINUTE
   requests in any 60 seconds, so its Endpoint row is locked (PostgreSQL: SELECT … FOR UPDATE; SQLite:
   every transaction is BEGIN IMMEDIATE, which serializes writers), its attempts of the last minute are
   counted, and only under the limit is this one recorded (`attempts` + 1, `last_attempt_at`). At the limit
   the task queues itself again for when the oldest of those attempts leaves the window: never dropped.
2. Send, outside any transaction.
3. Record the outcome: sent; or the error, with a retry after 1, 2, 4, 8 and 16 minutes, and failed after
   the sixth attempt (the inbox has the message anyway; administrators see the failure).

A task carries the attempt number it is for, and the reservation is a compare-and-set on it, so a task
that runs twice, or two tasks queued for the same attempt, send once. A delivery already sent or failed is
left alone. A worker killed between reservation and outcome leaves a queued delivery without a task;
`deliveries_requeue_stale` (called by the worker loop every few seconds) queues it again.

Deliveries are handed to the task backend in batches (`deliveries_enqueue`: one UPDATE and one write to the
backend however many). New ones (`deliveries_create`) get their tasks in the transaction that makes them
with the database backend, so that rows and tasks commit together; with Redis, once that transaction has
committed. Their rows are then written with no `expected_at` and the handover sets it: a row still without
one HANDOVER_GRACE after it was made never got its task (its process died between the commit and the
handover, or Redis refused the write), and the sweep queues it then.

The tasks run on whichever django-tasks backend is configured: the database (the default, run by
`huiwu worker`) or Redis (TASKS_BACKEND=redis, run by the RQ worker that `huiwu serve` starts).
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from huiwu.notify import channels
from huiwu.notify.models import Channel, Delivery, Endpoint

log = logging.getLogger(__name__)

RETRY_MINUTES = (1, 2, 4, 8, 16)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
RATE_WINDOW = timedelta(seconds=60)
RATE_LIMITED_CHANNELS = frozenset({Channel.WECOM, Channel.DINGTALK})
# A queued delivery whose task should have run this long ago is queued again: its worker died mid-send, or the
# backend lost the task. Long, because a send in progress must never be doubled (and the sweep cannot tell a
# lost task from one merely late behind a backlog).
STALE_AFTER = timedelta(minutes=5)
# A delivery made this long ago whose task was never handed to the backend is queued again, by the sweep that
# the worker loop runs every SWEEP_INTERVAL: within 30 seconds of being made (20 s, the next sweep, its pass).
HANDOVER_GRACE = timedelta(seconds=20)
SWEEP_INTERVAL = timedelta(seconds=5)
# Deliveries queued again per statement by the sweep: a long outage of the task backend leaves many.
SWEEP_BATCH = 1000


def delivery_enqueue(delivery: Delivery, run_after: datetime | None = None) -> None:
    """Queue an attempt at `delivery` (whose row must be committed), at once or at `run_after`."""
    deliveries_enqueue([delivery], run_after)


def deliveries_enqueue(deliveries: Iterable[Delivery], run_after: datetime | None = None) -> None:
    """Queue an attempt at each of `deliveries` (committed rows; each task is for the delivery's current
    attempt number), at once or at `run_after`: one UPDATE of their `expected_at` and one write to the task
    backend, whatever their number. Inside a transaction it joins it (with the database backend, the tasks
    then commit or roll back with it)."""
    deliveries = list(deliveries)
    if not deliveries:
        return
    with transaction.atomic(savepoint=False):
        Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(
            expected_at=run_after or timezone.now()
        )
        _write_tasks(deliver.using(run_after=run_after), _calls(deliveries))


def deliveries_create(deliveries: list[Delivery]) -> list[Delivery]:
    """Write these new deliveries and queue a first attempt at each. With the database backend their tasks are
    written with them, expected now: one INSERT for the rows and one for the tasks, committed (or rolled back)
    with the caller's transaction, so that no delivery is ever committed without its task. With Redis, in one
    go once that transaction has committed, so that no task runs before its row can be read; a handover that
    fails then is logged, not raised (the rows and the inbox entries are committed): the rows keep an empty
    `expected_at`, and the worker's sweep queues them within 30 s."""
    if not deliveries:
        return []
    if not isinstance(deliver.get_backend(), DatabaseBackend):
        created = Delivery.objects.bulk_create(deliveries)
        transaction.on_commit(lambda: deliveries_enqueue(created), robust=True)
        return created
    now = timezone.now()
    for delivery in deliveries:
        delivery.expected_at = now
    with transaction.atomic(savepoint=False):
        created = Delivery.objects.bulk_create(deliveries)
        _write_tasks(deliver, _calls(created))
    return created


def _calls(deliveries: list[Delivery]) -> list[dict]:
    """The arguments of `deliver` for each delivery: the attempt it is for, which the reservation compares."""
    return [{"delivery_id": delivery.pk, "attempt": delivery.attempts} for delivery in deliveries]


def _write_tasks(task, calls: list[dict]) -> None:
    """What `task.enqueue(**kwargs)` does for each of `calls`, in one go: Task.enqueue has no bulk form, and one
    INSERT, or one Redis round trip, per delivery is what held the worker back."""
    backend = task.get_backend()
    backend.validate_task(task)
    if isinstance(backend, DatabaseBackend):
        results = _write_database_tasks(backend, task, calls)
    else:
        # Imported here: rq's import costs a third of a second, for nothing where tasks stay in the database.
        from django_tasks_rq.backend import RQBackend

        if isinstance(backend, RQBackend):
            results = _write_redis_tasks(backend, task, calls)
        else:
            # Any other django-tasks backend (none is configured today) one task at a time, as it knows how.
            for kwargs in calls:
                task.enqueue(**kwargs)
            return
    for result in results:
        task_enqueued.send(type(backend), task_result=result)


def _write_database_tasks(backend: DatabaseBackend, task, calls: list[dict]) -> list[TaskResult]:
    # The rows DatabaseBackend.enqueue creates one by one (django-tasks-db 0.13, pinned).
    rows = DBTaskResult.objects.bulk_create(
        DBTaskResult(
            args_kwargs={"args": [], "kwargs": kwargs},
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # bulk_create sends no pre_save signal, by which the backend marks "at once" with the latest date.
            run_after=task.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for kwargs in calls
    )
    return [row.task_result for row in rows]


def _write_redis_tasks(backend, task, calls: list[dict]) -> list[TaskResult]:
    # The jobs RQBackend.enqueue creates one by one (django-tasks-rq 0.12, pinned), in one Redis pipeline.
    import django_rq
    from django_tasks_rq.backend import Job, failed_callback, success_callback
    from rq.job import Callback, JobStatus

    queue = django_rq.get_queue(task.queue_name, job_class=Job)
    jobs = []
    with queue.connection.pipeline() as pipeline:
        for kwargs in calls:
            job = queue.create_job(
                task.module_path,
                kwargs=kwargs,
                job_id=get_random_id(),
                status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
                on_failure=Callback(failed_callback),
                on_success=Callback(success_callback),
                meta={"backend_name": backend.alias},
            )
            if task.run_after is None:
                jobs.append(queue.enqueue_job(job, pipeline=pipeline))
            else:
                jobs.append(queue.schedule_job(job, task.run_after, pipeline=pipeline))
        pipeline.execute()
    return [
        TaskResult(
            task=task,
            id=job.id,
            status=TaskResultStatus.READY,
            enqueued_at=job.enqueued_at,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=[],
            kwargs=kwargs,
            backend=backend.alias,
            errors=[],
            worker_ids=[],
        )
        for job, kwargs in zip(jobs, calls, strict=True)
    ]


def robot_attempts_in_window(endpoint_id: int, now: datetime):
    """The endpoint's deliveries attempted in the 60 seconds before `now` (each row holds its latest attempt;
    retries are at least a minute apart, so no attempt in the window is hidden by a later one)."""
    return Delivery.objects.filter(endpoint_id=endpoint_id, last_attempt_at__gt=now - RATE_WINDOW)


def robot_next_slot(endpoint_id: int, now: datetime) -> datetime | None:
    """None if the endpoint may take a request at `now`, else when it may next. Call it with the endpoint
    locked (see `_reserve`), or the answer may be stale by the time it is used."""
    limit = max(1, settings.ROBOT_MESSAGES_PER_MINUTE)
    recent = robot_attempts_in_window(endpoint_id, now)
    if recent.count() < limit:
        return None
    return recent.aggregate(oldest=Min("last_attempt_at"))["oldest"] + RATE_WINDOW


def _reserve(delivery_id: int, attempt: int | None) -> Delivery | None:
    """Record an attempt at the delivery and return it to be sent now; None if there is nothing to send now
    (already done, taken by another task, or the robot is at its limit and a later task was queued)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_related("endpoint", "notification__recipient").filter(pk=delivery_id).first()
        if delivery is None or delivery.state != Delivery.State.QUEUED:
            return None
        if attempt is None:
            attempt = delivery.attempts
        if delivery.attempts != attempt:
            return None  # another task made this attempt already
        if delivery.endpoint is not None and not delivery.endpoint.is_active:
            Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.QUEUED).update(
                state=Delivery.State.FAILED, last_error="the robot or webhook is switched off"
            )
            return None
        now = timezone.now()
        if delivery.channel in RATE_LIMITED_CHANNELS and delivery.endpoint_id:
            # Hold the endpoint until this transaction ends: another worker's count waits for ours.
            list(Endpoint.objects.select_for_update().filter(pk=delivery.endpoint_id).values_list("pk"))
            next_slot = robot_next_slot(delivery.endpoint_id, now)
            if next_slot is not None:
                deliveries_enqueue([delivery], next_slot)
                return None
        won = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.QUEUED, attempts=attempt).update(
            attempts=attempt + 1, last_attempt_at=now
        )
        if not won:
            return None
    delivery.attempts, delivery.last_attempt_at = attempt + 1, now
    return delivery


def _record_failure(delivery: Delivery, error: str, *, permanent: bool) -> str:
    final = permanent or delivery.attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        changed = Delivery.objects.filter(
            pk=delivery.pk, state=Delivery.State.QUEUED, attempts=delivery.attempts
        ).update(state=Delivery.State.FAILED if final else Delivery.State.QUEUED, last_error=error[:500])
        if changed and not final:
            retry_at = timezone.now() + timedelta(minutes=RETRY_MINUTES[delivery.attempts - 1])
            deliveries_enqueue([delivery], retry_at)
    log.warning(
        "Delivery %s (%s) attempt %s/%s failed%s: %s",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        MAX_ATTEMPTS,
        "; giving up" if final else "",
        error,
    )
    return "failed" if final else "retry"


@task()
def deliver(delivery_id: int, attempt: int | None = None) -> str:
    """One attempt at one delivery (see the module's docstring). Returns what happened, for the task result."""
    delivery = _reserve(delivery_id, attempt)
    if delivery is None:
        return "skipped"
    try:
        channels.send(delivery)
    except channels.DeliveryError as error:
        return _record_failure(delivery, str(error), permanent=error.permanent)
    except Exception as error:
        # A bug or a surprise in a channel is a failed attempt like any other, never a crash loop.
        log.exception("Delivery %s raised", delivery.pk)
        return _record_failure(delivery, f"{type(error).__name__}: {error}", permanent=False)
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.QUEUED, attempts=delivery.attempts).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def deliveries_requeue_stale(*, now: datetime | None = None) -> int:
    """Queue again every queued delivery that has no task: never handed to the backend HANDOVER_GRACE after
    it was made, or whose task should have run more than STALE_AFTER ago (its worker was killed between
    reserving and recording, or the task was lost). Returns how many.

    It asks nothing of the task backend (database or Redis alike). A delivery queued again whose first task
    is merely late is harmless: the attempt number in the task lets only one of the two send.
    """
    now = now or timezone.now()
    stale = Delivery.objects.filter(
        Q(expected_at__isnull=True, created_at__lte=now - HANDOVER_GRACE) | Q(expected_at__lt=now - STALE_AFTER),
        state=Delivery.State.QUEUED,
    ).only("pk", "attempts")
    requeued: list[int] = []
    while True:
        # Each batch queued again drops out of `stale` (its expected_at is now): the next one is the rest.
        orphans = list(stale[:SWEEP_BATCH])
        deliveries_enqueue(orphans)
        requeued += [orphan.pk for orphan in orphans]
        if len(orphans) < SWEEP_BATCH:
            break
    if requeued:
        log.warning("Queued %s deliveries again that had no task: %s", len(requeued), requeued)
    return len(requeued)
