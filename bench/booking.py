"""Booking benchmark on PostgreSQL: the service layer with its conflict check against a bare INSERT,
with a small and a large meetings table. See bench/README.md.

    .venv/bin/python bench/booking.py [--sizes 1000,1000000] [--bookings 300] [--keep] [--smoke]

It drops and re-creates its own database (huiwu_bench unless DATABASE_URL is set; the name must contain
"bench"), migrates it, fills meetings_meeting with set-based SQL, measures, prints a summary and drops the
database again unless --keep is given.
"""

import argparse
import os
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from pgdb import recreate_database  # bench/ is on sys.path when a benchmark runs as a script

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/huiwu_bench"

ROOM_COUNT = 50
ORGANIZATION_COUNT = 10
# Every room gets one history meeting per SLOT; a meeting blocks at most 150 + 30 + 30 minutes of it.
SLOT = timedelta(hours=4)
WARMUP = 10
# --smoke: every step once, on tables too small for the figures to mean anything.
SMOKE_SIZES = "100,1000"
SMOKE_BOOKINGS = 5

NATURES = ["work_assignment", "symposium", "social", "reception", "video_conference", "training", "other"]

# One statement for the whole history. Row n goes to room n % rooms, as that room's (n / rooms)-th
# meeting; each room's meetings are SLOT apart and end before %(anchor)s, rows come in time order.
# With several workers, each session inserts the rooms r with r % workers = worker (GiST insertion into
# the exclusion constraint's index is CPU-bound; two sessions on two cores nearly halve the load time).
# Statuses: ~94 % confirmed, 5 % cancelled, 1 % rejected (a cheap multiplicative hash spreads them).
POPULATE_SQL = """
INSERT INTO meetings_meeting (
    title, organizer_id, contact_id, room_id, series_id, start, "end", setup_minutes, teardown_minutes,
    blocked_from, blocked_until, headcount, nature, tone, layout, table_count, chair_count,
    restroom_arrangement, smoking_arrangement, notes, confidentiality, status, status_reason,
    capacity_override_reason, created_by_id, created_at, updated_at
)
SELECT
    '历史会议 ' || n, (%(orgs)s::bigint[])[1 + h %% %(org_count)s], NULL, (%(rooms)s::bigint[])[1 + r], NULL,
    s.start, s.start + s.duration, 30, 30,
    s.start - interval '30 minutes', s.start + s.duration + interval '30 minutes',
    5 + h %% 25, (%(natures)s::text[])[1 + h %% 7], CASE WHEN h %% 3 = 0 THEN 'relaxed' ELSE 'solemn' END,
    '', NULL, NULL, '', '', '', 0,
    CASE WHEN h < 50 THEN 'cancelled' WHEN h < 60 THEN 'rejected' ELSE 'confirmed' END,
    CASE WHEN h < 60 THEN '基准数据' ELSE '' END, '',
    %(user)s, s.start - interval '3 days', s.start - interval '3 days'
FROM generate_series(0, %(count)s - 1) AS g(n)
CROSS JOIN LATERAL (
    SELECT n %% %(room_count)s AS r, n / %(room_count)s AS i, (n * 2654435761) %% 1000 AS h
) AS k
CROSS JOIN LATERAL (
    SELECT
        %(anchor)s - (%(per_room)s - i) * %(slot)s + (r %% 6) * interval '5 minutes' AS start,
        (60 + ((n * 7) %% 4) * 30) * interval '1 minute' AS duration
) AS s
WHERE k.r %% %(workers)s = %(worker)s
"""

BARE_INSERT_SQL = """
INSERT INTO meetings_meeting (
    title, organizer_id, contact_id, room_id, series_id, start, "end", setup_minutes, teardown_minutes,
    blocked_from, blocked_until, headcount, nature, tone, layout, table_count, chair_count,
    restroom_arrangement, smoking_arrangement, notes, confidentiality, status, status_reason,
    capacity_override_reason, created_by_id, created_at, updated_at
)
VALUES (%s, %s, NULL, %s, NULL, %s, %s, 30, 30, %s, %s, %s, 'work_assignment', 'solemn', '', NULL, NULL,
        '', '', '', 0, 'confirmed', '', '', %s, %s, %s)
"""


