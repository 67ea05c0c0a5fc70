"""Rows of polled pages rendered once per content, with their times formatted once (huiwu/lib/rows.py), and
one view's link for many rows (huiwu/lib/urls.py)."""

from datetime import UTC, datetime
from unittest import mock

from django.utils import translation

from huiwu.lib import rows
from huiwu.lib.rows import WallClock, rows_html
from huiwu.lib.urls import id_url

ROW = "service/_board_row.html"


def _cells(title: str) -> tuple:
    return (
        ("id", "7"),
        ("css", ""),
        ("serious", False),
        ("times", "09:00–10:00"),
        ("room", "701会议室"),
        ("url", "/service/meetings/7/"),
        ("title", title),
        ("urgent", True),
        ("requested", False),
        ("lights", ""),
        ("exceptions", ()),
        ("running", ""),
        ("next_refill", ""),
        ("refill_late", False),
        ("last_refill", ""),
        ("last_refill_early", False),
        ("ended", ""),
        ("assignees", "陈静"),
    )


def test_it_renders_a_row_once_however_often_it_is_shown():
    with mock.patch.object(rows, "get_template", wraps=rows.get_template) as get_template:
        first = rows_html(ROW, [_cells("第一次出现的会")])
        again = rows_html(ROW, [_cells("第一次出现的会"), _cells("第一次出现的会")])
    assert get_template.call_count == 1
    assert again == first + first


def test_it_renders_a_row_again_when_any_cell_changes():
    before = rows_html(ROW, [_cells("改名之前的会")])
    after = rows_html(ROW, [_cells("改名之后的会")])
    assert "改名之前的会" in before
    assert "改名之后的会" in after


def test_it_keeps_a_rendered_row_per_language():
    with translation.override("zh-hans"):
        chinese = rows_html(ROW, [_cells("双语的会")])
    with translation.override("en"):
        english = rows_html(ROW, [_cells("双语的会")])
    assert "紧急" in chinese
    assert "Urgent" in english


def test_it_escapes_the_cells_it_places():
    html = rows_html(ROW, [_cells("<script>alert(1)</script>")])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_it_links_every_row_to_its_own_object():
    meeting_url = id_url("service:meeting")
    assert meeting_url(7) == "/service/meetings/7/"
    assert meeting_url(2_147_483_646) == "/service/meetings/2147483646/"


def test_it_tells_wall_clock_times_in_shanghai_whatever_zone_a_moment_comes_in():
    clock = WallClock()
    assert clock.hm(datetime(2026, 11, 27, 1, 30, tzinfo=UTC)) == "09:30"
    assert clock.hm(datetime(2026, 11, 27, 15, 59, tzinfo=UTC)) == "23:59"
    assert clock.hm(datetime(2026, 11, 27, 16, 0, tzinfo=UTC)) == "00:00"
