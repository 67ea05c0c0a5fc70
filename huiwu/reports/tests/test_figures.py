"""Each figure on a small week worked out by hand: Monday 23 to Sunday 29 November 2026, five working days.

Meetings of the week (planned start in it):
  A 701 Fri 27 09:00–10:00 (1 h)   测试委办局, attendant serves; L1 06:50 on time, L2 08:10 late, L3 missed;
                                   started 09:00 with L3 unconfirmed; refills 09:17 (window 09:15–09:20, on
                                   time), 09:45 (09:37–09:42: 3 min late), the third (10:10–10:15) never done
  B 701 Fri 27 14:00–16:30 (2.5 h) 测试委办局, att2 serves; L1 12:00 (at its due time: on time), L2 13:01 late,
                                   L3 13:25 on time; refills 14:10 (before 14:15–14:20: early), 14:40
                                   (14:30–14:35: 5 min late), the third (15:05–15:10) not due yet at 15:00
  C 702 Thu 26 10:00–11:00 (1 h)   市财政局, no check confirmed (all three missed), never started
  D 702 Sat 28 09:00–10:00 (1 h)   市财政局, not started yet when the figures are read (Fri 15:00)
  and, not counted: a cancelled meeting in 701 on Friday, a meeting in 701 the Monday after.
"""

from datetime import date, timedelta

import pytest

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.delegations.services import task_confirm, task_create, task_done, task_notice_record
from huiwu.directory.models import Contact, Organization, Person
from huiwu.feedback.models import COMPLAINT_STEPS, RootCause
from huiwu.feedback.services import complaint_close, complaint_receive, complaint_return_visit, complaint_step_record
from huiwu.meetings.services import meeting_cancel, meeting_confirm, meeting_create, meeting_reject
from huiwu.reception.models import ReviewedDocument
from huiwu.reception.services.routine import day_plan_ensure, routine_item_complete
from huiwu.reports.figures import (
    ReportFilters,
    check_punctuality,
    complaint_figures,
    complaints_by_cause,
    complaints_by_month,
    document_figures,
    open_hours_per_room,
    organizer_use,
    papers_expiring,
    refill_figures,
    refills_by_attendant,
    request_outcomes,
    room_heat,
    room_use,
    routine_punctuality,
    satisfaction,
    satisfaction_by_item,
    site_use,
    staff_work,
    started_unchecked,
    task_figures,
)
from huiwu.security.models import Authorization, BackgroundCheck, ConfidentialityAgreement
from huiwu.service.services import assignment_add, check_confirm, meeting_start, refill_record
from huiwu.service.standards import level_items, standard_for
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.testing import at
from huiwu.venues.models import Floor, Room, Site

WEEK = ReportFilters(first=date(2026, 11, 23), last=date(2026, 11, 29))
READ_AT = "2026-11-27 15:00"


@pytest.fixture
def bureau(db):
    return Organization.objects.create(name="市财政局")


@pytest.fixture
def week(book, room, other_room, bureau, hotline):
    meetings = {
        "A": book("2026-11-27 09:00", "10:00", title="A"),
        "B": book("2026-11-27 14:00", "16:30", title="B"),
        "C": book("2026-11-26 10:00", "11:00", title="C", room=other_room, organizer=bureau),
        "D": book("2026-11-28 09:00", "10:00", title="D", room=other_room, organizer=bureau),
    }
    meeting_cancel(user=hotline, meeting=book("2026-11-27 11:00", "12:00", title="取消的会"), reason="改期")
    book("2026-11-30 09:00", "10:00", title="下周的会")
    return meetings


def _confirm(meeting, level, user, moment, frozen_now):
    frozen_now.move_to(at(moment))
    results = dict.fromkeys(level_items(standard_for(meeting), level), True)
    check_confirm(user=user, meeting=meeting, level=level, results=results)