def configure_environment() -> tuple[str, str | None]:
    """Point Django at the benchmark database; returns its URL and the temporary data directory made
    for the run, if any. Must run before django.setup()."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiwu.settings")
    # A throwaway data directory and key: nothing of the benchmark lands in var/ or depends on .env.
    data_dir = None
    if "HUIWU_DATA_DIR" not in os.environ:
        data_dir = os.environ["HUIWU_DATA_DIR"] = tempfile.mkdtemp(prefix="huiwu-bench-")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(PROJECT_DIR))
    return url, data_dir


@dataclass
class Fixture:
    user: object
    organizations: list
    rooms: list


def create_fixture() -> Fixture:
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert
    from huiwu.directory.models import Organization
    from huiwu.venues.models import Floor, Layout, Room, Site

    organizations = [
        Organization.objects.create(name=f"基准单位{i + 1:02d}", short_name=f"单位{i + 1}")
        for i in range(ORGANIZATION_COUNT)
    ]
    site = Site.objects.create(name="基准大楼", code="bench-tower")
    floors = [Floor.objects.create(site=site, name=f"{level}F", level=level) for level in range(1, 11)]
    rooms = [
        Room.objects.create(
            floor=floors[i % len(floors)],
            name=f"{i % len(floors) + 1}{i // len(floors) + 1:02d}会议室",
            code=f"bench-room-{i + 1:02d}",
            capacity=30 + (i % 5) * 40,
            layouts=[Layout.HOLLOW_SQUARE, Layout.BOARDROOM],
        )
        for i in range(ROOM_COUNT)
    ]
    user = user_upsert(
        username="bench_hotline", password=secrets.token_urlsafe(16), display_name="基准热线", roles=[Role.HOTLINE]
    )
    return Fixture(user=user, organizations=organizations, rooms=rooms)


def _insert_share(params: dict) -> None:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(POPULATE_SQL, params)
    finally:
        connection.close()  # each worker thread has its own connection


def populate(fixture: Fixture, count: int, anchor: datetime, workers: int) -> float:
    """Empty the meetings tables and insert `count` past meetings; returns the seconds it took."""
    from django.db import connection

    base = {
        "orgs": [o.pk for o in fixture.organizations],
        "rooms": [r.pk for r in fixture.rooms],
        "natures": NATURES,
        "org_count": ORGANIZATION_COUNT,
        "user": fixture.user.pk,
        "count": count,
        "room_count": ROOM_COUNT,
        "per_room": -(-count // ROOM_COUNT),
        "anchor": anchor,
        "slot": SLOT,
        "workers": workers,
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE meetings_meeting, meetings_meetingchange, meetings_meetingattendee, "
            "meetings_meetingserviceitem, meetings_meetingseries RESTART IDENTITY CASCADE"
        )
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_insert_share, [{**base, "worker": worker} for worker in range(workers)]))
    inserted = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE meetings_meeting")
    vacuumed = time.perf_counter() - started - inserted
    print(f"  populated {count:,} rows in {inserted:.1f} s ({workers} sessions), VACUUM ANALYZE {vacuumed:.1f} s")
    return time.perf_counter() - started


def future_slot(base: datetime, j: int, fixture: Fixture):
    room = fixture.rooms[j % ROOM_COUNT]
    start = base + (j // ROOM_COUNT) * SLOT
    return room, start, start + timedelta(hours=2)


def make_draft(fixture: Fixture, base: datetime, j: int, label: str):
    from huiwu.meetings.services import MeetingDraft

    room, start, end = future_slot(base, j, fixture)
    return MeetingDraft(
        title=f"{label} {j}",
        organizer=fixture.organizations[j % ORGANIZATION_COUNT],
        room=room,
        start=start,
        end=end,
        headcount=20,
        setup_minutes=30,
        teardown_minutes=30,
    )


def book_one(fixture: Fixture, base: datetime, j: int, label: str = "基准预订") -> float:
    """One meeting_create into a free slot; returns milliseconds."""
    from huiwu.meetings.services import meeting_create

    draft = make_draft(fixture, base, j, label)
    started = time.perf_counter()
    meeting_create(user=fixture.user, draft=draft)
    return (time.perf_counter() - started) * 1000


def insert_one(fixture: Fixture, base: datetime, j: int) -> float:
    """One raw INSERT of an equivalent row into a free slot, in its own transaction; returns milliseconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    room, start, end = future_slot(base, j, fixture)
    now = timezone.now()
    params = [
        f"基准插入 {j}",
        fixture.organizations[j % ORGANIZATION_COUNT].pk,
        room.pk,
        start,
        end,
        start - timedelta(minutes=30),
        end + timedelta(minutes=30),
        20,
        fixture.user.pk,
        now,
        now,
    ]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BARE_INSERT_SQL, params)
    return (time.perf_counter() - started) * 1000


