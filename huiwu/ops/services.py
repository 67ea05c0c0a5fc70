"""Writes of the operations app: workers' heartbeats, and the claims and answers of idempotent requests.

An Idempotency-Key is claimed by an INSERT that the unique (scope, key) lets only one request make; every later
change of a claim compares and sets its `claimed_at`, so that a server which took over a crashed one's claim is
never overwritten by the crashed one coming back.
"""

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from huiwu.ops.models import IdempotentRequest, WorkerBeat

# A dead worker's row is deleted after this long; until then it only shows how long ago it died.
WORKER_BEAT_RETENTION = timedelta(days=1)
# A claim is a crashed server's once it is older than the longest a request may take (gunicorn kills a worker
# after WEB_TIMEOUT_SECONDS), with this margin.
CLAIM_MARGIN = timedelta(seconds=10)


# --- worker heartbeats -------------------------------------------------------------------------------


def worker_beat(*, worker_id: str, now: datetime | None = None) -> None:
    """The worker `worker_id` is alive: one UPDATE, and an INSERT only on its first beat."""
    now = now or timezone.now()
    if not WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        WorkerBeat.objects.create(
            worker_id=worker_id, hostname=socket.gethostname()[:255], pid=os.getpid(), started_at=now, beat_at=now
        )


def worker_beat_end(*, worker_id: str) -> None:
    """The worker stopped cleanly: it no longer counts as one running."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def worker_beats_prune(*, now: datetime) -> int:
    """Delete the rows of workers that have not beaten for a day (they died without saying so)."""
    return WorkerBeat.objects.filter(beat_at__lte=now - WORKER_BEAT_RETENTION).delete()[0]


# --- idempotent requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """This request holds the key: answer it, then complete or release the claim."""

    pk: int
    claimed_at: datetime


@dataclass(frozen=True)
class Replay:
    """The key was answered: give the same answer again."""

    status_code: int
    content_type: str
    location: str
    body: bytes


class InProgress:
    """Another request holds the key and is still being answered."""


class Mismatch:
    """The key was used for another request (another method, path or body)."""


def idempotency_lifetime() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def _claim_abandoned_after() -> timedelta:
    return timedelta(seconds=settings.WEB_TIMEOUT_SECONDS) + CLAIM_MARGIN


_FRESH = {"completed_at": None, "status_code": None, "content_type": "", "location": "", "body": b""}


def idempotent_request_claim(
    *, scope: str, key: str, fingerprint: str, now: datetime | None = None
) -> Claimed | Replay | InProgress | Mismatch:
    """Claim `key` for the caller `scope`, or say why not. A key lasts IDEMPOTENCY_KEY_HOURS from its first use:
    at that age it is free again, as if never used."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            row = IdempotentRequest.objects.create(
                scope=scope, key=key, fingerprint=fingerprint, created_at=now, claimed_at=now
            )
        return Claimed(row.pk, now)
    except IntegrityError:
        pass
    row = IdempotentRequest.objects.filter(scope=scope, key=key).first()
    if row is None:
        # Released (its request failed) between the INSERT and this read: the client's retry will claim it.
        return InProgress()
    held = IdempotentRequest.objects.filter(pk=row.pk, claimed_at=row.claimed_at)
    if now - row.created_at >= idempotency_lifetime():
        taken = held.update(fingerprint=fingerprint, created_at=now, claimed_at=now, **_FRESH)
        return Claimed(row.pk, now) if taken else InProgress()
    if row.fingerprint != fingerprint:
        return Mismatch()
    if row.completed_at is not None:
        return Replay(row.status_code, row.content_type, row.location, bytes(row.body))
    if now - row.claimed_at < _claim_abandoned_after():
        return InProgress()
    # The server answering it died (or was killed for taking too long): take the claim over.
    taken = held.filter(completed_at__isnull=True).update(claimed_at=now)
    return Claimed(row.pk, now) if taken else InProgress()


def idempotent_request_complete(
    *, claim: Claimed, status_code: int, content_type: str, location: str, body: bytes, now: datetime | None = None
) -> None:
    """Keep the answer for the retries. A claim taken over meanwhile is the other server's to complete."""
    IdempotentRequest.objects.filter(pk=claim.pk, claimed_at=claim.claimed_at, completed_at__isnull=True).update(
        completed_at=now or timezone.now(),
        status_code=status_code,
        content_type=content_type,
        location=location,
        body=body,
    )


def idempotent_request_release(*, claim: Claimed) -> None:
    """The request failed (a 5xx, an exception): the key is free for the client's retry."""
    IdempotentRequest.objects.filter(pk=claim.pk, claimed_at=claim.claimed_at, completed_at__isnull=True).delete()


def idempotent_requests_prune(*, now: datetime) -> int:
    """Delete the keys IDEMPOTENCY_KEY_HOURS old or older: no retry is answered from them any more."""
    return IdempotentRequest.objects.filter(created_at__lte=now - idempotency_lifetime()).delete()[0]
