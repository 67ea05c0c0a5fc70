"""Fault tests of `huiwu worker` as real processes on the test database (SQLite file or PostgreSQL).

Workers killed with SIGKILL in the middle of a batch, then restarted; and two workers at once: every due
reminder reaches each recipient's inbox exactly once, and no deadline is left pending. A delivery whose
task never reached the task backend is queued again, and sent, within 30 seconds.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from huiwu.notify.models import Deadline, Delivery, Kind, Notification
from huiwu.notify.services import deadline_upsert
from huiwu.notify.tasks import HANDOVER_GRACE

# Enough for four kills to each land mid-work, a chunk (notify.services.CHUNK) or two apiece.
DEADLINES = 600
# Every wait is bounded, so that a failing worker fails the test instead of hanging it.
START_TIMEOUT = 60
RUN_TIMEOUT = 120
STOP_TIMEOUT = 10
# Seconds between a killed worker's first reminder and its SIGKILL, one kill each.
KILL_DELAYS = (0, 0.004, 0.011, 0.025)


def _database_url() -> str:
    """The test database, as a URL the worker processes can be given."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    assert connection.vendor == "postgresql", connection.vendor
    credentials = quote(config["USER"] or "", safe="")
    if config.get("PASSWORD"):
        credentials += ":" + quote(config["PASSWORD"], safe="")
    host = config.get("HOST") or "127.0.0.1"
    port = config.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{quote(config['NAME'], safe='')}"


