"""The production profile under load while it is stopped and killed in part (issue 17, "reliability test").

On this machine: PostgreSQL (a scratch database, huiwu_reliability, dropped afterwards), Redis (database 13,
flushed), nginx with deploy/nginx/huiwu.conf (HTTPS with a throwaway certificate, ports and paths changed to the
test's), two `huiwu web` behind it, two `huiwu worker` and an RQ worker (TASKS_BACKEND=redis). Clients sign in,
read pages and the API, and book through the API with a personal token and an Idempotency-Key per booking,
resent with the same key when the connection fails; now and then all of them race for one room and hour. While
they do, web server 1 is stopped gracefully (SIGTERM: it drains, then stops) and started again, and worker 1 is
killed (SIGKILL). Meetings booked to start in a little over two minutes have reminders (MEETING_REMINDER_MINUTES=2,1)
that fall due during the run. Then, from the database: every booking answered 201 exists once, none answered 409
exists, each contested slot has one meeting, every deadline due has reminded each of its people exactly once;
and no request failed. The figures are printed (pytest -s shows them).
"""

import contextlib
import getpass
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import psycopg
import pytest
import redis

PROJECT_DIR = Path(__file__).resolve().parent.parent
NGINX_SITE = PROJECT_DIR / "deploy" / "nginx" / "huiwu.conf"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "huiwu_reliability"
REDIS_DB = 13
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOST = "127.0.0.1"

CLIENTS = 8
LOAD_SECONDS = 45
# Rooms: the first NEAR_ROOMS take one meeting each starting soon (its reminders fall due during the run), the
# last is the one raced for, the others take the later bookings.
ROOMS = 24
NEAR_ROOMS = 16
CONTESTS = 6
REMINDER_MINUTES = [2, 1]
# A meeting booked "soon" starts this long after its booking: its first reminder opens 15 s after the booking.
SOON = timedelta(minutes=max(REMINDER_MINUTES), seconds=15)
SLOT = timedelta(minutes=30)
# The request mix of a client, by weight (contested bookings come on their own schedule).
MIX = {"page": 45, "api read": 30, "booking": 25}
# What happens during the load, in seconds from its start.
STOP_WEB_AT, START_WEB_AT, KILL_WORKER_AT = 12, 27, 18
DRAIN_SECONDS = 2
# Bounded waits.
START_TIMEOUT = 60
SETTLE_TIMEOUT = 150
ATTEMPTS = 3


# --- processes ----------------------------------------------------------------------------------------


class Processes:
    """Every process the test starts, by name, each with its output in a log file; all stopped at the end."""

    def __init__(self, directory: Path, env: dict) -> None:
        self.directory, self.env = directory, env
        self.running: dict[str, subprocess.Popen] = {}
        self.ended: list[subprocess.Popen] = []

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        with (self.directory / f"{name}.log").open("a") as log:
            process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running[name] = process
        return process

    def huiwu(self, name: str, *arguments: str) -> subprocess.Popen:
        return self.start(name, [sys.executable, "-m", "huiwu", *arguments])

    def signal(self, name: str, signum: int) -> subprocess.Popen:
        process = self.running.pop(name)
        self.ended.append(process)
        process.send_signal(signum)
        return process

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        for process in [*self.running.values(), *self.ended]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                # The whole session: a gunicorn left behind, an RQ work horse.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def run_huiwu(env: dict, *arguments: str, script: str | None = None) -> str:
    command = [sys.executable, "-m", "huiwu", *arguments, *(["-c", script] if script else [])]
    done = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"huiwu {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def query(env: dict, script: str) -> dict:
    """Run a script in `huiwu shell`; it prints one JSON line last."""
    return json.loads(run_huiwu(env, "shell", script=script).strip().splitlines()[-1])


