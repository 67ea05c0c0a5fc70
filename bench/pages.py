"""Pages benchmark: render time and SQL query count of the pages polled and opened all day — the today
board, the timeline, my tasks, the meeting list and the today page — on a day of 10 meetings and on a day of 300.

    .venv/bin/python bench/pages.py [--database sqlite|postgres] [--renders 30] [--profile] [--smoke]

No page's query count may grow with the number of meetings (tests assert that too); this prints each page's
counts, the median and p95 render times of each day and their ratio. It asserts nothing. The board and the
timeline are kept as snapshots while their day is unchanged (huiwu/lib/snapshots.py): "built" is a render
right after a change (every snapshot dropped first), "served" one of the polls that follow; the ratio and the
targets are the served ones, what a screen polling every 30 s costs. `--profile` adds the
cProfile of the board's rows on the large day. SQLite runs in a throwaway data directory; PostgreSQL in a
scratch database named huiwu_board_bench, dropped afterwards.
"""

import argparse
import cProfile
import io
import math
import os
import pstats
import secrets
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pgdb import point_django_at, recreate_database  # bench/ is on sys.path when a benchmark runs as a script

try:
    import time_machine  # the days are booked and shown at fixed times
except ImportError:
    raise SystemExit("bench/pages.py needs time-machine: run `make bench`, which installs it.") from None

SHANGHAI = ZoneInfo("Asia/Shanghai")
SMALL_DAY = datetime(2026, 12, 1, tzinfo=SHANGHAI)
LARGE_DAY = datetime(2026, 12, 2, tzinfo=SHANGHAI)
ROOMS = 20
SLOTS = 15  # 30-minute meetings from 08:30, no buffers: 20 rooms × 15 slots = 300 meetings
SMALL = 10
# --smoke: the small and the large day, and the renders of each, too few for the figures to mean anything.
SMOKE_SMALL, SMOKE_LARGE, SMOKE_RENDERS = 2, ROOMS, 2
# (name, URL with the day, who opens it): the board's rows are what its screens poll every 30 s; the
# attendant att0 serves one meeting of the small day and 15 of the large one.
PAGES = (
    ("board rows", "/service/board/rows/?date={day:%Y-%m-%d}", "manager"),
    ("board", "/service/board/?date={day:%Y-%m-%d}", "manager"),
    ("timeline", "/meetings/timeline/?date={day:%Y-%m-%d}", "manager"),
    ("meeting list", "/meetings/?date_from={day:%Y-%m-%d}&date_to={day:%Y-%m-%d}", "manager"),
    ("my tasks", "/service/mine/", "att0"),
    ("today, manager", "/", "manager"),
    ("today, hotline", "/", "hotline"),
    ("today, attendant", "/", "att0"),
)
# The targets of issue 16, each against the large day: the board's rows under 40 ms and within 1.5× of the
# small day, the timeline of 20 rooms × 300 meetings under 40 ms.
TARGET_MS = {"board rows": 40, "timeline": 40}
TARGET_RATIO = {"board rows": 1.5}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--renders",
        type=int,
        default=30,
        choices=range(1, 1001),
        metavar="1..1000",
        help="measured renders per page and day",
    )
    parser.add_argument("--profile", action="store_true", help="print the cProfile of the large day's board rows")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/huiwu_board_bench")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds with tiny days, to show the benchmark still runs (make test)",
    )
    args = parser.parse_args()
    args.small, args.large = (SMOKE_SMALL, SMOKE_LARGE) if args.smoke else (SMALL, ROOMS * SLOTS)
    if args.smoke:
        args.renders = SMOKE_RENDERS
    return args


def configure(database: str, data_dir: str, postgres_url: str) -> None:
    point_django_at(database, data_dir, postgres_url, sqlite_name="board.sqlite3")
    os.environ["HUIWU_HTTPS"] = "false"  # plain HTTP from the test client: no redirect to https
    Path(data_dir, "static").mkdir()  # whitenoise warns when its (here empty) directory is missing


