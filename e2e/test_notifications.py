from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def test_it_shows_the_hotline_a_new_booking_in_the_inbox_on_a_phone(page, live_server, hotline, manager, draft):
    from huiwu.meetings.services import meeting_create

    start = timezone.localtime() + timedelta(days=2)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = meeting_create(user=manager, draft=draft(start, start + timedelta(hours=1), title="党组会"))

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    # The bell sits in the collapsed menu on a phone; its count is loaded by htmx.
    page.get_by_role("button", name="菜单").click()
    expect(page.get_by_test_id("bell").get_by_test_id("unread")).to_have_text("1")
    # The phone's tab bar shows the same count without opening the menu.
    expect(page.get_by_test_id("tab-inbox").get_by_test_id("unread")).to_have_text("1")
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("inbox")).to_contain_text("党组会")
    assert_no_sideways_scroll(page)
    screenshot(page, "inbox-phone")
    page.get_by_test_id("inbox").get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("unread")).to_have_count(0)