def check_one(fixture: Fixture, base: datetime, j: int) -> float:
    """The service's conflict check alone (meeting_conflicts) for booking j's slot; returns milliseconds."""
    from huiwu.meetings.services import meeting_conflicts

    draft = make_draft(fixture, base, j, "")
    started = time.perf_counter()
    conflicts = meeting_conflicts(room=draft.room, blocked_from=draft.blocked_from, blocked_until=draft.blocked_until)
    elapsed = (time.perf_counter() - started) * 1000
    if conflicts:
        raise RuntimeError(f"slot {j} is not free: {conflicts}")
    return elapsed


def run_interleaved(fixture: Fixture, booking_base: datetime, insert_base: datetime, count: int):
    """For each j: the conflict check alone, the booking, a bare insert, so that all three see the same
    machine load. Returns three lists of milliseconds."""
    check, booking, bare = [], [], []
    for j in range(count):
        check.append(check_one(fixture, booking_base, j))
        booking.append(book_one(fixture, booking_base, j))
        bare.append(insert_one(fixture, insert_base, j))
    return check, booking, bare


class _Rollback(Exception):
    pass


def capture_conflict_query(fixture: Fixture, base: datetime) -> tuple[str, list]:
    """The conflict SELECT exactly as meeting_create sends it, for a free slot (the booking is rolled back)."""
    from django.db import connection, transaction

    from huiwu.meetings.services import meeting_create

    seen: list[tuple[str, list]] = []

    def record(execute, sql, params, many, context):
        seen.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(record):
            meeting_create(user=fixture.user, draft=make_draft(fixture, base, 0, "探测"))
            raise _Rollback
    except _Rollback:
        pass
    for sql, params in seen:
        if sql.lstrip().upper().startswith("SELECT") and '"meetings_meeting"."blocked_until" >' in sql:
            return sql, params
    raise RuntimeError("meeting_create issued no conflict query")


def capture_booking_queries(fixture: Fixture, base: datetime) -> list[str]:
    """The statements one committed meeting_create sends (after the warm-up, so its caches are warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiwu.meetings.services import meeting_create

    with CaptureQueriesContext(connection) as captured:
        meeting_create(user=fixture.user, draft=make_draft(fixture, base, 0, "预热"))
    return [query["sql"] for query in captured.captured_queries]


# The table a statement reads or writes first: FROM of a SELECT or DELETE, INTO of an INSERT, UPDATE's own.
TABLE_RE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"(\w+)"')


def statement_kind(sql: str) -> tuple[str, str]:
    """("INSERT", "notify_deadline"), ("SELECT", "pg_advisory_xact_lock"), ("BEGIN", ""), …"""
    verb = sql.split(None, 1)[0].upper()
    if "pg_advisory_xact_lock" in sql:
        return verb, "pg_advisory_xact_lock"
    match = TABLE_RE.search(sql)
    return verb, match.group(1) if match else ""


def statement_breakdown(queries: list[str]) -> str:
    """“13: BEGIN, SELECT 5 (accounts_user 2, …), INSERT 5 (…), COMMIT”: by kind in the order they first
    come, each kind's tables by name."""
    kinds = [statement_kind(sql) for sql in queries]
    verbs = list(dict.fromkeys(verb for verb, _table in kinds))
    parts = []
    for verb in verbs:
        tables = Counter(table for kind, table in kinds if kind == verb)
        count = sum(tables.values())
        named = ", ".join(f"{table} {n}" if n > 1 else table for table, n in sorted(tables.items()) if table)
        parts.append(f"{verb}{f' {count}' if count > 1 else ''}{f' ({named})' if named else ''}")
    return f"{len(queries)}: " + ", ".join(parts)


def explain(sql: str, params: list) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def mogrify(sql: str, params: list) -> str:
    """The statement with its parameters filled in, as PostgreSQL receives it (client-side binding)."""
    from django.db import connection

    with connection.cursor() as cursor:
        return cursor.cursor.mogrify(sql, params)


