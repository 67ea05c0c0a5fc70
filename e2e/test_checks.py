"""The check panel in the browser, on a phone (360 px) and a desktop (1280 px): the team leader answers each
item (none chosen beforehand) within the level's window; the environment supervisor sees what level 2 waits
for and who is responsible, instead of an empty panel."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


@pytest.fixture
def daytime():
    """The meetings start two or three hours from now, on today's date: late in the evening the test (and the
    live server, which runs in this process) happens at 18:00 instead."""
    now = timezone.localtime()
    if now.hour < 18:
        yield
        return
    with time_machine.travel(now.replace(hour=18, minute=0), tick=True):
        yield


def _meetings(hotline, team_leader, attendant, draft, other_room):
    """Level 1 of both is due in 20 minutes (its window is open); only the first has an attendant."""
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add

    start = (timezone.localtime() + timedelta(hours=2, minutes=20)).replace(second=0, microsecond=0)
    staffed = meeting_create(user=hotline, draft=draft(start, start + timedelta(hours=1), title="专题会"))
    assignment_add(user=team_leader, meeting=staffed, attendant=attendant, duty="lead")
    unstaffed = meeting_create(
        user=hotline, draft=draft(start, start + timedelta(hours=1), title="协调会", room=other_room)
    )
    return staffed, unstaffed


@pytest.mark.parametrize(("size", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_it_has_each_item_answered_and_shows_the_env_supervisor_why_level_2_waits(
    daytime,
    page,
    browser,
    live_server,
    hotline,
    team_leader,
    env_supervisor,
    attendant,
    draft,
    other_room,
    size,
    suffix,
):
    staffed, unstaffed = _meetings(hotline, team_leader, attendant, draft, other_room)
    page.set_viewport_size(size)
    sign_in(page, live_server, "team_leader", PERSONA_PASSWORD)

    page.goto(f"{live_server.url}/service/meetings/{staffed.pk}/")
    form = page.get_by_test_id("check-form")
    expect(form).to_contain_text("确认一级检查")
    expect(page.get_by_test_id("facts")).to_contain_text("✓")
    expect(page.get_by_test_id("facts")).to_contain_text("已安排：attendant 测试")
    expect(page.get_by_test_id("check-2").get_by_test_id("check-window")).to_contain_text("确认时间：")
    assert form.locator("input[type=radio]:checked").count() == 0
    assert_no_sideways_scroll(page)
    screenshot(page, f"checks-team-leader-{suffix}")

    # Sent with nothing answered, it is refused, naming the items.
    form.get_by_role("button", name="提交检查").click()
    expect(page.get_by_test_id("check-form")).to_contain_text("未作答")
    for item in page.get_by_test_id("check-item").all():
        item.get_by_text("通过", exact=True).click()
    page.get_by_test_id("check-form").get_by_role("button", name="提交检查").click()
    expect(page.get_by_test_id("check-1")).to_contain_text("已确认")
    expect(page.get_by_test_id("check-form")).to_have_count(0)

    # Where nobody is assigned the fact shows as a cross, and passing is not offered as possible.
    page.goto(f"{live_server.url}/service/meetings/{unstaffed.pk}/")
    expect(page.get_by_test_id("facts")).to_contain_text("✗")
    expect(page.get_by_test_id("facts")).to_contain_text("尚未派工")
    expect(page.get_by_test_id("facts-block")).to_contain_text("本级不能通过")
    screenshot(page, f"checks-unstaffed-{suffix}")

    context = browser.new_context(viewport=size, locale="zh-CN", timezone_id="Asia/Shanghai")
    supervisor = context.new_page()
    sign_in(supervisor, live_server, "env_supervisor", PERSONA_PASSWORD)
    supervisor.goto(f"{live_server.url}/service/meetings/{unstaffed.pk}/")
    note = supervisor.get_by_test_id("my-check-note")
    expect(note).to_contain_text("二级检查：等待一级检查（负责人：会务服务组长 team_leader 测试）")
    expect(supervisor.get_by_test_id("check-form")).to_have_count(0)
    assert_no_sideways_scroll(supervisor)
    screenshot(supervisor, f"checks-env-supervisor-waiting-{suffix}")

    # Level 1 confirmed: level 2 opens 30 minutes before it is due; until then a problem can be reported.
    supervisor.goto(f"{live_server.url}/service/meetings/{staffed.pk}/")
    expect(supervisor.get_by_test_id("my-check-note")).to_contain_text("尚未到确认时间")
    expect(supervisor.get_by_test_id("report-early")).to_contain_text("已发现问题？现在即可上报")
    assert_no_sideways_scroll(supervisor)
    screenshot(supervisor, f"checks-env-supervisor-not-yet-{suffix}")
    context.close()


@pytest.mark.parametrize(("size", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_it_lets_the_manager_set_how_early_a_level_can_be_confirmed(page, live_server, manager, size, suffix):
    page.set_viewport_size(size)
    sign_in(page, live_server, "manager", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/standards/")
    field = page.get_by_label("可提前确认（距检查到期的分钟数）")
    expect(field).to_have_value("30")
    assert_no_sideways_scroll(page)
    screenshot(page, f"standards-form-{suffix}")
    field.fill("20")
    page.get_by_label("变更原因").fill("确认时间缩短")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_test_id("versions")).to_contain_text("确认时间缩短")
    expect(page.get_by_label("可提前确认（距检查到期的分钟数）")).to_have_value("20")
    page.get_by_test_id("version").first.locator("a").click()
    expect(page.get_by_test_id("standard-summary")).to_contain_text("各级检查到期前 20 分钟起")
    screenshot(page, f"standard-confirm-window-{suffix}")
