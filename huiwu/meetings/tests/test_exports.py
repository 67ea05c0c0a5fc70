"""Meeting lists as .xlsx: the reader's language, Shanghai wall-clock times, no query per row."""

import io

import openpyxl
import pytest
from django.utils import translation

from huiwu.directory.models import Contact
from huiwu.meetings.exports import meetings_xlsx_response
from huiwu.meetings.models import Meeting
from huiwu.testing import at


def wall(text: str):
    """The naive Shanghai wall-clock time an Excel cell holds."""
    return at(text).replace(tzinfo=None)


def read(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def contact(organization):
    return Contact.objects.create(organization=organization, name="王芳", phone="8888 1234")


def test_it_exports_a_chinese_header_and_a_row_per_meeting(book, contact, other_room):
    book(
        "2026-11-27 09:00",
        "10:30",
        title="党组会",
        headcount=12,
        layout="boardroom",
        contact=contact,
    )
    book("2026-11-28 14:00", "15:00", title="座谈会", room=other_room)

    with translation.override("zh-hans"):
        rows = read(meetings_xlsx_response(Meeting.objects.order_by("start"), filename="会议.xlsx"))

    header, first, second = rows
    assert len(header) == 13
    assert header[1:5] == ("开始时间", "结束时间", "会议室", "楼宇")
    assert header[6] == "主办单位"
    assert header[8:] == ("参会人数", "会议性质", "会场布局", "状态", "预订人")
    # Excel cells have no time zone: they hold Shanghai wall-clock time.
    assert first[:3] == (wall("2026-11-27 00:00"), wall("2026-11-27 09:00"), wall("2026-11-27 10:30"))
    assert first[3:] == (
        "701会议室",
        "会议大厦",
        "党组会",
        "测试委办局",
        "王芳 8888 1234",
        12,
        "工作部署",
        "会议长桌",
        "已确认",
        "hotline 测试",
    )
    assert second[3] == "702会议室"
    assert second[7] is None  # no contact: an empty cell
    assert second[10] is None


def test_it_labels_the_header_in_english_for_english_readers(book):
    book("2026-11-27 09:00", "10:00")
    with translation.override("en"):
        header = read(meetings_xlsx_response(Meeting.objects.all(), filename="meetings.xlsx"))[0]
    assert header == (
        "Date",
        "Start",
        "End",
        "Room",
        "Site",
        "Meeting title",
        "Organizer",
        "Contact",
        "Headcount",
        "Nature",
        "Layout",
        "Status",
        "Booked by",
    )


def test_it_shows_the_day_of_an_end_past_midnight(book):
    book("2026-11-27 22:00", "2026-11-28 01:00")
    workbook = openpyxl.load_workbook(
        io.BytesIO(meetings_xlsx_response(Meeting.objects.all(), filename="m.xlsx").content)
    )
    start, end = workbook.active["B2"], workbook.active["C2"]
    assert (start.value, start.number_format) == (wall("2026-11-27 22:00"), "hh:mm")
    assert (end.value, end.number_format) == (wall("2026-11-28 01:00"), "yyyy-mm-dd hh:mm")


def test_it_keeps_typed_text_as_text_not_a_formula(book):
    book("2026-11-27 09:00", "10:00", title='=HYPERLINK("x","点击")\x07')
    workbook = openpyxl.load_workbook(
        io.BytesIO(meetings_xlsx_response(Meeting.objects.all(), filename="m.xlsx").content)
    )
    cell = workbook.active["F2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("x","点击")'


def test_it_sends_an_xlsx_attachment_with_a_chinese_filename(db):
    response = meetings_xlsx_response(Meeting.objects.none(), filename="会议列表 2026-11.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E4%BC%9A%E8%AE%AE%E5%88%97%E8%A1%A8%202026-11.xlsx"
    )
    assert len(read(response)) == 1  # the header alone


def test_it_sends_an_ascii_filename_plainly(db):
    response = meetings_xlsx_response(Meeting.objects.none(), filename="meetings.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="meetings.xlsx"'


def test_it_exports_in_a_constant_number_of_queries(book, contact, django_assert_max_num_queries):
    for day in ("2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"):
        book(f"{day} 09:00", "10:00", contact=contact)
    # One query for the meetings with everything a row shows, whatever their number.
    with django_assert_max_num_queries(1):
        response = meetings_xlsx_response(Meeting.objects.all(), filename="m.xlsx")
    assert len(read(response)) == 6
