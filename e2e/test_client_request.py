"""A client requests a meeting on a phone and reads what happens to it: submitted and awaiting confirmation,
then, once the hotline confirms it from its today page, a notification."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def test_it_tells_the_client_their_request_waits_and_then_that_it_was_confirmed(
    page, browser, live_server, client_contact, hotline, organization, room
):
    from huiwu.directory.models import Contact, Person

    client_contact.organization = organization
    client_contact.save()
    Contact.objects.create(organization=organization, name="李娜", phone="13800000000", user=client_contact)
    Person.objects.create(name="周国庆", title="局长", organization=organization, precedence=1)
    day = (timezone.localdate() + timedelta(days=1)).isoformat()

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "client", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/new/?room=701&date={day}&start=10:00")
    expect(page.get_by_role("heading", name="申请会议")).to_be_visible()
    expect(page.get_by_label("联系人")).to_have_value(str(Contact.objects.get().pk))
    page.get_by_label("标题").fill("季度工作会")
    page.get_by_label("参会人数").fill("12")
    page.get_by_label("领导和来宾").select_option(label="周国庆 局长")
    assert_no_sideways_scroll(page)
    screenshot(page, "request-form-360")
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_role("alert")).to_contain_text("已提交申请，等待确认")
    expect(page.get_by_test_id("status")).to_have_text("已提交申请，等待确认")
    expect(page.get_by_test_id("history")).to_contain_text("已提交申请，等待确认")
    assert_no_sideways_scroll(page)
    screenshot(page, "request-submitted-360")

    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    hotline_page = desk.new_page()
    sign_in(hotline_page, live_server, "hotline", PERSONA_PASSWORD)
    hotline_page.goto(f"{live_server.url}/")
    request_row = hotline_page.get_by_test_id("today-item").filter(has_text="季度工作会")
    expect(request_row).to_contain_text("待确认")
    request_row.get_by_role("link", name="确认或拒绝").click()
    hotline_page.get_by_role("button", name="确认", exact=True).click()
    expect(hotline_page.get_by_test_id("status")).to_have_text("已确认")
    desk.close()

    page.goto(f"{live_server.url}/notifications/")
    notice = page.get_by_test_id("notification").filter(has_text="您的会议申请已确认")
    expect(notice).to_contain_text("季度工作会")
    assert_no_sideways_scroll(page)
    screenshot(page, "request-confirmed-notice-360")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("today-item").filter(has_text="季度工作会")).to_contain_text("已确认")

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/meetings/new/?room=701&date={day}&start=14:00")
    screenshot(page, "request-form-1280")
