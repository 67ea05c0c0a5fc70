import ctypes
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from huiwu.core.middleware import MAX_URL_LENGTH
from huiwu.lib.logs import gunicorn_logconfig

logger = logging.getLogger(__name__)

# Four times the longest address the app answers (MAX_URL_LENGTH): gunicorn's default is 8190 bytes.
MAX_HEADER_FIELD_BYTES = 4 * MAX_URL_LENGTH
# After gunicorn's own grace period its master has killed what was left; this much more is for its exit.
_EXIT_SECONDS = 10
# prctl(2): the signal the kernel sends a process when its parent dies.
_PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    """Run in gunicorn's master before it starts: should `huiwu web` be killed (SIGKILL leaves it no time to stop
    gunicorn), the kernel sends gunicorn SIGTERM, so that no orphan keeps the port."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def gunicorn_command(*, bind: str, logconfig: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "huiwu.wsgi",
        # The hooks (closing connections while draining); the rest of the configuration follows here.
        "--config",
        "python:huiwu.core.gunicorn_hooks",
        "--bind",
        bind,
        "--worker-class",
        "gthread",
        "--workers",
        str(settings.WEB_WORKERS),
        "--threads",
        str(settings.WEB_THREADS),
        "--keep-alive",
        str(settings.WEB_KEEPALIVE_SECONDS),
        "--timeout",
        str(settings.WEB_TIMEOUT_SECONDS),
        "--graceful-timeout",
        str(settings.WEB_GRACEFUL_TIMEOUT_SECONDS),
        # gunicorn's default control socket is one path for every gunicorn of the user on the host, so a second
        # instance took it over from the first. Huiwu has no use for it: systemd (or `huiwu serve`) starts and
        # stops the server, and `huiwu web` drains it first.
        "--no-control-socket",
        # One log format for everything (lib/logs.py); no access log, as RequestLogMiddleware writes a line per
        # request with more in it.
        "--log-config-json",
        str(logconfig),
        # No limit on the request line: Huiwu refuses over-long addresses itself (core/middleware.py), in
        # JSON for the API and in the caller's language, where gunicorn would answer an English HTML 414.
        "--limit-request-line",
        "0",
        # A header may repeat such an address (the Referer of the refusal page's stylesheet).
        "--limit-request-field_size",
        str(MAX_HEADER_FIELD_BYTES),
    ]


class Command(BaseCommand):
    help = (
        "Run one web server (gunicorn) in the foreground. SIGTERM or Ctrl-C drains it: /readyz answers 503 for "
        "WEB_DRAIN_SECONDS while requests are still served, then requests in flight finish and it stops."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")

    def handle(self, *args, bind: str, **options) -> None:
        stop_requested = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, frame: stop_requested.append(signum))
        # Everything of this instance alone: two servers on one host share nothing. Under systemd inside the
        # unit's RuntimeDirectory, which systemd removes as well should this process be killed.
        runtime = Path(tempfile.mkdtemp(prefix="huiwu-web-", dir=os.environ.get("RUNTIME_DIRECTORY") or None))
        try:
            code = self._run(bind=bind, runtime=runtime, stop_requested=stop_requested)
        finally:
            shutil.rmtree(runtime, ignore_errors=True)
        if code is not None:
            raise CommandError(f"gunicorn stopped unexpectedly (exit {code}).")

    def _run(self, *, bind: str, runtime: Path, stop_requested: list) -> int | None:
        """Serve until told to stop (then None) or until gunicorn exits by itself (then its exit code)."""
        drain_file = runtime / "draining"
        # prometheus-client's multi-process mode: each gunicorn worker writes its figures here, /metrics adds
        # them up; empty at the start, or a previous run's figures would be counted again.
        metrics_dir = runtime / "metrics"
        metrics_dir.mkdir()
        logconfig = runtime / "logging.json"
        logconfig.write_text(json.dumps(gunicorn_logconfig()))
        env = os.environ | {"HUIWU_DRAIN_FILE": str(drain_file), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        gunicorn = subprocess.Popen(
            gunicorn_command(bind=bind, logconfig=logconfig),
            env=env,
            # A process group of its own: Ctrl-C in a terminal reaches only this process, which drains first
            # (gunicorn itself would stop at once on SIGINT).
            process_group=0,
            preexec_fn=_stop_with_parent,  # one system call, between fork and exec
        )
        while not stop_requested:
            if gunicorn.poll() is not None:
                return gunicorn.returncode
            time.sleep(0.1)

        # Not ready from now on: the proxy (or balancer) sends new requests to the other servers, while this one
        # still answers what reaches it meanwhile, closing each connection after its response.
        drain_file.touch()
        logger.info("Draining for %s s before stopping", settings.WEB_DRAIN_SECONDS)
        drained_at = time.monotonic() + settings.WEB_DRAIN_SECONDS
        while time.monotonic() < drained_at:
            if gunicorn.poll() is not None:
                return gunicorn.returncode
            time.sleep(0.1)
        # gunicorn's graceful stop: no new connections; requests in flight get WEB_GRACEFUL_TIMEOUT_SECONDS.
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=settings.WEB_GRACEFUL_TIMEOUT_SECONDS + _EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            logger.error("gunicorn did not stop within its grace period; killing it")
            gunicorn.kill()
            gunicorn.wait()
        logger.info("Web server stopped")
        return None
