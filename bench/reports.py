"""Reports benchmark: the time of the reports dashboard's figures (huiwu/reports/figures.py) over a month and over
a year of a busy building, on SQLite and on PostgreSQL. See bench/README.md ("Reports benchmark").

    .venv/bin/python bench/reports.py [--database sqlite|postgres|both] [--repeats 5] [--keep] [--smoke]

It fills a year (2026) set-based — 50,000 meetings in 40 rooms of 3 sites for 30 organizers, their history,
150,000 check levels, the services, 500,000 refills, the assignments, 2,000 complaints, delegated tasks, survey
answers, the reception's days and documents, the staff's papers — then times `all_figures(…, building=True)`
for November 2026 and for the whole year: once cold, then --repeats times, and each figure function inside
those same calls, with the number of queries. For the year's two slowest figures it prints the plan of their
slowest query (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS); SQLite: EXPLAIN QUERY PLAN). It asserts nothing.

SQLite runs in a throwaway data directory; PostgreSQL in a scratch database named huiwu_reports_bench, dropped
afterwards unless --keep. With --database both, each database runs in its own process (the settings are read
once per process) and a combined summary follows.
"""

import argparse
import ast
import functools
import inspect
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from pgdb import point_django_at, recreate_database, run_each_database  # bench/ is on sys.path

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/huiwu_reports_bench"
SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
MONTH = (date(2026, 11, 1), date(2026, 11, 30))
# The figures are read on the first Monday after the year: every meeting of it is over, so all of it counts.
NOW = datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI)
# The targets, on PostgreSQL: the dashboard's figures of a month and of a year.
TARGET_MONTH_MS, TARGET_YEAR_MS = 300, 2000
SEED = 2026
# 40 rooms on 3 sites (site code, name, rooms), 30 organizers, 20 attendants.
SITES = [("tower", "会议大厦", 18), ("east", "东院", 12), ("west", "西院", 10)]
ORGANIZERS = 30
ATTENDANTS = 20
# A room's day: up to 6 meetings starting every 2 hours from 08:30, 45–90 minutes long, with 15 minutes of
# setup and teardown, so that a room's blocked times never overlap (PostgreSQL's meeting_no_overlap_in_room).
SLOTS = 6
SLOT_HOURS = 2
FIRST_START = clock(8, 30)
BUFFER_MINUTES = 15
SIZES = {"meetings": 50_000, "refills": 500_000, "complaints": 2_000, "tasks": 3_000, "answers": 5_000}
# --smoke: a handful of everything and one repeat, too few for the figures to mean anything.
SMOKE_SIZES = {"meetings": 200, "refills": 2_000, "complaints": 20, "tasks": 30, "answers": 50}
SMOKE_REPEATS = 1
SQL_SHOWN = 2_000  # characters of each planned statement printed (the heat map's is some 9,000)
BATCH = 5_000  # objects per bulk_create call (SQLite splits it further to its parameter limit)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=5, help="measured calls per period after the cold one")
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES_URL, help="dropped and re-created; its name must contain 'bench'"
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the PostgreSQL database (and the SQLite data directory) in place"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds with tiny sizes, to show the benchmark still runs (make test)",
    )
    parser.add_argument("--results-file", help=argparse.SUPPRESS)  # used by --database both
    args = parser.parse_args()
    args.sizes = SMOKE_SIZES if args.smoke else SIZES
    if args.smoke:
        args.repeats = SMOKE_REPEATS
    if args.repeats < 1:
        parser.error("--repeats must be positive")
    return args


# --- populating ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Booked:
    """What the rows around a meeting are made from, kept instead of 50,000 model instances."""

    pk: int
    room_id: int
    organizer_id: int
    start: datetime
    end: datetime
    status: str
    created_at: datetime


