"""Load benchmark: requests per second and latency of a local `huiwu serve` under concurrent clients, on SQLite and
on PostgreSQL. See bench/README.md ("Load benchmark").

    .venv/bin/python bench/load.py [--database sqlite|postgres|both] [--clients 16] [--seconds 30] [--smoke]

For each database it migrates an empty one, books today's day of 300 meetings in 20 rooms through the services
(staffed, checks confirmed, those begun by now started and served), starts `huiwu serve` on a free local port as
a subprocess of its own and waits until it answers and its worker has caught up; then --clients threads, each
signed in through the login form on a keep-alive connection of its own, loop for --seconds over a weighted mix:
the timeline, the meeting list, the board's rows fragment and a booking through the JSON API, each booking into
a free slot of its own. It prints per kind the requests, the errors by status, req/s, p50, p99 and max; the
server's CPU time per request, the load average, and whether the reads' p99 stays under the target (300 ms at
16 clients on 2 cores). It asserts nothing: it exits non-zero only when it cannot run (the server does not
start, a client cannot sign in, or so many requests fail that the set-up must be broken).

SQLite runs in a throwaway data directory; PostgreSQL in a scratch database named huiwu_load_bench, dropped
afterwards. With --database both, each database runs in its own process (the settings are read once per
process) and a combined summary follows.
"""

import argparse
import contextlib
import gzip
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from datetime import time as clock
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from pgdb import PROJECT_DIR, point_django_at, recreate_database, run_each_database  # bench/ is on sys.path

try:
    import time_machine  # the day is booked and served at the times it happened, before the server starts
except ImportError:
    raise SystemExit("bench/load.py needs time-machine: run `make bench`, which installs it.") from None

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/huiwu_load_bench"
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOST = "127.0.0.1"
# The issue's target: the reads' p99 at 16 clients on a 2-core machine.
TARGET_READ_P99_MS = 300
# The day on the board, like bench/pages.py's large one: 20 rooms × 15 half-hour meetings, no buffers.
ROOMS = 20
SLOTS = 15
SLOT = timedelta(minutes=30)
ORGANIZATIONS = 5
# The clients' accounts, in turn: everyone who both reads these pages and books.
CLIENT_ROLES = ("manager", "hotline", "team_leader")
# The request mix, by weight. The board's rows are what every open board polls (every 30 s, all day), so they
# are the most frequent request; the timeline and the list are what booking staff open between calls; a
# booking is the rare write, and the one that takes SQLite's write lock.
MIX = {"timeline": 25, "meeting list": 20, "board rows": 45, "booking": 10}
READS = ("timeline", "meeting list", "board rows")
# The clients' bookings: from tomorrow on, 20 rooms × 24 half-hour slots a day from 08:00, so none conflicts.
BOOKING_FIRST = clock(8, 0)
BOOKING_SLOTS = 24
# Every wait is bounded: collectstatic and gunicorn's start, the worker's catch-up on the set-up's past
# deadlines, one request, and the server's stop (`huiwu serve` gives the web server WEB_DRAIN_SECONDS (0 here) +
# WEB_GRACEFUL_TIMEOUT_SECONDS + 10 s, 30 s by default, and the workers 15 s).
START_TIMEOUT = 120
CATCH_UP_TIMEOUT = 120
REQUEST_TIMEOUT = 60
STOP_TIMEOUT = 30
# More failed requests than this share means the set-up is broken, not that the server is slow.
BROKEN_ERROR_SHARE = 0.10
# --smoke: two clients for three seconds against a day of one meeting in each of four rooms.
SMOKE_CLIENTS, SMOKE_SECONDS, SMOKE_ROOMS, SMOKE_SLOTS = 2, 3, 4, 1
BOARD_ROW = 'data-testid="board-row"'
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--clients", type=int, default=16, choices=range(1, 65), metavar="1..64", help="concurrent clients"
    )
    parser.add_argument(
        "--seconds", type=int, default=30, choices=range(1, 601), metavar="1..600", help="how long the load lasts"
    )
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES_URL, help="dropped and re-created; its name must contain 'bench'"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="2 clients for 3 s against a day of 4 meetings, to show the benchmark still runs (make test)",
    )
    parser.add_argument("--results-file", help=argparse.SUPPRESS)  # used by --database both
    args = parser.parse_args()
    args.rooms, args.slots = ROOMS, SLOTS
    if args.smoke:
        args.clients, args.seconds = SMOKE_CLIENTS, SMOKE_SECONDS
        args.rooms, args.slots = SMOKE_ROOMS, SMOKE_SLOTS
    return args


