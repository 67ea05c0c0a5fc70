"""TASKS_BACKEND=redis: deliveries go through Redis (RQ) and RQ's worker sends them.

Settings are read once per process, so the Redis-configured Huiwu runs in subprocesses against a SQLite
file of its own and a Redis database of its own (emptied first); the robot is this process's local HTTP server.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest
import redis

from huiwu.core.management.commands.serve import RQ_WORKER_ARGS

# `make test` runs the suite on SQLite and on PostgreSQL side by side, each running this test: each has its own
# Redis database, or one run's flush and queue would meet the other's.
REDIS_DB = 14 if os.environ.get("DATABASE_URL", "").startswith("postgres") else 15
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"

_SETUP = """
import django; django.setup()
from huiwu.accounts.models import User
from huiwu.notify.models import Delivery, Endpoint, Kind, Notification
from huiwu.notify.tasks import delivery_enqueue
user = User.objects.create(username="hotline", phone="13800000004")
endpoint = Endpoint.objects.create(channel="webhook", name="OA", url=%(url)r)
note = Notification.objects.create(
    recipient=user, kind=Kind.MEETING_BOOKED, event="notice", title="预订：党组会", url="/meetings/1/"
)
delivery_enqueue(Delivery.objects.create(notification=note, channel="webhook", endpoint=endpoint, event_key="t1"))
"""

_STATE = """
import django, json; django.setup()
from huiwu.notify.models import Delivery
print(json.dumps([(d.state, d.attempts) for d in Delivery.objects.all()]))
"""


def _env(data_dir) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return env | {
        "TASKS_BACKEND": "redis",
        "REDIS_URL": REDIS_URL,
        "HUIWU_DATA_DIR": str(data_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A data directory with a migrated SQLite database, copied for each test (migrating takes seconds)."""
    data_dir = tmp_path_factory.mktemp("redis-huiwu")
    _run(_env(data_dir), "-m", "huiwu", "migrate", "-v", "0")
    return data_dir


class RedisHuiwu:
    """Huiwu configured for Redis, in subprocesses, on a SQLite file of its own."""

    def __init__(self, data_dir) -> None:
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.redis.flushdb()
        self.env = _env(data_dir)

    def run(self, *args: str, **env: str) -> str:
        return _run(self.env | env, *args)

    def rq_worker(self) -> None:
        self.run("-m", "huiwu", *RQ_WORKER_ARGS, "--burst")

    def states(self) -> list[list]:
        return json.loads(self.run("-c", _STATE))


@pytest.fixture
def redis_huiwu(migrated, tmp_path):
    shutil.copytree(migrated, tmp_path, dirs_exist_ok=True)
    huiwu = RedisHuiwu(tmp_path)
    yield huiwu
    huiwu.redis.flushdb()


def test_it_delivers_through_redis_when_configured(redis_huiwu, robot_server):
    redis_huiwu.run("-c", _SETUP % {"url": robot_server.url("/hook")})
    assert redis_huiwu.redis.llen("rq:queue:default") == 1  # queued in Redis, not in the database
    redis_huiwu.rq_worker()

    assert [request.json["title"] for request in robot_server.requests] == ["预订：党组会"]
    assert redis_huiwu.states() == [["sent", 1]]


_PEOPLE = """
import django, json; django.setup()
from datetime import timedelta
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_rq import get_connection
from redis.client import Pipeline
from huiwu.accounts.models import User
from huiwu.notify.models import Delivery, Endpoint, Kind
from huiwu.notify.services import notify_users
from huiwu.notify.tasks import deliveries_enqueue
people = [User.objects.create(username=name, email=f"{name}@huiwu.example") for name in ("hotline", "attendant")]

def notice():
    notify_users(recipients=people, kind=Kind.MEETING_BOOKED, title="预订：党组会", body="", url="/meetings/1/")
"""

_NOTICE = (
    _PEOPLE
    + """
Endpoint.objects.create(channel="webhook", name="OA", url=%(url)r)
pipelines = []
execute = Pipeline.execute

def counted(self, *args, **kwargs):
    pipelines.append(len(self.command_stack))
    return execute(self, *args, **kwargs)

Pipeline.execute = counted
with CaptureQueriesContext(connection) as queries:
    with transaction.atomic():
        notice()
        in_transaction = get_connection().llen("rq:queue:default")
updates = [query for query in queries.captured_queries if query["sql"].startswith('UPDATE "notify_delivery"')]
print(json.dumps({
    "queued before the commit": in_transaction,
    "pipelines": len(pipelines),
    "updates": len(updates),
    "without expected_at": Delivery.objects.filter(expected_at__isnull=True).count(),
}))
"""
)


def test_it_hands_a_notices_deliveries_to_redis_in_one_pipeline_once_it_commits(redis_huiwu, robot_server):
    figures = json.loads(redis_huiwu.run("-c", _NOTICE % {"url": robot_server.url("/hook")}))

    assert figures == {"queued before the commit": 0, "pipelines": 1, "updates": 1, "without expected_at": 0}
    assert redis_huiwu.redis.llen("rq:queue:default") == 3  # two e-mails and the webhook
    redis_huiwu.rq_worker()
    assert redis_huiwu.states() == [["sent", 1]] * 3
    assert [request.json["title"] for request in robot_server.requests] == ["预订：党组会"]


_REFUSED = (
    _PEOPLE
    + """
with transaction.atomic():
    notice()
print(json.dumps(list(Delivery.objects.values_list("expected_at", flat=True))))
"""
)

_SWEEP = """
import django; django.setup()
from django.db.models import F
from huiwu.notify.models import Delivery
from huiwu.notify.tasks import HANDOVER_GRACE, deliveries_requeue_stale
Delivery.objects.update(created_at=F("created_at") - HANDOVER_GRACE)
print(deliveries_requeue_stale())
"""


def test_it_queues_what_redis_refused_again_once_it_is_back(redis_huiwu):
    # Nothing listens on port 1: the handover after the commit fails, and the notice is made all the same.
    refused = redis_huiwu.run("-c", _REFUSED, REDIS_URL="redis://127.0.0.1:1/0")
    assert json.loads(refused) == [None, None]
    assert redis_huiwu.redis.llen("rq:queue:default") == 0

    assert redis_huiwu.run("-c", _SWEEP).strip() == "2"
    assert redis_huiwu.redis.llen("rq:queue:default") == 2
    redis_huiwu.rq_worker()
    assert redis_huiwu.states() == [["sent", 1]] * 2


_RETRY = (
    _PEOPLE
    + """
with transaction.atomic():
    notice()
get_connection().delete("rq:queue:default")  # as if the first attempts had run
deliveries_enqueue(Delivery.objects.all(), run_after=timezone.now() + timedelta(minutes=1))
"""
)


def test_it_schedules_a_batch_for_later_in_redis(redis_huiwu):
    redis_huiwu.run("-c", _RETRY)

    assert redis_huiwu.redis.llen("rq:queue:default") == 0
    assert redis_huiwu.redis.zcard("rq:scheduled:default") == 2
    redis_huiwu.rq_worker()  # not due yet: nothing runs
    assert redis_huiwu.states() == [["queued", 0]] * 2
