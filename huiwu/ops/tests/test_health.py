import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import redis
from django.contrib.sessions.models import Session
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from rq import Worker

from huiwu.ops import views
from huiwu.ops.services import worker_beat

# Only PINGed (and its RQ registry read): nothing is written there.
TEST_REDIS = "redis://127.0.0.1:6379/11"


@pytest.fixture(autouse=True)
def _migrations_checked_anew(monkeypatch):
    # The "all applied" result is kept per process; each test starts without it.
    monkeypatch.setitem(views._migrations, "applied", False)


@pytest.fixture
def beating(db):
    worker_beat(worker_id="w1")


def test_it_answers_healthz_without_the_database_or_a_cookie(client):
    # No `db` fixture: a query would fail the test.
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_it_is_ready_when_every_check_passes(client, beating):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok", "redis": "not used"},
    }
    assert "no-store" in response["Cache-Control"]


def test_it_sets_no_cookie_and_makes_no_session(client, beating):
    response = client.get("/readyz")
    assert not response.cookies
    assert not Session.objects.exists()


def test_it_refuses_other_methods(client, beating):
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


def test_it_is_not_ready_without_a_worker(client, db):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert response.json()["checks"]["worker"] == "no worker"


def test_it_is_not_ready_when_the_newest_beat_is_too_old(client, db, settings):
    settings.READY_WORKER_MAX_AGE_SECONDS = 60
    now = timezone.now()
    worker_beat(worker_id="old", now=now - timedelta(seconds=75))
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["worker"]) == (503, "stale: 75 s")
    worker_beat(worker_id="new", now=now - timedelta(seconds=50))
    assert client.get("/readyz").status_code == 200


def test_it_says_draining_first_while_the_node_is_being_stopped(client, beating, monkeypatch, tmp_path):
    drain = tmp_path / "draining"
    monkeypatch.setenv("HUIWU_DRAIN_FILE", str(drain))
    assert client.get("/readyz").status_code == 200
    drain.touch()
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (503, {"status": "draining", "checks": {}})


def test_it_is_not_ready_while_migrations_are_pending(client, beating, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("ops", "0002"), ("x", "1")])
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["migrations"]) == (503, "pending: 2")


def test_it_works_the_migration_plan_out_only_until_it_is_empty(client, beating, monkeypatch):
    plans = []
    original = MigrationExecutor.migration_plan

    def counted(self, targets):
        plans.append(targets)
        return original(self, targets)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", counted)
    assert client.get("/readyz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert len(plans) == 1


def test_it_answers_503_not_500_when_a_check_fails_unexpectedly(client, beating, monkeypatch):
    def broken():
        raise RuntimeError("surprise")

    monkeypatch.setattr(views, "_worker", broken)
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["worker"]) == (503, "error: RuntimeError")


def test_it_pings_redis_when_it_is_used(client, beating, settings):
    settings.REDIS_URL = TEST_REDIS
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["redis"]) == (200, "ok")


def test_it_is_not_ready_when_redis_does_not_answer(client, beating, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unreachable: ConnectionError"


def test_it_counts_the_rq_workers_with_the_redis_task_backend(client, beating, settings, monkeypatch):
    settings.REDIS_URL = TEST_REDIS
    settings.TASKS_BACKEND = "redis"
    # Other RQ workers may share this Redis: the registry is what the check is given.
    registered = []
    asked = []

    def all_workers(connection):
        asked.append(connection.connection_pool.connection_kwargs["db"])
        return list(registered)

    monkeypatch.setattr(Worker, "all", all_workers)
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["redis"]) == (503, "no RQ worker")
    registered.append(Worker(["default"], connection=redis.Redis.from_url(TEST_REDIS)))
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["redis"]) == (200, "ok, RQ workers: 1")
    assert asked == [11, 11]


# A process of its own, its database a PostgreSQL that does not listen: nothing before the views (sessions,
# authentication, the audit context) may touch the database for a request without a cookie.
_DATABASE_DOWN = """
import json
import django
from django.test.utils import setup_test_environment
django.setup()
setup_test_environment()
from django.test import Client
client = Client()
health = client.get("/healthz")
ready = client.get("/readyz")
print(json.dumps([health.status_code, health.json(), ready.status_code, ready.json()]))
"""


def test_it_answers_while_the_database_is_down(tmp_path):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "huiwu.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/huiwu",
        "HUIWU_DATA_DIR": str(tmp_path),
        "REDIS_URL": "",
        "TASKS_BACKEND": "database",
    }
    done = subprocess.run([sys.executable, "-c", _DATABASE_DOWN], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    health_status, health, ready_status, ready = json.loads(done.stdout.strip().splitlines()[-1])
    assert (health_status, health) == (200, {"status": "ok"})
    assert ready_status == 503
    assert ready == {
        "status": "not ready",
        "checks": {
            "database": "unreachable: OperationalError",
            "migrations": "not checked",
            "worker": "not checked",
            "redis": "not used",
        },
    }
