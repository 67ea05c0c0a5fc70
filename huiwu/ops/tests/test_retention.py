"""The worker's prune: notifications, deliveries, finished task results and expired sessions go once older than
their retention period — a row exactly at the cut-off stays, one a second older goes — and nothing still to
be done (a queued delivery, a task ready or running) ever goes, nor the audit log."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from huiwu.notify.models import Channel, Delivery, Kind, Notification
from huiwu.ops import retention
from huiwu.ops.retention import records_prune
from huiwu.security.models import AuditEntry

# Offsets from the cut-off, by what the test names the row.
AGES = {"a second older": timedelta(seconds=-1), "at the cut-off": timedelta(0), "a second newer": timedelta(seconds=1)}
KEPT = {"at the cut-off", "a second newer"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retention(settings):
    # Unlike the defaults and unlike each other, so that each rule is seen to read its own setting.
    settings.RETAIN_NOTIFICATIONS_DAYS = 90
    settings.RETAIN_DELIVERIES_DAYS = 20
    settings.RETAIN_TASK_RESULTS_DAYS = 5


def _cutoff(days: int):
    return timezone.now() - timedelta(days=days)


def _notification(recipient, title: str, *, created_at) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        kind=Kind.MEETING_REMINDER,
        event=Notification.Event.REMINDER,
        title=title,
        created_at=created_at,
    )


def _delivery(notification, *, state, created_at, key: str = "") -> Delivery:
    return Delivery.objects.create(
        notification=notification,
        channel=Channel.EMAIL,
        event_key=key or notification.title,
        state=state,
        created_at=created_at,
    )


def _task_result(name: str, *, status, finished_at=None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=f"huiwu.tests.{name}",
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        finished_at=finished_at,
    )


def test_it_prunes_notifications_older_than_their_retention(frozen_now, attendant):
    for title, offset in AGES.items():
        _notification(attendant, title, created_at=_cutoff(90) + offset)
    counts = records_prune()
    assert set(Notification.objects.values_list("title", flat=True)) == KEPT
    assert counts["notifications"] == 1


def test_it_prunes_a_notification_read_or_not(frozen_now, attendant):
    _notification(attendant, "unread", created_at=_cutoff(90) - timedelta(seconds=1))
    read = _notification(attendant, "read", created_at=_cutoff(90) - timedelta(seconds=1))
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    assert records_prune()["notifications"] == 2
    assert not Notification.objects.exists()


def test_it_prunes_a_notifications_deliveries_with_it_and_counts_them(frozen_now, attendant, settings):
    # Deliveries kept longer than notifications: this one goes only because its notification does.
    settings.RETAIN_DELIVERIES_DAYS = 365
    old = _notification(attendant, "old", created_at=_cutoff(90) - timedelta(seconds=1))
    _delivery(old, state=Delivery.State.SENT, created_at=_cutoff(90) - timedelta(seconds=1))
    counts = records_prune()
    assert (counts["notifications"], counts["deliveries"]) == (1, 1)
    assert not Delivery.objects.exists()


def test_it_keeps_an_old_notification_while_its_delivery_is_queued(frozen_now, attendant):
    long_ago = _cutoff(365)
    waiting = _notification(attendant, "waiting", created_at=long_ago)
    _delivery(waiting, state=Delivery.State.QUEUED, created_at=long_ago, key="queued")
    _delivery(waiting, state=Delivery.State.SENT, created_at=_cutoff(20) + timedelta(seconds=1), key="sent")
    assert records_prune()["notifications"] == 0
    assert Notification.objects.filter(pk=waiting.pk).exists()
    assert Delivery.objects.filter(notification=waiting).count() == 2


@pytest.mark.parametrize("state", [Delivery.State.SENT, Delivery.State.FAILED])
def test_it_prunes_deliveries_sent_or_failed_older_than_their_retention(frozen_now, attendant, state):
    notification = _notification(attendant, "recent", created_at=timezone.now())
    for name, offset in AGES.items():
        _delivery(notification, state=state, created_at=_cutoff(20) + offset, key=name)
    counts = records_prune()
    assert set(Delivery.objects.values_list("event_key", flat=True)) == KEPT
    assert (counts["deliveries"], counts["notifications"]) == (1, 0)


def test_it_keeps_a_queued_delivery_whatever_its_age(frozen_now, attendant):
    notification = _notification(attendant, "recent", created_at=timezone.now())
    _delivery(notification, state=Delivery.State.QUEUED, created_at=_cutoff(365))
    assert records_prune()["deliveries"] == 0
    assert Delivery.objects.count() == 1


@pytest.mark.parametrize("status", [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
def test_it_prunes_task_results_finished_before_their_retention(frozen_now, status):
    for name, offset in AGES.items():
        _task_result(name.replace(" ", "_"), status=status, finished_at=_cutoff(5) + offset)
    counts = records_prune()
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == {
        "huiwu.tests.at_the_cut-off",
        "huiwu.tests.a_second_newer",
    }
    assert counts["task_results"] == 1


def test_it_keeps_task_results_ready_or_running_whatever_their_age(frozen_now):
    # Even with a finished time long past (a result set back to ready to run again): the status decides.
    long_ago = _cutoff(365)
    _task_result("ready", status=TaskResultStatus.READY, finished_at=long_ago)
    _task_result("running", status=TaskResultStatus.RUNNING, finished_at=long_ago)
    DBTaskResult.objects.update(enqueued_at=long_ago, started_at=long_ago)
    assert records_prune()["task_results"] == 0
    assert DBTaskResult.objects.count() == 2


def test_it_prunes_expired_sessions(frozen_now):
    for name, offset in AGES.items():
        Session.objects.create(session_key=name.replace(" ", "-"), session_data="", expire_date=timezone.now() + offset)
    assert records_prune()["sessions"] == 1
    # Expired means past its expiry: the one expiring this very moment is still valid.
    assert set(Session.objects.values_list("session_key", flat=True)) == {"at-the-cut-off", "a-second-newer"}


def test_it_leaves_sessions_to_the_cache_engine_which_expires_them_itself(frozen_now, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    Session.objects.create(session_key="of-another-engine", session_data="", expire_date=_cutoff(1))
    assert records_prune()["sessions"] == 0
    assert Session.objects.filter(session_key="of-another-engine").exists()


def test_it_never_prunes_the_audit_log(frozen_now):
    AuditEntry.objects.create(at=_cutoff(3650), action="view", subject_type="meeting", subject_id=1, summary="x")
    records_prune()
    assert AuditEntry.objects.count() == 1


def test_it_deletes_a_backlog_in_batches_of_a_bounded_size(frozen_now, attendant, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    for number in range(5):
        _notification(attendant, f"old {number}", created_at=_cutoff(90) - timedelta(days=number + 1))
    with CaptureQueriesContext(connection) as queries:
        counts = records_prune()
    assert counts["notifications"] == 5
    assert not Notification.objects.exists()
    deletes = [q["sql"] for q in queries if q["sql"].startswith('DELETE FROM "notify_notification"')]
    assert len(deletes) == 3


def test_it_prunes_nothing_when_nothing_is_old(frozen_now, attendant):
    _notification(attendant, "today", created_at=timezone.now())
    assert records_prune() == {"notifications": 0, "deliveries": 0, "task_results": 0, "sessions": 0}
    assert Notification.objects.count() == 1
