"""Worker benchmark: how fast `huiwu worker` turns due deadlines into inbox notifications (and, with --email,
into e-mail deliveries queued and sent), on SQLite and on PostgreSQL. See bench/README.md ("Worker benchmark").

    .venv/bin/python bench/worker.py [--database sqlite|postgres|both] [--burst 10000] [--rate 100] [--seconds 30]
                                     [--email] [--smoke]

For each database it starts from an empty one (an SQLite file in a temporary directory; the PostgreSQL
database huiwu_wbench, dropped and re-created, then dropped again), migrates it and measures:

  (a) burst: --burst deadlines due at once, then one worker started: seconds until all their reminders
      are in the inbox (Notification rows);
  (b) steady load: deadlines scheduled in advance to open at --rate per second for --seconds, a worker
      already running: the lag between each deadline's opening time and its reminder's created_at.

With --email every recipient has an e-mail address, so each reminder also makes one e-mail Delivery per
recipient: (a) then also reports when all of them were queued (a task row each) and sent, and (b) the lag to
each of those moments. Mail goes to Django's in-memory outbox of the worker process: nothing leaves the machine.

It prints figures and asserts nothing. With --database both, each database runs in its own process (the
settings are read once per process) and a combined summary follows.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from pgdb import PROJECT_DIR, point_django_at, recreate_database, run_each_database  # bench/ is on sys.path

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/huiwu_wbench"
TARGET_P99_SECONDS = 5.0
# With e-mail recipients (issue 16): 1,000 deadlines due at once cleared (in the inbox, their deliveries queued)
# within 5 s by one worker on PostgreSQL, and a p99 lag to queued under 2 s at 100 per second.
EMAIL_TARGET_BURST, EMAIL_TARGET_BURST_SECONDS, EMAIL_TARGET_P99_SECONDS = 1000, 5.0, 2.0
# Set for every run: whatever the workers send stays in their memory, nothing leaves the machine.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Every wait is bounded: a worker that stalls ends the measurement instead of hanging the script.
START_TIMEOUT = 60
POLL_SECONDS = 0.1
# Steady load: the deadlines are written this long before the first one opens, the worker already polling.
STEADY_LEAD_SECONDS = 5.0
WINDOW_SECONDS = 5
# --smoke: both phases once, with loads too small for the figures to mean anything, and e-mail recipients, so
# that the delivery path runs too.
SMOKE_BURST, SMOKE_RATE, SMOKE_SECONDS = 100, 20, 2


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--burst", type=int, default=10_000, help="deadlines due at once (default %(default)s)")
    parser.add_argument("--rate", type=int, default=100, help="steady load, deadlines per second (default %(default)s)")
    parser.add_argument("--seconds", type=int, default=30, help="steady load duration (default %(default)s)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes in both phases (default %(default)s)")
    parser.add_argument(
        "--email",
        action="store_true",
        help="recipients with an e-mail address: each reminder also queues e-mail deliveries, which the worker sends",
    )
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES_URL, help="dropped and re-created; its name must contain 'wbench'"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds with tiny loads, to show the benchmark still runs (make test)",
    )
    parser.add_argument("--results-file", help=argparse.SUPPRESS)  # used by --database both
    args = parser.parse_args()
    if args.smoke:
        args.burst, args.rate, args.seconds, args.email = SMOKE_BURST, SMOKE_RATE, SMOKE_SECONDS, True
    if min(args.burst, args.rate, args.seconds) < 1 or not 1 <= args.workers <= 8:
        parser.error("--burst, --rate and --seconds must be positive, --workers between 1 and 8")
    return args


# --- the database -------------------------------------------------------------------------------------


def configure_environment(database: str, data_dir: str, postgres_url: str) -> str:
    """Point Django (this process and the workers it starts) at a fresh database; before django.setup()."""
    os.environ["EMAIL_BACKEND"] = EMAIL_BACKEND
    return point_django_at(database, data_dir, postgres_url, sqlite_name="wbench.sqlite3")


# --- workers ------------------------------------------------------------------------------------------


class WorkerProcess:
    def __init__(self, data_dir: str, number: int) -> None:
        self.log = Path(data_dir) / f"worker-{number}.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "huiwu", "worker"],
                cwd=PROJECT_DIR,
                env=os.environ.copy(),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.started_at = time.time()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.output()[-3000:]}")

    def wait_started(self) -> float:
        limit = time.monotonic() + START_TIMEOUT
        while "Worker started" not in self.output():
            self.check_alive()
            if time.monotonic() > limit:
                raise RuntimeError(f"worker did not start within {START_TIMEOUT} s")
            time.sleep(0.02)
        return time.time() - self.started_at

    def stop(self) -> tuple[int | None, float]:
        """SIGTERM; returns the exit code and the seconds it took to stop."""
        if self.process.poll() is not None:
            return self.process.returncode, 0.0
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = None
        return code, time.monotonic() - started


def start_workers(data_dir: str, count: int, first_number: int) -> list[WorkerProcess]:
    return [WorkerProcess(data_dir, first_number + i) for i in range(count)]


def stop_workers(workers: list[WorkerProcess]) -> str:
    stops = [worker.stop() for worker in workers]
    return ", ".join(f"exit {code} after {seconds:.2f} s" for code, seconds in stops)


# --- deadlines ----------------------------------------------------------------------------------------


def create_people(*, email: bool):
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    # No phone and no robot endpoint. Without an e-mail address only the inbox is measured, no delivery is queued;
    # with one, each reminder also makes an e-mail delivery per person.
    return [
        user_upsert(
            username=username,
            password=secrets.token_urlsafe(16),
            display_name=display_name,
            roles=[role],
            email=f"{username}@huiwu.example" if email else "",
        )
        for username, display_name, role in (
            ("bench_hotline", "基准热线", Role.HOTLINE),
            ("bench_attendant", "基准服务员", Role.ATTENDANT),
        )
    ]


def create_deadlines(prefix: str, opening_times: list[datetime], people) -> float:
    """Meeting reminders for both people, written in one transaction (the worker sees all or none);
    returns the seconds it took. Set-based, not deadline_upsert one by one, so that setting up stays quick."""
    from django.db import transaction

    from huiwu.notify.models import Deadline, Kind

    started = time.perf_counter()
    with transaction.atomic():
        Deadline.objects.bulk_create(
            (
                Deadline(
                    key=f"{prefix}:{number}",
                    kind=Kind.MEETING_REMINDER,
                    title=f"会议提醒：基准会议 {number}",
                    url=f"/meetings/{number}/",
                    opens_at=opens_at,
                    due_at=opens_at + timedelta(hours=1),
                )
                for number, opens_at in enumerate(opening_times)
            ),
            batch_size=2000,
        )
        ids = Deadline.objects.filter(key__startswith=f"{prefix}:").values_list("pk", flat=True)
        through = Deadline.responsible_users.through
        through.objects.bulk_create(
            (through(deadline_id=pk, user_id=person.pk) for pk in ids.iterator() for person in people), batch_size=2000
        )
    return time.perf_counter() - started


def reminders_of(prefix: str):
    from huiwu.notify.models import Notification

    return Notification.objects.filter(event=Notification.Event.REMINDER, deadline__key__startswith=f"{prefix}:")


def deliveries_of(prefix: str):
    from huiwu.notify.models import Delivery, Notification

    return Delivery.objects.filter(
        notification__event=Notification.Event.REMINDER, notification__deadline__key__startswith=f"{prefix}:"
    )


def delivery_tasks():
    """The delivery tasks written to the database task backend (the one `huiwu worker` runs by default)."""
    from django_tasks_db.models import DBTaskResult

    from huiwu.notify.tasks import deliver

    return DBTaskResult.objects.filter(task_path=deliver.module_path)


def delivery_times(prefix: str) -> list[tuple[datetime, datetime | None, datetime | None]]:
    """(deadline opens_at, first task enqueued_at, sent_at) of each of the phase's deliveries."""
    queued: dict[int, datetime] = {}
    for args_kwargs, enqueued_at in delivery_tasks().values_list("args_kwargs", "enqueued_at").iterator():
        pk = args_kwargs["kwargs"]["delivery_id"]
        queued[pk] = min(enqueued_at, queued.get(pk, enqueued_at))
    rows = deliveries_of(prefix).values_list("pk", "notification__deadline__opens_at", "sent_at")
    return [(opens_at, queued.get(pk), sent_at) for pk, opens_at, sent_at in rows.iterator()]


