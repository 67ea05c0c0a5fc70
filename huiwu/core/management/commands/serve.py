import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from huiwu.core.middleware import MAX_URL_LENGTH

# RQ's worker for the Redis task backend; the job class is django-tasks-rq's, which runs django-tasks tasks.
RQ_WORKER_ARGS = ["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job"]

# Four times the longest address the app answers (MAX_URL_LENGTH): gunicorn's default is 8190 bytes.
_MAX_HEADER_FIELD_BYTES = 4 * MAX_URL_LENGTH

# How long the web server and the worker get to finish what they are doing before being killed.
_STOP_GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Run Huiwu in the foreground: the gunicorn web server and the background worker(s) together."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker.")

    def handle(self, *args, bind: str, web_workers: int, threads: int, **options) -> None:
        # The system checks have run before handle(); a configuration error has already stopped us.
        call_command("collectstatic", interactive=False, verbosity=0)
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "huiwu.wsgi",
            "--bind",
            bind,
            "--workers",
            str(web_workers),
            "--threads",
            str(threads),
            "--graceful-timeout",
            str(_STOP_GRACE_SECONDS - 5),
            "--access-logfile",
            "-",
            # No limit on the request line: Huiwu refuses over-long addresses itself (core/middleware.py), in
            # JSON for the API and in the caller's language, where gunicorn would answer an English HTML 414.
            "--limit-request-line",
            "0",
            # A header may repeat such an address (the Referer of the refusal page's stylesheet).
            "--limit-request-field_size",
            str(_MAX_HEADER_FIELD_BYTES),
        ]
        worker = [sys.executable, "-m", "huiwu", "worker"]
        # Own sessions, so that Ctrl-C reaches only this supervisor, which then stops both in order.
        commands = {"web server": web, "worker": worker}
        if settings.TASKS_BACKEND == "redis":
            # Deliveries queued in Redis are run by RQ's worker, whose scheduler releases deferred ones.
            commands["RQ worker"] = [sys.executable, "-m", "huiwu", *RQ_WORKER_ARGS]
        children = {name: subprocess.Popen(command, start_new_session=True) for name, command in commands.items()}

        stop_requested = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, frame: stop_requested.append(signum))

        self.stdout.write(f"Huiwu is running on http://{bind}/ — press Ctrl-C to stop.")
        while not stop_requested and all(child.poll() is None for child in children.values()):
            time.sleep(0.2)
        exited = [name for name, child in children.items() if child.poll() is not None]

        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

        if not stop_requested:
            raise CommandError(f"The {exited[0]} stopped unexpectedly; Huiwu was shut down.")
        self.stdout.write("Huiwu stopped.")
