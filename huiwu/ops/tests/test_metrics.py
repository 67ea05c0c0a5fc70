import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from huiwu.notify.models import Channel, Deadline, Delivery, Kind, Notification
from huiwu.ops.services import worker_beat
from huiwu.testing import at

NOW = at("2026-11-26 08:00")


@pytest.fixture
def scrape(db, frozen_now):
    """The samples of a scrape from this machine: {(name, (label values…)): value}."""

    def read() -> dict:
        response = Client().get("/metrics")
        assert response.status_code == 200
        samples = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return read


def _deadline(key, *, opens, due, state=Deadline.State.PENDING, awaits=False, title="提醒"):
    return Deadline.objects.create(
        key=key,
        kind=Kind.MEETING_REMINDER,
        title=title,
        opens_at=opens,
        due_at=due,
        state=state,
        awaits_completion=awaits,
    )


# --- who may scrape --------------------------------------------------------------------------------------


def test_it_lets_a_local_address_scrape_by_default(db):
    response = Client().get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-store" in response["Cache-Control"]


def test_it_refuses_other_addresses_in_the_callers_language(db):
    response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")
    assert (response.status_code, response["Content-Type"]) == (403, "text/plain; charset=utf-8")
    assert response.content.decode() == "指标仅对指标令牌或允许的地址开放。"
    english = Client(REMOTE_ADDR="203.0.113.9").get("/metrics", headers={"Accept-Language": "en"})
    assert english.content.decode() == "Metrics are open only to the metrics token or an allowed address."


def test_it_lets_the_allowed_networks_scrape(db, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "2001:db8::/32"]
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="2001:db8::7").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="11.0.0.1").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403


def test_it_sees_the_client_behind_the_proxy_not_the_proxy(db, settings):
    settings.PROXY_COUNT = 1
    behind = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert behind.get("/metrics").status_code == 403
    local = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert local.get("/metrics").status_code == 200