def goals_of(prefix: str, deadlines: int, people, *, email: bool) -> dict[str, tuple]:
    """What a phase waits for, each a (count, target) pair: the reminders in the inbox and, with e-mail
    recipients, a task queued for each delivery and each delivery sent."""
    from huiwu.notify.models import Delivery

    goals = {"inbox": (reminders_of(prefix).count, deadlines * len(people))}
    if email:
        # Every delivery task so far is another phase's, and each of this phase's deliveries has one task unless
        # the worker's sweep queued one again (then delivery_times, which counts each delivery once, tells).
        tasks_before = delivery_tasks().count()
        goals["queued"] = (lambda: delivery_tasks().count() - tasks_before, deadlines * len(people))
        goals["sent"] = (deliveries_of(prefix).filter(state=Delivery.State.SENT).count, deadlines * len(people))
    return goals


def wait_for_goals(goals: dict[str, tuple], workers: list[WorkerProcess], started: float, timeout: float):
    """Poll until every goal's count reaches its target. Returns, per goal, the seconds from `started`
    (time.monotonic) until it did (None if it did not within `timeout`), and its last count."""
    limit = time.monotonic() + timeout
    reached: dict[str, float | None] = dict.fromkeys(goals)
    counts = dict.fromkeys(goals, 0)
    while time.monotonic() < limit:
        for name, (count, target) in goals.items():
            if reached[name] is None:
                counts[name] = count()
                if counts[name] >= target:
                    reached[name] = time.monotonic() - started
        if all(seconds is not None for seconds in reached.values()):
            break
        for worker in workers:
            worker.check_alive()
        time.sleep(POLL_SECONDS)
    return reached, counts


