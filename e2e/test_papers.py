"""The papers in the browser: on a 360 px phone the attendant finds the service sheet, the sign-in sheet and the
name cards on the meeting's service page and each opens as a PDF with the leaders in order; on the desktop the
team leader prints the day sheet from the board."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

LEADERS = [("周国庆", "局长"), ("李建华", "副局长"), ("吴晓峰", "副局长")]


@pytest.fixture
def meeting(hotline, team_leader, attendant, draft, organization):
    """Tomorrow afternoon's meeting of three leaders, the attendant serving it."""
    from huiwu.directory.models import Person
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add

    leaders = [
        Person.objects.create(name=name, title=title, precedence=rank, organization=organization)
        for rank, (name, title) in enumerate(LEADERS, start=1)
    ]
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(14, 0)))
    meeting = meeting_create(
        user=hotline, draft=draft(start, start + timedelta(hours=2), title="全市机关事务工作会", attendees=leaders)
    )
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    return meeting


def _pdf_text(page, live_server, link) -> str:
    """The PDF behind a link, fetched with the page's session, as text without white space."""
    answer = page.request.get(live_server.url + link.get_attribute("href"))
    assert (answer.status, answer.headers["content-type"]) == (200, "application/pdf")
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body())).pages).split())


def _in_order(text: str, names: list[str]) -> bool:
    return [text.index(name) for name in names] == sorted(text.index(name) for name in names)


def test_it_opens_the_meetings_papers_from_the_phone(page, live_server, meeting):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/service/meetings/{meeting.pk}/")
    sheet = page.get_by_test_id("service-sheet-pdf")
    expect(sheet).to_be_visible()
    assert_no_sideways_scroll(page)
    screenshot(page, "papers-service-360")
    names = [name for name, _title in LEADERS]
    text = _pdf_text(page, live_server, sheet)
    assert "会务服务单" in text
    assert _in_order(text, names)
    text = _pdf_text(page, live_server, page.get_by_test_id("sign-in-sheet-pdf"))
    assert "签到表" in text
    assert _in_order(text, names)
    # No seating plan yet: the name cards come in precedence order.
    cards = page.get_by_test_id("seating").get_by_test_id("name-cards-pdf")
    expect(cards).to_have_text("按位次打印桌签（PDF）")
    assert _in_order(_pdf_text(page, live_server, cards), names)


def test_it_prints_the_day_sheet_from_the_board(page, live_server, meeting):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "team_leader", PERSONA_PASSWORD)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.goto(f"{live_server.url}/service/board/?date={tomorrow:%Y-%m-%d}")
    link = page.get_by_test_id("day-sheet-pdf")
    expect(link).to_be_visible()
    text = _pdf_text(page, live_server, link)
    assert "会务日程表" in text
    assert "全市机关事务工作会" in text
    assert f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日" in text