def test_it_lets_the_token_scrape_from_anywhere(db, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    far = Client(REMOTE_ADDR="203.0.113.9")
    assert far.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"}).status_code == 200
    assert far.get("/metrics", headers={"Authorization": "bearer s3cret-metrics-token"}).status_code == 200
    assert far.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-tokeN"}).status_code == 403
    assert far.get("/metrics", headers={"Authorization": "Basic s3cret-metrics-token"}).status_code == 403
    assert far.get("/metrics").status_code == 403


def test_it_accepts_no_empty_token_when_none_is_set(db, settings):
    settings.METRICS_TOKEN = ""
    far = Client(REMOTE_ADDR="203.0.113.9")
    assert far.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403


# --- request metrics -------------------------------------------------------------------------------------


def test_it_counts_requests_by_route_name_never_by_path(scrape):
    before = scrape()
    client = Client()
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no/such/page/12345")
    client.get("/static/huiwu/no-such-file-12345.css")
    client.generic("BREW", "/healthz")
    after = scrape()

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("huiwu_http_requests_total", method="GET", route="ops:healthz", status="200") == 2
    assert grew("huiwu_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert grew("huiwu_http_requests_total", method="GET", route="static", status="404") == 1
    assert grew("huiwu_http_requests_total", method="other", route="ops:healthz", status="405") == 1
    assert grew("huiwu_http_request_duration_seconds_count", method="GET", route="ops:healthz") == 2
    assert not [key for key in after if "12345" in str(key)]


# --- the database's figures -------------------------------------------------------------------------------


def test_it_counts_deadlines_pending_and_overdue_as_the_worker_sees_them(scrape):
    second = timedelta(seconds=1)
    _deadline("opens-later", opens=NOW + second, due=NOW + timedelta(hours=1))
    _deadline("opens-now", opens=NOW, due=NOW + timedelta(hours=1))
    _deadline("reminded-due-later", opens=NOW, due=NOW + second, state=Deadline.State.REMINDED, awaits=True)
    _deadline("reminded-due-now", opens=NOW, due=NOW, state=Deadline.State.REMINDED, awaits=True)
    # Pending, not yet reminding, but its due time has come: overdue once, not twice.
    _deadline("pending-due", opens=NOW + second, due=NOW - second, awaits=True)
    _deadline("pending-both", opens=NOW - second, due=NOW - second, awaits=True)
    for state in (Deadline.State.DONE, Deadline.State.MISSED, Deadline.State.CANCELLED):
        _deadline(f"closed-{state}", opens=NOW - timedelta(hours=1), due=NOW - timedelta(hours=1), state=state)
    samples = scrape()
    assert samples[("huiwu_deadlines", (("state", "pending"),))] == 2
    assert samples[("huiwu_deadlines", (("state", "overdue"),))] == 4


def test_it_reports_the_worker_lag_from_the_oldest_moment_waiting(scrape):
    assert scrape()[("huiwu_worker_lag_seconds", ())] == 0
    _deadline("future", opens=NOW + timedelta(seconds=5), due=NOW + timedelta(hours=1))
    assert scrape()[("huiwu_worker_lag_seconds", ())] == 0
    _deadline("opened", opens=NOW - timedelta(seconds=30), due=NOW + timedelta(hours=1))
    _deadline("fell-due", opens=NOW, due=NOW - timedelta(seconds=90), state=Deadline.State.REMINDED, awaits=True)
    assert scrape()[("huiwu_worker_lag_seconds", ())] == 90


def test_it_reports_the_heartbeat_age_of_the_newest_worker(scrape):
    assert scrape()[("huiwu_worker_heartbeat_age_seconds", ())] == float("inf")
    worker_beat(worker_id="old", now=NOW - timedelta(minutes=5))
    worker_beat(worker_id="new", now=NOW - timedelta(seconds=12))
    assert scrape()[("huiwu_worker_heartbeat_age_seconds", ())] == 12


def test_it_counts_deliveries_queued_and_failed_per_channel(scrape, hotline):
    notification = Notification.objects.create(recipient=hotline, kind=Kind.REFILL, event="notice", title="续水")
    for channel, state, n in [
        (Channel.EMAIL, Delivery.State.QUEUED, 2),
        (Channel.WECOM, Delivery.State.FAILED, 1),
        (Channel.WECOM, Delivery.State.SENT, 3),
    ]:
        for i in range(n):
            Delivery.objects.create(notification=notification, channel=channel, state=state, event_key=f"{state}{i}")
    samples = scrape()
    deliveries = {labels: value for (name, labels), value in samples.items() if name == "huiwu_deliveries"}
    assert deliveries[(("channel", "email"), ("state", "queued"))] == 2
    assert deliveries[(("channel", "wecom"), ("state", "failed"))] == 1
    assert sum(deliveries.values()) == 3
    assert len(deliveries) == len(Channel.values) * 2


def test_it_counts_the_login_lockouts_in_force(scrape, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25  # 15 minutes
    for name, failures, ago in [
        ("locked", 5, timedelta(minutes=15) - timedelta(seconds=1)),
        ("lifted-now", 5, timedelta(minutes=15)),
        ("lifted", 6, timedelta(minutes=15, seconds=1)),
        ("not-yet", 4, timedelta(minutes=1)),
        ("many", 9, timedelta(0)),
    ]:
        attempt = AccessAttempt.objects.create(
            username=name, ip_address="10.0.0.1", user_agent="t", failures_since_start=failures
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=NOW - ago)
    assert scrape()[("huiwu_login_lockouts", ())] == 2


def test_it_reports_counts_only_never_a_title(db, frozen_now):
    _deadline("secret", opens=NOW, due=NOW, title="TITLEMARK 绝密会议")
    assert "TITLEMARK" not in Client().get("/metrics").content.decode()


# --- several gunicorn processes ---------------------------------------------------------------------------

_COUNT = """
import django
django.setup()
from huiwu.ops.metrics import request_observe
request_observe(method="GET", route="ops:healthz", status=200, seconds=0.01)
"""
_SCRAPE = """
import django
django.setup()
from prometheus_client import generate_latest
from huiwu.ops import metrics
metrics.DatabaseCollector.collect = lambda self: iter(())
print(generate_latest(metrics.scrape_registry()).decode())
"""


def test_it_adds_up_the_counts_of_every_process_in_multiprocess_mode(tmp_path):
    directory = tmp_path / "metrics"
    directory.mkdir()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "huiwu.settings",
        "HUIWU_DATA_DIR": str(tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
    }
    for _process in range(2):
        subprocess.run([sys.executable, "-c", _COUNT], env=env, check=True, timeout=60)
    done = subprocess.run([sys.executable, "-c", _SCRAPE], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert 'huiwu_http_requests_total{method="GET",route="ops:healthz",status="200"} 2.0' in done.stdout
    assert 'huiwu_http_request_duration_seconds_count{method="GET",route="ops:healthz"} 2.0' in done.stdout