def states_of(prefix: str) -> dict[str, int]:
    from django.db.models import Count

    from huiwu.notify.models import Deadline

    rows = Deadline.objects.filter(key__startswith=f"{prefix}:").values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def summarize(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {
        "min": ordered[0],
        "median": statistics.median(ordered),
        "p95": cuts[94],
        "p99": cuts[98],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


# --- the two measurements -----------------------------------------------------------------------------


def measure_burst(args, people, data_dir: str) -> dict:
    from django.db.models import Max, Min
    from django.utils import timezone

    count = args.burst
    print(f"\n-- (a) burst: {count:,} deadlines due at once, {len(people)} recipients each --")
    due = timezone.now() - timedelta(seconds=1)
    seconds = create_deadlines("burst", [due] * count, people)
    print(f"  created {count:,} deadlines in {seconds:.1f} s (bulk, one transaction); no worker running yet")
    goals = goals_of("burst", count, people, email=args.email)

    started = time.monotonic()
    workers = start_workers(data_dir, args.workers, 1)
    spawned_at = timezone.now()
    try:
        reached, counts = wait_for_goals(goals, workers, started, timeout=count / 10 + 120)
    finally:
        stopped = stop_workers(workers)
    span = reminders_of("burst").aggregate(first=Min("created_at"), last=Max("created_at"))
    result = {
        "deadlines": count,
        "reminders": counts["inbox"],
        "complete": reached["inbox"] is not None,
        "arrived": {name: seconds is not None for name, seconds in reached.items()},
        "all_in_inbox": reached["inbox"],
        "startup": (span["first"] - spawned_at).total_seconds() if span["first"] else None,
        "processing": (span["last"] - span["first"]).total_seconds() if span["first"] else None,
        "states": states_of("burst"),
    }
    result["rate"] = count / result["processing"] if result["processing"] else None
    if reached["inbox"] is not None:
        print(f"  all {counts['inbox']:,} reminders in the inbox {reached['inbox']:.1f} s after starting the worker")
    else:
        print(f"  INCOMPLETE: {counts['inbox']:,} of {goals['inbox'][1]:,} reminders in the inbox")
    if result["processing"]:
        print(
            f"  worker start-up (process start → first reminder) {result['startup']:.2f} s; "
            f"first → last reminder {result['processing']:.1f} s = {result['rate']:.0f} deadlines/s"
        )
    if args.email:
        result |= {"deliveries": goals["queued"][1], "all_queued": reached["queued"], "all_sent": reached["sent"]}
        for name, what in (("queued", "deliveries queued (a task each)"), ("sent", "deliveries sent")):
            if reached[name] is not None:
                print(f"  all {goals[name][1]:,} {what} {reached[name]:.1f} s after starting the worker")
            else:
                print(f"  INCOMPLETE: {counts[name]:,} of {goals[name][1]:,} {what}")
        if reached["inbox"] is not None and reached["queued"] is not None:
            result["cleared"] = max(reached["inbox"], reached["queued"])
            print(f"  cleared (every reminder in the inbox and its deliveries queued) in {result['cleared']:.1f} s")
    print(f"  deadline states afterwards: {result['states']}; worker stop on SIGTERM: {stopped}")
    return result


def measure_steady(args, people, data_dir: str) -> dict:
    from django.utils import timezone

    from huiwu.notify.models import Deadline

    count = args.rate * args.seconds
    print(f"\n-- (b) steady load: {args.rate} deadlines per second for {args.seconds} s ({count:,} deadlines) --")
    workers = start_workers(data_dir, args.workers, 1 + args.workers)
    try:
        startup = max(worker.wait_started() for worker in workers)
        print(f"  worker running ({startup:.1f} s to start); deadlines scheduled from {STEADY_LEAD_SECONDS:.0f} s on")
        goals = goals_of("steady", count, people, email=args.email)
        first = timezone.now() + timedelta(seconds=STEADY_LEAD_SECONDS)
        seconds = create_deadlines(
            "steady", [first + timedelta(seconds=number / args.rate) for number in range(count)], people
        )
        print(f"  created {count:,} deadlines in {seconds:.1f} s (bulk, one transaction)")
        remaining = (first - timezone.now()).total_seconds() + args.seconds
        reached, counts = wait_for_goals(goals, workers, time.monotonic(), timeout=remaining + 120)
    finally:
        stopped = stop_workers(workers)
    rows = reminders_of("steady").values_list("created_at", "deadline__opens_at")
    lags = [(created - opens).total_seconds() for created, opens in rows]
    # Lag by when the deadlines opened: a lag that grows window after window means the worker falls behind.
    windows: dict[int, list[float]] = {}
    for created, opens in rows:
        windows.setdefault(int((opens - first).total_seconds() // WINDOW_SECONDS), []).append(
            (created - opens).total_seconds()
        )
    result = {
        "deadlines": count,
        "reminders": counts["inbox"],
        "complete": reached["inbox"] is not None,
        "arrived": {name: seconds is not None for name, seconds in reached.items()},
        "lag": summarize(lags),
        "over_target": sum(lag > TARGET_P99_SECONDS for lag in lags),
        "early": sum(lag < 0 for lag in lags),
        "states": states_of("steady"),
    }
    lag = result["lag"]
    if reached["inbox"] is None:
        print(f"  INCOMPLETE: {counts['inbox']:,} of {goals['inbox'][1]:,} reminders arrived")
    print(
        f"  lag opens_at → in the inbox, over {len(lags):,} reminders: median {lag['median']:.3f} s, "
        f"p95 {lag['p95']:.3f} s, p99 {lag['p99']:.3f} s, max {lag['max']:.3f} s (min {lag['min']:.3f} s)"
    )
    print(
        f"  reminders later than {TARGET_P99_SECONDS:.0f} s: {result['over_target']:,}; before their time: "
        f"{result['early']:,}; deadline states: {result['states']}"
    )
    print(
        f"  p99 lag per {WINDOW_SECONDS} s of opening times: "
        + " ".join(f"{summarize(windows[w])['p99']:.2f}" for w in sorted(windows))
    )
    if args.email:
        times = delivery_times("steady")
        for name, column in (("queued", 1), ("sent", 2)):
            moments = [(row[0], row[column]) for row in times if row[column] is not None]
            result[f"{name}_lag"] = summarize([(moment - opens).total_seconds() for opens, moment in moments])
            spread = result[f"{name}_lag"]
            if len(moments) < len(times):
                print(f"  INCOMPLETE: {len(moments):,} of {len(times):,} deliveries {name}")
            if spread:
                print(
                    f"  lag opens_at → {name}, over {len(moments):,} deliveries: median {spread['median']:.3f} s, "
                    f"p95 {spread['p95']:.3f} s, p99 {spread['p99']:.3f} s, max {spread['max']:.3f} s"
                )
    print(f"  worker stop on SIGTERM: {stopped}")
    missed = Deadline.objects.filter(key__startswith="steady:", state=Deadline.State.MISSED).count()
    if missed:
        print(f"  {missed:,} deadlines recorded as missed (REMINDER_CUTOFF_MINUTES)")
    return result


def run_database(args, database: str) -> dict:
    run_started = time.perf_counter()
    data_dir = tempfile.mkdtemp(prefix="huiwu-wbench-")
    url = configure_environment(database, data_dir, args.postgres_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    label = "SQLite" if database == "sqlite" else "PostgreSQL"
    result = {"database": label}
    try:
        print(f"\n== {label}: {connection.settings_dict['NAME']} ==")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if database == "sqlite" else "SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"{label} {version}; migrated in {time.perf_counter() - started:.1f} s")
        print(
            f"worker settings: WORKER_INTERVAL_SECONDS={settings.WORKER_INTERVAL_SECONDS}, "
            f"REMINDER_CUTOFF_MINUTES={settings.REMINDER_CUTOFF_MINUTES}, {args.workers} worker process(es); "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
        )
        if args.email:
            print(f"recipients with e-mail: the worker queues and sends their deliveries ({settings.EMAIL_BACKEND})")
        people = create_people(email=args.email)
        result["burst"] = measure_burst(args, people, data_dir)
        result["steady"] = measure_steady(args, people, data_dir)
        result["load"] = os.getloadavg()[0]
    finally:
        connections.close_all()
        if database == "postgres":
            recreate_database(url, drop_only=True)
            print(f"dropped database {connection.settings_dict['NAME']}")
        shutil.rmtree(data_dir, ignore_errors=True)
    result["runtime"] = time.perf_counter() - run_started
    print(f"{label} runtime {result['runtime']:.1f} s")
    return result


# --- output -------------------------------------------------------------------------------------------


def print_summary(results: list[dict], args) -> None:
    print(
        f"\n== summary: {args.workers} worker process(es); (a) {args.burst:,} deadlines due at once; "
        f"(b) {args.rate} deadlines/s for {args.seconds} s; 2 recipients each"
        + (", with e-mail ==" if args.email else " ==")
    )
    header = (
        f"{'database':<10} | {'(a) all in inbox':>16} {'start-up':>8} {'deadlines/s':>11} | "
        f"{'(b) lag median':>14} {'p95':>7} {'p99':>7} {'max':>7} {'> 5 s':>6} | {'p99 < 5 s':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        burst, steady = r["burst"], r["steady"]
        lag = steady["lag"]
        complete = burst["complete"] and steady["complete"]
        verdict = "OK" if complete and lag["p99"] < TARGET_P99_SECONDS else "ABOVE TARGET"
        all_in = _seconds(burst["all_in_inbox"]) + ("" if burst["complete"] else " (!)")
        print(
            f"{r['database']:<10} | {all_in:>16} {burst['startup']:>6.2f} s {burst['rate']:>11.0f} | "
            f"{lag['median']:>12.3f} s {lag['p95']:>5.2f} s {lag['p99']:>5.2f} s "
            f"{lag['max']:>5.2f} s {steady['over_target']:>6,} | {verdict:>12}"
        )
    print("((a) from starting the worker process until every reminder is a Notification row; start-up = process")
    print(" start → first reminder; deadlines/s = first → last reminder. (b) lag = Notification.created_at − opens_at)")
    if args.email:
        print_email_summary(results, args)


def _seconds(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f} s"


def print_email_summary(results: list[dict], args) -> None:
    targets = f"(a) {EMAIL_TARGET_BURST:,} cleared < {EMAIL_TARGET_BURST_SECONDS:.0f} s, (b) p99 queued < "
    print(
        f"\n== e-mail deliveries, 2 per deadline, sent by the worker between its passes; {targets}"
        f"{EMAIL_TARGET_P99_SECONDS:.0f} s =="
    )
    header = (
        f"{'database':<10} | {'(a) cleared':>11} {'queued':>8} {'sent':>8} | "
        f"{'(b) p99 inbox':>13} {'queued':>8} {'sent':>8} | {'(a) target':>12} {'(b) target':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        burst, steady = r["burst"], r["steady"]
        p99 = {name: steady.get(f"{name}_lag", {}).get("p99") for name in ("queued", "sent")}
        cleared = burst.get("cleared")
        if args.burst != EMAIL_TARGET_BURST:
            burst_verdict = "n/a"
        else:
            burst_verdict = "OK" if cleared is not None and cleared < EMAIL_TARGET_BURST_SECONDS else "ABOVE TARGET"
        cleared_all = steady["complete"] and steady["arrived"]["queued"]
        steady_ok = cleared_all and p99["queued"] is not None and p99["queued"] < EMAIL_TARGET_P99_SECONDS
        print(
            f"{r['database']:<10} | {_seconds(cleared):>11} {_seconds(burst['all_queued']):>8} "
            f"{_seconds(burst['all_sent']):>8} | {_seconds(steady['lag']['p99'], 2):>13} "
            f"{_seconds(p99['queued'], 2):>8} {_seconds(p99['sent'], 2):>8} | "
            f"{burst_verdict:>12} {'OK' if steady_ok else 'ABOVE TARGET':>12}"
        )
    print("((a) seconds from starting the worker: cleared = every reminder in the inbox and every delivery queued;")
    print(" queued = a task row for each delivery; sent = each delivery sent. (b) p99 of the lag from opens_at)")


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    if args.database != "both":
        result = run_database(args, args.database)
        if args.results_file:
            Path(args.results_file).write_text(json.dumps(result, default=str))
        else:
            print_summary([result], args)
            print(f"\ntotal runtime {time.perf_counter() - started:.1f} s")
        return

    results, failed = run_each_database(
        __file__,
        [
            f"--burst={args.burst}",
            f"--rate={args.rate}",
            f"--seconds={args.seconds}",
            f"--workers={args.workers}",
            f"--postgres-url={args.postgres_url}",
            *(["--email"] if args.email else []),
        ],
    )
    if results:
        print_summary(results, args)
    print(f"\ntotal runtime {time.perf_counter() - started:.1f} s")
    if failed:
        # The other database's figures are printed, but a broken benchmark must fail `make`.
        raise SystemExit(f"the benchmark failed on {' and '.join(failed)}")


if __name__ == "__main__":
    main()