def bulk(model, rows, counts: dict) -> None:
    """Insert `rows` (an iterable of unsaved instances) BATCH at a time; counts[table] += how many."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(batch)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock(hour, minute), tzinfo=SHANGHAI)


def create_people() -> dict:
    from django.contrib.auth.models import Group

    from huiwu.accounts.models import User
    from huiwu.accounts.roles import Role
    from huiwu.directory.models import Contact, Organization, Person
    from huiwu.venues.models import Floor, Room, Site

    rooms = []
    for code, name, count in SITES:
        site = Site.objects.create(name=name, code=code)
        floors = [Floor.objects.create(site=site, name=f"{level}F", level=level) for level in (3, 5, 7)]
        for number in range(count):
            floor = floors[number % len(floors)]
            rooms.append(
                Room.objects.create(
                    floor=floor,
                    name=f"{floor.level}{number + 1:02d}会议室",
                    code=f"{code}-{floor.level}{number + 1:02d}",
                    capacity=40,
                )
            )

    groups = {group.name: group for group in Group.objects.all()}

    def user(username: str, role: Role, **extra) -> User:
        # Not user_upsert: its Argon2 hash costs a fifth of a second a user, and nobody signs in here.
        account = User(username=username, display_name=username, **extra)
        account.set_unusable_password()
        account.save()
        account.groups.add(groups[role.value])
        return account

    people = {code: user(code, Role(code)) for code in ("manager", "hotline", "team_leader", "reception")}
    people["attendants"] = [user(f"att{n:02d}", Role.ATTENDANT) for n in range(ATTENDANTS)]
    people["organizations"], people["contacts"], people["clients"] = [], {}, {}
    for number in range(ORGANIZERS):
        organization = Organization.objects.create(name=f"基准委办局{number + 1:02d}")
        client = user(f"client{number:02d}", Role.CLIENT, organization=organization)
        people["organizations"].append(organization)
        people["clients"][organization.pk] = client
        people["contacts"][organization.pk] = Contact.objects.create(
            organization=organization, name=f"联络员{number + 1:02d}", user=client
        )
    people["rooms"] = rooms
    people["leaders"] = [
        Person.objects.create(name=name, title="局长" if n == 0 else "副局长", precedence=n + 1)
        for n, name in enumerate(["王建华", "李国庆", "张晓峰"])
    ]
    return people


def workdays_of_year() -> list[date]:
    from huiwu.reception.workdays import workday_calendar

    return [day for day, info in workday_calendar(*YEAR).items() if info.is_workday]


def populate_meetings(rng: random.Random, people: dict, total: int, counts: dict) -> list[Booked]:
    """`total` meetings over the year's working days, spread evenly over the rooms, each room's in slots that
    never overlap; 90 % confirmed, 6 % cancelled, 3 % rejected, 1 % still requested."""
    from huiwu.meetings.models import Meeting, Status

    positions = [(day, slot) for day in workdays_of_year() for slot in range(SLOTS)]
    rooms, organizations = people["rooms"], people["organizations"]
    created_by = people["hotline"].pk

    def rows():
        for index, room in enumerate(rooms):
            share = total // len(rooms) + (1 if index < total % len(rooms) else 0)
            for day, slot in sorted(rng.sample(positions, min(share, len(positions)))):
                start = at(day, FIRST_START.hour, FIRST_START.minute) + timedelta(hours=SLOT_HOURS * slot)
                end = start + timedelta(minutes=rng.choice((45, 60, 75, 90)))
                draw = rng.random()
                status = (
                    Status.CONFIRMED
                    if draw < 0.90
                    else Status.CANCELLED
                    if draw < 0.96
                    else Status.REJECTED
                    if draw < 0.99
                    else Status.REQUESTED
                )
                yield Meeting(
                    title=f"工作会议 {day:%m%d}-{slot}",
                    organizer=organizations[rng.randrange(len(organizations))],
                    room=room,
                    start=start,
                    end=end,
                    setup_minutes=BUFFER_MINUTES,
                    teardown_minutes=BUFFER_MINUTES,
                    blocked_from=start - timedelta(minutes=BUFFER_MINUTES),
                    blocked_until=end + timedelta(minutes=BUFFER_MINUTES),
                    headcount=rng.randint(5, 40),
                    status=status,
                    created_by_id=created_by,
                    created_at=start - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600)),
                )

    booked = []
    batch = []
    for meeting in rows():
        batch.append(meeting)
        if len(batch) == BATCH:
            booked += _bulk_meetings(Meeting, batch)
            batch = []
    booked += _bulk_meetings(Meeting, batch)
    counts[Meeting._meta.db_table] = len(booked)
    return booked


def _bulk_meetings(model, batch: list) -> list[Booked]:
    created = model.objects.bulk_create(batch) if batch else []
    return [
        Booked(m.pk, m.room_id, m.organizer_id, m.start, m.end, m.status, m.created_at) for m in created
    ]  # bulk_create sets the primary keys on both databases (INSERT … RETURNING)


def populate_history(rng: random.Random, people: dict, booked: list[Booked], counts: dict) -> None:
    """Each meeting's history: a third requested by a client and then confirmed or rejected by the hotline (the
    requests' figures), the others booked by the hotline; cancellations recorded."""
    from huiwu.meetings.models import MeetingChange, Status

    action, hotline = MeetingChange.Action, people["hotline"].pk

    def rows():
        for meeting in booked:
            requested = meeting.status == Status.REQUESTED or rng.random() < 0.35
            if requested:
                by = people["clients"][meeting.organizer_id].pk
                yield MeetingChange(
                    meeting_id=meeting.pk, action=action.REQUESTED, changed_by_id=by, changed_at=meeting.created_at
                )
                # To the microsecond, as timezone.now() records it: the answer times are (nearly) all different.
                answered = meeting.created_at + timedelta(seconds=rng.randint(300, 2 * 24 * 3600) + rng.random())
                if meeting.status == Status.REJECTED:
                    yield MeetingChange(
                        meeting_id=meeting.pk,
                        action=action.REJECTED,
                        changed_by_id=hotline,
                        changed_at=answered,
                        reason="会议室已另有安排",
                    )
                elif meeting.status != Status.REQUESTED:
                    yield MeetingChange(
                        meeting_id=meeting.pk, action=action.CONFIRMED, changed_by_id=hotline, changed_at=answered
                    )
            else:
                yield MeetingChange(
                    meeting_id=meeting.pk, action=action.CREATED, changed_by_id=hotline, changed_at=meeting.created_at
                )
            if meeting.status == Status.CANCELLED:
                yield MeetingChange(
                    meeting_id=meeting.pk,
                    action=action.CANCELLED,
                    changed_by_id=hotline,
                    changed_at=meeting.start - timedelta(hours=rng.randint(2, 48)),
                    reason="会议取消",
                )

    bulk(MeetingChange, rows(), counts)


