"""The Prometheus metrics: request counts and latencies counted by MetricsMiddleware, and the figures read from
the database when /metrics is scraped.

gunicorn runs several processes, each counting its own requests. With PROMETHEUS_MULTIPROC_DIR set (`huiwu web`
sets it to a directory of its own and empties it at start), prometheus_client keeps each process's counts in
files there and a scrape, served by any one process, adds them up. Without it (tests, runserver) the counts
live in this process. Nothing here is a multiprocess gauge, so no process needs to be marked dead on exit.
"""

import os
from collections.abc import Iterator

from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from huiwu.ops import selectors

# Methods named as such; anything else a client sends is "other", so that nobody can add series at will.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Routes nobody named: a path that matched no URL pattern (404s, probes) and the static files WhiteNoise
# serves before URLs are resolved.
UNMATCHED = "unmatched"

# registry=None: registered nowhere globally; a scrape gathers them (or, multiprocess, their files) itself.
REQUESTS = Counter(
    "huiwu_http_requests",
    "HTTP requests answered, by method, route (the URL pattern's name) and status.",
    ["method", "route", "status"],
    registry=None,
)
DURATION = Histogram(
    "huiwu_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route.",
    ["method", "route"],
    registry=None,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)


def request_observe(*, method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(method, route, str(status)).inc()
    DURATION.labels(method, route).observe(seconds)


class _ThisProcess(Collector):
    """The request metrics of this process, when processes do not share files."""

    def collect(self) -> Iterator[Metric]:
        yield from REQUESTS.collect()
        yield from DURATION.collect()


class DatabaseCollector(Collector):
    """Gauges worked out at scrape time: a handful of indexed queries, counts only (never a title)."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        deadlines = GaugeMetricFamily(
            "huiwu_deadlines",
            "Open deadlines: pending (not yet due) and overdue (due, not yet handled by the worker).",
            labels=["state"],
        )
        for state, count in selectors.deadline_counts(now=now).items():
            deadlines.add_metric([state], count)
        yield deadlines
        yield GaugeMetricFamily(
            "huiwu_worker_lag_seconds",
            "Since when the oldest due deadline has waited for the worker (0 when none waits).",
            value=selectors.worker_lag(now=now).total_seconds(),
        )
        newest = selectors.worker_beat_newest()
        yield GaugeMetricFamily(
            "huiwu_worker_heartbeat_age_seconds",
            "Since the newest worker heartbeat (+Inf when no worker runs).",
            value=(now - newest).total_seconds() if newest else float("inf"),
        )
        deliveries = GaugeMetricFamily(
            "huiwu_deliveries", "Deliveries queued or failed, by channel.", labels=["channel", "state"]
        )
        for (channel, state), count in selectors.delivery_counts().items():
            deliveries.add_metric([channel, state], count)
        yield deliveries
        yield GaugeMetricFamily(
            "huiwu_login_lockouts",
            "Username and address pairs locked out of signing in now.",
            value=selectors.login_lockouts(now=now),
        )


def scrape_registry() -> CollectorRegistry:
    """What one scrape reports: every process's request metrics and the database's figures."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(DatabaseCollector())
    return registry
