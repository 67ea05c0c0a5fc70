"""Fixtures for the delivery tests: a real HTTP server on 127.0.0.1 standing in for robots and webhooks,
deliveries made directly, and a way to run the queued tasks as `huiwu worker` does."""

import itertools
import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone


@dataclass
class ReceivedRequest:
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]
    body: bytes
    arrived_at: datetime  # the (frozen) clock of the test when the request arrived

    @property
    def json(self):
        return json.loads(self.body)


class RobotServer:
    """Records every POST; answers the queued replies in turn, then `default_reply` (a robot's "ok")."""

    def __init__(self, server: ThreadingHTTPServer):
        self._server = server
        self._lock = threading.Lock()
        self.requests: list[ReceivedRequest] = []
        self.replies: deque[tuple[int, bytes]] = deque()
        self.default_reply: tuple[int, bytes] = (200, b'{"errcode":0,"errmsg":"ok"}')
        self.delay_seconds = 0.0

    def url(self, path: str = "/robot/send") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def reply(self, status: int, body, *, times: int = 1) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.replies.extend([(status, data)] * times)

    def always_reply(self, status: int, body) -> None:
        self.default_reply = (status, body if isinstance(body, bytes) else json.dumps(body).encode())

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        split = urllib.parse.urlsplit(handler.path)
        with self._lock:
            self.requests.append(
                ReceivedRequest(
                    path=split.path,
                    query=urllib.parse.parse_qs(split.query),
                    raw_query=split.query,
                    headers=dict(handler.headers.items()),
                    body=body,
                    arrived_at=timezone.now(),
                )
            )
            status, reply = self.replies.popleft() if self.replies else self.default_reply
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(reply)))
        handler.end_headers()
        handler.wfile.write(reply)


@pytest.fixture
def robot_server():
    """A local HTTP server on 127.0.0.1 (a free port) in a thread, for the length of one test."""
    robot: RobotServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            robot._handle(self)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    robot = RobotServer(server)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield robot
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def notify_recipient(make_persona):
    """The hotline persona, with an e-mail address and a phone to @-mention."""
    user = make_persona("hotline")
    user.email = "hotline@huiwu.example"
    user.phone = "13800000001"
    user.save(update_fields=["email", "phone"])
    return user


@pytest.fixture
def make_endpoint(db, robot_server):
    from huiwu.notify.models import Endpoint

    def make(channel="wecom", path="/cgi-bin/webhook/send?key=test-key", **values):
        values = {"name": f"{channel} 测试群", "url": robot_server.url(path), **values}
        return Endpoint.objects.create(channel=channel, **values)

    return make


@pytest.fixture
def make_delivery(db, notify_recipient):
    """make_delivery(channel, endpoint=…, title=…, body=…, url=…, mentions=…): a queued Delivery."""
    from huiwu.notify.models import Delivery, Notification

    counter = itertools.count(1)

    def make(
        channel="wecom", *, endpoint=None, title=None, body="请提前30分钟布置会场。", url="/meetings/12/", **values
    ):
        number = next(counter)
        notification = Notification.objects.create(
            recipient=values.pop("recipient", notify_recipient),
            kind=values.pop("kind", "meeting_reminder"),
            event=values.pop("event", "reminder"),
            title=title or f"会议提醒：周例会 {number}",
            body=body,
            url=url,
        )
        return Delivery.objects.create(
            notification=notification,
            channel=channel,
            endpoint=endpoint,
            event_key=f"test:{number}",
            mentions=values.pop("mentions", ["13800000001"]),
            **values,
        )

    return make


@pytest.fixture
def run_delivery_tasks(monkeypatch):
    """Run every task that is due now, as `huiwu worker` does between its passes; returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker

    # The worker checks its connection between tasks, which would end a test's own transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run