# --- set-up -------------------------------------------------------------------------------------------


def create_people(rooms: int, clients: int) -> tuple[dict, list[tuple[str, str]]]:
    """The rooms, the organizers, the staff the day is served by (an attendant per room), and one account per
    client; returns the staff and each client's (username, password)."""
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert
    from huiwu.directory.models import Organization
    from huiwu.venues.models import Floor, Room, Site

    site = Site.objects.create(name="会议大厦", code="tower")
    floor = Floor.objects.create(site=site, name="7F", level=7)
    for number in range(rooms):
        Room.objects.create(floor=floor, name=f"{701 + number}会议室", code=f"r{701 + number}", capacity=30)
    for number in range(ORGANIZATIONS):
        Organization.objects.create(name=f"基准委办局{number + 1}")

    def account(username: str, role: str, password: str | None = None):
        return user_upsert(
            username=username,
            password=password or secrets.token_urlsafe(),
            display_name=username,
            roles=[Role(role)],
        )

    people = {code: account(code, code) for code in ("manager", "hotline", "team_leader", "env_supervisor")}
    people["attendants"] = [account(f"att{n}", "attendant") for n in range(rooms)]
    logins = []
    for number in range(clients):
        username, password = f"load{number:02d}", secrets.token_urlsafe(12)
        account(username, CLIENT_ROLES[number % len(CLIENT_ROLES)], password)
        logins.append((username, password))
    return people, logins


def first_start(now: datetime, slots: int) -> datetime:
    """The first meeting's start: an hour and a half before now, on the half hour, but within today, so that the
    board shows the same mix (some meetings over, some running, most to come) whatever the hour of the run."""
    midnight = datetime.combine(now.date(), clock(0), tzinfo=SHANGHAI)
    earliest = now - timedelta(minutes=90)
    earliest -= timedelta(minutes=earliest.minute % 30, seconds=earliest.second, microseconds=earliest.microsecond)
    return min(max(earliest, midnight), midnight + timedelta(days=1) - slots * SLOT)