def table_stats() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM meetings_meeting")
        rows = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_total_relation_size('meetings_meeting'), pg_table_size('meetings_meeting'), "
            "pg_indexes_size('meetings_meeting')"
        )
        total, heap, indexes = cursor.fetchone()
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'meetings_meeting'::regclass ORDER BY pg_relation_size(c.oid) DESC, c.relname"
        )
        per_index = cursor.fetchall()
    return {"rows": rows, "total": total, "heap": heap, "indexes": indexes, "per_index": per_index}


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KiB"


def summarize(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "mean": statistics.fmean(ordered),
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "min": ordered[0],
        "max": ordered[-1],
    }


def print_stats(stats: dict) -> None:
    print(
        f"  table: {stats['rows']:,} rows; total {mib(stats['total'])} "
        f"(heap+toast {mib(stats['heap'])}, indexes {mib(stats['indexes'])})"
    )
    for name, size in stats["per_index"]:
        print(f"    {name:<48} {mib(size):>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,1000000", help="history sizes, comma-separated (default %(default)s)")
    parser.add_argument("--bookings", type=int, default=300, help="measured bookings per size (default %(default)s)")
    parser.add_argument(
        "--populate-workers",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="parallel sessions that insert the history (default: CPUs, at most 4; here %(default)s)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds with tiny sizes, to show the benchmark still runs (make test)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.bookings = SMOKE_SIZES, SMOKE_BOOKINGS
    sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip())
    if not sizes or min(sizes) < 1 or args.bookings < 1 or not 1 <= args.populate_workers <= ROOM_COUNT:
        parser.error("sizes and --bookings must be positive, --populate-workers between 1 and 50")

    url, data_dir = configure_environment()
    run_started = time.perf_counter()
    recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from huiwu.meetings.models import Meeting

    try:
        print(f"database: {connection.settings_dict['NAME']} on {connection.settings_dict['HOST'] or 'local socket'}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"PostgreSQL {version}; migrated in {time.perf_counter() - started:.1f} s")
        fixture = create_fixture()
        print(f"{ROOM_COUNT} rooms on {len({r.floor_id for r in fixture.rooms})} floors, user {fixture.user.username}")

        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        anchor = now - timedelta(hours=1)  # the history ends before now ...
        booking_base = now + timedelta(days=2)  # ... and every measured slot is free and in the future
        insert_base = now + timedelta(days=32)
        warmup_base = now + timedelta(days=62)
        probe_base = now + timedelta(days=92)

        results = []
        plans: dict[str, list[str]] = {}
        booking_queries: list[str] = []
        conflict_sql = ""
        for size in sizes:
            print(f"\n== {size:,} existing meetings ==")
            populate_seconds = populate(fixture, size, anchor, args.populate_workers)
            history = table_stats()
            print_stats(history)
            # Warm-up, not measured: caches, the user's permission cache, the first statements. The statements
            # are captured after it, so that on the first size too they are those of a booking with warm caches.
            run_interleaved(fixture, warmup_base + timedelta(days=1), warmup_base + timedelta(days=10), WARMUP)
            booking_queries = capture_booking_queries(fixture, warmup_base)

            load_before = os.getloadavg()[0]
            check, booking, bare = run_interleaved(fixture, booking_base, insert_base, args.bookings)
            load_after = os.getloadavg()[0]
            result = {
                "size": size,
                "populate": populate_seconds,
                "check": summarize(check),
                "booking": summarize(booking),
                "bare": summarize(bare),
                "history": history,
                "after": table_stats(),
                "load": (load_before, load_after),
            }
            results.append(result)
            for label, key in (("booking", "booking"), ("conflict check", "check"), ("bare insert", "bare")):
                numbers = result[key]
                print(
                    f"  {label:<15} mean {numbers['mean']:7.3f} ms  median {numbers['median']:7.3f} ms  "
                    f"p95 {numbers['p95']:7.3f} ms  min {numbers['min']:7.3f} ms  max {numbers['max']:8.3f} ms"
                )
            print(f"  machine load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
            print(
                f"  rows after measuring: {result['after']['rows']:,} "
                f"(history + {2 * (args.bookings + WARMUP) + 1} benchmark rows), total {mib(result['after']['total'])}"
            )

            if size == sizes[-1]:
                sql, params = capture_conflict_query(fixture, probe_base)
                plans["conflict query as meeting_create sends it (free future slot)"] = explain(sql, params)
                # The same query in the middle of a room's history, where the room is busy.
                room = fixture.rooms[7]
                busy_from = anchor - (size // ROOM_COUNT // 2) * SLOT
                busy_until = busy_from + timedelta(hours=3)
                busy = (
                    Meeting.objects.blocking(room.pk, busy_from, busy_until)
                    .exclude(pk__in=[])
                    .select_related("room")
                    .order_by("blocked_from")
                )
                plans["same query, slot in the middle of the room's history (occupied)"] = explain(
                    *busy.query.sql_with_params()
                )
                unbounded = (
                    Meeting.objects.active()
                    .filter(room_id=room.pk, blocked_from__lt=busy_until, blocked_until__gt=busy_from)
                    .select_related("room")
                    .order_by("blocked_from")
                )
                plans["for comparison: without the MAX_BLOCKED_SPAN lower bound (occupied slot)"] = explain(
                    *unbounded.query.sql_with_params()
                )
                conflict_sql = mogrify(sql, params)

        print(f"\n== statements of one meeting_create (hotline user, permission cache warm): {len(booking_queries)} ==")
        for number, query in enumerate(booking_queries, start=1):
            text = " ".join(query.split())
            print(f"  {number}. {text[:150]}{' …' if len(text) > 150 else ''}")

        print(f"\n== conflict query at {sizes[-1]:,} rows ==")
        print("  " + conflict_sql)
        for title, lines in plans.items():
            print(f"\n-- EXPLAIN (ANALYZE, BUFFERS): {title}")
            for line in lines:
                print("  " + line)

        print_summary(results, args.bookings, booking_queries)
    finally:
        connections.close_all()
        if args.keep:
            print(f"\nkept database {connection.settings_dict['NAME']} (--keep)")
        else:
            recreate_database(url, drop_only=True)
            print(f"\ndropped database {connection.settings_dict['NAME']}")
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        print(f"total runtime {time.perf_counter() - run_started:.1f} s")


def print_summary(results: list[dict], bookings: int, booking_queries: list[str]) -> None:
    print(f"\n== summary: {bookings} bookings and {bookings} bare inserts per size, ms per row ==")
    header = (
        f"{'existing rows':>13} | {'booking mean':>12} {'median':>7} {'p95':>7} | "
        f"{'bare mean':>9} {'median':>7} {'p95':>7} | {'ratio mean':>10} {'median':>7} | "
        f"{'check median':>12} | {'table+indexes':>13} | {'populate':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        b, i = r["booking"], r["bare"]
        print(
            f"{r['size']:>13,} | {b['mean']:>12.3f} {b['median']:>7.3f} {b['p95']:>7.3f} | "
            f"{i['mean']:>9.3f} {i['median']:>7.3f} {i['p95']:>7.3f} | "
            f"{b['mean'] / i['mean']:>10.2f} {b['median'] / i['median']:>7.2f} | "
            f"{r['check']['median']:>12.3f} | {mib(r['history']['total']):>13} | {r['populate']:>7.1f}s"
        )
    print("(ratio = booking / bare insert; check = the conflict SELECT alone through meeting_conflicts;")
    print(" table+indexes = pg_total_relation_size right after populating and VACUUM ANALYZE)")
    verdict = "OK" if len(booking_queries) < 15 else "ABOVE TARGET"
    print(f"\nstatements per booking {statement_breakdown(booking_queries)} (target < 15: {verdict})")
    if len(results) >= 2:
        small, large = results[0], results[-1]

        def growth(key: str, stat: str) -> float:
            return large[key][stat] / small[key][stat]

        # Issue 16's targets: the median booking under 10 ms at the smallest size, and growing at most 1.1×.
        verdict = "OK" if growth("booking", "median") <= 1.1 else "ABOVE TARGET"
        fast = "OK" if small["booking"]["median"] < 10 else "ABOVE TARGET"
        print(
            f"\nbooking time at {large['size']:,} / at {small['size']:,} rows: "
            f"mean {growth('booking', 'mean'):.2f}x, median {growth('booking', 'median'):.2f}x "
            f"(target median ≤ 1.1: {verdict}); median at {small['size']:,} rows "
            f"{small['booking']['median']:.1f} ms (target < 10 ms: {fast})"
        )
        print(
            f"for comparison, same growth of bare insert: median {growth('bare', 'median'):.2f}x; "
            f"of the conflict check alone: median {growth('check', 'median'):.2f}x"
        )


if __name__ == "__main__":
    main()