def populate(day: datetime, count: int, people: dict) -> None:
    """`count` confirmed meetings on `day`, each with an attendant; those begun by 10:00 are running, with a
    refill recorded, and their checks confirmed — the mix a board shows mid-morning."""
    from huiwu.directory.models import Organization
    from huiwu.meetings.services import MeetingDraft, meeting_create
    from huiwu.service.services import assignment_add, check_confirm, meeting_start, refill_record
    from huiwu.service.standards import confirmable_from, level_items, standard_current
    from huiwu.venues.models import Room

    rooms = list(Room.objects.order_by("pk"))
    organization = Organization.objects.first()
    standard = standard_current()
    meetings = []
    with time_machine.travel(day.replace(hour=7), tick=False):
        for index in range(count):
            room, slot = rooms[index % ROOMS], index // ROOMS
            start = day.replace(hour=8, minute=30) + timedelta(minutes=30 * slot)
            draft = MeetingDraft(
                title=f"会议 {index}",
                organizer=organization,
                room=room,
                start=start,
                end=start + timedelta(minutes=30),
                headcount=10,
                setup_minutes=0,
                teardown_minutes=0,
            )
            meeting = meeting_create(user=people["hotline"], draft=draft)
            assignment_add(
                user=people["team_leader"], meeting=meeting, attendant=people["attendants"][index % ROOMS], duty="lead"
            )
            for level, who in ((1, "team_leader"), (2, "env_supervisor"), (3, "hotline")):
                if index % 3:  # a third of the meetings keep open checks
                    results = dict.fromkeys(level_items(standard, level), True)
                    # A level is confirmed once its window opens (not hours before it is due).
                    opens = confirmable_from(standard, meeting.checks.get(level=level))
                    with time_machine.travel(max(opens, day.replace(hour=7)), tick=False):
                        check_confirm(user=people[who], meeting=meeting, level=level, results=results)
            meetings.append(meeting)
    for meeting in meetings:
        if meeting.start <= day.replace(hour=10):
            server = meeting.assignments.get().attendant  # only who serves a meeting records its service
            with time_machine.travel(meeting.start, tick=False):
                meeting_start(user=server, meeting=meeting)
            with time_machine.travel(meeting.start + timedelta(minutes=16), tick=False):
                refill_record(user=server, meeting=meeting)


def _timed(client, url: str, renders: int, before_each=None) -> list[float]:
    times = []
    for _ in range(renders):
        if before_each:
            before_each()
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return sorted(times)