def populate_service(rng: random.Random, people: dict, booked: list[Booked], refills: int, counts: dict) -> None:
    """The three check levels of every meeting (of the confirmed ones 85 % on time, 10 % late, 5 % missed), who
    serves each confirmed meeting, how its service went (the missed levels are its unchecked_levels) and its
    refills (`refills` in all: 82 % in the window, 5 % early with a reason, 13 % late; the last refill of 5 %
    of the meetings never done)."""
    from huiwu.meetings.models import Status
    from huiwu.service.models import Assignment, EarlyReason, MeetingCheck, MeetingService, Refill
    from huiwu.service.standards import standard_current

    standard = standard_current()
    if standard.pk is None:  # the seed's defaults, not saved until needed
        standard.save()
    attendants = [user.pk for user in people["attendants"]]
    team_leader, hotline = people["team_leader"].pk, people["hotline"].pk
    state = MeetingCheck.State
    minutes_before = {1: standard.level1_minutes, 2: standard.level2_minutes, 3: standard.level3_minutes}
    confirmers = {1: team_leader, 2: people["manager"].pk, 3: hotline}
    held = [meeting for meeting in booked if meeting.status == Status.CONFIRMED]
    lead = {meeting.pk: attendants[rng.randrange(len(attendants))] for meeting in booked}
    missed: dict[int, list[int]] = {}

    def checks():
        for meeting in booked:
            for level in (1, 2, 3):
                due = meeting.start - timedelta(minutes=minutes_before[level])
                row = MeetingCheck(
                    meeting_id=meeting.pk,
                    level=level,
                    since=min(meeting.created_at, due - timedelta(minutes=30)),
                    opens_at=due - timedelta(minutes=30),
                    due_at=due,
                )
                draw = rng.random()
                if meeting.status != Status.CONFIRMED:
                    pass  # never held: its levels stay open
                elif draw < 0.85:
                    row.state, row.confirmed_by_id = state.CONFIRMED, confirmers[level]
                    row.confirmed_at = due - timedelta(minutes=rng.randint(0, 25))
                elif draw < 0.95:
                    row.state, row.confirmed_by_id = state.CONFIRMED, confirmers[level]
                    row.confirmed_at = due + timedelta(minutes=rng.randint(1, 60))
                else:
                    row.state = state.FAILED if draw < 0.965 else state.OPEN
                    missed.setdefault(meeting.pk, []).append(level)
                yield row

    def assignments():
        for meeting in booked:
            if meeting.status not in (Status.CONFIRMED, Status.REQUESTED):
                continue
            yield Assignment(
                meeting_id=meeting.pk,
                attendant_id=lead[meeting.pk],
                duty=Assignment.Duty.LEAD,
                assigned_by_id=team_leader,
                assigned_at=meeting.created_at,
            )
            if rng.random() < 0.3:
                helper = rng.choice([attendant for attendant in attendants if attendant != lead[meeting.pk]])
                yield Assignment(
                    meeting_id=meeting.pk,
                    attendant_id=helper,
                    duty=Assignment.Duty.HELPER,
                    assigned_by_id=team_leader,
                    assigned_at=meeting.created_at,
                )

    started: dict[int, datetime] = {}

    def services():
        for meeting in held:
            started[meeting.pk] = meeting.start + timedelta(minutes=rng.randint(-5, 10))
            yield MeetingService(
                meeting_id=meeting.pk,
                standard=standard,
                season="summer" if 5 <= meeting.start.month <= 9 else "winter",
                started_at=started[meeting.pk],
                started_by_id=lead[meeting.pk],
                ended_at=max(started[meeting.pk], meeting.end + timedelta(minutes=rng.randint(-10, 10))),
                ended_by_id=lead[meeting.pk],
                unchecked_levels=missed.get(meeting.pk, []),
            )

    def refill_rows():
        per_meeting, extra = divmod(refills, max(len(held), 1))
        for index, meeting in enumerate(held):
            count = per_meeting + (1 if index < extra else 0)
            interval = (meeting.end - meeting.start) / (count + 1)
            never_done = rng.random() < 0.05
            for number in range(1, count + 1):
                opens = started[meeting.pk] + interval * number
                closes = opens + timedelta(minutes=5)
                row = Refill(meeting_id=meeting.pk, number=number, opens_at=opens, closes_at=closes)
                draw = rng.random()
                if never_done and number == count:
                    pass  # one window at a time (refill_one_pending): only the last can be left undone
                elif draw < 0.82:
                    row.done_at = opens + timedelta(seconds=rng.randint(0, 300))
                elif draw < 0.87:
                    row.done_at = opens - timedelta(minutes=rng.randint(1, 3))
                    row.early_reason = rng.choice(EarlyReason.values)  # refill_early_has_reason
                else:
                    row.done_at = closes + timedelta(minutes=rng.randint(1, 20))
                if row.done_at is not None:
                    row.done_by_id = lead[meeting.pk]
                yield row

    bulk(MeetingCheck, checks(), counts)
    bulk(Assignment, assignments(), counts)
    bulk(MeetingService, services(), counts)
    bulk(Refill, refill_rows(), counts)


