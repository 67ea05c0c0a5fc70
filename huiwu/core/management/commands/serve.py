import logging
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)

# RQ's worker for the Redis task backend; the job class is django-tasks-rq's, which runs django-tasks tasks.
RQ_WORKER_ARGS = ["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job"]

# How long the workers get to finish the pass or job in hand before being killed.
_STOP_GRACE_SECONDS = 15
# A child that died is started again after this pause (as systemd's RestartSec=2 in deploy/systemd), so that one
# failing at once does not spin.
RESTART_PAUSE_SECONDS = 2


class Command(BaseCommand):
    help = (
        "Run Huiwu in the foreground: the web server (`huiwu web`) and the background worker(s) together, each "
        "started again should it die; Ctrl-C or SIGTERM stops them in order."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--web-workers", type=int, default=settings.WEB_WORKERS, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=settings.WEB_THREADS, help="Threads per gunicorn worker.")

    def handle(self, *args, bind: str, web_workers: int, threads: int, **options) -> None:
        # The system checks have run before handle(); a configuration error has already stopped us.
        call_command("collectstatic", interactive=False, verbosity=0)
        huiwu = [sys.executable, "-m", "huiwu"]
        # In the order they are stopped: the web server first, so that no new work arrives for the workers.
        commands = {"web server": [*huiwu, "web", "--bind", bind], "worker": [*huiwu, "worker"]}
        if settings.TASKS_BACKEND == "redis":
            # Deliveries queued in Redis are run by RQ's worker, whose scheduler releases deferred ones.
            commands["RQ worker"] = [*huiwu, *RQ_WORKER_ARGS]
        env = os.environ | {"WEB_WORKERS": str(web_workers), "WEB_THREADS": str(threads)}

        def start(name: str) -> subprocess.Popen:
            # Own sessions, so that Ctrl-C reaches only this supervisor, which then stops them in order.
            return subprocess.Popen(commands[name], env=env, start_new_session=True)

        stop_requested = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, frame: stop_requested.append(signum))
        children = {name: start(name) for name in commands}
        restart_at: dict[str, float] = {}

        self.stdout.write(f"Huiwu is running on http://{bind}/ — press Ctrl-C to stop.")
        self.stdout.flush()
        while not stop_requested:
            for name, child in children.items():
                if name in restart_at:
                    if time.monotonic() >= restart_at[name]:
                        del restart_at[name]
                        children[name] = start(name)
                        logger.warning("The %s was started again", name)
                elif child.poll() is not None:
                    restart_at[name] = time.monotonic() + RESTART_PAUSE_SECONDS
                    logger.error(
                        "The %s stopped unexpectedly (exit %s); starting it again in %s s",
                        name,
                        child.returncode,
                        RESTART_PAUSE_SECONDS,
                    )
            time.sleep(0.2)

        for name, child in children.items():
            self._stop(name, child)
        self.stdout.write("Huiwu stopped.")

    def _stop(self, name: str, child: subprocess.Popen) -> None:
        if child.poll() is not None:
            return
        # The web server drains first (WEB_DRAIN_SECONDS), then gives requests in flight their grace period.
        grace = (
            settings.WEB_DRAIN_SECONDS + settings.WEB_GRACEFUL_TIMEOUT_SECONDS + 10
            if name == "web server"
            else _STOP_GRACE_SECONDS
        )
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            logger.error("The %s did not stop within %s s; killing it", name, grace)
            child.kill()
            child.wait()