@pytest.fixture
def served(week, frozen_now, team_leader, env_supervisor, hotline, attendant):
    """The checks, starts and refills of A and B as told above; the figures are read on Friday at 15:00."""
    a, b = week["A"], week["B"]
    second = user_upsert(username="att2", password="att2-password-1", display_name="第二服务员", roles=[Role.ATTENDANT])
    assignment_add(user=team_leader, meeting=a, attendant=attendant, duty="lead")
    assignment_add(user=team_leader, meeting=b, attendant=second, duty="lead")
    _confirm(a, 1, team_leader, "2026-11-27 06:50", frozen_now)
    _confirm(a, 2, env_supervisor, "2026-11-27 08:10", frozen_now)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=a)
    for moment in ("09:17", "09:45"):
        frozen_now.move_to(at(f"2026-11-27 {moment}"))
        refill_record(user=attendant, meeting=a)
    _confirm(b, 1, team_leader, "2026-11-27 12:00", frozen_now)
    _confirm(b, 2, env_supervisor, "2026-11-27 13:01", frozen_now)
    _confirm(b, 3, hotline, "2026-11-27 13:25", frozen_now)
    frozen_now.move_to(at("2026-11-27 14:00"))
    meeting_start(user=second, meeting=b)
    frozen_now.move_to(at("2026-11-27 14:10"))
    refill_record(user=second, meeting=b, early_reason="leader")
    frozen_now.move_to(at("2026-11-27 14:40"))
    refill_record(user=second, meeting=b)
    frozen_now.move_to(at(READ_AT))
    return week


# --- meetings and rooms -------------------------------------------------------------------------------


def test_it_counts_a_rooms_open_hours_on_the_working_days_only(db):
    # Five working days × 08:30–17:30.
    assert open_hours_per_room(WEEK) == 45
    # 4–10 October: 4–7 the National Day holiday, Thursday 8 and Friday 9 worked, and Saturday 10 too (调休):
    # three working days × 9 h.
    assert open_hours_per_room(ReportFilters(first=date(2026, 10, 4), last=date(2026, 10, 10))) == 27


def test_it_gives_each_rooms_meetings_hours_and_utilisation(week):
    rooms = {use.room: use for use in room_use(WEEK)}
    a701, a702 = rooms["701会议室"], rooms["702会议室"]
    assert (a701.meetings, a701.hours, a701.open_hours) == (2, 3.5, 45)
    assert a701.utilisation == round(3.5 / 45, 4)
    # D on the Saturday counts: it is booked, though the room is not open then.
    assert (a702.meetings, a702.hours, a702.utilisation) == (2, 2.0, round(2 / 45, 4))


def test_it_narrows_the_rooms_to_the_room_and_the_meetings_to_the_organizer(week, room, bureau):
    assert [use.room for use in room_use(ReportFilters(WEEK.first, WEEK.last, room_id=room.pk))] == ["701会议室"]
    by_bureau = {
        use.room: use.meetings for use in room_use(ReportFilters(WEEK.first, WEEK.last, organizer_id=bureau.pk))
    }
    assert by_bureau == {"701会议室": 0, "702会议室": 2}