def populate_complaints(rng: random.Random, people: dict, booked: list[Booked], total: int, counts: dict) -> None:
    """`total` complaints after meetings of the year (80 % about a meeting, 10 % a room only, 10 % neither),
    taken through the seed's steps: 75 % closed (with the client's acceptance or the manager's reason), half of
    those visited again; the others stopped at some step. Nothing happens after NOW."""
    from huiwu.feedback.models import COMPLAINT_STEPS, Complaint, RootCause

    causes = list(RootCause.objects.values_list("pk", flat=True))
    held = [meeting for meeting in booked if meeting.status == "confirmed"]
    hotline, manager = people["hotline"].pk, people["manager"].pk

    def rows():
        for number in range(total):
            meeting = held[rng.randrange(len(held))]
            draw = rng.random()
            row = Complaint(
                channel=rng.choice(Complaint.Channel.values),
                complainant_name=f"投诉人{number}",
                summary="会场水果不足" if number % 2 else "茶水不及时",
                statement="会议进行中茶水未及时续上。",
                received_at=meeting.end + timedelta(minutes=rng.randint(10, 2 * 24 * 60)),
                received_by_id=hotline,
                handler_id=manager,
            )
            if draw < 0.8:
                row.meeting_id, row.room_id, row.organization_id = meeting.pk, meeting.room_id, meeting.organizer_id
            elif draw < 0.9:
                row.room_id = meeting.room_id
            moment, closing = row.received_at, rng.random() < 0.75
            last_step = len(COMPLAINT_STEPS) if closing else rng.randrange(len(COMPLAINT_STEPS))
            accepted = rng.random() < 0.8
            for index, step in enumerate(COMPLAINT_STEPS[:last_step]):
                if closing and not accepted and step == "acceptance":
                    break
                moment += timedelta(minutes=rng.randint(10, 240) if index == 0 else rng.randint(60, 48 * 60))
                if moment > NOW:
                    closing = False
                    break
                setattr(row, f"{step}_at", moment)
                setattr(row, f"{step}_by_id", manager)
                setattr(row, f"{step}_note", "已处理")
            moment += timedelta(hours=rng.randint(1, 24))
            if closing and moment <= NOW:
                row.closed_at, row.closed_by_id = moment, manager
                row.root_cause_id = causes[rng.randrange(len(causes))]
                row.lesson = "服务前再次核对会议需求。"
                if row.acceptance_at is None:
                    row.close_reason = "联系不上投诉人"
                visit = moment + timedelta(days=rng.randint(1, 7))
                if rng.random() < 0.5 and visit <= NOW:
                    row.return_visit_at, row.return_visit_by_id, row.return_visit_note = visit, hotline, "客户满意"
            yield row

    bulk(Complaint, rows(), counts)


