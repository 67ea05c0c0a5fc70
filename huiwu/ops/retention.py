"""How long records are kept, and their pruning.

The audit log is kept at least AUDIT_MINIMUM_DAYS (网络安全法 第二十一条: network logs at least six months) and
only `huiwu audit_prune` deletes from it, leaving a record of its own; on PostgreSQL the trigger of
security/migrations/0004 refuses any other deletion, and any deletion of a younger entry. The worker calls
`records_prune` every PRUNE_INTERVAL_MINUTES for the rest: notifications, deliveries, finished task results and
expired sessions — never the audit log.

Everything goes in batches of BATCH_SIZE rows, each its own short transaction, so that a large backlog (the first
prune after an upgrade, say) never holds the write lock for long: on SQLite that lock stops every other writer.
"""

from collections import Counter
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from huiwu.lib.i18n import site_language
from huiwu.notify.models import Delivery, Notification
from huiwu.security.audit import audit_record
from huiwu.security.models import AuditEntry

# The legal floor, whatever the settings say (they refuse less too); the PostgreSQL trigger holds the same.
AUDIT_MINIMUM_DAYS = 180
BATCH_SIZE = 1000


def _delete_in_batches(rows: QuerySet, *, audit_prune: bool = False) -> Counter[str]:
    """Deletes `rows` BATCH_SIZE at a time; the rows deleted by model label, cascades included. Each batch
    deletes through `rows` again, so that a row that stopped matching since it was picked (a failed delivery
    retried from the admin, say) stays. `audit_prune`: each batch's transaction lets the trigger of the audit
    log through (see _audit_prune_flag)."""
    deleted: Counter[str] = Counter()
    while ids := list(rows.order_by().values_list("pk", flat=True)[:BATCH_SIZE]):
        with transaction.atomic():
            if audit_prune:
                _audit_prune_flag("on")
            deleted.update(rows.filter(pk__in=ids).delete()[1])
            if audit_prune:
                _audit_prune_flag("off")
        if len(ids) < BATCH_SIZE:
            break
    return deleted


def _audit_prune_flag(value: str) -> None:
    # Read by the trigger (security/migrations/0004). A local setting ends with the transaction; it is switched
    # off again at once all the same, so that it never outlives the batch when the prune runs inside a longer
    # transaction (a test's, or a caller's).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('huiwu.audit_prune', %s, true)", [value])


def _sessions_prune(now: datetime) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if issubclass(store, DatabaseSessionStore):  # db and cached_db: rows, pruned in batches like the rest
        return sum(_delete_in_batches(store.get_model_class().objects.filter(expire_date__lt=now)).values())
    # The cache engine (Redis in production) lets its entries expire by themselves; another engine prunes its
    # own way, without telling how many.
    store.clear_expired()
    return 0


def records_prune(*, now: datetime | None = None) -> dict[str, int]:
    """Deletes what is older than its retention period; how many of each were deleted.

    - deliveries sent or failed more than RETAIN_DELIVERIES_DAYS ago (by when they were made); queued ones stay
      whatever their age, their task still to run;
    - notifications made more than RETAIN_NOTIFICATIONS_DAYS ago, read or not, with their deliveries — except
      a notification with a delivery still queued, which stays until that delivery is sent or fails (its task
      would otherwise find nothing to send);
    - task results finished (successful or failed) more than RETAIN_TASK_RESULTS_DAYS ago; ready and running
      ones stay;
    - sessions past their expiry.
    """
    now = now or timezone.now()
    deliveries = _delete_in_batches(
        Delivery.objects.filter(
            state__in=[Delivery.State.SENT, Delivery.State.FAILED],
            created_at__lt=now - timedelta(days=settings.RETAIN_DELIVERIES_DAYS),
        )
    )
    notifications = _delete_in_batches(
        Notification.objects.filter(
            created_at__lt=now - timedelta(days=settings.RETAIN_NOTIFICATIONS_DAYS),
        ).exclude(deliveries__state=Delivery.State.QUEUED)
    )
    task_results = _delete_in_batches(
        DBTaskResult.objects.finished().filter(finished_at__lt=now - timedelta(days=settings.RETAIN_TASK_RESULTS_DAYS))
    )
    delivery_label = Delivery._meta.label
    return {
        "notifications": notifications[Notification._meta.label],
        "deliveries": deliveries[delivery_label] + notifications[delivery_label],
        "task_results": task_results[DBTaskResult._meta.label],
        "sessions": _sessions_prune(now),
    }


def audit_prune_cutoff(*, older_than_days: int, now: datetime | None = None) -> datetime:
    """The time before which entries may go; ValueError (its message for the operator) under the legal floor."""
    if older_than_days < AUDIT_MINIMUM_DAYS:
        raise ValueError(
            _(
                "The audit log must be kept at least %(minimum)d days (Cybersecurity Law, article 21: six months "
                "of network logs); %(days)d days is too few."
            )
            % {"minimum": AUDIT_MINIMUM_DAYS, "days": older_than_days}
        )
    return (now or timezone.now()) - timedelta(days=older_than_days)


def audit_entries_prunable(*, cutoff: datetime) -> int:
    return AuditEntry.objects.filter(at__lt=cutoff).count()


def audit_entries_prune(*, older_than_days: int, operator: str, now: datetime | None = None) -> int:
    """Deletes the audit entries older than `older_than_days` days (at least AUDIT_MINIMUM_DAYS, else
    ValueError); how many were deleted. `operator` is who ran it (the operating-system user of the command).

    The pruning is itself an entry of the log, written before the first row goes: no deletion is ever left
    unrecorded, and a prune interrupted half-way is recorded all the same (running it again finishes the job,
    and records that too). Nothing to delete, nothing written."""
    cutoff = audit_prune_cutoff(older_than_days=older_than_days, now=now)
    count = audit_entries_prunable(cutoff=cutoff)
    if not count:
        return 0
    with site_language():
        summary = _("Pruned %(count)d entries of the audit log older than %(cutoff)s (by %(operator)s)") % {
            "count": count,
            "cutoff": f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}",
            "operator": operator,
        }
    audit_record(user=None, action=AuditEntry.Action.PRUNE, subject_type="audit_log", subject_id=0, summary=summary)
    return _delete_in_batches(AuditEntry.objects.filter(at__lt=cutoff), audit_prune=True)[AuditEntry._meta.label]
