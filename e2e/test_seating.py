"""A meeting's seating plan in the browser: the team leader generates it by protocol on the desktop, drags
one seat onto another and opens its chart and name cards as PDFs, then on a 360 px phone taps two seats and
exchanges them; the chart shows the rostrum as the audience sees it."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


@pytest.fixture
def meeting(hotline, draft, organization):
    """Tomorrow afternoon's meeting, with five leaders of the organizer."""
    from huiwu.directory.models import Person
    from huiwu.meetings.services import meeting_create

    leaders = [
        Person.objects.create(name=name, title=title, precedence=rank, organization=organization)
        for rank, (name, title) in enumerate(
            [("周国庆", "局长"), ("李建华", "副局长"), ("吴晓峰", "副局长"), ("宋家明", "副局长"), ("陈静", "秘书长")],
            start=1,
        )
    ]
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(14, 0)))
    return meeting_create(
        user=hotline, draft=draft(start, start + timedelta(hours=2), title="全市机关事务工作会", attendees=leaders)
    )


def _row(page) -> list[str]:
    return [text.strip() for text in page.get_by_test_id("seat-row").first.locator("label").all_inner_texts()]


def test_it_generates_the_rostrum_and_exchanges_seats_by_drag_and_by_tap(
    page, browser, live_server, team_leader, meeting
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "team_leader", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/meetings/{meeting.pk}/")
    seating = page.get_by_test_id("seating")
    expect(seating.get_by_test_id("no-seating")).to_be_visible()
    seating.get_by_test_id("generate").click()
    expect(page.get_by_role("alert").filter(has_text="座次表已按礼宾次序生成")).to_be_visible()
    # 5 3 1 2 4 as the audience sees it.
    assert _row(page) == ["陈静", "吴晓峰", "周国庆", "李建华", "宋家明"]
    expect(page.get_by_test_id("seating-chart")).to_contain_text("周国庆")
    screenshot(page, "seating-1280")
    for paper in ("chart-pdf", "name-cards-pdf"):
        pdf = page.request.get(live_server.url + page.get_by_test_id(paper).get_attribute("href"))
        assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf")
    page.locator("label[data-seat='1-0']").drag_to(page.locator("label[data-seat='1-4']"))
    expect(page.get_by_role("alert").filter(has_text="两个座位已调换")).to_be_visible()
    assert _row(page) == ["宋家明", "吴晓峰", "周国庆", "李建华", "陈静"]

    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")
    leader_phone = phone.new_page()
    sign_in(leader_phone, live_server, "team_leader", PERSONA_PASSWORD)
    leader_phone.goto(f"{live_server.url}/service/meetings/{meeting.pk}/#seating")
    leader_phone.locator("label[data-seat='1-1']").click()
    leader_phone.locator("label[data-seat='1-3']").click()
    expect(leader_phone.locator("label.active")).to_have_count(2)
    assert_no_sideways_scroll(leader_phone)
    screenshot(leader_phone, "seating-360")
    leader_phone.get_by_test_id("exchange").click()
    expect(leader_phone.get_by_role("alert").filter(has_text="两个座位已调换")).to_be_visible()
    assert _row(leader_phone) == ["宋家明", "李建华", "周国庆", "吴晓峰", "陈静"]
    leader_phone.get_by_test_id("seating-changes").locator("summary").click()
    expect(leader_phone.get_by_test_id("seating-changes")).to_contain_text("吴晓峰 ⇄ 李建华")
    phone.close()
