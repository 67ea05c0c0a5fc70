import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from huiwu.notify.services import deadline_next_at, deadlines_process
from huiwu.notify.tasks import SWEEP_INTERVAL, deliveries_requeue_stale
from huiwu.ops.retention import records_prune
from huiwu.ops.services import idempotent_requests_prune, worker_beat, worker_beat_end, worker_beats_prune
from huiwu.reception.services.routine import reception_days_plan
from huiwu.reports.services import monthly_reports_due
from huiwu.surveys.services import surveys_send_due

logger = logging.getLogger(__name__)

# Deliveries run between two passes over the deadlines, a bounded number at a time, so that a slow robot
# never holds back reminders for long.
_TASKS_PER_PASS = 20
# Deadlines a pass takes at most. A pass that took that many may have left more due: the deliveries then wait
# for the pass that clears them, so that a burst of reminders reaches the inbox, every delivery queued, first.
DEADLINES_PER_PASS = 200
# After an error (the database restarting, say), wait this long before the next pass, not crash-loop.
_ERROR_PAUSE_SECONDS = 5
# How often the worker tells /readyz it is alive (READY_WORKER_MAX_AGE_SECONDS allows a minute): a write per beat,
# not per pass, which comes every second.
BEAT_INTERVAL_SECONDS = 10


class Command(BaseCommand):
    help = "Run the background worker: reminds and escalates deadlines, delivers messages (SIGTERM stops it)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass over what is due, then exit.")

    def handle(self, *args, once: bool, **options) -> None:
        self.stopping = threading.Event()
        if not once:
            # Finish the pass in hand, then stop: nothing is left half-done (and a kill is safe anyway).
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda signum, frame: self.stopping.set())
        self.worker_id = get_random_string(32)
        # With the Redis backend the RQ worker runs the tasks; this loop then only minds the deadlines.
        self.run_tasks_here = isinstance(task_backends["default"], DatabaseBackend)
        self.stdout.write(f"Worker started (id {self.worker_id}).")
        self.stdout.flush()
        self.next_sweep = 0.0
        self.next_beat = 0.0
        # The first prune an interval after starting: workers restarted together do not all prune at once.
        self.next_prune = time.monotonic() + settings.PRUNE_INTERVAL_MINUTES * 60
        while not self.stopping.is_set():
            close_old_connections()
            try:
                self._beat()
                # The survey invitations of meetings that have ended ride along: one indexed query when none is due;
                # so does planning reception's working day (its timeline and deadlines), once, when the day begins,
                # and from the first working day of a month the monthly service reports of the month before, one a pass:
                # last, after the deliveries and their sweep, so that a report that cannot be made holds up nothing
                # else. The sweep comes after the inbox's work: while the task backend is down it fails, and the
                # reminders reach the inbox all the same.
                reminded = deadlines_process(batch=DEADLINES_PER_PASS)
                busy = (
                    reminded
                    + surveys_send_due()
                    + reception_days_plan()
                    + (self._run_tasks() if reminded < DEADLINES_PER_PASS else 0)
                    + self._sweep()
                    + monthly_reports_due()
                )
                self._prune()
            except Exception:
                if once:
                    raise
                logger.exception("Worker pass failed; trying again in %s s", _ERROR_PAUSE_SECONDS)
                close_old_connections()
                self.stopping.wait(_ERROR_PAUSE_SECONDS)
                continue
            if once:
                break
            if not busy:
                self.stopping.wait(self._idle_seconds())
        if not once:
            self._beat_end()
        self.stdout.write("Worker stopped.")

    def _beat(self) -> None:
        if time.monotonic() < self.next_beat:
            return
        self.next_beat = time.monotonic() + BEAT_INTERVAL_SECONDS
        worker_beat(worker_id=self.worker_id)

    def _beat_end(self) -> None:
        # A clean stop leaves no beat behind: /readyz then counts only the workers that run. The database may be
        # what stopped us; the beat then ages out by itself.
        try:
            worker_beat_end(worker_id=self.worker_id)
        except DatabaseError:
            logger.warning("Could not remove worker %s's heartbeat; it will age out", self.worker_id)

    def _prune(self) -> None:
        """Every PRUNE_INTERVAL_MINUTES, delete what has outlived its retention (README, "Retention")."""
        if time.monotonic() < self.next_prune:
            return
        self.next_prune = time.monotonic() + settings.PRUNE_INTERVAL_MINUTES * 60
        now = timezone.now()
        pruned = records_prune(now=now)
        pruned["worker_beats"] = worker_beats_prune(now=now)
        pruned["idempotency_keys"] = idempotent_requests_prune(now=now)
        logger.info("Pruned %s", ", ".join(f"{count} {what}" for what, count in pruned.items()))

    def _sweep(self) -> int:
        """Every SWEEP_INTERVAL, queue again the deliveries that have no task (see deliveries_requeue_stale). The
        next time is set first, so that a sweep that fails is tried again at the next interval, not every pass."""
        if time.monotonic() < self.next_sweep:
            return 0
        self.next_sweep = time.monotonic() + SWEEP_INTERVAL.total_seconds()
        return deliveries_requeue_stale()

    def _run_tasks(self) -> int:
        # Looking first spares a write lock per idle pass (the task worker takes one to claim).
        if not self.run_tasks_here or not DBTaskResult.objects.ready().exists():
            return 0
        tasks = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=_TASKS_PER_PASS,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        tasks.run()
        # _run_tasks: how many tasks that pass ran (django-tasks-db 0.13, pinned).
        return tasks._run_tasks

    def _idle_seconds(self) -> float:
        """Until the next deadline opens or falls due, at most the configured interval."""
        interval = settings.WORKER_INTERVAL_SECONDS
        next_at = deadline_next_at()
        if next_at is None:
            return interval
        return max(0.05, min(interval, (next_at - timezone.now()).total_seconds()))
