"""/healthz, /readyz and /metrics: for the proxy, the service manager and Prometheus, not for people.

None needs a login or touches the session: with no cookie sent, nothing before them reads the database, so
that /healthz answers and /readyz says why while the database is down. Their answers are never cached.
"""

import hmac
import ipaddress
import logging
from functools import cache

import redis
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db import Error as DatabaseError
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client.exposition import choose_encoder
from rq import Worker

from huiwu.lib.drain import draining
from huiwu.ops.metrics import scrape_registry
from huiwu.ops.selectors import worker_beat_newest, workers_alive

logger = logging.getLogger(__name__)

# A probe answers within a few seconds or is of no use to the proxy: a database or a Redis slower than this
# is as good as down.
CHECK_TIMEOUT_SECONDS = 2
# Once every migration is applied it stays so until the next deploy, which restarts the process; working the
# plan out reads every migration file, so it is not done again on each probe.
_migrations = {"applied": False}


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answers; nothing else is checked."""
    return JsonResponse({"status": "ok"})


class _NotReady(Exception):
    """A check that ran and found the node not ready, in a few words."""


def _database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        # SET LOCAL: the limit ends with this transaction, and the connection is kept for other requests.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [CHECK_TIMEOUT_SECONDS * 1000])
            cursor.execute("SELECT 1")
    else:
        # No transaction on SQLite: ours begin IMMEDIATE, which would queue the probe behind every writer.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    return "ok"


def _migrations_applied() -> str:
    if not _migrations["applied"]:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise _NotReady(f"pending: {len(plan)}")
        _migrations["applied"] = True
    return "ok"


@cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS)


def _redis() -> str:
    client = _redis_client(settings.REDIS_URL)
    client.ping()
    if settings.TASKS_BACKEND == "redis":
        # The deliveries wait on the RQ queue for an RQ worker; dead ones' entries have expired.
        workers = len(Worker.all(connection=client))
        if not workers:
            raise _NotReady("no RQ worker")
        return f"ok, RQ workers: {workers}"
    return "ok"


def _worker() -> str:
    now = timezone.now()
    if workers_alive(now=now):
        return "ok"
    newest = worker_beat_newest()
    if newest is None:
        raise _NotReady("no worker")
    raise _NotReady(f"stale: {int((now - newest).total_seconds())} s")


class _Checks:
    """Each check's result; a failing one says why in a few words (for proxies and operators)."""

    def __init__(self) -> None:
        self.results: dict[str, str] = {}
        self.ok = True

    def run(self, name: str, check) -> bool:
        try:
            self.results[name] = check()
            return True
        except _NotReady as error:
            self.results[name] = str(error)
        except (DatabaseError, redis.RedisError) as error:
            self.results[name] = f"unreachable: {type(error).__name__}"
        except Exception as error:
            # Whatever else fails, the probe still answers: a 503 saying so, never a 500.
            logger.exception("Readiness check %s failed", name)
            self.results[name] = f"error: {type(error).__name__}"
        logger.warning("Readiness check %s failed: %s", name, self.results[name])
        self.ok = False
        return False


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when this node can serve: the database answers, every migration is applied, Redis answers (when
    used), and a worker beat lately. 503 otherwise, and while the node drains (first: it is being stopped)."""
    if draining():
        return JsonResponse({"status": "draining", "checks": {}}, status=503)
    checks = _Checks()
    if checks.run("database", _database):
        checks.run("migrations", _migrations_applied)
        checks.run("worker", _worker)
    else:
        # Without the database neither can be read: one timeout, not three.
        checks.results |= {"migrations": "not checked", "worker": "not checked"}
    if settings.REDIS_URL:
        checks.run("redis", _redis)
    else:
        checks.results["redis"] = "not used"
    if checks.ok:
        return JsonResponse({"status": "ready", "checks": checks.results})
    return JsonResponse({"status": "not ready", "checks": checks.results}, status=503)


@cache
def _allowed_networks(networks: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    # Each one checked when the settings were read: a typo stops the start.
    return [ipaddress.ip_network(network, strict=False) for network in networks]


def _metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(get_client_ip_address(request) or "")
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks(tuple(settings.METRICS_ALLOWED_NETWORKS)))


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format. 403 (not 404) for a caller with neither the token nor an allowed address: the
    endpoint is no secret (the README names it), and a refused scrape then says so instead of looking like a
    wrong address. The answer reveals nothing else."""
    if not _metrics_allowed(request):
        return HttpResponse(
            _("Metrics are open only to the metrics token or an allowed address."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encoder(scrape_registry()), content_type=content_type)
