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
`deliveries_requeue_stale` (called by the worker loop now and then) queues it again.

The tasks run on whichever django-tasks backend is configured: the database (the default, run by
`huiwu worker`) or Redis (TASKS_BACKEND=redis, run by the RQ worker that `huiwu serve` starts).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from huiwu.notify import channels
from huiwu.notify.models import Channel, Delivery, Endpoint

log = logging.getLogger(__name__)

RETRY_MINUTES = (1, 2, 4, 8, 16)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
RATE_WINDOW = timedelta(seconds=60)
RATE_LIMITED_CHANNELS = frozenset({Channel.WECOM, Channel.DINGTALK})
# A queued delivery with no task for this long (its worker died mid-send, say) is queued again.
STALE_AFTER = timedelta(minutes=5)


def delivery_enqueue(delivery: Delivery, run_after: datetime | None = None) -> None:
    """Queue an attempt at `delivery` (whose row must be committed), at once or at `run_after`."""
    _enqueue(delivery.pk, delivery.attempts, run_after)


def _enqueue(delivery_id: int, attempt: int, run_after: datetime | None = None) -> None:
    Delivery.objects.filter(pk=delivery_id).update(expected_at=run_after or timezone.now())
    deliver.using(run_after=run_after).enqueue(delivery_id=delivery_id, attempt=attempt)


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
                _enqueue(delivery.pk, attempt, next_slot)
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
            _enqueue(delivery.pk, delivery.attempts, retry_at)
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
    """Queue again every queued delivery whose task should have run more than STALE_AFTER ago: its worker
    was killed between reserving and recording, or the task was lost. Returns how many.

    It asks nothing of the task backend (database or Redis alike). A delivery queued again whose first task
    is merely late is harmless: the attempt number in the task lets only one of the two send.
    """
    now = now or timezone.now()
    orphans = list(
        Delivery.objects.filter(state=Delivery.State.QUEUED, expected_at__lt=now - STALE_AFTER).values_list(
            "pk", "attempts"
        )
    )
    for pk, attempts in orphans:
        _enqueue(pk, attempts)
    if orphans:
        log.warning("Queued %s deliveries again that had no task: %s", len(orphans), [pk for pk, _ in orphans])
    return len(orphans)