def populate_tasks_and_answers(
    rng: random.Random, people: dict, booked: list[Booked], tasks: int, answers: int, counts: dict
) -> None:
    """Delegated tasks for meetings of the year, all marked done (65 % confirmed by the client, 20 % completed by
    a notice, 10 % awaiting the client, 5 % disputed), and `answers` survey answers (one per meeting, by its
    organizer's contact), about 95 % satisfied overall."""
    from huiwu.delegations.models import DelegatedTask
    from huiwu.surveys.models import SurveyAnswer, SurveyInvitation

    held = [meeting for meeting in booked if meeting.status == "confirmed"]
    state, attendants = DelegatedTask.State, people["attendants"]

    def task_rows():
        for number in range(tasks):
            meeting = held[rng.randrange(len(held))]
            due = meeting.start - timedelta(hours=1)
            row = DelegatedTask(
                title="代购水果",
                quantity="时令水果 5 公斤",
                requester_name="综合办公室",
                organization_id=meeting.organizer_id,
                meeting_id=meeting.pk,
                due_at=due,
                assignee_id=attendants[number % len(attendants)].pk,
                done_at=due - timedelta(minutes=rng.randint(0, 180)),
                done_by_id=attendants[number % len(attendants)].pk,
                done_note="已摆放",
                created_by_id=people["hotline"].pk,
                created_at=meeting.created_at,
            )
            draw = rng.random()
            if draw < 0.65:
                row.state = state.CONFIRMED
                row.confirmed_at = row.done_at + timedelta(minutes=rng.randint(10, 2 * 24 * 60))
                row.confirmed_by_id = people["clients"][meeting.organizer_id].pk
            else:
                row.state = state.NOTIFIED if draw < 0.85 else state.AWAITING_CLIENT if draw < 0.95 else state.DISPUTED
            yield row

    asked = rng.sample(held, min(answers, len(held)))
    invitations = [
        SurveyInvitation(
            meeting_id=meeting.pk,
            contact=people["contacts"][meeting.organizer_id],
            nonce_digest=f"{meeting.pk:064d}",
            sent_at=meeting.end + timedelta(hours=1),
            expires_at=meeting.end + timedelta(days=7, hours=1),
            answered_at=meeting.end + timedelta(hours=1, minutes=rng.randint(10, 3 * 24 * 60)),
        )
        for meeting in asked
    ]
    invitations = [
        created
        for start in range(0, len(invitations), BATCH)
        for created in SurveyInvitation.objects.bulk_create(invitations[start : start + BATCH])
    ]
    counts[SurveyInvitation._meta.db_table] = len(invitations)

    def score() -> int:
        draw = rng.random()
        return 5 if draw < 0.7 else 4 if draw < 0.95 else 3 if draw < 0.98 else 2 if draw < 0.995 else 1

    def answer_rows():
        for invitation in invitations:
            yield SurveyAnswer(
                invitation=invitation,
                meeting_id=invitation.meeting_id,
                answered_at=invitation.answered_at,
                **{aspect: score() for aspect in SurveyAnswer.ASPECTS},
            )

    bulk(DelegatedTask, task_rows(), counts)
    bulk(SurveyAnswer, answer_rows(), counts)


