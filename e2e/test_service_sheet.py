"""The attendant's service page shows what the booking asked for, on a phone and a desktop, and prints as a
one-page service sheet (issue 11, item 3)."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

# A4 less the print stylesheet's 12 mm margins, in CSS pixels (96 per inch): what one page holds.
A4_CONTENT = {"width": round((210 - 24) / 25.4 * 96), "height": round((297 - 24) / 25.4 * 96)}


def _booked_meeting(hotline, team_leader, attendant, organization, draft):
    """The issue's booking: 回字形, 8 tables / 20 chairs, 西湖龙井, a restroom arrangement and a note about
    the vice-mayor's tea, whose own preference in the directory is another tea."""
    from huiwu.directory.models import Person
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add

    leaders = [
        Person.objects.create(
            name=name, title=title, organization=organization, precedence=rank, tea_preference=tea, habits=habits
        )
        for name, title, rank, tea, habits in [
            ("张建国", "市长", 1, "西湖龙井", "会前十分钟到场；茶要淡，续水时不要打断讲话。"),
            ("李明华", "常务副市长", 2, "普洱", "桌上备老花镜和铅笔；空调不低于 26 度。"),
            ("王志强", "副市长", 3, "碧螺春", "习惯用自带保温杯，续水时续在保温杯里。"),
            ("马建军", "省财政厅副厅长", 4, "白开水", "主宾；茶歇不摆放含猪肉成分的点心。"),
        ]
    ]
    start = (timezone.localtime() + timedelta(hours=3)).replace(second=0, microsecond=0)
    meeting = meeting_create(
        user=hotline,
        draft=draft(
            start,
            start + timedelta(minutes=90),
            title="局务会",
            headcount=20,
            layout="hollow_square",
            table_count=8,
            chair_count=20,
            attendees=leaders,
            service_items={"tea": (20, "西湖龙井"), "name_cards": (4, ""), "tissues": (4, "")},
            restroom_arrangement="出门右转 20 米；领导使用 7 楼贵宾休息室卫生间。",
            smoking_arrangement="7 楼东侧楼梯间吸烟室。",
            notes="王志强副市长的茶也按西湖龙井上，续水续在其自带保温杯里。",
        ),
    )
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    return meeting


def _pdf_pages(pdf: bytes) -> int:
    # Chromium writes each page as an uncompressed "/Type /Page" dictionary ("/Pages" is the tree above).
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_it_shows_the_booking_to_the_attendant_and_prints_one_page(
    page, live_server, hotline, team_leader, attendant, organization, draft
):
    meeting = _booked_meeting(hotline, team_leader, attendant, organization, draft)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)

    for size, name in ((PHONE, "service-page-360"), (DESKTOP, "service-page-1280")):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/service/meetings/{meeting.pk}/")
        booking = page.get_by_test_id("booking")
        expect(booking.get_by_test_id("layout")).to_have_text("回字形 · 8 张桌子 · 20 把椅子")
        expect(booking.get_by_test_id("booked-tea")).to_contain_text("西湖龙井")
        expect(booking.get_by_test_id("notes")).to_contain_text("王志强副市长的茶也按西湖龙井上")
        expect(booking.get_by_test_id("restroom")).to_contain_text("贵宾休息室")
        expect(booking.get_by_test_id("service-items")).to_contain_text("茶水 × 20（西湖龙井）")
        vice = booking.get_by_test_id("vip").filter(has_text="王志强")
        expect(vice.get_by_test_id("vip-tea")).to_have_text("按预订：西湖龙井；本人习惯：碧螺春")
        # The attendant meets the booking before the checks.
        checks = page.locator("#checks-heading")
        assert booking.bounding_box()["y"] < checks.bounding_box()["y"]
        if size == PHONE:
            assert_no_sideways_scroll(page)
        screenshot(page, name)

    # The button opens the browser's print dialog (replaced here: a headless browser has none).
    page.evaluate("window.print = () => { window.hwPrinted = true; }")
    page.get_by_test_id("print").click()
    assert page.evaluate("window.hwPrinted") is True

    page.set_viewport_size(A4_CONTENT)
    page.emulate_media(media="print")
    expect(page.locator("nav.hw-navbar")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_hidden()
    for form in page.locator("form").all():
        expect(form).to_be_hidden()
    sheet = page.get_by_role("region", name="会务服务单")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("一级 · 待确认")
    expect(sheet).to_contain_text("attendant 测试")
    expect(page.get_by_test_id("booking")).to_contain_text("回字形")
    screenshot(page, "service-sheet-print")
    pdf = page.pdf(format="A4")
    (SCREENSHOTS / "service-sheet.pdf").write_bytes(pdf)
    assert _pdf_pages(pdf) == 1
