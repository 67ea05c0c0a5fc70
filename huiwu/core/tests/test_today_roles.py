"""Each role's today section shows its work: the rows to act on with their times, rooms, states and links.
The clock is frozen at Thursday 2026-11-26 08:00 (huiwu.testing.NOW) unless a test moves it."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from huiwu.accounts.roles import Role
from huiwu.core.today import today_sections
from huiwu.directory.models import Organization
from huiwu.lib.today import MAX_ITEMS
from huiwu.meetings.services import meeting_cancel, meeting_create, meeting_reject
from huiwu.notify.models import Delivery, Notification
from huiwu.security.models import Authorization, BackgroundCheck, ConfidentialityAgreement
from huiwu.service.models import MeetingCheck
from huiwu.service.services import assignment_add, meeting_end, meeting_start
from huiwu.testing import at, login_as


def _section(user, role):
    [section] = [section for section in today_sections(user) if section.role == role and not section.title]
    return section


def _rows(today_list):
    return [(item.title, item.at, item.place, str(item.status)) for item in today_list.items]


def _pass_levels(meeting, *levels):
    MeetingCheck.objects.filter(meeting=meeting, level__in=levels).update(state=MeetingCheck.State.CONFIRMED)


@pytest.fixture
def requester(client_contact, organization):
    client_contact.organization = organization
    client_contact.save()
    return client_contact


# --- hotline ------------------------------------------------------------------------------------------


def test_it_shows_the_hotline_the_requests_waiting_with_a_link_to_decide(hotline, requester, draft, book, frozen_now):
    request = meeting_create(user=requester, draft=draft("2026-11-27 09:00", "10:00", title="客户申请的会"))
    book("2026-11-27 14:00", "15:00", title="热线直接订的会")
    requests = _section(hotline, Role.HOTLINE).lists[0]
    assert _rows(requests) == [("客户申请的会", at("2026-11-27 09:00"), "701会议室", "待确认")]
    assert requests.items[0].url == f"/meetings/{request.pk}/"
    assert str(requests.items[0].action) == "确认或拒绝"
    assert requests.items[0].detail == "测试委办局"


def test_it_drops_a_request_once_its_meeting_is_over(hotline, requester, draft, frozen_now):
    meeting_create(user=requester, draft=draft("2026-11-26 09:00", "10:00"))
    frozen_now.move_to(at("2026-11-26 09:59"))
    assert _section(hotline, Role.HOTLINE).lists[0].total == 1
    frozen_now.move_to(at("2026-11-26 10:00"))
    assert _section(hotline, Role.HOTLINE).lists[0].total == 0
    assert str(_section(hotline, Role.HOTLINE).lists[0].empty) == "没有待确认的申请。"


def test_it_shows_the_hotline_the_level_3_checks_due_today_with_their_times(hotline, book, frozen_now):
    book("2026-11-26 10:00", "11:00", title="上午会")
    book("2026-11-26 15:00", "16:00", title="下午会")
    book("2026-11-27 09:00", "10:00", title="明天的会")
    checks = _section(hotline, Role.HOTLINE).lists[1]
    assert [(title, due) for title, due, _place, _status in _rows(checks)] == [
        ("上午会", at("2026-11-26 09:30")),
        ("下午会", at("2026-11-26 14:30")),
    ]
    assert checks.items[0].url.startswith("/service/meetings/")
    assert "10:00" in checks.items[0].detail


def test_it_says_a_check_waits_for_the_level_below(hotline, book, frozen_now):
    meeting = book("2026-11-26 10:00", "11:00")
    assert str(_section(hotline, Role.HOTLINE).lists[1].items[0].status) == "等待一级检查"
    _pass_levels(meeting, 1)
    assert str(_section(hotline, Role.HOTLINE).lists[1].items[0].status) == "等待二级检查"
    _pass_levels(meeting, 2)
    item = _section(hotline, Role.HOTLINE).lists[1].items[0]
    assert (str(item.status), item.tone) == ("待确认", "waiting")


@pytest.mark.parametrize(
    ("now", "status", "tone"),
    [("09:29", "待确认", "waiting"), ("09:30", "待确认", "waiting"), ("09:31", "已超时", "alert")],
)
def test_it_marks_a_check_overdue_only_once_its_due_time_has_passed(hotline, book, frozen_now, now, status, tone):
    meeting = book("2026-11-26 10:00", "11:00")
    _pass_levels(meeting, 1, 2)
    frozen_now.move_to(at(f"2026-11-26 {now}"))
    item = _section(hotline, Role.HOTLINE).lists[1].items[0]
    assert (str(item.status), item.tone) == (status, tone)


def test_it_leaves_out_confirmed_checks_and_started_meetings(hotline, attendant, team_leader, book, frozen_now):
    confirmed = book("2026-11-26 10:00", "11:00", title="已确认")
    _pass_levels(confirmed, 1, 2, 3)
    started = book("2026-11-26 12:00", "13:00", title="已开始", room=confirmed.room)
    assignment_add(user=team_leader, meeting=started, attendant=attendant, duty="lead")
    frozen_now.move_to(at("2026-11-26 11:50"))
    meeting_start(user=attendant, meeting=started)
    assert _section(hotline, Role.HOTLINE).lists[1].items == []


def test_it_lists_a_problem_reported_in_red(hotline, book, frozen_now):
    meeting = book("2026-11-26 10:00", "11:00")
    _pass_levels(meeting, 1, 2)
    MeetingCheck.objects.filter(meeting=meeting, level=3).update(state=MeetingCheck.State.FAILED)
    item = _section(hotline, Role.HOTLINE).lists[1].items[0]
    assert (str(item.status), item.tone) == ("发现问题", "alert")


def test_it_hides_a_confidential_meeting_from_the_uncleared(hotline, manager, book, frozen_now):
    book("2026-11-26 10:00", "11:00", title="保密专题会", confidentiality=1, user=manager)
    assert _section(hotline, Role.HOTLINE).lists[1].items == []


# --- team leader and environment supervisor -----------------------------------------------------------


def test_it_shows_the_team_leader_todays_and_tomorrows_meetings_nobody_serves(
    team_leader, attendant, book, other_room, frozen_now
):
    nobody = book("2026-11-26 10:00", "11:00", title="今天没人")
    staffed = book("2026-11-26 14:00", "15:00", title="今天有人")
    assignment_add(user=team_leader, meeting=staffed, attendant=attendant, duty="lead")
    book("2026-11-27 23:00", "23:30", title="明天深夜")
    book("2026-11-28 00:00", "01:00", title="后天零点", room=other_room)
    unassigned = _section(team_leader, Role.TEAM_LEADER).lists[0]
    assert [title for title, *_rest in _rows(unassigned)] == ["今天没人", "明天深夜"]
    assert str(unassigned.items[0].status) == "未派工"
    assert unassigned.items[0].url == f"/service/meetings/{nobody.pk}/"
    assert str(unassigned.items[0].action) == "派工"


@pytest.mark.parametrize(("now", "tone"), [("07:59", "waiting"), ("08:00", "alert"), ("08:01", "alert")])
def test_it_marks_in_red_a_meeting_nobody_serves_two_hours_before_it(team_leader, book, frozen_now, now, tone):
    book("2026-11-26 10:00", "11:00")
    frozen_now.move_to(at(f"2026-11-26 {now}"))
    assert _section(team_leader, Role.TEAM_LEADER).lists[0].items[0].tone == tone


def test_it_shows_the_team_leader_the_level_1_checks_due_today(team_leader, book, frozen_now):
    book("2026-11-26 11:00", "12:00", title="上午会")
    book("2026-11-27 00:30", "01:30", title="明天凌晨")  # level 1 due today 22:30
    book("2026-11-27 03:00", "04:00", title="明天清早")  # level 1 due tomorrow 01:00
    checks = _section(team_leader, Role.TEAM_LEADER).lists[1]
    assert [(title, due) for title, due, *_rest in _rows(checks)] == [
        ("上午会", at("2026-11-26 09:00")),
        ("明天凌晨", at("2026-11-26 22:30")),
    ]
    assert str(checks.title) == "今日到期的一级检查"


def test_it_shows_the_environment_supervisor_the_level_2_checks_due(env_supervisor, book, frozen_now):
    meeting = book("2026-11-26 11:00", "12:00", title="上午会")
    checks = _section(env_supervisor, Role.ENV_SUPERVISOR).lists[0]
    assert _rows(checks) == [("上午会", at("2026-11-26 10:00"), "701会议室", "等待一级检查")]
    _pass_levels(meeting, 1)
    assert str(_section(env_supervisor, Role.ENV_SUPERVISOR).lists[0].items[0].status) == "待确认"


# --- attendant ----------------------------------------------------------------------------------------


def test_it_shows_the_attendant_one_next_action_per_meeting(attendant, team_leader, book, other_room, frozen_now):
    first = book("2026-11-26 10:00", "11:00", title="上午会")
    second = book("2026-11-26 14:00", "15:00", title="下午会", room=other_room)
    book("2026-11-26 16:00", "17:00", title="别人的会")
    for meeting in (first, second):
        assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    actions = _section(attendant, Role.ATTENDANT).lists[0]
    assert [item.title for item in actions.items] == ["上午会", "下午会"]
    assert actions.total == 2
    assert {item.url for item in actions.items} == {"/service/mine/"}
    assert [(item.at, str(item.status)) for item in actions.items] == [
        (at("2026-11-26 10:00"), "会议开始"),
        (at("2026-11-26 14:00"), "会议开始"),
    ]
    assert actions.items[0].detail.startswith("会前准备 0/")


def test_it_names_the_refill_due_when_the_meeting_runs(attendant, team_leader, book, frozen_now):
    meeting = book("2026-11-26 10:00", "11:00", title="上午会")
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    frozen_now.move_to(at("2026-11-26 10:00"))
    meeting_start(user=attendant, meeting=meeting)
    statuses = [str(item.status) for item in _section(attendant, Role.ATTENDANT).lists[0].items]
    assert statuses == ["第 1 次续水"]


# --- client -------------------------------------------------------------------------------------------


def test_it_shows_the_client_their_organizations_meetings_and_what_was_done(
    requester, hotline, attendant, team_leader, draft, book, other_room, frozen_now
):
    requested = meeting_create(user=requester, draft=draft("2026-11-28 09:00", "10:00", title="待确认的会"))
    confirmed = book("2026-11-26 10:00", "11:00", title="今天的会")
    _pass_levels(confirmed, 1, 2)
    rejected = meeting_create(
        user=requester, draft=draft("2026-11-27 09:00", "10:00", title="被拒绝的会", room=other_room)
    )
    meeting_reject(user=hotline, meeting=rejected, reason="会议室检修")
    cancelled = book("2026-11-27 14:00", "15:00", title="取消的会")
    meeting_cancel(user=hotline, meeting=cancelled, reason="改期")
    book("2026-11-27 16:00", "17:00", title="别家的会", organizer=Organization.objects.create(name="市财政局"))
    section = _section(requester, Role.CLIENT)
    [meetings] = section.lists
    assert [(item.title, str(item.status), item.tone) for item in meetings.items] == [
        ("今天的会", "已确认", "ok"),
        ("被拒绝的会", "已拒绝", "alert"),
        ("待确认的会", "待确认", "waiting"),
    ]
    assert [item.detail for item in meetings.items] == ["检查已确认 2/3", "原因：会议室检修", "提交于 11-26 08:00"]
    assert meetings.items[0].url == f"/meetings/{confirmed.pk}/"
    assert [(str(count.label), count.value) for count in section.counts] == [("待确认", 1), ("已确认待召开", 1)]
    assert section.waiting == "1 个申请待确认"
    assert requested.status == "requested"


def test_it_tells_the_client_when_their_meeting_started_and_ended(requester, attendant, team_leader, book, frozen_now):
    meeting = book("2026-11-26 10:00", "11:00", title="今天的会")
    _pass_levels(meeting, 1, 2, 3)
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    frozen_now.move_to(at("2026-11-26 10:02"))
    meeting_start(user=attendant, meeting=meeting)
    assert _section(requester, Role.CLIENT).lists[0].items[0].detail == "检查已确认 3/3 · 10:02 开始"
    frozen_now.move_to(at("2026-11-26 11:05"))
    meeting_end(user=attendant, meeting=meeting)
    assert _section(requester, Role.CLIENT).lists[0].items[0].detail == "检查已确认 3/3 · 10:02 开始 · 11:05 结束"


@pytest.mark.parametrize(("now", "to_come"), [("09:59", 1), ("10:00", 0), ("10:01", 0)])
def test_it_counts_a_confirmed_meeting_as_to_come_until_it_starts(requester, book, frozen_now, now, to_come):
    book("2026-11-26 10:00", "11:00")
    frozen_now.move_to(at(f"2026-11-26 {now}"))
    assert _section(requester, Role.CLIENT).counts[1].value == to_come


def test_it_shows_the_client_todays_meetings_but_not_yesterdays(requester, book, frozen_now):
    book("2026-11-26 09:00", "10:00", title="今天的会")
    frozen_now.move_to(at("2026-11-27 00:00"))
    assert _section(requester, Role.CLIENT).lists[0].items == []


# --- security officer, administrator (reception's section: reception/tests/test_day_today.py) -------------------------


def test_it_shows_the_security_officer_whose_papers_need_renewing(security_officer, attendant, frozen_now):
    span = {"valid_from": date(2026, 1, 1), "recorded_by": security_officer}
    BackgroundCheck.objects.create(user=attendant, issuer="市公安局", valid_until=date(2026, 12, 10), **span)
    ConfidentialityAgreement.objects.create(user=attendant, valid_until=date(2027, 12, 31), **span)
    Authorization.objects.create(user=attendant, valid_until=date(2026, 11, 20), **span)
    section = _section(security_officer, Role.SECURITY_OFFICER)
    [papers] = section.lists
    [item] = papers.items
    assert item.title == "attendant 测试"
    assert item.tone == "alert"
    assert item.url == f"/security/staff/{attendant.pk}/"
    assert section.counts[0].value == 0


def test_it_points_the_administrator_to_the_failed_deliveries(sysadmin, hotline, frozen_now):
    hotline.email = "hotline@example.com"
    hotline.save()
    notification = Notification.objects.create(recipient=hotline, kind="meeting_booked", title="x", url="/")
    Delivery.objects.create(notification=notification, channel="email", event_key="k", state=Delivery.State.FAILED)
    section = _section(sysadmin, Role.ADMIN)
    assert section.link_url == "/admin/"
    assert section.counts[0].value == 1
    assert section.counts[0].url == "/admin/notify/delivery/?state__exact=failed"


# --- every role ---------------------------------------------------------------------------------------


def test_it_promises_nothing_for_later_in_any_section(make_persona):
    user = make_persona("admin")
    from django.contrib.auth.models import Group

    user.groups.set(Group.objects.all())
    user = type(user).objects.get(pk=user.pk)
    with translation.override("en"):
        hints = [str(section.hint) for section in today_sections(user)]
    assert hints
    assert not [hint for hint in hints if "will appear" in hint]


def _queries(user) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        today_sections(user)
    return [query["sql"][:120] for query in captured.captured_queries]


@pytest.mark.parametrize("code", ["hotline", "team_leader", "env_supervisor", "attendant", "client", "reception"])
def test_it_costs_the_same_queries_for_one_meeting_or_many(
    code, make_persona, requester, draft, team_leader, other_room, frozen_now
):
    user = requester if code == "client" else make_persona(code)
    attendant = make_persona("attendant")
    hotline = make_persona("hotline")

    def add(start):
        short = {"setup_minutes": 0, "teardown_minutes": 0}
        end = start + timedelta(minutes=30)
        meeting_create(user=requester, draft=draft(start, end, **short))
        meeting = meeting_create(user=hotline, draft=draft(start, end, room=other_room, **short))
        if code == "attendant":
            assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")

    add(at("2026-11-26 08:30"))
    _queries(user)  # the user's roles and permissions, looked up once
    one = _queries(user)
    # More rows than a list shows (MAX_ITEMS): each list is read, and counted, by the same one query.
    for slot in range(1, MAX_ITEMS + 1):
        add(at("2026-11-26 08:30") + slot * timedelta(minutes=30))
    add(at("2026-11-27 10:00"))
    add(at("2026-11-28 10:00"))
    assert len(_queries(user)) == len(one), "\n".join(_queries(user))


# --- the page and the API -----------------------------------------------------------------------------


def test_it_shows_the_rows_on_the_page(client, hotline, requester, draft, frozen_now):
    meeting_create(user=requester, draft=draft("2026-11-27 09:00", "10:00", title="客户申请的会"))
    login_as(client, hotline)
    page = client.get("/").content.decode()
    assert "客户申请的会" in page
    assert "确认或拒绝" in page
    assert ">11-27<" in page  # a row not of today gives its day
    assert "将在此显示" not in page


def test_it_gives_the_today_page_over_the_api(api, hotline, requester, draft, frozen_now):
    meeting_create(user=requester, draft=draft("2026-11-27 09:00", "10:00", title="客户申请的会"))
    body = api(hotline, "get", "/today").json()
    assert body["date"] == "2026-11-26"
    # The hotline's own section (its other work has sections of its own, titled: 委托事务, 投诉与客户跟进).
    [section] = [section for section in body["sections"] if section["title"] == section["role_label"]]
    assert (section["role"], section["role_label"]) == ("hotline", "服务热线")
    requests, checks = section["lists"]
    assert requests["total"] == 1
    assert requests["items"][0] == {
        "title": "客户申请的会",
        "at": "2026-11-27T09:00:00+08:00",
        "place": "701会议室",
        "status": "待确认",
        "tone": "waiting",
        "detail": "测试委办局",
        "url": requests["items"][0]["url"],
        "action": "确认或拒绝",
    }
    assert checks["items"] == []


def test_it_gives_a_user_without_a_role_no_section_over_the_api(api, outsider):
    assert api(outsider, "get", "/today").json()["sections"] == []


def test_it_asks_who_calls_the_api_without_credentials(client, db):
    assert client.get("/api/v1/today").status_code == 401
