"""The service rules in a browser: the manager's board with its exceptions on a phone and a desktop, and an
early refill recorded with its reason on the service page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def _day_with_exceptions(manager, team_leader, attendant, client_contact, draft, room):
    """Five meetings of today, each with its exception (times relative to now, which is the live server's: the
    tests take `daytime`, so that three hours either side stay today).
    They are booked and staffed three hours ago, so that they have their checks; then served."""
    import time_machine

    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add, meeting_start, refill_record
    from huiwu.venues.models import Room

    rooms = [room] + [
        Room.objects.create(floor=room.floor, name=f"70{number}会议室", code=f"70{number}", capacity=40)
        for number in (2, 3, 4)
    ]
    colleague = user_upsert(username="att2", password="x" * 12, display_name="马丽", roles=[Role.ATTENDANT])
    now = timezone.now().replace(second=0, microsecond=0)

    def meeting(title, start, end, where, user=manager, served_by=None):
        booked = meeting_create(
            user=user,
            draft=draft(start, end, title=title, room=where, setup_minutes=0, teardown_minutes=0),
        )
        if served_by:
            assignment_add(user=team_leader, meeting=booked, attendant=served_by, duty="lead")
        return booked

    with time_machine.travel(now - timedelta(hours=3), tick=False):
        # Started 40 minutes ago without any check confirmed; its first refill (15–20 minutes) never done.
        unchecked = meeting(
            "党组会", now - timedelta(minutes=40), now + timedelta(minutes=30), rooms[0], served_by=attendant
        )
        # Started 25 minutes ago; its first refill served early at a leader's request; the second window soon.
        early = meeting(
            "专题协调会", now - timedelta(minutes=25), now + timedelta(minutes=60), rooms[1], served_by=team_leader
        )
        # Its start time passed ten minutes ago: nobody recorded it, and its checks are overdue.
        meeting("专家评审会", now - timedelta(minutes=10), now + timedelta(minutes=50), rooms[2])
        # Planned to end ten minutes ago, still running.
        overtime = meeting(
            "预算座谈会", now - timedelta(hours=2), now - timedelta(minutes=10), rooms[3], served_by=colleague
        )
        # A client's request for later today, waiting for the hotline.
        meeting("客户申请的会", now + timedelta(hours=2), now + timedelta(hours=3), rooms[0], user=client_contact)
    meeting_start(user=attendant, meeting=unchecked, at=now - timedelta(minutes=40))
    meeting_start(user=team_leader, meeting=early, at=now - timedelta(minutes=25))
    refill_record(user=team_leader, meeting=early, at=now - timedelta(minutes=15), early_reason="leader")
    meeting_start(user=colleague, meeting=overtime, at=now - timedelta(hours=2))
    return early


def test_it_shows_the_managers_board_with_the_exceptions_on_top_on_a_phone_and_a_desktop(
    daytime, page, browser, live_server, manager, team_leader, attendant, client_contact, draft, room
):
    _day_with_exceptions(manager, team_leader, attendant, client_contact, draft, room)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "manager", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/board/")
    expect(page.get_by_test_id("board-title")).to_contain_text("今日看板")
    head = page.get_by_test_id("board-head")
    expect(head.get_by_test_id("count-unchecked_start")).to_contain_text("3")
    expect(head.get_by_test_id("count-request_pending")).to_contain_text("1")
    expect(head.get_by_test_id("punctuality")).to_contain_text("续水准时率")
    rows = page.get_by_test_id("board-row")
    expect(rows.first).to_have_attribute("data-serious", "")
    expect(rows.last).to_contain_text("客户申请待确认")
    expect(page.locator('[data-kind="overtime"]')).to_contain_text("超时未结束")
    expect(page.locator('[data-kind="refill_early"]')).to_contain_text("领导要求")
    assert_no_sideways_scroll(page)
    screenshot(page, "board-exceptions-phone")

    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    board = desk.new_page()
    sign_in(board, live_server, "manager", PERSONA_PASSWORD)
    board.goto(f"{live_server.url}/service/board/")
    expect(board.get_by_test_id("board-head")).to_be_visible()
    screenshot(board, "board-exceptions-desktop")
    tomorrow = timezone.localdate() + timedelta(days=1)
    board.goto(f"{live_server.url}/service/board/?date={tomorrow:%Y-%m-%d}")
    expect(board.get_by_test_id("board-title")).to_contain_text("会务看板 ·")
    expect(board.get_by_test_id("board-title")).not_to_contain_text("今日")
    desk.close()


def test_it_records_an_early_refill_with_its_reason_on_a_phone(
    daytime, page, live_server, manager, team_leader, attendant, client_contact, draft, room
):
    early = _day_with_exceptions(manager, team_leader, attendant, client_contact, draft, room)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "team_leader", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/meetings/{early.pk}/")
    form = page.get_by_test_id("early-refill")
    expect(form).to_contain_text("提前续水请说明原因")
    form.get_by_label("提前原因").select_option("other")
    form.get_by_role("button", name="记录提前续水").click()
    expect(page.get_by_role("alert")).to_contain_text("请说明提前续水的原因。")
    form = page.get_by_test_id("early-refill")
    form.get_by_label("提前原因").select_option("other")
    form.get_by_label("备注").fill("主持人示意先续")
    assert_no_sideways_scroll(page)
    screenshot(page, "service-early-refill-phone")
    form.get_by_role("button", name="记录提前续水").click()
    expect(page.get_by_role("alert")).to_contain_text("已记录第 2 次续水（提前：主持人示意先续）")
    expect(page.get_by_test_id("refills")).to_contain_text("主持人示意先续")