def populate_reception(rng: random.Random, people: dict, counts: dict) -> None:
    """Each working day's timeline (90 % of its items on time, 7 % late, 3 % missed) and three reviewed
    documents a day (85 % handed over by their due time, 10 % late, 5 % still waiting)."""
    from huiwu.reception.models import DayPlan, ReviewedDocument, RoutineItem
    from huiwu.reception.selectors.day import item_windows
    from huiwu.reception.services.standard import routine_standard_current
    from huiwu.reception.workdays import next_workday_after

    standard = routine_standard_current()
    days = workdays_of_year()
    plans = DayPlan.objects.bulk_create([DayPlan(day=day, standard=standard, planned_at=at(day, 7)) for day in days])
    counts[DayPlan._meta.db_table] = len(plans)
    reception = people["reception"].pk

    def items():
        for plan in plans:
            for code, starts_at, due_at in item_windows(plan.day, standard):
                row = RoutineItem(plan=plan, code=code, starts_at=starts_at, due_at=due_at)
                draw = rng.random()
                if draw < 0.90:
                    row.done_at = max(starts_at, due_at - timedelta(minutes=rng.randint(0, 20)))
                elif draw < 0.97:
                    row.done_at = due_at + timedelta(minutes=rng.randint(1, 30))
                if row.done_at is not None:
                    row.done_by_id = reception
                yield row

    # The next working day of each (workdays.document_due_at's rule), read from the list rather than asked 744 times.
    following = dict(zip(days, [*days[1:], next_workday_after(days[-1])], strict=True))

    def documents():
        for day in days:
            for number in range(3):
                retrieved = at(day, 15, 10 * number)
                due = at(following[day], standard.documents_by.hour, standard.documents_by.minute)
                row = ReviewedDocument(
                    title="关于会议保障工作的通知",
                    document_number=f"京政办发〔2026〕{day:%m%d}{number}号",
                    reviewing_leader=people["leaders"][number],
                    retrieved_at=retrieved,
                    retrieved_by_id=reception,
                    due_at=due,
                )
                draw = rng.random()
                handed = (
                    due - timedelta(minutes=rng.randint(0, 60))
                    if draw < 0.85
                    else due + timedelta(minutes=rng.randint(1, 120))
                    if draw < 0.95
                    else None
                )
                if handed is not None and handed <= NOW:  # a handover is whole (revieweddocument_handover_whole)
                    row.handed_at, row.handed_by_id, row.handed_to = handed, reception, "文件管理员"
                    row.clerk_confirmation = ReviewedDocument.Confirmation.SIGNED_BOOK
                yield row

    bulk(RoutineItem, items(), counts)
    bulk(ReviewedDocument, documents(), counts)


def populate_papers(rng: random.Random, people: dict, counts: dict) -> None:
    """Each attendant's background check, confidentiality agreement and authorization to serve, a quarter of
    them running out within the notice period after NOW and not renewed."""
    from huiwu.security.models import Authorization, BackgroundCheck, ConfidentialityAgreement

    manager = people["manager"].pk
    for model, extra in ((BackgroundCheck, {"issuer": "派出所"}), (ConfidentialityAgreement, {}), (Authorization, {})):
        bulk(
            model,
            (
                model(
                    user_id=user.pk,
                    valid_from=date(2025, 1, 1),
                    valid_until=NOW.date() + timedelta(days=rng.randint(0, 29) if n % 4 == 0 else 400),
                    recorded_by_id=manager,
                    **extra,
                )
                for n, user in enumerate(people["attendants"])
            ),
            counts,
        )


def populate(sizes: dict, database: str) -> tuple[dict, float]:
    """The whole year, set-based; returns the rows per table and the seconds it took (statistics included)."""
    from django.db import connection, transaction

    rng = random.Random(SEED)  # noqa: S311 -- made-up data, the same on every run; nothing secret
    counts: dict[str, int] = {}
    started = time.perf_counter()
    with transaction.atomic():
        people = create_people()
        booked = populate_meetings(rng, people, sizes["meetings"], counts)
        populate_history(rng, people, booked, counts)
        populate_service(rng, people, booked, sizes["refills"], counts)
        populate_complaints(rng, people, booked, sizes["complaints"], counts)
        populate_tasks_and_answers(rng, people, booked, sizes["tasks"], sizes["answers"], counts)
        populate_reception(rng, people, counts)
        populate_papers(rng, people, counts)
    inserted = time.perf_counter() - started
    if database == "sqlite":
        # No ANALYZE: Huiwu never runs one, so SQLite's planner works without statistics in production too.
        print(f"  populated in {inserted:.1f} s")
        return counts, inserted
    # What autovacuum would have done by the time anyone reads a year's reports.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    total = time.perf_counter() - started
    print(f"  populated in {inserted:.1f} s, VACUUM ANALYZE {total - inserted:.1f} s")
    return counts, total


# --- measuring ----------------------------------------------------------------------------------------


def figure_names() -> list[str]:
    """The functions of huiwu.reports.figures that all_figures calls, in the order it calls them: read from its
    source, so that a figure added there is measured without changing this script."""
    from huiwu.reports import figures

    tree = ast.parse(inspect.getsource(figures.all_figures))
    calls = sorted(
        (node.lineno, node.col_offset, node.func.id)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    )
    names = []
    for _line, _column, name in calls:
        function = getattr(figures, name, None)
        if inspect.isfunction(function) and name not in names:
            names.append(name)
    return names


