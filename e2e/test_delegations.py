"""Delegated tasks in the browser, the seed's case (篇2): the hotline records a fruit purchase for a meeting on
the desktop, the attendant marks it done on a 360 px phone with the cost and a photo of the receipt, and the
client, on her phone, sees 待客户确认 with the service plan and confirms it with one tap. And the other way a task
completes: the hotline records a notice to the client (知会) by phone on the desktop."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

PLAN = "水果仅在休息时提供，分批摆放以保持新鲜"


@pytest.fixture
def meeting(hotline, client_contact, draft):
    """Tomorrow afternoon's meeting of the client's organization (测试委办局)."""
    from huiwu.meetings.services import meeting_create

    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(14, 0)))
    return meeting_create(
        user=hotline, draft=draft(start, start + timedelta(hours=2), title="季度工作会", headcount=20)
    )


@pytest.fixture
def receipt(tmp_path):
    from PIL import Image

    path = tmp_path / "小票.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), (250, 250, 245)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _context(browser, viewport):
    return browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")


def test_it_takes_a_fruit_purchase_from_the_hotline_to_the_clients_one_tap_confirm(
    page, browser, live_server, hotline, attendant, client_contact, meeting, receipt
):
    from huiwu.delegations.models import DelegatedTask

    # The hotline records it on the desktop, from the meeting.
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/delegations/new/?meeting={meeting.pk}")
    expect(page.get_by_role("heading", name="登记委托事务")).to_be_visible()
    page.get_by_label("事项").fill("代购水果")
    page.get_by_label("数量").fill("时令水果 5 公斤（20 人份）")
    page.get_by_label("预算（元）").fill("300")
    page.get_by_label("或内部部门、领导").fill("周敏")
    page.get_by_label("承办人").select_option(label="attendant 测试")
    page.get_by_label("服务方案").fill(PLAN)
    screenshot(page, "delegation-new-1280")
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert")).to_contain_text("委托事务已登记")
    expect(page.get_by_test_id("state")).to_have_text("已受理")
    task = DelegatedTask.objects.get()
    assert task.meeting == meeting
    assert task.due_at == meeting.start - timedelta(minutes=30)

    # The attendant marks it done on the phone, with the cost and a photo of the receipt.
    phone = _context(browser, PHONE)
    attendant_page = phone.new_page()
    sign_in(attendant_page, live_server, "attendant", PERSONA_PASSWORD)
    attendant_page.goto(f"{live_server.url}/")
    mine = attendant_page.get_by_test_id("today-item").filter(has_text="代购水果")
    expect(mine).to_contain_text("已受理")
    mine.get_by_role("link", name="标记完成").click()
    attendant_page.get_by_test_id("start").click()
    expect(attendant_page.get_by_test_id("state")).to_have_text("办理中")
    attendant_page.get_by_label("实际费用（元）").first.fill("268.50")
    attendant_page.get_by_label("完成情况").fill("已购 5 公斤，存放在备餐间，休息时分三批摆放。")
    assert_no_sideways_scroll(attendant_page)
    screenshot(attendant_page, "delegation-attendant-360")
    attendant_page.get_by_test_id("done").click()
    expect(attendant_page.get_by_test_id("state")).to_have_text("待客户确认")
    expect(attendant_page.get_by_test_id("awaiting-client")).to_contain_text(PLAN)
    attendant_page.get_by_test_id("evidence-form").locator("label", has_text="收据").click()
    attendant_page.get_by_test_id("evidence-form").get_by_label("文件").set_input_files(str(receipt))
    attendant_page.get_by_test_id("upload").click()
    expect(attendant_page.get_by_role("alert")).to_contain_text("文件已上传")
    expect(attendant_page.locator("img.hw-evidence-thumb")).to_be_visible()
    assert_no_sideways_scroll(attendant_page)
    screenshot(attendant_page, "delegation-done-360")
    phone.close()
    task.refresh_from_db()
    assert (task.state, task.actual_cost) == ("awaiting_client", Decimal("268.50"))

    # The client sees 待客户确认 with the service plan on her phone and confirms with one tap.
    client_phone = _context(browser, PHONE)
    client_page = client_phone.new_page()
    sign_in(client_page, live_server, "client", PERSONA_PASSWORD)
    client_page.goto(f"{live_server.url}/")
    waiting = client_page.get_by_test_id("today-item").filter(has_text="代购水果")
    expect(waiting).to_contain_text("待您确认")
    expect(waiting).to_contain_text(PLAN)
    screenshot(client_page, "delegation-client-today-360")
    waiting.get_by_role("link", name="确认").click()
    awaiting = client_page.get_by_test_id("awaiting-client")
    expect(awaiting).to_contain_text("待客户确认")
    expect(awaiting.get_by_test_id("service-plan")).to_contain_text(PLAN)
    expect(client_page.get_by_test_id("done-form")).to_have_count(0)
    assert_no_sideways_scroll(client_page)
    screenshot(client_page, "delegation-client-awaiting-360")
    # The same on the meeting's page, where she taps 确认 and stays.
    client_page.get_by_role("link", name="季度工作会").click()
    section = client_page.get_by_test_id("meeting-task").filter(has_text="代购水果")
    expect(section.get_by_test_id("state")).to_have_text("待客户确认")
    expect(section.get_by_test_id("service-plan")).to_contain_text(PLAN)
    assert_no_sideways_scroll(client_page)
    screenshot(client_page, "delegation-meeting-client-360")
    section.get_by_test_id("confirm").click()
    expect(client_page.get_by_role("alert")).to_contain_text("您已确认“代购水果”")
    assert client_page.url.endswith(f"/meetings/{meeting.pk}/#delegated-tasks")
    expect(section.get_by_test_id("state")).to_have_text("客户已确认")
    expect(section.get_by_test_id("confirm")).to_have_count(0)
    screenshot(client_page, "delegation-meeting-confirmed-360")
    section.get_by_role("link", name="代购水果").click()
    expect(client_page.get_by_test_id("state")).to_have_text("客户已确认")
    expect(client_page.get_by_test_id("confirmed")).to_contain_text("client 测试")
    assert_no_sideways_scroll(client_page)
    screenshot(client_page, "delegation-client-confirmed-360")
    client_page.goto(f"{live_server.url}/delegations/")
    screenshot(client_page, "delegation-client-list-360")
    client_phone.close()
    task.refresh_from_db()
    assert task.state == "confirmed"

    # The hotline's list and the meeting's cost list on the desktop.
    page.goto(f"{live_server.url}/delegations/?state=all")
    expect(page.get_by_test_id("task").filter(has_text="代购水果")).to_contain_text("客户已确认")
    screenshot(page, "delegation-list-1280")
    page.goto(f"{live_server.url}/delegations/meetings/{meeting.pk}/costs/")
    expect(page.get_by_test_id("cost-total")).to_contain_text("268.50")
    screenshot(page, "delegation-costs-1280")
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page)
    screenshot(page, "delegation-costs-360")


def test_it_lets_the_hotline_record_a_notice_by_phone_on_the_desktop(
    page, live_server, hotline, attendant, client_contact, meeting, organization
):
    from huiwu.delegations.services import task_create, task_done

    task = task_create(
        user=hotline,
        title="制作横幅",
        quantity="红底白字横幅 1 条（6 米）",
        budget=Decimal("150"),
        due_at=meeting.start - timedelta(hours=1),
        meeting=meeting,
        requester_name="周敏",
        organization=organization,
        assignee=attendant,
        service_plan="会前一小时悬挂于主席台后方",
    )
    task_done(user=attendant, task=task, actual_cost=Decimal("120"), note="已悬挂")

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/")
    row = page.get_by_test_id("today-item").filter(has_text="制作横幅")
    expect(row).to_contain_text("待客户确认")
    screenshot(page, "delegation-hotline-today-1280")
    row.get_by_role("link", name="记录知会").click()
    form = page.get_by_test_id("notice-form")
    form.get_by_text("电话", exact=True).click()
    form.get_by_label("被知会人").fill("会议主持 周敏")
    form.get_by_label("客户答复").fill("已知悉，谢谢。")
    screenshot(page, "delegation-notice-1280")
    form.get_by_test_id("notice").click()
    expect(page.get_by_role("alert")).to_contain_text("知会已记录")
    expect(page.get_by_test_id("state")).to_have_text("已知会客户")
    expect(page.get_by_test_id("notices")).to_contain_text("会议主持 周敏")
    expect(page.get_by_test_id("history")).to_contain_text("电话")
    screenshot(page, "delegation-notified-1280")
    task.refresh_from_db()
    assert task.state == "notified"
    assert task.notices.get().method == "phone"
