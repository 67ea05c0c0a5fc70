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


def test_it_lets_the_manager_make_the_monthly_report_and_the_client_download_it(
    page, live_server, manager, client_contact, meeting
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "manager", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_test_id("monthly-link").click()
    page.get_by_label("单位").select_option(label="测试委办局")
    page.get_by_label("月份").fill(f"{timezone.localdate():%Y-%m}")
    page.get_by_role("button", name="生成报告").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("已生成")
    expect(page.get_by_test_id("reports")).to_contain_text("测试委办局")
    assert_no_sideways_scroll(page)
    screenshot(page, "monthly-reports-manager-360")

    page.context.clear_cookies()
    sign_in(page, live_server, "client", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/reports/monthly/")
    expect(page.get_by_test_id("make-report")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename.endswith("月度会务服务报告.pdf")
    assert_no_sideways_scroll(page)
    screenshot(page, "monthly-reports-client-360")
