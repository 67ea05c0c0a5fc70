from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def _running_meeting(manager, attendant, team_leader, draft):
    """A meeting that started 15 minutes ago, served by the attendant: refill 1 is due now (winter 15–20)."""
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add, meeting_start

    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(minutes=15)
    meeting = meeting_create(
        user=manager,
        draft=draft(start, now + timedelta(hours=1), title="党组会", setup_minutes=0, teardown_minutes=0),
    )
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    meeting_start(user=attendant, meeting=meeting, at=start)
    return meeting


def test_it_shows_on_the_managers_board_the_refill_an_attendant_records_on_a_phone(
    page, browser, live_server, manager, attendant, team_leader, draft
):
    meeting = _running_meeting(manager, attendant, team_leader, draft)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/mine/")
    card = page.get_by_test_id("meeting-card").filter(has_text="党组会")
    expect(card.get_by_test_id("next-action")).to_contain_text("第 1 次续水")
    expect(card).to_contain_text("701会议室")
    assert_no_sideways_scroll(page)
    screenshot(page, "my-tasks-phone")
    card.get_by_test_id("do-refill").click()
    expect(page.get_by_role("status")).to_contain_text("已记录第 1 次续水")
    # The next window is measured from now: refill 2 in 20 to 25 minutes.
    expect(card.get_by_test_id("next-action")).to_contain_text("第 2 次续水")
    expect(card.get_by_test_id("countdown")).to_contain_text("20 分钟后")
    assert_no_sideways_scroll(page)

    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    board = desk.new_page()
    sign_in(board, live_server, "manager", PERSONA_PASSWORD)
    board.goto(f"{live_server.url}/service/board/")
    row = board.locator(f'[data-testid="board-row"][data-meeting="{meeting.pk}"]')
    expect(row.get_by_test_id("last-refill")).to_contain_text("第 1 次续水")
    expect(row.get_by_test_id("last-refill")).to_contain_text("attendant 测试")
    expect(row.get_by_test_id("next-refill")).to_contain_text("第 2 次续水")
    screenshot(board, "board-desktop")
    desk.close()


def test_it_lets_the_team_leader_confirm_level_1_on_a_phone_and_the_board_lights_it(
    page, live_server, team_leader, hotline, attendant, draft
):
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add

    # Level 1 is due in 20 minutes: its window (from 30 minutes before) is open; someone serves the meeting.
    start = (timezone.localtime() + timedelta(hours=2, minutes=20)).replace(second=0, microsecond=0)
    meeting = meeting_create(user=hotline, draft=draft(start, start + timedelta(hours=1), title="专题会"))
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "team_leader", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/meetings/{meeting.pk}/")
    form = page.get_by_test_id("check-form")
    expect(form).to_contain_text("确认一级检查")
    assert_no_sideways_scroll(page)
    screenshot(page, "meeting-service-phone")
    # Every item starts unanswered: each is answered, one tap per item.
    for item in form.get_by_test_id("check-item").all():
        item.get_by_text("通过", exact=True).click()
    form.get_by_role("button", name="提交检查").click()
    expect(page.get_by_test_id("check-1")).to_contain_text("已确认")
    page.goto(f"{live_server.url}/service/board/?date={start:%Y-%m-%d}")
    expect(
        page.locator(f'[data-testid="board-row"][data-meeting="{meeting.pk}"]').get_by_test_id("light-1")
    ).to_contain_text("✓")
    assert_no_sideways_scroll(page)
    screenshot(page, "board-phone")