def measure(client, user, url: str, day: datetime, renders: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        from huiwu.lib.snapshots import snapshots_clear
    except ImportError:  # the code before snapshots, measured for comparison: built and served are the same
        snapshots_clear = None

    with time_machine.travel(day.replace(hour=10, minute=5), tick=False):
        # Signed in at the travelled time, so that the session has not expired there.
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.get(url)  # warm-up: templates compiled, connection open
        if snapshots_clear:
            snapshots_clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # Counted now: the next request clears the connection's query log that `queries` reads.
        query_count = len(queries)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        built = _timed(client, url, renders, snapshots_clear)
        served = _timed(client, url, renders)
    return {
        "rows": response.content.decode().count('data-testid="board-row"'),
        "bytes": len(response.content),
        "queries": query_count,
        "built": statistics.median(built) * 1000,
        "median": statistics.median(served) * 1000,
        "p95": served[math.ceil(len(served) * 0.95) - 1] * 1000,  # nearest rank
    }


def profile(client, user, url: str, day: datetime, renders: int) -> str:
    """The cumulative cProfile of `renders` requests, the 30 costliest functions."""
    profiler = cProfile.Profile()
    with time_machine.travel(day.replace(hour=10, minute=5), tick=False):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.get(url)
        profiler.enable()
        for _ in range(renders):
            client.get(url)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(30)
    return out.getvalue()


def main() -> None:
    args = parse_args()
    data_dir = tempfile.mkdtemp(prefix="huiwu-board-bench-")
    configure(args.database, data_dir, args.postgres_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client, override_settings

    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert
    from huiwu.directory.models import Organization
    from huiwu.venues.models import Floor, Room, Site

    label = "SQLite" if args.database == "sqlite" else "PostgreSQL"
    try:
        call_command("migrate", verbosity=0)
        site = Site.objects.create(name="会议大厦", code="tower")
        floor = Floor.objects.create(site=site, name="7F", level=7)
        for number in range(ROOMS):
            Room.objects.create(floor=floor, name=f"{701 + number}会议室", code=f"r{701 + number}", capacity=30)
        Organization.objects.create(name="基准委办局")
        people = {
            code: user_upsert(username=code, password=secrets.token_urlsafe(), display_name=code, roles=[Role(code)])
            for code in ("manager", "hotline", "team_leader", "env_supervisor")
        }
        people["attendants"] = [
            user_upsert(username=f"att{n}", password="x" * 12, display_name=f"服务员{n}", roles=[Role.ATTENDANT])
            for n in range(ROOMS)
        ]
        started = time.perf_counter()
        populate(SMALL_DAY, args.small, people)
        populate(LARGE_DAY, args.large, people)
        print(
            f"{label}: {args.small + args.large} meetings booked, staffed and served "
            f"in {time.perf_counter() - started:.1f} s"
        )
        clients = {code: Client() for code in {who for _name, _url, who in PAGES}}
        users = {code: people.get(code) or people["attendants"][0] for code in clients}
        # Static files as they lie: the hashed manifest exists only after collectstatic.
        storages = settings.STORAGES | {
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        }
        results = []
        with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
            for name, url, who in PAGES:
                small = measure(clients[who], users[who], url.format(day=SMALL_DAY), SMALL_DAY, args.renders)
                large = measure(clients[who], users[who], url.format(day=LARGE_DAY), LARGE_DAY, args.renders)
                results.append((name, small, large))
            if args.profile:
                board_url = PAGES[0][1].format(day=LARGE_DAY)
                profiled = profile(clients["manager"], users["manager"], board_url, LARGE_DAY, args.renders)
    finally:
        connections.close_all()
        if args.database == "postgres":
            recreate_database(args.postgres_url, drop_only=True)
        shutil.rmtree(data_dir, ignore_errors=True)

    print(
        f"\n== pages, {label}: a day of {args.small} meetings and a day of {args.large}, {args.renders} renders each =="
    )
    print("(medians; queries of a render built anew, small / large day; ratio and targets: served, large / small)")
    print(
        f"{'page':<16} | {'queries':>11} | {'built small':>11} | {'built large':>11} | {'served small':>12} "
        f"| {'served large':>12} | {'p95 large':>9} | {'KB large':>8} | {'ratio':>5} | target"
    )
    for name, small, large in results:
        ratio = large["median"] / small["median"]
        verdicts = []
        if name in TARGET_MS:
            verdicts.append(f"< {TARGET_MS[name]} ms " + ("OK" if large["median"] < TARGET_MS[name] else "ABOVE"))
        if name in TARGET_RATIO:
            verdicts.append(f"≤ {TARGET_RATIO[name]}× " + ("OK" if ratio <= TARGET_RATIO[name] else "ABOVE"))
        counts = f"{small['queries']} / {large['queries']}"
        print(
            f"{name:<16} | {counts:>11} | {small['built']:>8.1f} ms | {large['built']:>8.1f} ms "
            f"| {small['median']:>9.1f} ms | {large['median']:>9.1f} ms "
            f"| {large['p95']:>6.1f} ms | {large['bytes'] / 1024:>8.1f} | {ratio:>4.1f}× | {', '.join(verdicts)}"
        )
    growing = [name for name, small, large in results if small["queries"] != large["queries"]]
    print("query counts equal on both days" if not growing else f"query counts GROW on: {', '.join(growing)}")
    board_rows = results[0][2]["rows"]
    print(f"board rows on the large day: {board_rows}")
    if args.profile:
        print(f"\n== cProfile of {args.renders} renders of the board rows, {label}, large day ==")
        print(profiled)


if __name__ == "__main__":
    main()