def nginx_config(directory: Path, *, http_port: int, https_port: int, web_ports: list[int], static: Path) -> Path:
    """deploy/nginx/huiwu.conf as deployed, but on the test's ports, certificate and static files; in an nginx.conf
    of its own (no daemon, everything in the test's directory)."""
    site = NGINX_SITE.read_text()
    replacements = [
        (r"\n\s*listen \[::\]:\d+[^;]*;", ""),
        (r"listen 80;", f"listen {HOST}:{http_port};"),
        (r"listen 443 ssl", f"listen {HOST}:{https_port} ssl"),
        (r"server 127\.0\.0\.1:8001 ", f"server {HOST}:{web_ports[0]} "),
        (r"server 127\.0\.0\.1:8002 ", f"server {HOST}:{web_ports[1]} "),
        (r"/etc/huiwu/tls/", f"{directory}/"),
        (r"/var/lib/huiwu/static/", f"{static}/"),
        # The test's own format, which names the method and each server a request was passed to.
        (r"access_log /var/log/nginx/huiwu\.access\.log huiwu;", f"access_log {directory}/nginx-access.log upstreams;"),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        assert count, f"deploy/nginx/huiwu.conf no longer has {pattern!r}"
    (directory / "huiwu.conf").write_text(site)
    temp = {name: directory / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    config = directory / "nginx.conf"
    config.write_text(f"""
user {getpass.getuser()};
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstreams '$status $request_method $uri upstream=$upstream_addr:$upstream_status';
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {directory}/huiwu.conf;
}}
""")
    return config


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if condition():
                return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def status_of(port: int, path: str, context: ssl.SSLContext | None = None) -> tuple[int, dict]:
    connection = (
        http.client.HTTPSConnection(HOST, port, timeout=10, context=context)
        if context
        else http.client.HTTPConnection(HOST, port, timeout=10)
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status, json.loads(body) if response.getheader("Content-Type") == "application/json" else {}
    finally:
        connection.close()


# --- the set-up ---------------------------------------------------------------------------------------

FIXTURE = f"""
import json, secrets
from huiwu.accounts.roles import Role
from huiwu.accounts.services import api_token_create, user_upsert
from huiwu.directory.models import Organization
from huiwu.venues.models import Floor, Room, Site

site = Site.objects.create(name="会议大厦", code="tower")
floor = Floor.objects.create(site=site, name="7F", level=7)
rooms = [
    Room.objects.create(floor=floor, name=f"{{701 + n}}会议室", code=f"r{{701 + n}}", capacity=30).code
    for n in range({ROOMS})
]
organization = Organization.objects.create(name="可靠性测试委办局")
clients = []
for n in range({CLIENTS}):
    password = secrets.token_urlsafe(12)
    # One with an e-mail address: its messages are also delivered by e-mail, through RQ (each booking tells the
    # whole hotline; eight addresses would make a backlog of e-mails longer than the test).
    user = user_upsert(
        username=f"rel{{n}}", password=password, display_name=f"测试员{{n}}", roles=[Role.HOTLINE],
        email="rel0@example.gov.cn" if n == 0 else "",
    )
    token = api_token_create(user=user, name="test")[1]
    clients.append({{"username": user.username, "password": password, "token": token}})
print(json.dumps({{"rooms": rooms, "organization": organization.pk, "clients": clients}}))
"""

# What the workers have still to do: deadlines open and not yet acted on, deliveries queued; and when the last
# reminder of the meetings starting soon opens.
BACKLOG = """
import json
from django.utils import timezone
from huiwu.notify.models import Deadline, Delivery, Kind
now = timezone.now()
soon = Deadline.objects.filter(kind=Kind.MEETING_REMINDER, opens_at__lte=now + timezone.timedelta(minutes=10))
print(json.dumps({
    "open": Deadline.objects.filter(state=Deadline.State.PENDING, opens_at__lte=now).count(),
    "queued": Delivery.objects.filter(state=Delivery.State.QUEUED).count(),
    "last_soon": max((d.opens_at for d in soon), default=now).isoformat(),
    "now": now.isoformat(),
}))
"""

# Everything as of CUT, when the workers had caught up.
OUTCOME = """
import json
from collections import Counter
from datetime import datetime
from huiwu.accounts.models import User
from huiwu.meetings.models import Meeting
from huiwu.notify.models import Deadline, Delivery, Kind, Notification
cut = datetime.fromisoformat("CUT")
meetings = [
    {"title": m.title, "room": m.room.code, "start": m.start.isoformat(), "status": m.status}
    for m in Meeting.objects.select_related("room")
]
deadlines = []
for deadline in Deadline.objects.filter(opens_at__lte=cut).prefetch_related("responsible_users"):
    people = {u.pk for u in deadline.responsible_users.all() if u.is_active}
    if deadline.responsible_role:
        members = User.objects.filter(is_active=True, groups__name=deadline.responsible_role)
        people |= set(members.values_list("pk", flat=True))
    told = Counter(
        Notification.objects.filter(
            deadline=deadline, deadline_round=deadline.round, event=Notification.Event.REMINDER
        ).values_list("recipient_id", flat=True)
    )
    deadlines.append({
        "key": deadline.key, "kind": deadline.kind, "state": deadline.state, "note": deadline.note,
        "reminded": deadline.reminded_at is not None, "people": sorted(people),
        "told": {str(pk): count for pk, count in told.items()},
    })
print(json.dumps({
    "meetings": meetings,
    "deadlines": deadlines,
    "escalations": Notification.objects.filter(event=Notification.Event.ESCALATION).count(),
    "deliveries": dict(Counter(Delivery.objects.values_list("state", flat=True))),
}))
"""


# --- the clients --------------------------------------------------------------------------------------


class Bookings:
    """The clients' own bookings, each into a slot no other takes: first one meeting starting soon in each near
    room, then half hours from tomorrow 08:00 in the other rooms."""

    def __init__(self, rooms: list[str], organization: int) -> None:
        self.near, self.later = rooms[:NEAR_ROOMS], rooms[NEAR_ROOMS:-1]
        self.organization = organization
        self.tomorrow = (datetime.now(SHANGHAI) + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
        self.number = 0
        self.lock = threading.Lock()

    def next(self, client: int) -> dict:
        with self.lock:
            number, self.number = self.number, self.number + 1
        if number < len(self.near):
            room = self.near[number]
            start = (datetime.now(SHANGHAI) + SOON).replace(microsecond=0)
        else:
            later = number - len(self.near)
            room = self.later[later % len(self.later)]
            start = self.tomorrow + SLOT * (later // len(self.later))
        return booking(f"预订 {number}（客户端 {client}）", room, start, self.organization)


def booking(title: str, room: str, start: datetime, organization: int) -> dict:
    return {
        "title": title,
        "organizer_id": organization,
        "room": room,
        "start": start.isoformat(),
        "end": (start + SLOT).isoformat(),
        "headcount": 10,
        "setup_minutes": 0,
        "teardown_minutes": 0,
    }


class Client:
    """One user: a keep-alive HTTPS connection to nginx, a session (signed in through the login form) for the
    pages, a personal token for the API. Every request is recorded as (kind, outcome, seconds); the outcome
    is the status, or the name of the error when no answer came."""

    def __init__(self, number: int, port: int, context: ssl.SSLContext, account: dict) -> None:
        self.number, self.port, self.context, self.account = number, port, context, account
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.records: list[tuple[str, object, float]] = []
        self.bookings: list[dict] = []
        self.connect()

    def connect(self) -> None:
        self.connection = http.client.HTTPSConnection(HOST, self.port, timeout=30, context=self.context)

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def request(self, kind: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """One request, recorded; an error (no answer) is recorded and the request sent again on a new
        connection, at most ATTEMPTS times in all. Returns (status, body), or (None, b"") if none came."""
        for _attempt in range(ATTEMPTS):
            started = time.perf_counter()
            try:
                status, content = self.send(method, path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                self.records.append((kind, type(error).__name__, time.perf_counter() - started))
                self.connection.close()
                self.connect()
                continue
            self.records.append((kind, status, time.perf_counter() - started))
            return status, content
        return None, b""

    def sign_in(self) -> None:
        status, content = self.request("sign-in", "GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        assert status == 200, f"the login page answered {status}"
        assert token, "the login page has no CSRF field"
        form = {"username": self.account["username"], "password": self.account["password"]}
        status, _ = self.request(
            "sign-in",
            "POST",
            "/accounts/login/",
            urlencode({**form, "csrfmiddlewaretoken": token[1].decode()}).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/accounts/login/",
            },
        )
        assert status == 302, f"signing in answered {status}"
        assert "sessionid" in self.cookies

    def book(self, kind: str, payload: dict) -> None:
        """A booking through the API; a retry (the connection failed, or the first sending is still being
        answered) carries the same Idempotency-Key, so that it is booked once at most."""
        headers = {
            "Authorization": f"Bearer {self.account['token']}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        for _attempt in range(ATTEMPTS):
            status, content = self.request(kind, "POST", "/api/v1/meetings", body, headers)
            if status == 409 and json.loads(content).get("code") == "idempotency_key_in_progress":
                time.sleep(1)
                continue
            break
        self.bookings.append({"kind": kind, "title": payload["title"], "status": status, "payload": payload})


def run_client(client: Client, bookings: Bookings, contests: list[tuple[float, dict]], until: float) -> None:
    rng = random.Random(client.number)  # noqa: S311 -- the same sequence each run; nothing secret
    kinds, weights = list(MIX), list(MIX.values())
    today = datetime.now(SHANGHAI).date().isoformat()
    pages = [f"/meetings/timeline/?date={today}", "/meetings/", "/"]
    api = {"Authorization": f"Bearer {client.account['token']}"}
    contest = 0
    while time.monotonic() < until:
        if contest < len(contests) and time.monotonic() >= contests[contest][0] - 0.5:
            # Everyone at the same moment, for the same room and hour.
            moment, slot = contests[contest]
            time.sleep(max(0.0, moment - time.monotonic()))
            client.book("contested", {**slot, "title": f"{slot['title']}（客户端 {client.number}）"})
            contest += 1
            continue
        kind = rng.choices(kinds, weights)[0]
        if kind == "page":
            client.request("page", "GET", rng.choice(pages))
        elif kind == "api read":
            client.request("api read", "GET", f"/api/v1/meetings?date_from={today}", headers=api)
        else:
            client.book("booking", bookings.next(client.number))
    client.connection.close()


# --- the test -----------------------------------------------------------------------------------------


@pytest.fixture
def scratch_database():
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    store = redis.Redis(host=HOST, port=6379, db=REDIS_DB)
    store.flushdb()
    try:
        yield f"{POSTGRES}/{DATABASE}"
    finally:
        store.flushdb()
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


@pytest.mark.timeout(330)
def test_it_loses_or_doubles_no_request_booking_or_reminder_while_a_server_is_stopped_and_a_worker_killed(
    tmp_path, free_port, scratch_database
):
    for program in ("nginx", "openssl"):
        assert shutil.which(program), f"{program} is needed (`make test-prod` installs nginx)"
    began = time.monotonic()
    http_port, https_port, web_ports = free_port(), free_port(), [free_port(), free_port()]
    origin = f"https://{HOST}:{https_port}"
    data = tmp_path / "data"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "HUIWU", "WEB_"))}
    env |= {
        "HUIWU_ENV_FILE": str(tmp_path / "no.env"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "SITE_ROOT": origin,
        # The site is on a port of its own: the browser's origin names it, the Host header nginx passes does not.
        "CSRF_TRUSTED_ORIGINS": origin,
        "PROXY_COUNT": "1",
        "BEHIND_HTTPS_PROXY": "true",
        "HUIWU_HTTPS": "true",
        "DATABASE_URL": scratch_database,
        "REDIS_URL": f"redis://{HOST}:6379/{REDIS_DB}",
        "TASKS_BACKEND": "redis",
        "HUIWU_DATA_DIR": str(data),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "4",
        "WEB_KEEPALIVE_SECONDS": "75",
        "WEB_DRAIN_SECONDS": str(DRAIN_SECONDS),
        "WEB_GRACEFUL_TIMEOUT_SECONDS": "10",
        "MEETING_REMINDER_MINUTES": ",".join(map(str, REMINDER_MINUTES)),
        "WORKER_INTERVAL_SECONDS": "1",
        "TMPDIR": str(tmp_path),
    }
    run_huiwu(env, "migrate", "--noinput", "-v", "0")
    run_huiwu(env, "collectstatic", "--noinput", "-v", "0")
    fixture = query(env, FIXTURE)
    certificate, key = tmp_path / "huiwu.crt", tmp_path / "huiwu.key"
    subprocess.run(
        [
            *["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"],
            *["-addext", f"subjectAltName=IP:{HOST}", "-keyout", str(key), "-out", str(certificate)],
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(cafile=str(certificate))
    config = nginx_config(
        tmp_path, http_port=http_port, https_port=https_port, web_ports=web_ports, static=data / "static"
    )
    processes = Processes(tmp_path, env)
    try:
        processes.huiwu("rq", "rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job")
        for number in (1, 2):
            processes.huiwu(f"worker{number}", "worker")
            processes.huiwu(f"web{number}", "web", "--bind", f"{HOST}:{web_ports[number - 1]}")
        processes.start("nginx", ["nginx", "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"])
        for port in web_ports:
            wait_for(lambda port=port: status_of(port, "/readyz")[0] == 200, START_TIMEOUT, f"web on {port} ready")
        wait_for(lambda: status_of(https_port, "/readyz", context)[0] == 200, START_TIMEOUT, "nginx ready")
        # The site as deployed: plain HTTP is sent to HTTPS; static files come from nginx, hashed ones cached.
        redirect = http.client.HTTPConnection(HOST, http_port, timeout=10)
        redirect.request("GET", "/accounts/login/")
        answer = redirect.getresponse()
        assert (answer.status, answer.getheader("Location")) == (301, f"https://{HOST}/accounts/login/")
        redirect.close()
        hashed = json.loads((data / "static" / "staticfiles.json").read_text())["paths"]["vendor/bootstrap.min.css"]
        static = http.client.HTTPSConnection(HOST, https_port, timeout=10, context=context)
        static.request("GET", f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
        answer = static.getresponse()
        answer.read()
        assert answer.status == 200
        assert "immutable" in answer.getheader("Cache-Control")
        assert answer.getheader("Content-Encoding") == "gzip"
        assert answer.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
        static.close()

        clients = [Client(n, https_port, context, account) for n, account in enumerate(fixture["clients"])]
        for client in clients:
            client.sign_in()
        bookings = Bookings(fixture["rooms"], fixture["organization"])
        start = time.monotonic()
        until = start + LOAD_SECONDS
        contest_start = bookings.tomorrow.replace(hour=9)
        contests = [
            (
                start + (k + 1) * LOAD_SECONDS / (CONTESTS + 1),
                booking(f"争抢 {k}", fixture["rooms"][-1], contest_start + k * 2 * SLOT, fixture["organization"]),
            )
            for k in range(CONTESTS)
        ]
        threads = [
            threading.Thread(target=run_client, args=(c, bookings, contests, until), daemon=True) for c in clients
        ]
        for thread in threads:
            thread.start()

        events = []
        time.sleep(max(0.0, start + STOP_WEB_AT - time.monotonic()))
        stopping = processes.signal("web1", signal.SIGTERM)
        events.append(f"{time.monotonic() - start:4.1f} s: web 1 sent SIGTERM")
        wait_for(lambda: status_of(web_ports[0], "/readyz")[1].get("status") == "draining", DRAIN_SECONDS, "draining")
        events.append(f"{time.monotonic() - start:4.1f} s: web 1 answers /readyz 503 draining")
        time.sleep(max(0.0, start + KILL_WORKER_AT - time.monotonic()))
        processes.signal("worker1", signal.SIGKILL)
        events.append(f"{time.monotonic() - start:4.1f} s: worker 1 killed (SIGKILL)")
        assert stopping.wait(timeout=30) == 0, processes.log("web1")
        events.append(f"{time.monotonic() - start:4.1f} s: web 1 stopped, exit 0")
        time.sleep(max(0.0, start + START_WEB_AT - time.monotonic()))
        processes.huiwu("web1", "web", "--bind", f"{HOST}:{web_ports[0]}")
        events.append(f"{time.monotonic() - start:4.1f} s: web 1 started again")
        wait_for(lambda: status_of(web_ports[0], "/readyz")[0] == 200, START_TIMEOUT, "web 1 ready again")
        events.append(f"{time.monotonic() - start:4.1f} s: web 1 ready")
        for thread in threads:
            thread.join(LOAD_SECONDS + 60)
        load_seconds = time.monotonic() - start

        # The surviving worker catches up: every reminder of the meetings starting soon opened and sent.
        settle_from = time.monotonic()
        while True:
            backlog = query(env, BACKLOG)
            caught_up = backlog["open"] == 0 and backlog["queued"] == 0 and backlog["now"] >= backlog["last_soon"]
            if caught_up:
                break
            assert time.monotonic() - settle_from < SETTLE_TIMEOUT, f"the workers did not catch up: {backlog}"
            time.sleep(2)
        settled = time.monotonic() - settle_from
        outcome = query(env, OUTCOME.replace("CUT", backlog["now"]))
        access = (tmp_path / "nginx-access.log").read_text().splitlines()
    finally:
        processes.stop_all()

    records = [record for client in clients for record in client.records]
    made = [b for client in clients for b in client.bookings]
    by_kind = Counter((kind, str(outcome)) for kind, outcome, _seconds in records)
    failures = Counter(
        f"{kind}: {result}" for kind, result, _s in records if not isinstance(result, int) or result >= 500
    )
    unexpected = Counter(
        f"{b['kind']}: {b['status']}"
        for b in made
        if b["status"] not in ({201} if b["kind"] == "booking" else {201, 409})
    )
    meetings = Counter(m["title"] for m in outcome["meetings"])
    slots = Counter((m["room"], m["start"]) for m in outcome["meetings"])
    reminders = [d for d in outcome["deadlines"] if d["kind"] == "meeting_reminder"]
    # nginx's log names every server a request was passed to: two when the first failed (see nginx_config).
    resent = Counter(line.split()[1] for line in access if ", " in line.split("upstream=", 1)[1])
    print(f"\n== Reliability test: {CLIENTS} clients for {load_seconds:.0f} s through nginx (HTTPS) ==")
    print("events:\n  " + "\n  ".join(events))
    print("requests by kind and status: " + ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(by_kind.items())))
    print(f"requests: {len(records)}; failed: {sum(failures.values())} {dict(failures) or ''}")
    print(
        "nginx passed on to the other server after an error: "
        + (", ".join(f"{n} {method}" for method, n in sorted(resent.items())) or "none")
    )
    print(
        f"bookings: {sum(b['kind'] == 'booking' for b in made)} made, "
        f"{sum(b['kind'] == 'contested' for b in made)} contested for {CONTESTS} slots "
        f"({sum(b['kind'] == 'contested' and b['status'] == 201 for b in made)} won, "
        f"{sum(b['kind'] == 'contested' and b['status'] == 409 for b in made)} refused 409); "
        f"meetings in the database: {len(outcome['meetings'])}"
    )
    print(
        f"reminders: {len(reminders)} meeting reminders due, {sum(d['reminded'] for d in reminders)} sent, "
        f"{sum(sum(d['told'].values()) for d in reminders)} notifications; all deadlines due: "
        f"{len(outcome['deadlines'])}; escalations {outcome['escalations']}; deliveries {outcome['deliveries']}"
    )
    print(f"the workers caught up {settled:.0f} s after the load; the whole test took {time.monotonic() - began:.0f} s")

    assert not failures, failures
    assert not unexpected, unexpected
    for made_booking in made:
        expected = 1 if made_booking["status"] == 201 else 0
        assert meetings[made_booking["title"]] == expected, made_booking
    assert sum(meetings.values()) == sum(b["status"] == 201 for b in made)
    for _moment, slot in contests:
        start_utc = datetime.fromisoformat(slot["start"]).astimezone(ZoneInfo("UTC")).isoformat()
        assert slots[(slot["room"], start_utc)] == 1, slot
    assert len(reminders) >= NEAR_ROOMS * len(REMINDER_MINUTES)
    for deadline in outcome["deadlines"]:
        assert deadline["state"] != "pending", deadline
        told = {int(pk): count for pk, count in deadline["told"].items()}
        assert told == (dict.fromkeys(deadline["people"], 1) if deadline["reminded"] else {}), deadline
    for deadline in reminders:
        assert deadline["state"] == "done", deadline
        assert deadline["reminded"], deadline
        assert deadline["people"], deadline
    assert set(outcome["deliveries"]) <= {"sent"}, outcome["deliveries"]
