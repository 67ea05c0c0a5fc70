"""The client portal on a 360 px phone: a client contact (an office's deputy director, checking between two
meetings) opens her organization's meetings to come, follows the progress of the one under way — request
confirmed, attendants assigned, the three checks confirmed, started, the first refill — confirms the fruit
she delegated, and looks at the meetings that are over. Then the same pages at 1280 px, and the meeting's page
as the hotline sees it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


@pytest.fixture
def daytime():
    """The meetings lie within a day and an hour or two of now; near midnight the whole test (the live server
    runs in this process) happens at 02:00 or 22:00 of today, close enough to the browser's clock for its
    cookies to hold."""
    now = timezone.localtime()
    moment = min(max(now, now.replace(hour=2, minute=0)), now.replace(hour=22, minute=0))
    if moment == now:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


def _served(meeting, *, hotline, team_leader, env_supervisor, attendant, traveller, refill_after=None):
    """Staffed the day before, its three levels confirmed each at its due time, started a minute late and, if
    asked, its first refill served `refill_after` minutes after the start."""
    from huiwu.service.models import MeetingCheck
    from huiwu.service.services import assignment_add, check_confirm, meeting_start, refill_record
    from huiwu.service.standards import level_items, standard_for

    traveller.move_to(meeting.start - timedelta(hours=20))
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    assignment_add(user=team_leader, meeting=meeting, attendant=team_leader, duty="helper")
    for level, user in ((1, team_leader), (2, env_supervisor), (3, hotline)):
        traveller.move_to(MeetingCheck.objects.get(meeting=meeting, level=level).due_at)
        items = level_items(standard_for(meeting), level)
        check_confirm(user=user, meeting=meeting, level=level, results=dict.fromkeys(items, True))
    traveller.move_to(meeting.start + timedelta(minutes=1))
    meeting_start(user=attendant, meeting=meeting)
    if refill_after is not None:
        traveller.move_to(meeting.start + timedelta(minutes=refill_after))
        refill_record(user=attendant, meeting=meeting)


def _portal_day(client_contact, hotline, team_leader, env_supervisor, attendant, draft, room, other_room):
    """The client's meetings around the real now: one requested yesterday and running now, one over since
    yesterday, one requested for tomorrow and still awaiting confirmation; a fruit purchase for the running one
    done by staff and awaiting her confirmation."""
    from huiwu.delegations.models import DelegatedTask
    from huiwu.directory.models import Contact
    from huiwu.meetings.services import meeting_confirm, meeting_create
    from huiwu.service.services import meeting_end
    from huiwu.service.standards import season_on, standard_current

    now = timezone.localtime().replace(second=0, microsecond=0)
    standard = standard_current()
    season = season_on(standard, room.floor.site.code, now.date())
    first_opens = (standard.summer_refills if season == "summer" else standard.winter_refills)[0][0]
    contact = Contact.objects.create(
        organization=client_contact.organization, name="王丽", phone="13900000000", user=client_contact
    )
    running_start = now - timedelta(minutes=first_opens + 6)
    people = {"hotline": hotline, "team_leader": team_leader, "env_supervisor": env_supervisor, "attendant": attendant}
    with time_machine.travel(running_start - timedelta(days=1), tick=False) as traveller:
        running = meeting_create(
            user=client_contact,
            draft=draft(
                running_start,
                now + timedelta(minutes=50),
                title="第四季度工作推进会",
                organizer=client_contact.organization,
                contact=contact,
                headcount=18,
            ),
        )
        traveller.shift(timedelta(minutes=12))
        meeting_confirm(user=hotline, meeting=running)
        _served(running, traveller=traveller, refill_after=first_opens + 1, **people)

        traveller.move_to(now - timedelta(days=2))
        over = meeting_create(
            user=hotline,
            draft=draft(
                now - timedelta(days=1, hours=3),
                now - timedelta(days=1, hours=2),
                title="安全生产例会",
                room=other_room,
                contact=contact,
            ),
        )
        _served(over, traveller=traveller, **people)
        traveller.move_to(over.end + timedelta(minutes=4))
        meeting_end(user=attendant, meeting=over)

        traveller.move_to(now - timedelta(minutes=40))
        meeting_create(
            user=client_contact,
            draft=draft(
                now + timedelta(days=1, hours=1),
                now + timedelta(days=1, hours=2),
                title="专题汇报会",
                contact=contact,
            ),
        )
        DelegatedTask.objects.create(
            title="代购水果",
            quantity="时令水果 5 公斤（20 人份）",
            service_plan="水果仅在休息时提供，分批摆放以保持新鲜",
            requester_contact=contact,
            organization=client_contact.organization,
            meeting=running,
            budget="300.00",
            actual_cost="268.50",
            due_at=running.start - timedelta(minutes=30),
            state=DelegatedTask.State.AWAITING_CLIENT,
            done_at=running.start - timedelta(minutes=35),
            done_by=hotline,
            created_by=client_contact,
        )
    return running, over


def test_it_shows_a_client_on_her_phone_what_was_done_for_her_meetings(
    daytime,
    page,
    browser,
    live_server,
    client_contact,
    hotline,
    team_leader,
    env_supervisor,
    attendant,
    organization,
    draft,
    room,
    other_room,
):
    client_contact.organization = organization
    client_contact.save()
    running, _over = _portal_day(
        client_contact, hotline, team_leader, env_supervisor, attendant, draft, room, other_room
    )

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "client", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/")
    expect(page.get_by_test_id("tab-upcoming")).to_have_attribute("aria-current", "page")
    cards = page.get_by_test_id("meeting-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("第四季度工作推进会")
    expect(cards.nth(0).get_by_test_id("stage")).to_have_text("进行中")
    expect(cards.nth(0).get_by_test_id("waiting")).to_have_text("待确认委托事务 1")
    expect(cards.nth(1).get_by_test_id("stage")).to_have_text("已提交申请，等待确认")
    assert_no_sideways_scroll(page)
    screenshot(page, "portal-upcoming-360")

    cards.nth(0).get_by_role("link", name="第四季度工作推进会").click()
    expect(page.get_by_role("heading", name="第四季度工作推进会")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("进行中")
    steps = page.get_by_test_id("step")
    expect(steps).to_have_count(9)
    labels = [
        "已提交申请",
        "申请已确认",
        "服务人员已安排",
        "一级检查已确认",
        "二级检查已确认",
        "三级检查已确认",
        "会议开始",
        "第 1 次续水",
        "会议结束",
    ]
    for index, label in enumerate(labels):
        expect(steps.nth(index)).to_contain_text(label)
    expect(steps.nth(1)).to_contain_text("由服务热线确认")
    expect(steps.nth(2)).to_contain_text("attendant 测试（主责）、team_leader 测试")
    expect(steps.nth(8)).to_contain_text("计划 " + timezone.localtime(running.end).strftime("%H:%M"))
    expect(steps.nth(8)).to_have_class("hw-step hw-step-to-come")
    expect(page.get_by_role("link", name="服务与检查")).to_have_count(0)
    task = page.get_by_test_id("meeting-task")
    expect(task).to_contain_text("水果仅在休息时提供，分批摆放以保持新鲜")
    assert_no_sideways_scroll(page)
    screenshot(page, "portal-meeting-360")

    task.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    expect(page.get_by_test_id("meeting-task")).not_to_contain_text("待客户确认")
    page.goto(f"{live_server.url}/meetings/")
    expect(page.get_by_test_id("waiting")).to_have_count(0)

    page.get_by_test_id("tab-past").click()
    expect(page.get_by_test_id("tab-past")).to_have_attribute("aria-current", "page")
    expect(cards).to_have_count(1)
    expect(cards.nth(0)).to_contain_text("安全生产例会")
    expect(cards.nth(0).get_by_test_id("stage")).to_have_text("已结束")
    assert_no_sideways_scroll(page)
    screenshot(page, "portal-past-360")
    cards.nth(0).get_by_role("link").first.click()
    expect(page.get_by_test_id("step").last).to_contain_text("会议结束")
    expect(page.get_by_test_id("step").last).to_have_class("hw-step hw-step-done")
    assert_no_sideways_scroll(page)
    screenshot(page, "portal-past-meeting-360")

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/meetings/?when=upcoming")
    screenshot(page, "portal-upcoming-1280")
    page.goto(f"{live_server.url}/meetings/{running.pk}/")
    expect(page.get_by_test_id("progress")).to_be_visible()
    screenshot(page, "portal-meeting-1280")

    # Staff read the same progress on the meeting's page, beside everything their page had.
    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    staff_page = desk.new_page()
    sign_in(staff_page, live_server, "hotline", PERSONA_PASSWORD)
    staff_page.goto(f"{live_server.url}/meetings/{running.pk}/")
    expect(staff_page.get_by_test_id("status")).to_have_text("已确认")
    expect(staff_page.get_by_role("link", name="服务与检查")).to_be_visible()
    expect(staff_page.get_by_test_id("step")).to_have_count(9)
    screenshot(staff_page, "portal-staff-meeting-1280")
    desk.close()