class Workers:
    """`python -m huiwu worker` processes on the test database, each writing its output to a file."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "HUIWU_DATA_DIR": str(data_dir),
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            # The test's deadlines opened seconds ago; none of them may be recorded as missed.
            "REMINDER_CUTOFF_MINUTES": "1440",
            "WORKER_INTERVAL_SECONDS": "0.2",
        }
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self) -> subprocess.Popen:
        log = self.data_dir / f"worker-{len(self.processes) + 1}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "huiwu", "worker"],
                cwd=settings.PROJECT_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.processes.append((process, log))
        return process

    def output(self, process: subprocess.Popen) -> str:
        log = next(log for p, log in self.processes if p is process)
        return log.read_text(errors="replace")

    def check_alive(self) -> None:
        for process, log in self.processes:
            if process.returncode is None and process.poll() is not None:
                pytest.fail(f"worker {process.pid} exited with {process.returncode}:\n{log.read_text()}")

    def wait_started(self, process: subprocess.Popen) -> None:
        wait_for(lambda: "Worker started" in self.output(process), self, "the worker did not start")

    def stop(self, process: subprocess.Popen) -> int:
        """SIGTERM: the worker finishes its pass and exits 0 within a few seconds."""
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"worker {process.pid} did not stop within {STOP_TIMEOUT} s of SIGTERM")

    def kill_all(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def workers(transactional_db, tmp_path):
    # transactional_db: the test's rows are committed, so the worker processes see them.
    group = Workers(tmp_path)
    try:
        yield group
    finally:
        group.kill_all()


def wait_for(condition, workers: Workers, message: str, timeout: float = START_TIMEOUT, interval=0.005) -> None:
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if condition():
            return
        workers.check_alive()
        time.sleep(interval)
    pytest.fail(f"{message} within {timeout} s")


def create_due_reminders(people) -> list[int]:
    """DEADLINES meeting reminders that opened seconds ago, each for both people, committed at once."""
    now = timezone.now()
    with transaction.atomic():
        deadlines = [
            deadline_upsert(
                key=f"fault:{number}",
                kind=Kind.MEETING_REMINDER,
                title=f"会议提醒 {number}",
                url=f"/meetings/{number}/",
                opens_at=now - timedelta(seconds=5) + timedelta(milliseconds=number),
                due_at=now + timedelta(hours=1),
                responsible_users=people,
            )
            for number in range(DEADLINES)
        ]
    return [deadline.pk for deadline in deadlines]


def reminders():
    return Notification.objects.filter(event=Notification.Event.REMINDER, deadline__key__startswith="fault:")


def faults() -> QuerySet[Deadline]:
    """The test's own deadlines: a worker also plans the day's reception routine, whose deadlines stay
    pending until their morning (after midnight, the whole run long)."""
    return Deadline.objects.filter(key__startswith="fault:")


def all_handled() -> bool:
    return not faults().filter(state=Deadline.State.PENDING).exists()


def assert_each_reminded_exactly_once(deadline_ids: list[int], people) -> None:
    assert not faults().filter(state=Deadline.State.PENDING).exists()
    assert faults().filter(pk__in=deadline_ids, state=Deadline.State.DONE).count() == DEADLINES
    assert reminders().count() == 2 * DEADLINES
    twice = reminders().values("recipient", "deadline").annotate(n=Count("id")).filter(n__gt=1)
    assert list(twice) == []
    pairs = set(reminders().values_list("recipient_id", "deadline_id"))
    assert pairs == {(person.pk, pk) for person in people for pk in deadline_ids}


def assert_whole_deadlines_only() -> None:
    """What a killed worker committed is whole: a deadline is done exactly when both people have its reminder."""
    done = set(faults().filter(state=Deadline.State.DONE).values_list("pk", flat=True))
    per_deadline = dict(reminders().values("deadline").annotate(n=Count("id")).values_list("deadline", "n"))
    assert set(per_deadline) == done
    assert set(per_deadline.values()) <= {2}
    assert faults().filter(state=Deadline.State.PENDING).count() == DEADLINES - len(done)


def test_it_reminds_exactly_once_when_workers_are_killed_mid_batch_and_restarted(workers, make_persona):
    people = [make_persona("hotline"), make_persona("attendant")]
    deadline_ids = create_due_reminders(people)

    # Each worker is killed soon after its first reminders are in, well inside its first batch of 200; the
    # short waits after that vary where in its work the kill falls (claim, inbox rows, commit).
    for delay in KILL_DELAYS:
        before = reminders().count()
        worker = workers.start()
        wait_for(lambda before=before: reminders().count() > before, workers, "the worker wrote no reminder")
        time.sleep(delay)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=STOP_TIMEOUT)
        assert worker.returncode == -signal.SIGKILL
        written = reminders().count()
        assert before < written < 2 * DEADLINES, "the kill did not fall in the middle of the work"
        assert_whole_deadlines_only()

    last = workers.start()
    wait_for(all_handled, workers, "the restarted worker did not handle every deadline", timeout=RUN_TIMEOUT)
    assert workers.stop(last) == 0, workers.output(last)
    assert "Worker stopped." in workers.output(last)

    assert_each_reminded_exactly_once(deadline_ids, people)


def test_it_reminds_exactly_once_with_two_workers_at_once(workers, make_persona):
    people = [make_persona("hotline"), make_persona("attendant")]
    pair = [workers.start(), workers.start()]
    # Both are polling before the deadlines appear (in one commit), so both compete for every batch.
    for process in pair:
        workers.wait_started(process)
    deadline_ids = create_due_reminders(people)

    wait_for(all_handled, workers, "the two workers did not handle every deadline", timeout=RUN_TIMEOUT)
    for process in pair:
        assert workers.stop(process) == 0, workers.output(process)
        assert "Worker stopped." in workers.output(process)

    assert_each_reminded_exactly_once(deadline_ids, people)


def test_it_sends_a_delivery_that_never_got_its_task_within_30_seconds(workers, notify_recipient):
    workers.env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    worker = workers.start()
    workers.wait_started(worker)
    # Committed without a task, as a process that died between the commit and the handover leaves it; due to be
    # queued again 3 s from now, after the worker's first sweep.
    made = timezone.now() - HANDOVER_GRACE + timedelta(seconds=3)
    notification = Notification.objects.create(
        recipient=notify_recipient, kind=Kind.MEETING_BOOKED, event="notice", title="预订：党组会", url="/meetings/1/"
    )
    orphan = Delivery.objects.create(notification=notification, channel="email", event_key="orphan", created_at=made)

    sent = Delivery.objects.filter(pk=orphan.pk, state=Delivery.State.SENT)
    wait_for(sent.exists, workers, "the delivery without a task was not sent", timeout=RUN_TIMEOUT, interval=0.1)
    assert workers.stop(worker) == 0, workers.output(worker)

    orphan.refresh_from_db()
    assert HANDOVER_GRACE <= orphan.expected_at - made < timedelta(seconds=30)
    assert orphan.attempts == 1
