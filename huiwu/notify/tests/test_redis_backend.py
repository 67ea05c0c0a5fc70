"""TASKS_BACKEND=redis: deliveries go through Redis (RQ) and RQ's worker sends them.

Settings are read once per process, so the Redis-configured Huiwu runs in subprocesses against a SQLite
file of its own and a Redis database of its own (emptied first); the robot is this process's local HTTP server.
"""

import json
import os
import subprocess
import sys

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


def test_it_delivers_through_redis_when_configured(tmp_path, robot_server):
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"TASKS_BACKEND": "redis", "REDIS_URL": REDIS_URL, "HUIWU_DATA_DIR": str(tmp_path)}

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("-m", "huiwu", "migrate", "-v", "0")
    run("-c", _SETUP % {"url": robot_server.url("/hook")})
    assert connection.llen("rq:queue:default") == 1  # queued in Redis, not in the database
    run("-m", "huiwu", *RQ_WORKER_ARGS, "--burst")

    assert [request.json["title"] for request in robot_server.requests] == ["预订：党组会"]
    assert json.loads(run("-c", _STATE)) == [["sent", 1]]
    connection.flushdb()
