"""The board's snapshot (views/board.py, lib/snapshots.py): a poll that finds the day unchanged is served
again from what the last one built, and anything that changes what the board shows — a write of any kind, the
clock reaching a due time, another reader — builds it again."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiwu.accounts.models import User
from huiwu.meetings.models import Meeting
from huiwu.service.models import MeetingCheck
from huiwu.service.services import meeting_start
from huiwu.testing import at, login_as
from huiwu.venues.models import Room

DAY = "2026-11-27"


def _poll(client, user=None) -> tuple[str, int]:
    if user is not None:
        login_as(client, user)  # again: the clock may have moved past the session's age
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("service:board_rows"), {"date": DAY})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _rows(html: str) -> list[str]:
    return re.findall(r'<article class="card mb-2[^"]*" data-testid="board-row".*?</article>', html, re.S)


@pytest.fixture
def polling(client, manager, frozen_now):
    login_as(client, manager)
    return client


@pytest.fixture
def poll(client, manager, frozen_now):
    """The manager's board of DAY, as a screen polls it, whatever the clock: its HTML."""
    return lambda: _poll(client, manager)[0]


def test_it_serves_an_unchanged_board_again_without_reading_its_rows(polling, book, assign, confirm, room):
    for hour in range(9, 12):
        meeting = book(f"{DAY} {hour:02d}:00", f"{hour:02d}:30", setup_minutes=0, teardown_minutes=0)
        assign(meeting)
        confirm(meeting, 1)
    built, built_queries = _poll(polling)
    served, served_queries = _poll(polling)
    assert served == built
    assert len(_rows(served)) == 3
    # Built: the ids, the version, the five reads of the rows, the punctuality; served: the ids and the version.
    assert served_queries == built_queries - 6


@pytest.mark.parametrize(
    "change",
    [
        "title",
        "cancelled",
        "booked",
        "assigned",
        "confirmed",
        "room renamed",
        "attendant renamed",
        "check changed by sql",
    ],
)
def test_it_shows_a_change_at_the_next_poll(polling, change, book, assign, confirm, attendant, other_room):
    meeting = book(f"{DAY} 09:00", "10:00", title="党组会")
    assign(meeting)
    before, _queries = _poll(polling)
    expected = {
        "title": "理论学习中心组会",
        "cancelled": "党组会",
        "booked": "专题会",
        "assigned": "二号服务员",
        "confirmed": "L1 ✓",
        "room renamed": "第一会议室",
        "attendant renamed": "王小明",
        "check changed by sql": "L2 ✗",
    }[change]
    assert (expected in before) == (change == "cancelled")
    if change == "title":
        Meeting.objects.filter(pk=meeting.pk).update(title=expected)
    elif change == "cancelled":
        Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    elif change == "booked":
        book(f"{DAY} 09:00", "10:00", title=expected, room=other_room)
    elif change == "assigned":
        helper = User.objects.create(username="helper", display_name=expected, is_active=True)
        helper.groups.add(*attendant.groups.all())
        assign(meeting, helper, duty="helper")
    elif change == "confirmed":
        confirm(meeting, 1)
    elif change == "room renamed":
        Room.objects.filter(pk=meeting.room_id).update(name=expected)
    elif change == "attendant renamed":
        attendant.display_name = expected
        attendant.save()
    else:
        MeetingCheck.objects.filter(meeting=meeting, level=2).update(state=MeetingCheck.State.FAILED)
    after, _queries = _poll(polling)
    assert (expected in after) != (change == "cancelled")


def test_it_turns_a_check_overdue_at_its_due_time_though_nothing_was_written(poll, book, frozen_now):
    book(f"{DAY} 09:00", "10:00")  # level 1 is due at 07:00
    frozen_now.move_to(at(f"{DAY} 06:59"))
    assert 'data-kind="check_overdue"' not in poll()
    frozen_now.move_to(at(f"{DAY} 07:00"))
    assert 'data-kind="check_overdue"' not in poll()
    frozen_now.shift(timedelta(seconds=1))
    assert 'data-kind="check_overdue"' in poll()
    frozen_now.move_to(at(f"{DAY} 06:59"))  # the clock set back: built again, not served from later
    assert 'data-kind="check_overdue"' not in poll()


def test_it_counts_a_refill_down_minute_by_minute(poll, book, assign, attendant, frozen_now):
    meeting = book(f"{DAY} 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at(f"{DAY} 09:00"))
    meeting_start(user=attendant, meeting=meeting)  # the first refill's window opens minutes on
    first = re.search(r'data-testid="next-refill">([^<]*)', poll()).group(1)
    frozen_now.shift(timedelta(seconds=29))
    assert re.search(r'data-testid="next-refill">([^<]*)', poll()).group(1) == first
    frozen_now.shift(timedelta(seconds=2))  # half a minute less than whole minutes left: one fewer shown
    assert re.search(r'data-testid="next-refill">([^<]*)', poll()).group(1) != first


def test_it_keeps_a_confidential_meeting_out_of_the_snapshot_of_a_reader_who_may_not_see_it(
    client, manager, board_account, book, frozen_now, other_room
):
    book(f"{DAY} 09:00", "10:00", title="例会")
    book(f"{DAY} 09:00", "10:00", title="涉密专题会", confidentiality=2, room=other_room)
    login_as(client, manager)
    assert "涉密专题会" in _poll(client)[0]
    login_as(client, board_account)
    html = _poll(client)[0]
    assert "例会" in html
    assert "涉密专题会" not in html
    assert 'data-testid="busy"' in html


def test_it_builds_a_snapshot_from_the_meetings_it_is_keyed_by_alone(
    client, manager, book, frozen_now, other_room, monkeypatch
):
    """A meeting added between reading the reader's meetings and building their rows stays out of it."""
    from huiwu.service import board

    first = book(f"{DAY} 09:00", "10:00", title="例会")
    book(f"{DAY} 09:00", "10:00", title="后来的会议", room=other_room)
    monkeypatch.setattr(board, "board_meeting_ids", lambda meetings, day: (first.pk,))
    login_as(client, manager)
    html = _poll(client)[0]
    assert len(_rows(html)) == 1
    assert "后来的会议" not in html


def test_it_keeps_a_snapshot_per_language(polling, book, assign):
    assign(book(f"{DAY} 09:00", "10:00"))
    chinese = _poll(polling)[0]
    polling.cookies["django_language"] = "en"
    english = _poll(polling)[0]
    assert "一级" in chinese or "L1" in chinese
    assert "Refills on time" in english
    assert "Refills on time" not in chinese
