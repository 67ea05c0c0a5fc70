"""What running Huiwu keeps about itself: which workers are alive (their heartbeats, read by /readyz and
/metrics), and the answers to POSTs that carry an Idempotency-Key, so that a retry is answered, not redone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """One running `huiwu worker`: it beats every few seconds and deletes its row when it stops cleanly. A row
    whose beat is old is a worker that died; it is ignored, and pruned after a day."""

    worker_id = models.CharField(_("worker"), max_length=32, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        # No index on beat_at: a few rows, one per worker, and each beat's UPDATE stays a cheap in-place one.

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class IdempotentRequest(models.Model):
    """A POST with an Idempotency-Key: claimed while it is being answered, then its answer, replayed to a retry.

    The unique (scope, key) is what makes two concurrent attempts one: only one INSERT succeeds."""

    # Whose key it is: "user:<id>", "token:<sha256 of the Authorization header>" or "anon:<client address>".
    scope = models.CharField(_("caller"), max_length=80)
    key = models.CharField(_("key"), max_length=255)
    # sha256 of the method, the full path and the body: the same key for another request is refused.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("created"))
    # When the request now being answered took the key; a claim older than a request may last is a crashed
    # server's, and is taken over by comparing and setting this value.
    claimed_at = models.DateTimeField(_("claimed at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=255, blank=True)
    location = models.TextField(_("location"), blank=True)
    # Empty when the answer was too large to keep (or streamed): a retry then gets its status and Location.
    body = models.BinaryField(_("body"), blank=True, default=b"")

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotentrequest_once_per_key")]
        # The hourly prune's range.
        indexes = [models.Index(fields=["created_at"], name="idempotentrequest_created_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
