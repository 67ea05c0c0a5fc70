"""The attendant's phone (360 × 740, zh-CN): 我的任务 gives one card per meeting with its next action and
countdown, a refill is recorded from the card with one tap, and the manager's board shows it. The bottom
tab bar is there on the phone and gone on a desktop. Screenshots go to /tmp/shots as well."""

from datetime import timedelta
from pathlib import Path

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the issue asks for them; nothing secret)


def _shot(page, name: str, *, full_page: bool = True) -> None:
    screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _day_of_three(hotline, team_leader, attendant, draft, room):
    """Three meetings of the attendant's today, laid out around the real now (the live server's clock): one
    over, one running whose first refill window is open (whatever the season), one starting in a few
    minutes. They are booked, staffed, started and ended at the moments those things happen, travelling
    back in time for each."""
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add, meeting_end, meeting_start
    from huiwu.service.standards import season_on, standard_current

    now = timezone.localtime().replace(second=0, microsecond=0)
    standard = standard_current()
    season = season_on(standard, room.floor.site.code, now.date())
    first_opens = (standard.summer_refills if season == "summer" else standard.winter_refills)[0][0]
    running_start = now - timedelta(minutes=first_opens + 2)  # the window opened two minutes ago
    times = {
        "早会": (running_start - timedelta(minutes=40), running_start - timedelta(minutes=10)),
        "党组会": (running_start, now + timedelta(minutes=30)),
        "专题会": (now + timedelta(minutes=31), now + timedelta(minutes=50)),
    }
    meetings = {}
    with time_machine.travel(running_start - timedelta(minutes=60), tick=False) as traveller:
        for title, (start, end) in times.items():
            meeting = meeting_create(
                user=hotline, draft=draft(start, end, title=title, setup_minutes=0, teardown_minutes=0)
            )
            assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
            meetings[title] = meeting
        over, running = meetings["早会"], meetings["党组会"]
        traveller.move_to(over.start)
        meeting_start(user=attendant, meeting=over)
        traveller.move_to(over.end)
        meeting_end(user=attendant, meeting=over)
        traveller.move_to(running.start)
        meeting_start(user=attendant, meeting=running)
    return meetings


def test_it_lets_an_attendant_run_three_meetings_from_the_phone_and_the_board_shows_the_refill(
    daytime, page, browser, live_server, hotline, team_leader, attendant, manager, draft, room
):
    meetings = _day_of_three(hotline, team_leader, attendant, draft, room)
    running = meetings["党组会"]

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/mine/")
    cards = page.get_by_test_id("meeting-card")
    expect(cards).to_have_count(3)
    for title in meetings:
        expect(cards.filter(has_text=title)).to_have_count(1)
    card = cards.filter(has_text="党组会")
    next_action = card.get_by_test_id("next-action")
    expect(next_action).to_contain_text("第 1 次续水")
    expect(next_action.get_by_test_id("countdown")).to_contain_text("还剩")
    expect(cards.filter(has_text="专题会").get_by_test_id("next-action")).to_contain_text("会议开始")
    expect(cards.filter(has_text="专题会").get_by_test_id("countdown")).to_contain_text("分钟后")
    expect(cards.filter(has_text="专题会").get_by_test_id("progress")).to_contain_text("会前准备 0/")
    expect(cards.filter(has_text="早会")).to_contain_text("会后工作 0/")
    expect(page.get_by_test_id("tabbar")).to_be_visible()
    expect(page.get_by_test_id("tab-tasks")).to_have_attribute("aria-current", "page")
    assert_no_sideways_scroll(page)
    _shot(page, "mine-360")
    _shot(page, "tabbar-360", full_page=False)

    card.get_by_test_id("do-refill").click()
    expect(page.get_by_role("status")).to_contain_text("已记录第 1 次续水")
    # The next window is measured from the refill just recorded.
    expect(card.get_by_test_id("next-action")).to_contain_text("第 2 次续水")
    expect(card.get_by_test_id("countdown")).to_contain_text("分钟后")
    assert_no_sideways_scroll(page)

    # The checklist opens in place, and ticking an item keeps it open with the count moved on.
    upcoming = cards.filter(has_text="专题会")
    upcoming.get_by_test_id("progress").click()
    upcoming.get_by_test_id("checklist-item").first.get_by_role("button", name="标记完成").click()
    expect(upcoming.get_by_test_id("progress")).to_contain_text("会前准备 1/")
    expect(upcoming.get_by_test_id("checklist-item").first).to_be_visible()

    from huiwu.service.models import Refill

    refill = Refill.objects.get(meeting=running, number=1)
    done_at = timezone.localtime(refill.done_at).strftime("%H:%M")
    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    board = desk.new_page()
    sign_in(board, live_server, "manager", PERSONA_PASSWORD)
    board.goto(f"{live_server.url}/service/board/")
    row = board.locator(f'[data-testid="board-row"][data-meeting="{running.pk}"]')
    expect(row.get_by_test_id("last-refill")).to_contain_text("第 1 次续水")
    expect(row.get_by_test_id("last-refill")).to_contain_text(done_at)
    expect(row.get_by_test_id("last-refill")).to_contain_text("attendant 测试")
    _shot(board, "board-after-phone-refill-1280")
    desk.close()

    # Three minutes on (two refills within two minutes are taken for a double tap), refill 2 is still not
    # due: serving it now needs a reason, chosen on the card.
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=True):
        page.reload()
        card.get_by_test_id("early-refill").click()
        card.get_by_label("领导要求").check()
        _shot(page, "mine-early-360", full_page=False)
        card.get_by_test_id("do-early-refill").click()
        expect(page.get_by_role("status")).to_contain_text("第 2 次续水")
        expect(card.get_by_test_id("next-action")).to_contain_text("第 3 次续水")
    assert Refill.objects.get(meeting=running, number=2).early_reason == "leader"

    page.get_by_test_id("tab-me").click()
    expect(page.get_by_test_id("me").get_by_role("link", name="修改密码")).to_be_visible()
    expect(page.get_by_test_id("me").get_by_role("button", name="退出登录")).to_be_visible()
    _shot(page, "me-360", full_page=False)
    page.get_by_test_id("me").get_by_role("button", name="关闭").click()

    page.set_viewport_size(DESKTOP)
    expect(page.get_by_test_id("tabbar")).to_be_hidden()
    expect(page.get_by_test_id("meeting-card")).to_have_count(3)
    _shot(page, "mine-1280")
