"""The manager's today section (issue 11 item 5): today's counts and the service exceptions, read from the
board, on the today page and in GET /api/v1/today."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiwu.accounts.roles import Role
from huiwu.core.today import today_sections
from huiwu.lib.snapshots import snapshots_clear
from huiwu.service.services import meeting_start
from huiwu.testing import at, login_as

SECOND = timedelta(seconds=1)


def _manager_section(user):
    [section] = [section for section in today_sections(user) if section.role == Role.MANAGER and not section.title]
    return section


def _counts(section) -> dict:
    return {str(count.label): (count.value, count.tone) for count in section.counts}


def test_it_shows_the_manager_nothing_wrong_on_a_calm_day(manager, db):
    section = _manager_section(manager)
    assert _counts(section) == {
        "今日会议": (0, "neutral"),
        "进行中": (0, "neutral"),
        "检查超时": (0, "ok"),
        "异常": (0, "ok"),
    }
    [exceptions] = section.lists
    assert (exceptions.total, str(exceptions.empty)) == (0, "今日暂无异常：各会议均按流程进行。")
    assert section.waiting == ""


def test_it_counts_todays_meetings_and_lists_their_exceptions_serious_first(
    manager, book, assign, attendant, frozen_now, client_contact, other_room
):
    late_check = book("2026-11-26 09:30", "10:30", title="检查逾期的会", room=other_room)
    started = book("2026-11-26 10:00", "11:00", title="未检查就开始的会")
    requested = book("2026-11-26 15:00", "16:00", title="客户申请的会", user=client_contact)
    book("2026-11-27 09:00", "10:00", title="明天的会")
    assign(started)
    frozen_now.move_to(at("2026-11-26 10:00"))
    meeting_start(user=attendant, meeting=started)
    frozen_now.move_to(at("2026-11-26 10:05"))

    section = _manager_section(manager)
    assert _counts(section) == {
        "今日会议": (3, "neutral"),
        "进行中": (1, "neutral"),
        "检查超时": (3, "alert"),  # the three levels of the 09:30 meeting, never started
        "异常": (3, "alert"),
    }
    [exceptions] = section.lists
    assert [(item.title, str(item.status), item.tone) for item in exceptions.items] == [
        ("检查逾期的会", "检查超时", "alert"),
        ("未检查就开始的会", "未检查即开始", "alert"),
        ("客户申请的会", "申请待确认", "waiting"),
    ]
    assert exceptions.items[1].detail == "开始时检查未确认：一级、二级、三级"
    assert exceptions.items[1].url == reverse("service:meeting", args=[started.pk])
    assert exceptions.items[2].url == reverse("service:meeting", args=[requested.pk])
    assert late_check.pk in {int(item.url.strip("/").split("/")[-1]) for item in exceptions.items}
    assert section.waiting == "3 项待处理"


def test_it_shows_the_managers_counts_and_exceptions_on_the_today_page_and_in_the_api(
    client, api, manager, book, assign, attendant, frozen_now
):
    meeting = book("2026-11-26 10:00", "11:00", title="党组会")
    assign(meeting)
    frozen_now.move_to(at("2026-11-26 10:00"))
    meeting_start(user=attendant, meeting=meeting)
    login_as(client, manager)
    html = client.get(reverse("core:today")).content.decode()
    section = html[html.index('data-role="manager"') :]
    assert "今日会议" in section
    assert "开始时检查未确认：一级、二级、三级" in section
    body = api(manager, "get", "/today").json()
    [manager_section] = [s for s in body["sections"] if s["role"] == "manager" and s["title"] == s["role_label"]]
    assert [count["value"] for count in manager_section["counts"]] == [1, 1, 0, 1]
    assert manager_section["lists"][0]["items"][0]["title"] == "党组会"


def test_it_keeps_the_managers_query_count_whatever_the_number_of_meetings(
    manager, book, assign, attendant, frozen_now, room, other_room
):
    def queries():
        snapshots_clear()  # counted as built, not as served again from the last one
        with CaptureQueriesContext(connection) as captured:
            _manager_section(manager)
        return len(captured)

    book("2026-11-26 09:00", "09:30", setup_minutes=0, teardown_minutes=0)
    _manager_section(manager)  # the user's roles are read once, then kept on the user
    few = queries()
    served = []
    for hour in range(10, 16):
        served.append(book(f"2026-11-26 {hour}:00", f"{hour}:30", setup_minutes=0, teardown_minutes=0))
        book(f"2026-11-26 {hour}:00", f"{hour}:30", room=other_room, setup_minutes=0, teardown_minutes=0)
        assign(served[-1])
    frozen_now.move_to(at("2026-11-26 10:00"))
    meeting_start(user=attendant, meeting=served[0])
    assert queries() == few


def _section_queries(user) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as captured:
        section = _manager_section(user)
    return _counts(section), len(captured)


def test_it_serves_the_managers_unchanged_day_again_without_reading_the_board(manager, book, assign, frozen_now):
    for hour in (9, 10, 11):
        assign(book(f"2026-11-26 {hour:02d}:00", f"{hour:02d}:30", setup_minutes=0, teardown_minutes=0))
    _manager_section(manager)  # the user's roles are read once, then kept on the user
    snapshots_clear()
    built, built_queries = _section_queries(manager)
    served, served_queries = _section_queries(manager)
    assert served == built
    assert built["今日会议"] == (3, "neutral")
    # Served: the ids and the version, not the rows' five reads.
    assert served_queries == built_queries - 5


def test_it_counts_a_change_and_a_check_falling_overdue_at_once(manager, book, assign, attendant, frozen_now):
    meeting = book("2026-11-26 11:00", "12:00", setup_minutes=0, teardown_minutes=0)
    assign(meeting)
    # Level 1 is due two hours before the start: overdue from the moment after 09:00.
    nine = at("2026-11-26 09:00")
    for moment, overdue in ((nine - timedelta(minutes=1), (0, "ok")), (nine, (0, "ok")), (nine + SECOND, (1, "alert"))):
        frozen_now.move_to(moment)
        assert _counts(_manager_section(manager))["检查超时"] == overdue, moment
    book("2026-11-26 14:00", "15:00", setup_minutes=0, teardown_minutes=0)
    assert _counts(_manager_section(manager))["今日会议"] == (2, "neutral")
    frozen_now.move_to(at("2026-11-26 11:00"))
    meeting_start(user=attendant, meeting=meeting)
    assert _counts(_manager_section(manager))["进行中"] == (1, "neutral")