def test_it_gives_each_rooms_booked_minutes_hour_by_hour(week, book):
    book("2026-11-26 10:15", "11:40", title="半点开始的会")  # 701: 45 min of the hour 10, 40 of the hour 11
    heat = room_heat(WEEK, room_use(WEEK))
    # 08:30–17:30 touches the hours 08 to 17.
    assert heat.hours == [8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
    rows = {row.room: row for row in heat.rooms}
    #                              8   9  10  11 12 13  14  15  16 17
    assert rows["701会议室"].minutes == [0, 60, 45, 40, 0, 0, 60, 60, 30, 0]  # A 09–10, B 14:00–16:30
    assert rows["702会议室"].minutes == [0, 60, 60, 0, 0, 0, 0, 0, 0, 0]  # C Thu 10–11, D Sat 09–10
    # Each hour is open 60 minutes on each of the five working days.
    assert rows["701会议室"].utilisation[2] == round(45 / 300, 4)
    assert rows["702会议室"].utilisation[1] == round(60 / 300, 4)


def test_it_counts_a_meeting_running_past_midnight_until_midnight(week, book, other_room):
    book("2026-11-26 17:00", "2026-11-27 08:00", title="通宵值守", room=other_room)
    rows = {row.room: row for row in room_heat(WEEK, room_use(WEEK)).rooms}
    assert rows["702会议室"].minutes[-1] == 60  # the hour 17 of Thursday; Friday's 08:00 is not reached


def test_it_has_no_hourly_utilisation_without_a_working_day(week):
    national_day = ReportFilters(first=date(2026, 10, 1), last=date(2026, 10, 3))
    (first, *_rest) = room_heat(national_day, room_use(national_day)).rooms
    assert set(first.utilisation) == {None}


def test_it_adds_the_rooms_up_per_site(week):
    (tower,) = site_use(room_use(WEEK))
    assert (tower.site, tower.rooms, tower.meetings, tower.hours, tower.open_hours) == ("会议大厦", 2, 4, 5.5, 90)
    assert tower.utilisation == round(5.5 / 90, 4)


def test_it_keeps_each_site_apart(week, book):
    annex = Site.objects.create(name="行政办事中心", code="annex")
    hall = Room.objects.create(
        floor=Floor.objects.create(site=annex, name="5F", level=5), name="501会议室", code="501", capacity=30
    )
    book("2026-11-27 09:00", "11:00", room=hall)
    sites = {use.site: (use.rooms, use.meetings, use.hours, use.open_hours) for use in site_use(room_use(WEEK))}
    assert sites == {"会议大厦": (2, 4, 5.5, 90), "行政办事中心": (1, 1, 2.0, 45)}


def test_it_gives_each_organizers_meetings_and_hours_most_first(week, bureau):
    assert [(use.organizer, use.meetings, use.hours) for use in organizer_use(WEEK)] == [
        ("市财政局", 2, 2.0),
        ("测试委办局", 2, 3.5),
    ]


@pytest.mark.parametrize(("first", "last", "count"), [("2026-11-26", "2026-11-26", 1), ("2026-11-27", "2026-11-29", 3)])
def test_it_counts_a_meeting_on_the_day_it_starts(week, first, last, count):
    filters = ReportFilters(date.fromisoformat(first), date.fromisoformat(last))
    assert sum(use.meetings for use in room_use(filters)) == count


def test_it_answers_the_time_from_request_to_answer_as_a_median(room, draft, client_contact, hotline, frozen_now):
    frozen_now.move_to(at("2026-11-23 08:00"))
    confirmed = meeting_create(user=client_contact, draft=draft("2026-11-24 09:00", "10:00"))
    rejected = meeting_create(user=client_contact, draft=draft("2026-11-24 11:00", "12:00"))
    meeting_create(user=client_contact, draft=draft("2026-11-25 09:00", "10:00"))  # still waiting
    meeting_create(user=hotline, draft=draft("2026-11-25 14:00", "15:00"))  # booked by staff: no request
    frozen_now.move_to(at("2026-11-23 08:30"))
    meeting_confirm(user=hotline, meeting=confirmed)
    frozen_now.move_to(at("2026-11-23 10:00"))
    meeting_reject(user=hotline, meeting=rejected, reason="会议室检修")
    outcomes = request_outcomes(WEEK)
    assert (outcomes.requested, outcomes.confirmed, outcomes.rejected, outcomes.waiting) == (3, 1, 1, 1)
    # 30 min and 2 h: the median of two is their mean.
    assert outcomes.median_answer == timedelta(minutes=75)


def test_it_counts_each_answer_in_the_median_when_answers_took_as_long(
    room, draft, client_contact, hotline, frozen_now
):
    frozen_now.move_to(at("2026-11-23 08:00"))
    fast = [meeting_create(user=client_contact, draft=draft(f"2026-11-{day} 09:00", "10:00")) for day in (24, 25)]
    slow = meeting_create(user=client_contact, draft=draft("2026-11-26 09:00", "10:00"))
    frozen_now.move_to(at("2026-11-23 08:30"))
    for meeting in fast:
        meeting_confirm(user=hotline, meeting=meeting)
    frozen_now.move_to(at("2026-11-23 11:00"))
    meeting_confirm(user=hotline, meeting=slow)
    # 30 min, 30 min and 3 h: the middle one is 30 min, not the mean of two distinct values.
    assert request_outcomes(WEEK).median_answer == timedelta(minutes=30)


def test_it_has_no_median_answer_without_an_answered_request(week):
    outcomes = request_outcomes(WEEK)
    assert (outcomes.requested, outcomes.median_answer) == (0, None)


# --- the three-level check ----------------------------------------------------------------------------


def test_it_sorts_each_level_into_on_time_late_and_missed_for_the_meetings_started(served, frozen_now):
    levels = {row.level: (row.on_time, row.late, row.missed) for row in check_punctuality(WEEK, at(READ_AT))}
    # A, B and C have started by Friday 15:00; D (Saturday) has not and is not counted.
    assert levels == {1: (2, 0, 1), 2: (0, 2, 1), 3: (1, 0, 2)}
    (first, *_rest) = check_punctuality(WEEK, at(READ_AT))
    assert first.share(first.on_time) == round(2 / 3, 4)


def test_it_counts_a_meeting_once_its_start_has_come(served):
    # At 13:59 B has not started: only A and C are counted; at 14:00 B is.
    assert sum(row.counted for row in check_punctuality(WEEK, at("2026-11-27 13:59"))) == 6
    assert sum(row.counted for row in check_punctuality(WEEK, at("2026-11-27 14:00"))) == 9


def test_it_counts_the_meetings_started_with_a_level_unconfirmed(served):
    assert started_unchecked(WEEK) == 1


# --- refills ------------------------------------------------------------------------------------------


def test_it_sorts_the_refills_and_gives_the_median_lateness(served):
    figures = refill_figures(WEEK, at(READ_AT))
    punctuality = figures.punctuality
    # On time: A's first. Early: B's first. Late: A's second (3 min) and its third never done, B's second (5 min).
    assert (punctuality.on_time, punctuality.early, punctuality.late) == (1, 1, 3)
    assert figures.median_lateness == timedelta(minutes=4)


def test_it_counts_a_refill_not_done_as_late_once_its_window_has_closed(served):
    # A's third window closes at 10:15 (the two done late are late whenever the figures are read).
    assert refill_figures(WEEK, at("2026-11-27 10:14")).punctuality.late == 2
    assert refill_figures(WEEK, at("2026-11-27 10:15")).punctuality.late == 2
    assert refill_figures(WEEK, at("2026-11-27 10:16")).punctuality.late == 3


def test_it_gives_each_attendants_refills_by_punctuality(served):
    rows = [(row.attendant, row.on_time, row.early, row.late, row.done) for row in refills_by_attendant(WEEK)]
    # As many each: by user name (att2 before attendant).
    assert rows == [("第二服务员", 0, 1, 1, 2), ("attendant 测试", 1, 0, 1, 2)]


def test_it_counts_nothing_in_a_week_without_meetings(db):
    empty = ReportFilters(date(2026, 1, 5), date(2026, 1, 11))
    assert refill_figures(empty, at(READ_AT)).median_lateness is None
    assert [row.counted for row in check_punctuality(empty, at(READ_AT))] == [0, 0, 0]
    assert organizer_use(empty) == []


# --- complaints ---------------------------------------------------------------------------------------
# Received in November: K1 (测试委办局, room 701) apologised after 20 min, closed after 24 h as 水果不足, visited
# again; K2 (市财政局, about a meeting in 702) apologised after 40 min, closed after 30 h as 水果不足; K3 apologised
# after 30 min, still open. K4 came on 1 December. October had none.

OCTOBER_NOVEMBER = ReportFilters(first=date(2026, 10, 1), last=date(2026, 11, 30))


def _complaint(manager, frozen_now, received, *, apologised, closed=None, cause=None, visited=None, **about):
    """Received, apologised for, and (when `closed`) taken through every step and closed at that moment."""
    frozen_now.move_to(at(closed or apologised))
    complaint = complaint_receive(
        user=manager,
        channel="hotline",
        complainant_name="周敏",
        summary="会场水果不足",
        statement="水果不够分。",
        received_at=at(received),
        **about,
    )
    complaint_step_record(user=manager, complaint=complaint, step="apology", note="已致歉", at=at(apologised))
    if closed:
        for step in COMPLAINT_STEPS[1:]:
            complaint_step_record(user=manager, complaint=complaint, step=step, note="已办", at=at(closed))
        complaint_close(user=manager, complaint=complaint, root_cause=cause, lesson="按人数备足水果")
    if visited:
        frozen_now.move_to(at(visited))
        complaint_return_visit(user=manager, complaint=complaint, note="客户满意", at=at(visited))
    return complaint


@pytest.fixture
def complaints(manager, organization, bureau, book, other_room, frozen_now):
    fruit = RootCause.objects.get_or_create(name="水果不足")[0]
    meeting_in_702 = book("2026-11-27 09:00", "10:00", room=other_room, organizer=bureau)
    _complaint(
        manager,
        frozen_now,
        "2026-11-23 09:00",
        apologised="2026-11-23 09:20",
        closed="2026-11-24 09:00",
        cause=fruit,
        visited="2026-11-26 10:00",
        organization=organization,
        room=Room.objects.get(code="701"),
    )
    _complaint(
        manager,
        frozen_now,
        "2026-11-24 10:00",
        apologised="2026-11-24 10:40",
        closed="2026-11-25 16:00",
        cause=fruit,
        organization=bureau,
        meeting=meeting_in_702,
    )
    _complaint(manager, frozen_now, "2026-11-25 14:00", apologised="2026-11-25 14:30")
    _complaint(manager, frozen_now, "2026-12-01 09:00", apologised="2026-12-01 09:10")


def test_it_counts_the_complaints_and_the_median_times_of_their_handling(complaints):
    figures = complaint_figures(OCTOBER_NOVEMBER)
    assert (figures.received, figures.closed, figures.return_visits) == (3, 2, 1)
    assert figures.median_to_apology == timedelta(minutes=30)  # of 20, 30 and 40 min
    assert figures.median_to_close == timedelta(hours=27)  # of 24 h and 30 h


def test_it_counts_the_complaints_by_cause_and_by_month(complaints):
    assert [(row.cause, row.complaints) for row in complaints_by_cause(OCTOBER_NOVEMBER)] == [("水果不足", 2), ("", 1)]
    assert [(row.month, row.complaints) for row in complaints_by_month(OCTOBER_NOVEMBER)] == [
        (date(2026, 10, 1), 0),
        (date(2026, 11, 1), 3),
    ]


def test_it_counts_a_complaint_in_the_month_it_was_received_in_shanghai(manager, frozen_now):
    # 1 December 00:30 in Shanghai is still 30 November in UTC.
    _complaint(manager, frozen_now, "2026-12-01 00:30", apologised="2026-12-01 00:40")
    months = complaints_by_month(ReportFilters(first=date(2026, 11, 1), last=date(2026, 12, 31)))
    assert [(row.month.month, row.complaints) for row in months] == [(11, 0), (12, 1)]


def test_it_narrows_the_complaints_to_the_organizer_and_the_room(complaints, bureau, other_room):
    by_bureau = ReportFilters(OCTOBER_NOVEMBER.first, OCTOBER_NOVEMBER.last, organizer_id=bureau.pk)
    assert complaint_figures(by_bureau).received == 1
    # K2's meeting was in 702; K1 named 701.
    in_702 = ReportFilters(OCTOBER_NOVEMBER.first, OCTOBER_NOVEMBER.last, room_id=other_room.pk)
    assert complaint_figures(in_702).received == 1


# --- delegated tasks ----------------------------------------------------------------------------------
# Done in the week: T1 done Mon 10:00, confirmed by the client at 10:30; T2 done Tue 09:00, confirmed Wed 09:00;
# T3 done Wed 14:00, completed by a phone notice; T4 done Thu 16:00, still awaiting the client. T5, for 市财政局,
# is done on Monday 30 November, after the week.


def _task(hotline, client_contact, frozen_now, title, done, *, confirmed=None, notified=None, organization=None):
    frozen_now.move_to(at(done) - timedelta(hours=1))
    task = task_create(
        user=hotline, title=title, due_at=at(done) + timedelta(days=1), organization=organization, requester_name="周敏"
    )
    frozen_now.move_to(at(done))
    task = task_done(user=hotline, task=task, note="已买好")
    if confirmed:
        frozen_now.move_to(at(confirmed))
        task_confirm(user=client_contact, task=task)
    if notified:
        frozen_now.move_to(at(notified))
        task_notice_record(user=hotline, task=task, method="phone", notified_at=at(notified), notified_person="周敏")
    return task


@pytest.fixture
def tasks(hotline, client_contact, organization, bureau, frozen_now):
    args = (hotline, client_contact, frozen_now)
    _task(*args, "代购水果", "2026-11-23 10:00", confirmed="2026-11-23 10:30", organization=organization)
    _task(*args, "制作横幅", "2026-11-24 09:00", confirmed="2026-11-25 09:00", organization=organization)
    _task(*args, "打印材料", "2026-11-25 14:00", notified="2026-11-25 14:10", organization=organization)
    _task(*args, "购买鲜花", "2026-11-26 16:00", organization=organization)
    _task(*args, "代购茶叶", "2026-11-30 09:00", notified="2026-11-30 09:10", organization=bureau)


def test_it_counts_the_tasks_done_and_how_the_client_took_them(tasks):
    figures = task_figures(WEEK)
    assert (figures.done, figures.confirmed, figures.notified, figures.awaiting) == (4, 2, 1, 1)
    assert figures.confirmed_share == round(2 / 3, 4)
    # 30 min and 24 h.
    assert figures.median_to_confirmation == timedelta(hours=12, minutes=15)


def test_it_narrows_the_tasks_to_the_organizer(tasks, bureau):
    next_week = ReportFilters(date(2026, 11, 30), date(2026, 12, 6), organizer_id=bureau.pk)
    figures = task_figures(next_week)
    assert (figures.done, figures.notified, figures.confirmed_share, figures.median_to_confirmation) == (1, 1, 0, None)
    assert task_figures(ReportFilters(WEEK.first, WEEK.last, organizer_id=bureau.pk)).done == 0


# --- satisfaction -------------------------------------------------------------------------------------
# About A (测试委办局), answered in November: overall 5, 4, 4 and 3 (three of four satisfied: 75 %); tea 5, 3, 2
# and 4 (two of four). About C (市财政局): one answer, overall 5, in December.


def _answer(meeting, moment, overall, tea):
    contact = Contact.objects.create(organization=meeting.organizer, name=f"联系人{overall}{tea}{moment}")
    invitation = SurveyInvitation.objects.create(
        meeting=meeting, contact=contact, nonce_digest="d", expires_at=at("2027-01-01 00:00"), answered_at=at(moment)
    )
    SurveyAnswer.objects.create(
        invitation=invitation,
        meeting=meeting,
        venue=4,
        tea=tea,
        equipment=4,
        attitude=4,
        overall=overall,
        answered_at=at(moment),
    )


@pytest.fixture
def answered(week):
    for overall, tea in ((5, 5), (4, 3), (4, 2), (3, 4)):
        _answer(week["A"], "2026-11-27 11:00", overall, tea)
    _answer(week["C"], "2026-12-01 09:00", 5, 5)


NOVEMBER_DECEMBER = ReportFilters(date(2026, 11, 1), date(2026, 12, 31))


def test_it_gives_the_satisfaction_rate_per_month_against_the_target(answered):
    figures = satisfaction(NOVEMBER_DECEMBER)
    assert [(month.month, month.answers, month.satisfied) for month in figures.months] == [
        (date(2026, 11, 1), 4, 3),
        (date(2026, 12, 1), 1, 1),
    ]
    assert figures.target == 0.96
    assert [month.month for month in figures.below_target()] == [date(2026, 11, 1)]


@pytest.mark.parametrize(("target", "below"), [(75, []), (76, [date(2026, 11, 1)])])
def test_it_counts_a_month_at_its_target_as_meeting_it(answered, settings, target, below):
    settings.REPORTS_SATISFACTION_TARGET = target
    assert [month.month for month in satisfaction(NOVEMBER_DECEMBER).below_target()] == below


def test_it_gives_each_items_share_of_fours_and_fives_and_its_average(answered, organization):
    by_client = ReportFilters(NOVEMBER_DECEMBER.first, NOVEMBER_DECEMBER.last, organizer_id=organization.pk)
    items = {
        item.aspect: (item.answers, item.satisfied, item.rate, item.average) for item in satisfaction_by_item(by_client)
    }
    assert items["tea"] == (4, 2, 0.5, 3.5)
    assert items["overall"] == (4, 3, 0.75, 4.0)
    assert items["venue"] == (4, 4, 1.0, 4.0)


# --- reception ----------------------------------------------------------------------------------------


def test_it_sorts_the_routine_items_of_the_days_into_on_time_late_and_missed(reception, frozen_now):
    thursday = date(2026, 11, 26)
    day_plan_ensure(thursday)
    routine_item_complete(day=thursday, code="door", user=reception, at=at("2026-11-26 08:42"))  # due 08:45
    routine_item_complete(day=thursday, code="hot_water", user=reception, at=at("2026-11-26 09:05"))  # due 09:00
    rows = {row.code: (row.on_time, row.late, row.missed) for row in routine_punctuality(WEEK, at("2026-11-26 12:00"))}
    assert rows["door"] == (1, 0, 0)
    assert rows["hot_water"] == (0, 1, 0)
    # Due before noon and not done: the self-check, the documents, the newspapers, the lunch checks (11:40).
    assert [code for code, counts in rows.items() if counts == (0, 0, 1)] == [
        "grooming",
        "documents",
        "newspapers",
        "lunch",
    ]
    # The afternoon's are still to come.
    assert rows["afternoon_duty"] == rows["cleaning"] == rows["review"] == (0, 0, 0)


def test_it_counts_the_reviewed_documents_handed_over_by_their_due_time(reception):
    leader = Person.objects.create(name="宋家明", title="副局长", precedence=3)

    def document(number, due, handed=None):
        handover = {"handed_at": at(handed), "handed_by": reception, "handed_to": "李文静"} if handed else {}
        ReviewedDocument.objects.create(
            title="请示",
            document_number=f"机管发〔2026〕{number}号",
            reviewing_leader=leader,
            retrieved_at=at(due) - timedelta(hours=16),
            retrieved_by=reception,
            due_at=at(due),
            clerk_confirmation="signed_book" if handed else "",
            **handover,
        )

    document(1, "2026-11-24 09:30", handed="2026-11-24 09:30")  # at its due time: on time
    document(2, "2026-11-25 09:30", handed="2026-11-25 09:31")
    document(3, "2026-11-26 09:30")
    document(4, "2026-11-27 09:30")  # not due yet on Thursday at noon
    document(5, "2026-12-01 09:30")  # after the week
    figures = document_figures(WEEK, at("2026-11-26 12:00"))
    assert (figures.due, figures.on_time, figures.late, figures.waiting) == (4, 1, 1, 1)


# --- staff --------------------------------------------------------------------------------------------


def test_it_gives_each_attendants_meetings_and_hours(served):
    # As many meetings each: by user name (att2 before attendant).
    assert [(row.name, row.meetings, row.hours) for row in staff_work(WEEK)] == [
        ("第二服务员", 1, 2.5),
        ("attendant 测试", 1, 1.0),
    ]


def test_it_lists_the_papers_expiring_within_the_notice_days_unless_renewed(attendant, hotline, security_officer):
    today = date(2026, 11, 26)
    paper = {"recorded_by": security_officer, "valid_from": date(2025, 12, 1)}
    BackgroundCheck.objects.create(user=attendant, issuer="派出所", valid_until=today + timedelta(days=10), **paper)
    ConfidentialityAgreement.objects.create(user=hotline, valid_until=today + timedelta(days=30), **paper)
    ConfidentialityAgreement.objects.create(user=attendant, valid_until=today + timedelta(days=31), **paper)
    ConfidentialityAgreement.objects.create(user=security_officer, valid_until=today - timedelta(days=1), **paper)
    # Renewed from the day after it ends: nothing to do.
    Authorization.objects.create(user=hotline, valid_until=today + timedelta(days=5), **paper)
    Authorization.objects.create(
        user=hotline, valid_from=today + timedelta(days=6), valid_until=date(2027, 12, 31), recorded_by=security_officer
    )
    assert [(paper.name, paper.valid_until) for paper in papers_expiring(today)] == [
        ("attendant 测试", today + timedelta(days=10)),
        ("hotline 测试", today + timedelta(days=30)),
    ]


def test_it_lists_a_renewal_that_leaves_a_gap(hotline, security_officer):
    today = date(2026, 11, 26)
    Authorization.objects.create(
        user=hotline, valid_from=date(2026, 1, 1), valid_until=today + timedelta(days=5), recorded_by=security_officer
    )
    Authorization.objects.create(
        user=hotline, valid_from=today + timedelta(days=7), valid_until=date(2027, 12, 31), recorded_by=security_officer
    )
    assert [paper.valid_until for paper in papers_expiring(today)] == [today + timedelta(days=5)]


def test_it_narrows_the_answers_to_the_room_and_site_of_their_meeting(answered, other_room, site):
    in_702 = ReportFilters(NOVEMBER_DECEMBER.first, NOVEMBER_DECEMBER.last, room_id=other_room.pk)
    assert [month.answers for month in satisfaction(in_702).months] == [0, 1]
    at_site = ReportFilters(NOVEMBER_DECEMBER.first, NOVEMBER_DECEMBER.last, site_id=site.pk)
    assert [month.answers for month in satisfaction(at_site).months] == [4, 1]