class FigureClock:
    """While entered, every figure function all_figures calls (a global of the figures module, which it looks up
    at each call) is wrapped: its time inside the real call is kept in `times`, and when `recording`, the SQL
    and parameters of each of its statements in `statements`. A figure called by another is counted in the
    caller."""

    def __init__(self) -> None:
        from huiwu.reports import figures

        self.module = figures
        self.names = figure_names()
        self.times: dict[str, float] = {}
        self.statements: dict[str, list[tuple[str, list | None]]] = {}
        self.recording = False
        self._depth = 0
        self._originals = {}

    def __enter__(self) -> "FigureClock":
        for name in self.names:
            self._originals[name] = getattr(self.module, name)
            setattr(self.module, name, self._wrap(name, self._originals[name]))
        return self

    def __exit__(self, *exc) -> None:
        for name, function in self._originals.items():
            setattr(self.module, name, function)

    def _wrap(self, name: str, function):
        from django.db import connection

        def record(execute, sql, params, many, context):
            self.statements[name].append((sql, None if params is None else list(params)))
            return execute(sql, params, many, context)

        @functools.wraps(function)
        def timed(*args, **kwargs):
            if self._depth:
                return function(*args, **kwargs)
            self._depth += 1
            if self.recording:
                self.statements[name] = []
            started = time.perf_counter()
            try:
                with connection.execute_wrapper(record) if self.recording else nullcontext():
                    return function(*args, **kwargs)
            finally:
                self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - started
                self._depth -= 1

        return timed

    def call(self, filters, *, recording: bool) -> tuple[float, dict, int | None]:
        """One all_figures(filters, NOW, building=True): its seconds, each figure's, and (recording) the number
        of queries counted by CaptureQueriesContext."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.times, self.recording = {}, recording
        if recording:
            self.statements = {}
        capture = CaptureQueriesContext(connection) if recording else nullcontext()
        with capture:
            started = time.perf_counter()
            self.module.all_figures(filters, NOW, building=True)
            elapsed = time.perf_counter() - started
        return elapsed, dict(self.times), len(capture) if recording else None


def measure(clock_: FigureClock, first: date, last: date, repeats: int) -> dict:
    """Cold once (recorded: the number of queries), then `repeats` timed calls; each figure's statements are
    those of the cold call."""
    from huiwu.reports.figures import ReportFilters

    filters = ReportFilters(first, last)
    cold, cold_figures, queries = clock_.call(filters, recording=True)
    statements = dict(clock_.statements)
    totals, figure_times = [], {name: [] for name in clock_.names}
    for _ in range(repeats):
        elapsed, times, _queries = clock_.call(filters, recording=False)
        totals.append(elapsed)
        for name, seconds in times.items():
            figure_times[name].append(seconds)
    figures = {
        name: {
            "cold": cold_figures.get(name, 0.0) * 1000,
            "median": statistics.median(times) * 1000 if times else 0.0,
            "max": max(times) * 1000 if times else 0.0,
            "queries": len(statements.get(name, [])),
        }
        for name, times in figure_times.items()
    }
    return {
        "cold": cold * 1000,
        "median": statistics.median(totals) * 1000,
        "max": max(totals) * 1000,
        "queries": queries,
        "figures": figures,
        "statements": statements,
    }


def slowest_statement(statements: list[tuple[str, list | None]]) -> tuple[str, list | None, float]:
    """The statement that takes longest, each run again and read to its last row (SQLite computes a grouped
    result row by row as it is read, so the time of execute() alone says little there); with its ms."""
    from django.db import connection

    timed = []
    for sql, params in statements:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timed.append((sql, params, (time.perf_counter() - started) * 1000))
    return max(timed, key=lambda statement: statement[2])


def statement_text(sql: str, params: list | None) -> str:
    """The statement with its parameters filled in, as it could be pasted into psql or sqlite3."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            return cursor.cursor.mogrify(sql, params)
    return connection.ops.last_executed_query(None, sql, params)