def populate(now: datetime, slots: int, people: dict) -> int:
    """Today's meetings, every room × `slots`, booked as bench/pages.py books its large day — confirmed, each with
    a lead attendant, the checks of two thirds confirmed once their window has opened — and served as far as
    `now`: started, a refill 16 minutes in, ended. Each step runs at the time it happened (time-machine), so the
    rows are what the services write on the day. Returns how many meetings were booked."""
    from huiwu.directory.models import Organization
    from huiwu.meetings.services import MeetingDraft, meeting_create
    from huiwu.service.services import assignment_add, check_confirm, meeting_end, meeting_start, refill_record
    from huiwu.service.standards import confirmable_from, level_items, standard_current
    from huiwu.venues.models import Room

    rooms = list(Room.objects.order_by("pk"))
    organizations = list(Organization.objects.order_by("pk"))
    standard = standard_current()
    first = first_start(now, slots)
    booked_at = first - timedelta(hours=1)  # the hotline books no meeting in the past
    meetings = []
    with time_machine.travel(booked_at, tick=False):
        for index in range(len(rooms) * slots):
            start = first + SLOT * (index // len(rooms))
            draft = MeetingDraft(
                title=f"会议 {index}",
                organizer=organizations[index % len(organizations)],
                room=rooms[index % len(rooms)],
                start=start,
                end=start + SLOT,
                headcount=10,
                setup_minutes=0,
                teardown_minutes=0,
            )
            meeting = meeting_create(user=people["hotline"], draft=draft)
            attendant = people["attendants"][index % len(rooms)]
            assignment_add(user=people["team_leader"], meeting=meeting, attendant=attendant, duty="lead")
            if index % 3:  # a third of the meetings keep their checks open
                for level, who in ((1, "team_leader"), (2, "env_supervisor"), (3, "hotline")):
                    opens = confirmable_from(standard, meeting.checks.get(level=level))
                    if opens <= now:
                        with time_machine.travel(max(opens, booked_at), tick=False):
                            results = dict.fromkeys(level_items(standard, level), True)
                            check_confirm(user=people[who], meeting=meeting, level=level, results=results)
            meetings.append(meeting)
    for meeting in meetings:
        if meeting.start > now:
            continue
        server = meeting.assignments.get().attendant  # only who serves a meeting records its service
        with time_machine.travel(meeting.start, tick=False):
            meeting_start(user=server, meeting=meeting)
        refill_at = meeting.start + timedelta(minutes=16)
        if refill_at <= now:
            with time_machine.travel(refill_at, tick=False):
                refill_record(user=server, meeting=meeting)
        if meeting.end <= now:
            with time_machine.travel(meeting.end, tick=False):
                meeting_end(user=server, meeting=meeting)
    return len(meetings)


def deadlines_due() -> int:
    """Deadlines the worker has still to act on now: opened and not yet reminded, or due and not done."""
    from django.db.models import Q
    from django.utils import timezone

    from huiwu.notify.models import Deadline

    now = timezone.now()
    pending = Q(state=Deadline.State.PENDING, opens_at__lte=now)
    overdue = Q(state__in=[Deadline.State.PENDING, Deadline.State.REMINDED], awaits_completion=True, due_at__lte=now)
    return Deadline.objects.filter(pending | overdue).count()


# --- the server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def serve_defaults() -> str:
    """`huiwu serve`'s gunicorn workers and threads, as its own parser sets them."""
    from huiwu.core.management.commands.serve import Command

    options = Command().create_parser("huiwu", "serve").parse_args([])
    return f"{options.web_workers} gunicorn workers × {options.threads} threads, and one huiwu worker"


def _children_of(pid: int) -> list[int]:
    try:
        return [
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except OSError:
        return []


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, in ticks, from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    total = sum(values[:8])  # guest time is counted in user already
    return total - idle, total


class Server:
    """`huiwu serve` in a process of its own, with the environment this script set up (DATABASE_URL,
    HUIWU_DATA_DIR, a throwaway SECRET_KEY) and plain HTTP; its output (gunicorn's access log) goes to a file."""

    def __init__(self, data_dir: str, port: int) -> None:
        self.port = port
        self.log = Path(data_dir) / "server.log"
        launcher = Path(sys.executable).with_name("huiwu")
        command = [str(launcher)] if launcher.exists() else [sys.executable, "-m", "huiwu"]
        env = os.environ | {"HUIWU_HTTPS": "false", "PORT": str(port)}
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [*command, "serve", "--bind", f"{HOST}:{port}"],
                cwd=PROJECT_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def output(self, characters: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-characters:]

    def wait_ready(self) -> float:
        """Seconds until the login page answers 200 (collectstatic, then gunicorn's start)."""
        started = time.monotonic()
        while time.monotonic() - started < START_TIMEOUT:
            if self.process.poll() is not None:
                raise SystemExit(f"huiwu serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/accounts/login/")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"huiwu serve did not answer within {START_TIMEOUT} s:\n{self.output()}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by `huiwu serve` and everything under it (gunicorn's master and workers, the
        worker), all threads: on a shared machine, what the server itself spent, whatever else ran."""
        ticks, pending = 0, [self.process.pid]
        while pending:
            pid = pending.pop()
            try:
                # The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # it has just exited
            ticks += int(fields[11]) + int(fields[12])
            pending += _children_of(pid)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> str:
        """SIGTERM, as a service manager stops it; how it ended."""
        if self.process.poll() is not None:
            return f"had already exited with {self.process.returncode}"
        # Its children run in sessions of their own: should it not stop them in time, they are killed by id.
        children = _children_of(self.process.pid)
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.kill()
            self.process.wait()
            return f"did not stop within {STOP_TIMEOUT} s on SIGTERM: killed"
        return f"exit {code} after {time.monotonic() - started:.1f} s on SIGTERM"


# --- the clients --------------------------------------------------------------------------------------


class Slots:
    """The clients' bookings, each into a slot of its own: room after room, half hour after half hour, from
    tomorrow on."""

    def __init__(self, today, rooms: list[str], organizations: list[int]) -> None:
        self.today, self.rooms, self.organizations = today, rooms, organizations
        self.number = 0
        self.lock = threading.Lock()

    def next(self) -> dict:
        with self.lock:
            number, self.number = self.number, self.number + 1
        day = self.today + timedelta(days=1 + number // (len(self.rooms) * BOOKING_SLOTS))
        slot = number // len(self.rooms) % BOOKING_SLOTS
        start = datetime.combine(day, BOOKING_FIRST, tzinfo=SHANGHAI) + SLOT * slot
        return {
            "title": f"负载预订 {number}",
            "organizer_id": self.organizations[number % len(self.organizations)],
            "room": self.rooms[number % len(self.rooms)],
            "start": start.isoformat(),
            "end": (start + SLOT).isoformat(),
            "headcount": 10,
            "setup_minutes": 0,
            "teardown_minutes": 0,
        }


class LoadClient:
    """One browser: a keep-alive connection, its cookies, signed in once through the login form."""

    def __init__(self, port: int, username: str, password: str) -> None:
        self.port, self.username, self.password = port, username, password
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, body as sent, headers); the body stays gzip-compressed, as it crossed the wire."""
        headers = {
            "Accept-Encoding": "gzip",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            **(headers or {}),
        }
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # gunicorn closed the keep-alive connection (left idle, or its next request waited longer than the
            # keep-alive time for a free thread): a new one, and the request sent again, as a browser does.
            self.connection.close()
            self.reconnects += 1
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content, response.msg

    def login(self) -> None:
        status, content, headers = self.request("GET", "/accounts/login/")
        if headers.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        match = CSRF_FIELD.search(content.decode())
        if status != 200 or not match:
            raise RuntimeError(f"the login page answered {status} without a CSRF field")
        form = urlencode({"username": self.username, "password": self.password, "csrfmiddlewaretoken": match[1]})
        status, _content, headers = self.request(
            "POST", "/accounts/login/", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in as {self.username} answered {status}, not a redirect with a session")

    def booking(self, slots: Slots):
        # The API with the session, as the pages' own scripts call it: the CSRF token in its header.
        body = json.dumps(slots.next()).encode()
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")}
        return self.request("POST", "/api/v1/meetings", body, headers)


def run_client(client: LoadClient, number: int, paths: dict, slots: Slots, start: threading.Event, until: list):
    """Requests of the mix until the end time, each recorded as (kind, status or error, seconds, bytes)."""
    rng = random.Random(number)  # noqa: S311 -- the same sequence of kinds on every run; nothing secret
    kinds, weights = list(MIX), list(MIX.values())
    records = []
    start.wait()
    while time.perf_counter() < until[0]:
        kind = rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        try:
            if kind == "booking":
                status, content, _headers = client.booking(slots)
            else:
                extra = {"HX-Request": "true"} if kind == "board rows" else {}
                status, content, _headers = client.request("GET", paths[kind], headers=extra)
            outcome, size = status, len(content)
        except (OSError, http.client.HTTPException) as error:
            client.connection.close()
            outcome, size = type(error).__name__, 0
        records.append((kind, outcome, time.perf_counter() - started, size))
    client.connection.close()
    return records


def nearest_rank(ordered: list[float], share: float) -> float:
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def summarize(records: list, seconds: float) -> dict:
    """Per kind and for the reads together: requests, errors by status, req/s, p50, p99, max (ms), mean KB."""
    groups = {kind: [r for r in records if r[0] == kind] for kind in MIX}
    groups["reads"] = [r for r in records if r[0] in READS]
    groups["all"] = records
    result = {}
    for name, rows in groups.items():
        times = sorted(r[2] * 1000 for r in rows)
        errors = Counter(str(r[1]) for r in rows if not (isinstance(r[1], int) and 200 <= r[1] < 300))
        result[name] = {
            "requests": len(rows),
            "errors": dict(errors),
            "rps": len(rows) / seconds,
            "p50": nearest_rank(times, 0.50) if times else 0.0,
            "p99": nearest_rank(times, 0.99) if times else 0.0,
            "max": times[-1] if times else 0.0,
            "kb": sum(r[3] for r in rows) / len(rows) / 1024 if rows else 0.0,
        }
    return result


def apply_load(server: Server, logins: list, paths: dict, slots: Slots, seconds: int) -> tuple[dict, dict]:
    port = server.port
    clients = [LoadClient(port, username, password) for username, password in logins]
    signed_in = time.perf_counter()
    for client in clients:
        try:
            client.login()
        except (RuntimeError, OSError, http.client.HTTPException) as error:
            raise SystemExit(f"a client could not sign in: {error}") from None
    print(f"  {len(clients)} clients signed in through the login form in {time.perf_counter() - signed_in:.1f} s")
    # Not measured: each client's first read of each page, which may be a gunicorn worker's first (templates
    # compiled, translations loaded). What the first client reads shows that the pages hold the day.
    pages = {}
    for client in clients:
        for kind in READS:
            status, content, headers = client.request("GET", paths[kind])
            if headers.get("Content-Encoding") == "gzip":
                content = gzip.decompress(content)
            pages.setdefault(kind, (status, content.decode()))
    for client in clients:
        # Those so far were connections left idle past gunicorn's keep-alive while the others signed in.
        client.reconnects = 0
    print(
        "  the pages read: "
        + ", ".join(f"{kind} {status}, {len(html) / 1024:.0f} KB" for kind, (status, html) in pages.items())
        + f"; rows on the board: {pages['board rows'][1].count(BOARD_ROW)}"
    )
    start, until, results = threading.Event(), [0.0], {}

    def work(number: int, client: LoadClient) -> None:
        results[number] = run_client(client, number, paths, slots, start, until)

    threads = [threading.Thread(target=work, args=(n, c), daemon=True) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    cpu_before, load_before = time.process_time(), os.getloadavg()[0]
    server_before, machine_before = server.cpu_seconds(), machine_busy()
    began = time.perf_counter()
    until[0] = began + seconds
    start.set()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 10)
    elapsed = time.perf_counter() - began  # the last request started before the end is waited for and counted
    records = [record for number in sorted(results) for record in results[number]]
    server_cpu = server.cpu_seconds() - server_before
    busy, total = (after - before for after, before in zip(machine_busy(), machine_before, strict=True))
    context = {
        "seconds": elapsed,
        "server_cores": server_cpu / elapsed,
        "server_ms_per_request": server_cpu * 1000 / max(1, len(records)),
        "machine_busy": busy / total if total else 0.0,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "client_cpu": (time.process_time() - cpu_before) / elapsed,
        "reconnects": sum(client.reconnects for client in clients),
        "hung": sum(thread.is_alive() for thread in threads),
    }
    return summarize(records, elapsed), context


# --- one database -------------------------------------------------------------------------------------


def run_database(args: argparse.Namespace, database: str) -> dict:
    data_dir = tempfile.mkdtemp(prefix="huiwu-load-bench-")
    point_django_at(database, data_dir, args.postgres_url, sqlite_name="load.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from huiwu.directory.models import Organization
    from huiwu.meetings.models import Meeting
    from huiwu.venues.models import Room

    label = "SQLite" if database == "sqlite" else "PostgreSQL"
    print(
        f"\n== load, {label}: {args.clients} clients for {args.seconds} s; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} ==",
        flush=True,
    )
    server = None
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        people, logins = create_people(args.rooms, args.clients)
        now = timezone.localtime()
        meetings = populate(now, args.slots, people)
        print(
            f"  set-up: migrated, {meetings} meetings today booked, staffed and served up to {now:%H:%M} "
            f"(first at {first_start(now, args.slots):%H:%M}), {len(logins)} client accounts, "
            f"in {time.perf_counter() - started:.1f} s"
        )
        day = f"{now:%Y-%m-%d}"
        paths = {
            "timeline": f"/meetings/timeline/?date={day}",
            "meeting list": f"/meetings/?date_from={day}&date_to={day}",
            "board rows": f"/service/board/rows/?date={day}",
        }
        slots = Slots(
            now.date(),
            list(Room.objects.order_by("pk").values_list("code", flat=True)),
            list(Organization.objects.order_by("pk").values_list("pk", flat=True)),
        )

        backlog = deadlines_due()
        # Started once the day is written: its worker, run beside the set-up, can deadlock on PostgreSQL with a
        # check being confirmed ("deadlock detected" on notify_deadline, seen in a run that overlapped them).
        server = Server(data_dir, free_port())
        print(f"  huiwu serve on {HOST}:{server.port} ({serve_defaults()}): ", end="", flush=True)
        print(f"answering after {server.wait_ready():.1f} s", flush=True)
        # The set-up wrote the day's past reminders and checks at once: the measurement starts once the server's
        # worker has dealt with them, as it would have during the day.
        waited = time.monotonic()
        while (left := deadlines_due()) and time.monotonic() - waited < CATCH_UP_TIMEOUT:
            time.sleep(0.5)
        caught_up = "none left" if not left else f"still {left} (measuring anyway)"
        waited = time.monotonic() - waited
        print(f"  worker: {backlog} deadlines due after the set-up; {caught_up} {waited:.1f} s after it answered")
        connections.close_all()  # this process holds no connection during the measurement

        figures, context = apply_load(server, logins, paths, slots, args.seconds)
        stopped = server.stop()
        server = None
        booked = Meeting.objects.filter(title__startswith="负载预订").count()
    finally:
        if server is not None:
            print(f"  server: {server.stop()}")
        connections.close_all()
        if database == "postgres":
            recreate_database(args.postgres_url, drop_only=True)
        shutil.rmtree(data_dir, ignore_errors=True)

    result = {"label": label, "clients": args.clients, "figures": figures, **context, "booked": booked}
    print_database(result)
    print(f"  server: {stopped}; bookings in the database {booked} (answered 201: {created(figures)})")
    return result


def created(figures: dict) -> int:
    booking = figures["booking"]
    return booking["requests"] - sum(booking["errors"].values())


# --- output -------------------------------------------------------------------------------------------


def verdict(figures: dict) -> str:
    worst = max(figures[kind]["p99"] for kind in READS)
    return f"reads p99 < {TARGET_READ_P99_MS} ms: " + ("OK" if worst < TARGET_READ_P99_MS else "ABOVE TARGET")


def print_database(result: dict) -> None:
    figures = result["figures"]
    print(f"\n-- {result['label']}: {result['clients']} clients, {result['seconds']:.1f} s --")
    print(
        f"{'kind':<12} | {'requests':>8} | {'errors':>6} | {'req/s':>6} | {'p50':>9} | {'p99':>9} | {'max':>9} | "
        f"{'KB':>5}"
    )
    for kind in (*MIX, "reads", "all"):
        row = figures[kind]
        errors = sum(row["errors"].values())
        print(
            f"{kind:<12} | {row['requests']:>8} | {errors:>6} | {row['rps']:>6.1f} | {row['p50']:>6.0f} ms | "
            f"{row['p99']:>6.0f} ms | {row['max']:>6.0f} ms | {row['kb']:>5.1f}"
        )
    if any(figures[kind]["errors"] for kind in MIX):
        by_kind = "; ".join(
            f"{kind}: " + ", ".join(f"{status} × {n}" for status, n in figures[kind]["errors"].items())
            for kind in MIX
            if figures[kind]["errors"]
        )
        print(f"errors by status: {by_kind}")
    print(
        f"total {figures['all']['rps']:.1f} req/s; load average {result['load_before']:.2f} before, "
        f"{result['load_after']:.2f} after; reconnects {result['reconnects']}"
        + (f"; HUNG CLIENTS {result['hung']}" if result["hung"] else "")
    )
    print(
        f"CPU during the load: the server {result['server_cores']:.2f} cores "
        f"({result['server_ms_per_request']:.0f} ms a request), the clients {result['client_cpu']:.2f}, "
        f"the whole machine {result['machine_busy']:.0%} busy"
    )
    print(verdict(figures))


def print_summary(results: list[dict]) -> None:
    print(f"\n== load summary: p50 / p99 in ms per kind (target: reads p99 < {TARGET_READ_P99_MS} ms) ==")
    header = (
        f"{'database':<10} | {'clients':>7} | {'req/s':>6} | "
        + " | ".join(f"{kind:>13}" for kind in MIX)
        + f" | {'errors':>6} | {'server CPU':>10} | {'ms/request':>10} | {'load':>5} | reads p99"
    )
    print(header)
    for result in results:
        figures = result["figures"]
        cells = " | ".join(f"{figures[kind]['p50']:>6.0f}/{figures[kind]['p99']:>6.0f}" for kind in MIX)
        errors = sum(figures["all"]["errors"].values())
        print(
            f"{result['label']:<10} | {result['clients']:>7} | {figures['all']['rps']:>6.1f} | {cells} | "
            f"{errors:>6} | {result['server_cores']:>4.2f} cores | {result['server_ms_per_request']:>10.0f} | "
            f"{result['load_after']:>5.2f} | {verdict(figures).rsplit(': ', 1)[1]}"
        )
    print("(server CPU: cores `huiwu serve` used during the load; ms/request: its CPU time per request answered)")


def broken(result: dict) -> str | None:
    """Why the figures cannot be trusted, if they cannot."""
    every = result["figures"]["all"]
    failed = sum(every["errors"].values())
    if not every["requests"]:
        return "no request was made"
    if failed > BROKEN_ERROR_SHARE * every["requests"]:
        return f"{failed} of {every['requests']} requests failed"
    if result["hung"]:
        return f"{result['hung']} clients did not finish"
    return None


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    if args.database != "both":
        result = run_database(args, args.database)
        if args.results_file:
            Path(args.results_file).write_text(json.dumps(result))
        else:
            print_summary([result])
            print(f"\ntotal runtime {time.perf_counter() - started:.1f} s")
        if reason := broken(result):
            raise SystemExit(f"the set-up looks broken on {result['label']}: {reason}")
        return

    results, failed = run_each_database(
        __file__,
        [
            f"--clients={args.clients}",
            f"--seconds={args.seconds}",
            f"--postgres-url={args.postgres_url}",
            *(["--smoke"] if args.smoke else []),
        ],
    )
    if results:
        print_summary(results)
    print(f"\ntotal runtime {time.perf_counter() - started:.1f} s")
    if failed:
        raise SystemExit(f"the benchmark failed on {' and '.join(failed)}")


if __name__ == "__main__":
    main()
