"""The client portal's meeting pages: a client's meetings as cards on two tabs, and a meeting's page with its
service progress on top. Staff keep their own list, and see the progress too."""

import re

import pytest
import time_machine

from huiwu.delegations.models import DelegatedTask
from huiwu.directory.models import Organization
from huiwu.meetings.services import meeting_cancel, meeting_create, meeting_reject
from huiwu.service.models import MeetingCheck
from huiwu.service.services import assignment_add, check_confirm, meeting_end, meeting_start, refill_record
from huiwu.service.standards import level_items, standard_for
from huiwu.testing import at, login_as


@pytest.fixture
def requester(client_contact, organization):
    client_contact.organization = organization
    client_contact.save()
    return client_contact


@pytest.fixture
def portal(client, requester):
    login_as(client, requester)
    return client


@pytest.fixture
def other_organization(db):
    return Organization.objects.create(name="市财政局")


def _passed(meeting, level):
    return dict.fromkeys(level_items(standard_for(meeting), level), True)


def _checked(meeting, team_leader, env_supervisor, hotline, attendant):
    """Assigned, and its three levels confirmed each at its due time."""
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    for level, user in ((1, team_leader), (2, env_supervisor), (3, hotline)):
        with time_machine.travel(MeetingCheck.objects.get(meeting=meeting, level=level).due_at, tick=False):
            check_confirm(user=user, meeting=meeting, level=level, results=_passed(meeting, level))


def _booked_earlier(book, *args, **kwargs):
    """A meeting booked the week before, so that it may lie before the frozen now."""
    with time_machine.travel(at("2026-11-20 08:00"), tick=False):
        return book(*args, **kwargs)


def _cards(html: str) -> list[str]:
    """The titles of the cards, in order."""
    return re.findall(r'class="hw-meeting-card-title">([^<]+)<', html)


def _stages(html: str) -> list[str]:
    return re.findall(r'data-testid="stage">([^<]+)<', html)


# --- the list -------------------------------------------------------------------------------------------


def test_it_lists_the_clients_meetings_to_come_soonest_first(portal, book, frozen_now):
    book("2026-11-28 09:00", "10:00", title="周六的会")
    book("2026-11-27 09:00", "10:00", title="周五的会")
    _booked_earlier(book, "2026-11-25 09:00", "10:00", title="周三的会")
    html = portal.get("/meetings/").content.decode()
    assert _cards(html) == ["周五的会", "周六的会"]
    assert 'aria-current="page" href="?when=upcoming"' in html


def test_it_lists_past_meetings_latest_first(portal, book, frozen_now):
    _booked_earlier(book, "2026-11-24 09:00", "10:00", title="周二的会")
    _booked_earlier(book, "2026-11-25 09:00", "10:00", title="周三的会")
    book("2026-11-27 09:00", "10:00", title="周五的会")
    html = portal.get("/meetings/", {"when": "past"}).content.decode()
    assert _cards(html) == ["周三的会", "周二的会"]
    assert 'aria-current="page" href="?when=past"' in html


@pytest.mark.parametrize(("now", "tab"), [("09:59", "upcoming"), ("10:00", "past"), ("10:01", "past")])
def test_it_moves_a_meeting_to_the_past_when_it_ends(portal, book, frozen_now, now, tab):
    book("2026-11-26 09:00", "10:00", title="今天的会")
    frozen_now.move_to(at(f"2026-11-26 {now}"))
    assert _cards(portal.get("/meetings/", {"when": tab}).content.decode()) == ["今天的会"]


