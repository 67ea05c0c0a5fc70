from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def test_it_shows_an_uncleared_attendant_only_a_busy_block_and_a_404(page, live_server, attendant, manager, draft):
    from huiwu.meetings.services import meeting_create

    start = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = meeting_create(
        user=manager, draft=draft(start, start + timedelta(hours=1), title="绝密专题会", confidentiality=2)
    )

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/timeline/?date={start:%Y-%m-%d}")
    busy = page.locator(".hw-hidden").filter(has_text="保密会议")
    expect(busy).to_have_count(1)
    busy.scroll_into_view_if_needed()  # the timeline scrolls sideways inside its own box on a phone
    expect(busy).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("绝密专题会")
    assert_no_sideways_scroll(page)
    screenshot(page, "confidential-timeline-phone")

    response = page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("绝密专题会")
    screenshot(page, "confidential-404-phone")
