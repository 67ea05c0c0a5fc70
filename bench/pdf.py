"""PDF benchmark: the time to make each kind of PDF Huiwu prints, through its page as a user asks for it.

    .venv/bin/python bench/pdf.py [--renders 10] [--vips 30] [--smoke]

A meeting of `--vips` leaders and guests (30 by default: the issue's target is its service sheet under 1.5 s
on a 2-core machine), staffed, with its seating plan; a day of 30 meetings for the team day sheet; the
reception day planned. Each kind is made once cold (the first PDF of a process loads WeasyPrint and the
fonts: only the first kind pays for that), then `--renders` times; this prints the cold time, the median and
the slowest, the size and the pages. It asserts nothing. SQLite, in a throwaway data directory.
"""

import argparse
import io
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

try:
    import time_machine  # the meetings are booked and printed at a fixed time
except ImportError:
    raise SystemExit("bench/pdf.py needs time-machine: run `make bench`, which installs it.") from None

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 12, 3, tzinfo=SHANGHAI)  # a Thursday, a working day
BOOKED_AT = DAY.replace(hour=7)
PRINTED_AT = DAY.replace(hour=8, minute=30)
DAY_MEETINGS = 30
# --smoke: a handful of leaders and meetings, one render: only to show that every kind still renders.
SMOKE_VIPS, SMOKE_MEETINGS, SMOKE_RENDERS = 3, 2, 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=10, help="measured renders per kind")
    parser.add_argument("--vips", type=int, default=30, help="leaders and guests of the printed meeting")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one render (make test)")
    args = parser.parse_args()
    args.meetings = DAY_MEETINGS
    if args.smoke:
        args.vips, args.meetings, args.renders = SMOKE_VIPS, SMOKE_MEETINGS, SMOKE_RENDERS
    return args


def configure(data_dir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/pdf.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "huiwu.settings"
    os.environ["HUIWU_DATA_DIR"] = data_dir
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(60)
    os.environ["DEBUG"] = "false"
    os.environ["HUIWU_HTTPS"] = "false"
    Path(data_dir, "static").mkdir()
    sys.path.insert(0, str(PROJECT_DIR))


def populate(vips: int, meetings: int) -> tuple[dict, int]:
    """The people, the printed meeting (its id returned) and the rest of the day."""
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert
    from huiwu.directory.models import Organization, Person
    from huiwu.meetings.models import MeetingServiceItem
    from huiwu.meetings.services import MeetingDraft, meeting_create
    from huiwu.reception.services.routine import day_plan_ensure
    from huiwu.seating.services import seating_plan_generate
    from huiwu.service.services import assignment_add
    from huiwu.venues.models import Floor, Room, Site

    site = Site.objects.create(name="会议大厦", code="tower")
    floor = Floor.objects.create(site=site, name="7F", level=7)
    rooms = [
        Room.objects.create(floor=floor, name=f"{701 + n}会议室", code=f"r{701 + n}", capacity=200) for n in range(10)
    ]
    organization = Organization.objects.create(name="基准委办局")
    people = {
        code: user_upsert(username=code, password=secrets.token_urlsafe(), display_name=code, roles=[Role(code)])
        for code in ("manager", "hotline", "team_leader", "reception")
    }
    # An attendant per room: one person serves one meeting at a time.
    attendants = [
        user_upsert(
            username=f"att{n}", password=secrets.token_urlsafe(), display_name=f"服务员{n}", roles=[Role.ATTENDANT]
        )
        for n in range(len(rooms))
    ]
    surnames, given = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "建华国庆晓峰思远家明立新文静海涛"
    leaders = [
        Person.objects.create(
            # Two- and three-character names, as most are.
            name=surnames[n % len(surnames)] + given[n % len(given)] + ("" if n % 2 else given[(n + 3) % len(given)]),
            title="副局长" if n else "局长",
            precedence=n + 1,
            organization=organization,
            tea_preference="龙井" if n % 3 else "白开水",
            habits="茶要温" if n % 4 == 0 else "",
        )
        for n in range(vips)
    ]
    with time_machine.travel(BOOKED_AT, tick=False):
        printed = None
        for index in range(meetings):
            start = DAY.replace(hour=8, minute=30) + timedelta(hours=index // len(rooms))
            draft = MeetingDraft(
                title=f"全市工作会议 {index}",
                organizer=organization,
                room=rooms[index % len(rooms)],
                start=start,
                end=start + timedelta(minutes=50),
                headcount=max(vips, 10),
                setup_minutes=0,
                teardown_minutes=0,
                attendees=leaders if index == 0 else [],
            )
            meeting = meeting_create(user=people["hotline"], draft=draft)
            assignment_add(
                user=people["team_leader"], meeting=meeting, attendant=attendants[index % len(rooms)], duty="lead"
            )
            printed = printed or meeting
        MeetingServiceItem.objects.create(meeting=printed, item="tea", quantity=vips, note="龙井")
        rows = [10, 10, vips - 20] if vips > 20 else [vips]
        seating_plan_generate(user=people["team_leader"], meeting=printed, arrangement="rostrum", row_sizes=rows)
        day_plan_ensure(DAY.date())
    return people, printed.pk


def measure(client, user, url: str, renders: int) -> dict:
    from pypdf import PdfReader

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    started = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - started
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        raise SystemExit(f"{url} answered {response.status_code} {response['Content-Type']}")
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return {
        "cold": cold * 1000,
        "median": statistics.median(times) * 1000,
        "max": max(times) * 1000,
        "kb": len(response.content) / 1024,
        "pages": pages,
    }


def main() -> None:
    args = parse_args()
    data_dir = tempfile.mkdtemp(prefix="huiwu-pdf-bench-")
    configure(data_dir)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client, override_settings

    try:
        call_command("migrate", verbosity=0)
        people, meeting_id = populate(args.vips, args.meetings)
        kinds = [
            ("service sheet", people["team_leader"], f"/service/meetings/{meeting_id}/service-sheet.pdf"),
            ("sign-in sheet", people["team_leader"], f"/service/meetings/{meeting_id}/sign-in-sheet.pdf"),
            ("seating chart", people["team_leader"], f"/seating/meetings/{meeting_id}/chart.pdf"),
            ("name cards", people["team_leader"], f"/seating/meetings/{meeting_id}/name-cards.pdf"),
            ("team day sheet", people["team_leader"], f"/service/board/day-sheet.pdf?date={DAY:%Y-%m-%d}"),
            ("reception day sheet", people["reception"], f"/reception/sheet.pdf?day={DAY:%Y-%m-%d}"),
        ]
        client = Client()
        storages = settings.STORAGES | {
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        }
        results = []
        with (
            override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]),
            time_machine.travel(PRINTED_AT, tick=False),
        ):
            for label, user, url in kinds:
                results.append((label, measure(client, user, url, args.renders)))
    finally:
        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)

    sizes = f"a meeting of {args.vips} leaders and guests, a day of {args.meetings} meetings"
    print(f"\n== PDFs, SQLite: {sizes}, {args.renders} renders each ==")
    print(f"{'kind':<20} | {'cold':>9} | {'median':>9} | {'slowest':>9} | {'size':>8} | pages")
    for label, result in results:
        print(
            f"{label:<20} | {result['cold']:>6.0f} ms | {result['median']:>6.0f} ms | {result['max']:>6.0f} ms | "
            f"{result['kb']:>5.0f} KB | {result['pages']:>5}"
        )


if __name__ == "__main__":
    main()