def test_it_keeps_a_meeting_running_over_time_among_the_upcoming(
    portal, book, team_leader, env_supervisor, hotline, attendant, frozen_now
):
    meeting = book("2026-11-26 10:00", "11:00", title="超时的会")
    _checked(meeting, team_leader, env_supervisor, hotline, attendant)
    frozen_now.move_to(at("2026-11-26 10:00"))
    meeting_start(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-26 11:20"))
    html = portal.get("/meetings/").content.decode()
    assert (_cards(html), _stages(html)) == (["超时的会"], ["进行中"])
    assert _cards(portal.get("/meetings/", {"when": "past"}).content.decode()) == []
    meeting_end(user=attendant, meeting=meeting)
    assert _cards(portal.get("/meetings/", {"when": "past"}).content.decode()) == ["超时的会"]


def test_it_says_where_each_meeting_stands_in_words(
    portal, book, draft, requester, hotline, team_leader, env_supervisor, attendant, other_room, frozen_now
):
    meeting_create(user=requester, draft=draft("2026-11-27 09:00", "10:00", title="申请中"))
    book("2026-11-27 11:00", "12:00", title="已确认的会")
    rejected = meeting_create(user=requester, draft=draft("2026-11-27 14:00", "15:00", title="被拒的会"))
    meeting_reject(user=hotline, meeting=rejected, reason="会议室检修")
    cancelled = book("2026-11-27 16:00", "17:00", title="取消的会")
    meeting_cancel(user=requester, meeting=cancelled, reason="领导出差")
    running = book("2026-11-26 09:00", "11:00", title="进行中的会", room=other_room)
    assignment_add(user=team_leader, meeting=running, attendant=attendant, duty="lead")
    frozen_now.move_to(at("2026-11-26 09:00"))
    meeting_start(user=attendant, meeting=running)
    html = portal.get("/meetings/").content.decode()
    assert list(zip(_cards(html), _stages(html), strict=True)) == [
        ("进行中的会", "进行中"),
        ("申请中", "已提交申请，等待确认"),
        ("已确认的会", "已确认"),
        ("被拒的会", "已拒绝"),
        ("取消的会", "已取消"),
    ]
    assert "原因：会议室检修" in html
    assert "原因：领导出差" in html
    frozen_now.move_to(at("2026-11-26 11:05"))
    meeting_end(user=attendant, meeting=running)
    assert _stages(portal.get("/meetings/", {"when": "past"}).content.decode()) == ["已结束"]


def test_it_lists_nothing_of_another_organization(portal, book, other_organization, frozen_now):
    book("2026-11-27 09:00", "10:00", title="别家的会", organizer=other_organization)
    book("2026-11-27 11:00", "12:00", title="别家的保密会", organizer=other_organization, confidentiality=1)
    for when in ("upcoming", "past"):
        html = portal.get("/meetings/", {"when": when}).content.decode()
        assert "别家" not in html
        assert 'data-testid="no-meetings"' in html


def test_it_badges_the_delegated_tasks_waiting_for_the_clients_confirmation(
    portal, book, hotline, organization, frozen_now
):
    meeting = book("2026-11-27 09:00", "10:00", title="周五的会")
    book("2026-11-27 11:00", "12:00", title="没有委托的会")
    for state in (
        DelegatedTask.State.AWAITING_CLIENT,
        DelegatedTask.State.AWAITING_CLIENT,
        DelegatedTask.State.ACCEPTED,
    ):
        done = (
            {"done_at": at("2026-11-27 08:00"), "done_by": hotline}
            if state == DelegatedTask.State.AWAITING_CLIENT
            else {}
        )
        DelegatedTask.objects.create(
            title="代购水果",
            requester_name="综合办公室",
            organization=organization,
            meeting=meeting,
            due_at=at("2026-11-27 08:30"),
            state=state,
            created_by=hotline,
            **done,
        )
    html = portal.get("/meetings/").content.decode()
    assert html.count('data-testid="waiting"') == 1
    assert f'href="/meetings/{meeting.pk}/#tasks">待确认委托事务 2<' in html


def test_it_lists_the_cards_in_a_fixed_number_of_queries(portal, book, other_room, frozen_now):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert portal.get("/meetings/").status_code == 200
        return len(captured)

    book("2026-11-27 09:00", "10:00")
    few = queries()
    for hour in (11, 14, 16):
        book(f"2026-11-27 {hour}:00", f"{hour}:30")
        book(f"2026-11-27 {hour}:00", f"{hour}:30", room=other_room)
    assert queries() == few


def test_it_keeps_the_staff_list_with_its_filters_and_export(client, hotline, book, frozen_now):
    book("2026-11-27 09:00", "10:00", title="周五的会")
    login_as(client, hotline)
    html = client.get("/meetings/").content.decode()
    assert 'data-testid="export"' in html
    assert "<summary>筛选</summary>" in html
    assert 'data-testid="when-tabs"' not in html


def test_it_offers_the_client_a_request_but_no_export(portal, frozen_now):
    html = portal.get("/meetings/").content.decode()
    assert 'href="/meetings/new/"' in html
    assert 'data-testid="export"' not in html


# --- the meeting's page ---------------------------------------------------------------------------------


def test_it_shows_the_client_the_progress_of_a_started_meeting(
    portal, book, team_leader, env_supervisor, hotline, attendant, frozen_now
):
    meeting = book("2026-11-27 09:00", "10:00", title="周五的会")
    _checked(meeting, team_leader, env_supervisor, hotline, attendant)
    frozen_now.move_to(at("2026-11-27 09:02"))
    meeting_start(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:19"))
    refill_record(user=attendant, meeting=meeting)
    html = portal.get(f"/meetings/{meeting.pk}/").content.decode()
    steps = re.findall(r'data-key="([a-z_0-9]+)"', html)
    assert steps == ["confirmed", "assigned", "check_1", "check_2", "check_3", "started", "refill_1", "ended"]
    for text in ("服务进度", "一级检查已确认", "三级检查已确认", "attendant 测试（主责）", "第 1 次续水", "计划 10:00"):
        assert text in html
    assert 'data-testid="status">进行中<' in html


def test_it_hides_what_is_internal_from_the_client(portal, book, team_leader, hotline, attendant, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00", title="周五的会")
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    answers = _passed(meeting, 1)
    item = next(iter(answers))
    with time_machine.travel(at("2026-11-27 06:50"), tick=False):
        check_confirm(user=team_leader, meeting=meeting, level=1, results=answers | {item: False}, notes="桌牌印错")
    html = portal.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "桌牌印错" not in html
    assert item not in html
    assert f"/service/meetings/{meeting.pk}/" not in html
    assert "一级检查已确认" not in html


def test_it_shows_staff_the_progress_beside_everything_they_had(client, book, hotline, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00", title="周五的会")
    login_as(client, hotline)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="progress"' in html
    assert f'href="/service/meetings/{meeting.pk}/"' in html
    assert 'data-testid="status">已确认<' in html
    assert '<h2 class="h5 mt-4">变更记录</h2>' in html


def test_it_shows_a_rejected_request_with_its_reason(portal, draft, requester, hotline, frozen_now):
    meeting = meeting_create(user=requester, draft=draft())
    meeting_reject(user=hotline, meeting=meeting, reason="会议室检修")
    html = portal.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="status">已拒绝<' in html
    assert re.findall(r'data-key="([a-z_0-9]+)"', html) == ["requested", "rejected"]
    assert '<div class="hw-step-detail">会议室检修</div>' in html


def test_it_answers_404_for_another_organizations_meeting(portal, book, other_organization, frozen_now):
    ordinary = book("2026-11-27 09:00", "10:00", organizer=other_organization)
    secret = book("2026-11-27 11:00", "12:00", organizer=other_organization, confidentiality=1)
    for meeting in (ordinary, secret):
        assert portal.get(f"/meetings/{meeting.pk}/").status_code == 404


def test_it_shows_the_client_their_own_confidential_meeting(portal, book, manager, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00", title="保密的会", confidentiality=1, user=manager)
    html = portal.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="progress"' in html


def test_it_reads_the_meetings_page_in_a_fixed_number_of_queries(
    portal, book, team_leader, env_supervisor, hotline, attendant, frozen_now
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = book("2026-11-27 09:00", "10:00")
    _checked(meeting, team_leader, env_supervisor, hotline, attendant)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            portal.get(f"/meetings/{meeting.pk}/")
        return len(captured)

    before = queries()
    assignment_add(user=team_leader, meeting=meeting, attendant=team_leader, duty="helper")
    for minute in ("09:17", "09:40", "10:05"):
        frozen_now.move_to(at(f"2026-11-27 {minute}"))
        refill_record(user=attendant, meeting=meeting)
    assert queries() == before


@pytest.mark.parametrize("when", ["", "future", "<script>", "past\x00"])
def test_it_shows_the_upcoming_tab_for_any_other_window(portal, book, frozen_now, when):
    book("2026-11-27 09:00", "10:00", title="周五的会")
    response = portal.get("/meetings/", {"when": when, "page": "x"})
    assert response.status_code == 200
    assert _cards(response.content.decode()) == ["周五的会"]


def test_it_says_today_and_tomorrow_on_the_cards(portal, book, frozen_now):
    book("2026-11-26 14:00", "15:00", title="今天的会")
    book("2026-11-27 09:00", "10:00", title="明天的会")
    book("2026-11-28 09:00", "10:00", title="后天的会")
    days = re.findall(
        r'<div class="small mt-1"><span class="hw-nowrap">(.*?)</span>', portal.get("/meetings/").content.decode()
    )
    assert days == [
        "<strong>今天</strong> 2026年11月26日 星期四",
        "<strong>明天</strong> 2026年11月27日 星期五",
        "2026年11月28日 星期六",
    ]


@pytest.mark.parametrize(("now", "offered"), [("08:59", True), ("09:00", False), ("09:01", False)])
def test_it_offers_the_client_no_change_or_cancel_once_the_meeting_runs(portal, book, frozen_now, now, offered):
    meeting = book("2026-11-26 09:00", "10:00")
    frozen_now.move_to(at(f"2026-11-26 {now}"))
    html = portal.get(f"/meetings/{meeting.pk}/").content.decode()
    assert (f'href="/meetings/{meeting.pk}/edit/"' in html) is offered
    assert (f'action="/meetings/{meeting.pk}/cancel/"' in html) is offered


def test_it_keeps_offering_staff_the_change_of_a_running_meeting(client, hotline, book, frozen_now):
    meeting = book("2026-11-26 09:00", "10:00")
    frozen_now.move_to(at("2026-11-26 09:30"))
    login_as(client, hotline)
    assert f'href="/meetings/{meeting.pk}/edit/"' in client.get(f"/meetings/{meeting.pk}/").content.decode()


def test_it_links_the_clients_today_section_to_their_meetings_to_come(requester, book, frozen_now):
    from huiwu.meetings.today import today_sections

    meeting = book("2026-11-27 09:00", "10:00")
    [section] = today_sections(requester)
    [meetings] = section.lists
    assert meetings.url == "/meetings/?when=upcoming"
    assert [count.url for count in section.counts] == ["/meetings/?when=upcoming"] * 2
    assert meetings.items[0].url == f"/meetings/{meeting.pk}/"
