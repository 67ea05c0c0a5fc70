from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.meetings.models import Meeting
from huiwu.testing import PERSONA_PASSWORD


def test_it_lets_the_hotline_book_from_the_timeline_and_refuses_a_conflict(
    page, live_server, hotline, room, organization
):
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/timeline/?date={day}")
    page.locator('[data-slot="701-10:00"]').click()

    expect(page.get_by_role("heading", name="预订会议")).to_be_visible()
    expect(page.get_by_label("开始")).to_have_value("10:00")
    expect(page.get_by_test_id("free")).to_be_visible()  # the live check ran when the form opened
    page.get_by_label("标题").fill("党组会")
    page.get_by_label("主办单位").select_option(label=organization.name)
    page.get_by_label("参会人数").fill("12")
    screenshot(page, "booking-form-desktop")
    page.get_by_role("button", name="预订", exact=True).click()

    expect(page.get_by_role("heading", name="党组会")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已确认")
    assert Meeting.objects.get().title == "党组会"

    # The timeline now shows the meeting and no longer offers its half-hours, buffers included.
    page.goto(f"{live_server.url}/meetings/timeline/?date={day}")
    expect(page.get_by_role("link", name="党组会 10:00–11:00")).to_be_visible()
    expect(page.locator('[data-slot="701-10:00"]')).to_have_count(0)
    expect(page.locator('[data-slot="701-11:30"]')).to_have_count(1)
    screenshot(page, "timeline-desktop")

    # Booking 11:00 anyway (a typed link, say) collides with the teardown until 11:30.
    page.goto(f"{live_server.url}/meetings/new/?room=701&date={day}&start=11:00")
    expect(page.get_by_test_id("conflict")).to_contain_text("党组会")
    page.get_by_label("标题").fill("撞车的会")
    page.get_by_label("主办单位").select_option(label=organization.name)
    page.get_by_label("参会人数").fill("5")
    page.get_by_role("button", name="预订", exact=True).click()
    expect(page.get_by_test_id("conflict")).to_contain_text("会议室时间冲突")
    screenshot(page, "booking-conflict-desktop")
    assert Meeting.objects.count() == 1


def test_it_shows_the_timeline_and_the_form_on_a_phone(page, live_server, hotline, room):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/timeline/")
    expect(page.get_by_test_id("timeline")).to_be_visible()
    assert_no_sideways_scroll(page)
    screenshot(page, "timeline-phone")
    page.goto(f"{live_server.url}/meetings/new/?room=701")
    assert_no_sideways_scroll(page)
    screenshot(page, "booking-form-phone")
