"""The board's exceptions (issue 11): started without checks, checks overdue, refills late or early, running
over time, requests awaiting confirmation — on top, in words, counted at the head, with the refills'
punctuality; red for the serious ones. And its title: "今日看板" for today only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiwu.meetings.access import meetings_visible_to
from huiwu.service.board import ExceptionKind, board_rows, exception_counts
from huiwu.service.models import Refill
from huiwu.service.selectors import refill_punctuality
from huiwu.service.services import meeting_end, meeting_start, refill_record
from huiwu.testing import at, login_as


def _rows(user, day="2026-11-27", now="2026-11-27 09:00"):
    from datetime import date

    return board_rows(meetings_visible_to(user), date.fromisoformat(day), at(now))


def _kinds(row) -> list[str]:
    return [exception.kind.value for exception in row.exceptions]


@pytest.fixture
def started(book, frozen_now, assign, attendant, other_room):
    """started("09:00", "11:00", title=…): a meeting of 2026-11-27 booked now, served by the attendant, who
    starts it on time (the clock is then at its start)."""

    def make(start="09:00", end="11:00", **overrides):
        meeting = book(f"2026-11-27 {start}", end, **overrides)
        assign(meeting)
        frozen_now.move_to(at(f"2026-11-27 {start}"))
        meeting_start(user=attendant, meeting=meeting)
        return meeting

    return make


def test_it_flags_a_meeting_started_with_level_2_unconfirmed_red_on_the_board(
    client, manager, book, assign, confirm, frozen_now, attendant
):
    meeting = book("2026-11-27 09:00", "11:00", title="党组会")
    assign(meeting)
    confirm(meeting, 1)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    [row] = _rows(manager)
    assert (_kinds(row), row.serious) == (["unchecked_start"], True)
    assert row.exceptions[0].text == "开始时检查未确认：二级、三级"
    login_as(client, manager)
    html = client.get(reverse("service:board")).content.decode()
    article = re.search(r'<article [^>]*data-testid="board-row"[^>]*>', html).group(0)
    assert "border-danger" in article
    assert "data-serious" in article
    assert "开始时检查未确认：二级、三级" in html
    assert re.search(r'data-testid="count-unchecked_start">\s*<div class="hw-tile-value">1</div>', html)


def test_it_names_overdue_levels_of_a_meeting_not_started(manager, book, frozen_now):
    book("2026-11-27 09:00", "11:00")
    [row] = _rows(manager, now="2026-11-27 07:00")
    assert _kinds(row) == []  # level 1 is due at 07:00: not overdue at 07:00
    [row] = _rows(manager, now="2026-11-27 07:01")
    assert (_kinds(row), row.serious) == (["check_overdue"], True)
    assert row.exceptions[0].text == "检查超时：一级（07:00 到期）"
    [row] = _rows(manager, now="2026-11-27 08:01")
    assert row.exceptions[0].text == "检查超时：一级（07:00 到期）、二级（08:00 到期）"


def test_it_names_late_refills_done_and_not_done(manager, started, frozen_now, attendant, confirm):
    meeting = started()
    [row] = _rows(manager, now="2026-11-27 09:20")
    assert "refill_late" not in _kinds(row)  # the window closes at 09:20
    [row] = _rows(manager, now="2026-11-27 09:21")
    late = next(e for e in row.exceptions if e.kind == ExceptionKind.REFILL_LATE)
    assert (late.text, late.serious) == ("续水超时：第 1 次未做（时段 09:20 已过）", True)
    frozen_now.move_to(at("2026-11-27 09:23"))
    refill_record(user=attendant, meeting=meeting)
    [row] = _rows(manager, now="2026-11-27 09:30")
    late = next(e for e in row.exceptions if e.kind == ExceptionKind.REFILL_LATE)
    assert late.text == "续水超时：第 1 次 09:23（时段 09:15–09:20）"


def test_it_names_early_refills_with_their_reason_without_making_the_row_red(
    client, manager, started, frozen_now, attendant
):
    meeting = started()
    frozen_now.move_to(at("2026-11-27 09:10"))
    refill_record(user=attendant, meeting=meeting, early_reason="leader")
    frozen_now.move_to(at("2026-11-27 09:29"))  # refill 2's window opens 09:30, measured from 09:10
    refill_record(user=attendant, meeting=meeting, early_reason="other", early_note="休息前先续")
    [row] = _rows(manager, now="2026-11-27 09:31")
    assert (_kinds(row), row.serious, row.needs_attention) == (["unchecked_start", "refill_early"], True, True)
    early = row.exceptions[1]
    assert early.text == "续水提前：第 1 次 09:10，早于 09:15（领导要求）、第 2 次 09:29，早于 09:30（休息前先续）"
    assert not early.serious
    login_as(client, manager)
    html = client.get(reverse("service:board_rows")).content.decode()
    assert 'data-testid="last-refill"' in html
    assert "提前" in html


def test_it_flags_a_meeting_running_past_its_planned_end(manager, started, frozen_now, attendant):
    meeting = started(start="09:00", end="10:00")
    [row] = _rows(manager, now="2026-11-27 10:00")
    assert "overtime" not in _kinds(row)
    [row] = _rows(manager, now="2026-11-27 10:01")
    overtime = next(e for e in row.exceptions if e.kind == ExceptionKind.OVERTIME)
    assert (overtime.text, overtime.serious) == ("超时未结束：计划 10:00 结束", True)
    frozen_now.move_to(at("2026-11-27 10:05"))
    meeting_end(user=attendant, meeting=meeting)
    [row] = _rows(manager, now="2026-11-27 10:06")
    assert "overtime" not in _kinds(row)


def test_it_lists_a_request_awaiting_confirmation_without_making_it_red(client, manager, book, client_contact):
    book("2026-11-27 15:00", "16:00", user=client_contact, title="客户的会")
    [row] = _rows(manager, now="2026-11-27 08:00")
    assert (_kinds(row), row.serious, row.needs_attention) == (["request_pending"], False, True)
    assert row.exceptions[0].text == "客户申请待确认"
    login_as(client, manager)
    html = client.get(reverse("service:board_rows"), {"date": "2026-11-27"}).content.decode()
    article = re.search(r'<article [^>]*data-testid="board-row"[^>]*>', html).group(0)
    assert "border-warning" in article
    assert "data-serious" not in article


def test_it_puts_serious_exceptions_first_then_the_others_then_the_calm(
    manager, book, started, client_contact, assign, confirm, team_leader
):
    calm = book("2026-11-27 08:00", "08:30", title="早会", setup_minutes=0, teardown_minutes=0)
    assign(calm, team_leader)
    for level in (1, 2, 3):
        confirm(calm, level)
    request = book("2026-11-27 13:00", "14:00", user=client_contact, title="申请中的会")
    serious = started(start="15:00", end="16:00", title="下午会")
    rows = _rows(manager, now="2026-11-27 15:00")
    assert [row.meeting.id for row in rows] == [serious.pk, request.pk, calm.pk]


def test_it_counts_each_kind_of_exception_at_the_head_of_the_board(
    client, api, manager, book, started, client_contact, frozen_now
):
    started(start="09:00", end="10:00", title="甲", setup_minutes=0, teardown_minutes=0)
    started(start="10:30", end="11:30", title="乙", setup_minutes=0, teardown_minutes=0)
    book("2026-11-27 15:00", "16:00", user=client_contact, title="丙")
    rows = _rows(manager, now="2026-11-27 11:40")
    counts = {count.kind.value: count.count for count in exception_counts(rows)}
    assert counts == {
        "unchecked_start": 2,
        "check_overdue": 0,
        "refill_late": 2,
        "refill_early": 0,
        "overtime": 2,
        "request_pending": 1,
    }
    frozen_now.move_to(at("2026-11-27 11:40"))
    login_as(client, manager)
    html = client.get(reverse("service:board")).content.decode()
    for kind, count in counts.items():
        assert re.search(rf'data-testid="count-{kind}">\s*<div class="hw-tile-value">{count}</div>', html), kind
    assert "未检查即开始" in html
    assert "申请待确认" in html
    body = api(manager, "get", "/service/board").json()
    assert {count["kind"]: count["count"] for count in body["exception_counts"]} == counts
    assert [count["label"] for count in body["exception_counts"]][:2] == ["未检查即开始", "检查超时"]


def test_it_keeps_the_boards_query_count_with_exceptions(client, manager, book, started, frozen_now, attendant, room):
    def queries():
        login_as(client, manager)  # now: the clock has moved on since the last sign-in
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("service:board_rows"), {"date": "2026-11-27"})
        assert response.status_code == 200
        return len(captured)

    first = started(start="08:00", end="08:30", setup_minutes=0, teardown_minutes=0)
    frozen_now.move_to(at("2026-11-27 08:20"))
    refill_record(user=attendant, meeting=first)
    few = queries()
    for hour in (9, 10, 11, 12):
        meeting = started(start=f"{hour:02d}:00", end=f"{hour:02d}:30", setup_minutes=0, teardown_minutes=0)
        frozen_now.move_to(at(f"2026-11-27 {hour:02d}:05"))
        refill_record(user=attendant, meeting=meeting, early_reason="leader")
    frozen_now.move_to(at("2026-11-27 13:00"))
    assert queries() == few


# --- punctuality --------------------------------------------------------------------------------------


def test_it_counts_refills_on_time_early_and_late(manager, started, frozen_now, attendant):
    first = started(start="09:00", end="12:00")
    frozen_now.move_to(at("2026-11-27 09:15"))  # window 09:15–09:20: on time at its opening
    refill_record(user=attendant, meeting=first)
    frozen_now.move_to(at("2026-11-27 09:40"))  # window 09:35–09:40: on time at its closing
    refill_record(user=attendant, meeting=first)
    frozen_now.move_to(at("2026-11-27 10:20"))  # window 10:05–10:10: late
    refill_record(user=attendant, meeting=first)
    frozen_now.move_to(at("2026-11-27 10:30"))  # window 10:45–10:50: early
    refill_record(user=attendant, meeting=first, early_reason="recess")
    frozen_now.move_to(at("2026-11-27 10:35"))
    meeting_end(user=attendant, meeting=first)  # the window to come (10:55–11:00) is dropped
    second = started(start="13:00", end="15:00")  # window 13:15–13:20, never done
    meetings = meetings_visible_to(manager)
    at_1320 = refill_punctuality(meetings, at("2026-11-27 13:20"))
    assert (at_1320.on_time, at_1320.early, at_1320.late) == (2, 1, 1)
    later = refill_punctuality(meetings, at("2026-11-27 13:21"))
    assert (later.on_time, later.early, later.late, later.counted, later.rate, later.percent) == (2, 1, 2, 5, 0.4, 40)
    assert refill_punctuality(meetings.filter(pk=second.pk), at("2026-11-27 13:21")).late == 1
    assert Refill.objects.filter(meeting=first).count() == 4


def test_it_has_no_rate_before_any_window_closed(manager, db):
    empty = refill_punctuality(meetings_visible_to(manager), at("2026-11-27 09:00"))
    assert (empty.counted, empty.rate, empty.percent) == (0, None, None)


def test_it_shows_the_days_punctuality_at_the_head_of_the_board_and_in_the_api(
    client, api, manager, started, frozen_now, attendant
):
    meeting = started()
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:50"))  # refill 2's window (09:36–09:41) closed unrecorded
    login_as(client, manager)
    html = client.get(reverse("service:board")).content.decode()
    assert "续水准时率：50%" in html
    assert "准时 1、提前 0、超时 1" in html
    assert api(manager, "get", "/service/board").json()["punctuality"] == {
        "on_time": 1,
        "early": 0,
        "late": 1,
        "counted": 2,
        "rate": 0.5,
    }
    other_day = client.get(reverse("service:board_rows"), {"date": "2026-11-28"}).content.decode()
    assert "尚无到期的续水" in other_day


# --- the title ----------------------------------------------------------------------------------------


def _title(html: str) -> str:
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(r'data-testid="board-title">(.*?)</h1>', html).group(1))
    )


def test_it_calls_the_board_today_board_only_for_today(client, manager, frozen_now):
    login_as(client, manager)
    today = client.get(reverse("service:board")).content.decode()
    assert _title(today) == "今日看板 11月26日 星期四"
    tomorrow = client.get(reverse("service:board"), {"date": "2026-11-27"}).content.decode()
    assert _title(tomorrow) == "会务看板 · 11月27日 星期五"
    assert "<title>会务看板 · 11月27日" in tomorrow
    assert _title(client.get(reverse("service:board"), {"date": "2026-11-26"}).content.decode()).startswith("今日看板")
