"""The dashboard in the browser: the manager opens the month's figures on the desktop and on a 360 px phone;
each of the five charts is drawn (ECharts, SVG) beside its table, under the strict Content-Security-Policy."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


@pytest.fixture
def meeting(hotline, draft):
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(14, 0)))
    from huiwu.meetings.services import meeting_create

    return meeting_create(user=hotline, draft=draft(start, start + timedelta(hours=2), title="全市机关事务工作会"))


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "reports-1280"), (PHONE, "reports-360")])
def test_it_draws_each_chart_beside_its_table(page, live_server, manager, meeting, viewport, name):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "manager", PERSONA_PASSWORD)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.goto(f"{live_server.url}/reports/?period=week&day={tomorrow:%Y-%m-%d}")
    for chart in ("rooms", "heat", "checks", "satisfaction", "causes"):
        expect(page.locator(f"[data-chart='{chart}'] svg")).to_have_count(1)
    expect(page.get_by_test_id("rooms")).to_contain_text("701会议室")
    if viewport == PHONE:
        assert_no_sideways_scroll(page)
    screenshot(page, name)