def plan(sql: str, params: list | None) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        rows = cursor.fetchall()
    # (id, parent, notused, detail): indented under its parent, as the sqlite3 shell shows it.
    depth = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def run_database(args: argparse.Namespace, database: str) -> dict:
    data_dir = tempfile.mkdtemp(prefix="huiwu-reports-bench-")
    point_django_at(database, data_dir, args.postgres_url, sqlite_name="reports.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    label = "SQLite" if database == "sqlite" else "PostgreSQL"
    sizes = ", ".join(f"{value:,} {key}" for key, value in args.sizes.items())
    print(f"\n== reports, {label}: {sizes}; load average {os.getloadavg()[0]:.2f} ==", flush=True)
    try:
        call_command("migrate", verbosity=0)
        counts, populate_seconds = populate(args.sizes, database)
        print("  rows: " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
        with FigureClock() as clock_:
            month = measure(clock_, *MONTH, args.repeats)
            year = measure(clock_, *YEAR, args.repeats)
            names = clock_.names
        slowest = sorted(names, key=lambda name: year["figures"][name]["median"], reverse=True)[:2]
        plans = []
        for name in slowest:
            if year["statements"].get(name):
                sql, params, ms = slowest_statement(year["statements"][name])
                plans.append((name, ms, statement_text(sql, params), plan(sql, params)))
    finally:
        connections.close_all()
        if args.keep:
            where = args.postgres_url if database == "postgres" else data_dir
            print(f"  kept: {where}")
        else:
            if database == "postgres":
                recreate_database(args.postgres_url, drop_only=True)
            shutil.rmtree(data_dir, ignore_errors=True)

    print_database(label, args.repeats, month, year, names)
    kind = "EXPLAIN (ANALYZE, BUFFERS)" if database == "postgres" else "EXPLAIN QUERY PLAN"
    for name, ms, text, lines in plans:
        print(f"\n-- {kind}: the slowest query of {name} for the year ({ms:.1f} ms, run alone)")
        print(text if len(text) <= SQL_SHOWN else f"{text[:SQL_SHOWN]} … ({len(text):,} characters)")
        print("\n".join(lines))
    return {
        "label": label,
        "populate": populate_seconds,
        "month": {key: month[key] for key in ("cold", "median", "max", "queries")},
        "year": {key: year[key] for key in ("cold", "median", "max", "queries")},
        "slowest": [(name, year["figures"][name]["median"]) for name in slowest],
    }


def print_database(label: str, repeats: int, month: dict, year: dict, names: list[str]) -> None:
    print(f"\n== all_figures(…, building=True), {label}: cold once, then {repeats} calls ==")
    print(f"{'period':<13} | {'cold':>9} | {'median':>9} | {'slowest':>9} | {'queries':>7} | target")
    for title, result, target in (("November 2026", month, TARGET_MONTH_MS), ("2026", year, TARGET_YEAR_MS)):
        verdict = "OK" if result["median"] < target else "ABOVE TARGET"
        print(
            f"{title:<13} | {result['cold']:>6.0f} ms | {result['median']:>6.0f} ms | {result['max']:>6.0f} ms | "
            f"{result['queries']:>7} | < {target} ms: {verdict}"
        )
    print(f"\n-- each figure inside those calls (ms; median and slowest of {repeats}; queries of the cold call)")
    print(
        f"{'figure':<22} | {'month cold':>10} {'median':>8} {'slowest':>8} {'queries':>7} | "
        f"{'year cold':>10} {'median':>8} {'slowest':>8} {'queries':>7}"
    )
    for name in names:
        m, y = month["figures"][name], year["figures"][name]
        print(
            f"{name:<22} | {m['cold']:>10.1f} {m['median']:>8.1f} {m['max']:>8.1f} {m['queries']:>7} | "
            f"{y['cold']:>10.1f} {y['median']:>8.1f} {y['max']:>8.1f} {y['queries']:>7}"
        )
    ranked = sorted(names, key=lambda name: year["figures"][name]["median"], reverse=True)[:2]
    print(
        "the year's two slowest: " + ", ".join(f"{name} ({year['figures'][name]['median']:.0f} ms)" for name in ranked)
    )


def print_summary(results: list[dict]) -> None:
    print(f"\n== reports summary (targets on PostgreSQL: month < {TARGET_MONTH_MS} ms, year < {TARGET_YEAR_MS} ms) ==")
    print(
        f"{'database':<10} | {'populate':>8} | {'month median':>12} {'queries':>7} | "
        f"{'year median':>11} {'queries':>7} | two slowest of the year"
    )
    for result in results:
        slowest = ", ".join(f"{name} {ms:.0f} ms" for name, ms in result["slowest"])
        print(
            f"{result['label']:<10} | {result['populate']:>6.0f} s | {result['month']['median']:>9.0f} ms "
            f"{result['month']['queries']:>7} | {result['year']['median']:>8.0f} ms {result['year']['queries']:>7} | "
            f"{slowest}"
        )


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
        return

    results, failed = run_each_database(
        __file__,
        [
            f"--repeats={args.repeats}",
            f"--postgres-url={args.postgres_url}",
            *(["--smoke"] if args.smoke else []),
            *(["--keep"] if args.keep else []),
        ],
    )
    if results:
        print_summary(results)
    print(f"\ntotal runtime {time.perf_counter() - started:.1f} s")
    if failed:
        raise SystemExit(f"the benchmark failed on {' and '.join(failed)}")


if __name__ == "__main__":
    main()
