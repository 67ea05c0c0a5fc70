"""Twenty people press "book" for the same slot at the same instant: exactly one gets it.

Each contender is its own process with its own database connection, as gunicorn workers are.
"""

import multiprocessing
import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from huiwu.accounts.services import api_token_create
from huiwu.lib.db import serialize_writers
from huiwu.meetings import services
from huiwu.meetings.models import Meeting
from huiwu.meetings.services import BookingConflict, meeting_create, meeting_reschedule
from huiwu.testing import at
from huiwu.venues.models import Room

CONTENDERS = 20


def _race(contender, *args) -> list:
    """CONTENDERS forked processes run contender(*args, barrier, results) at once; what each put in results."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(CONTENDERS)
    results = context.Queue()
    # Children must open their own connections, never share the parent's.
    connections.close_all()
    processes = [context.Process(target=contender, args=(*args, barrier, results)) for _ in range(CONTENDERS)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return outcomes


def _contend(make_draft, user, barrier, results) -> None:
    barrier.wait()
    try:
        meeting_create(user=user, draft=make_draft("2030-05-20 09:00", "10:00"))
        results.put("booked")
    except BookingConflict as conflict:
        results.put(f"conflict: {conflict.message_for(user)}")
    except Exception as error:
        results.put(f"error: {error!r}")
    finally:
        connections.close_all()


def test_it_lets_exactly_one_of_twenty_simultaneous_bookings_through(transactional_db, draft, hotline):
    outcomes = _race(_contend, draft, hotline)

    assert outcomes.count("booked") == 1, outcomes
    conflicts = [outcome for outcome in outcomes if outcome.startswith("conflict: ")]
    assert len(conflicts) == CONTENDERS - 1, outcomes
    assert all("701会议室" in outcome for outcome in conflicts)
    assert Meeting.objects.count() == 1


def test_it_turns_a_lost_race_into_a_conflict_on_postgresql(draft, hotline, frozen_now, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints; it serializes writers (see the test above)")
    first = meeting_create(user=hotline, draft=draft())
    # Pretend the friendly check ran before the other booking committed: only the constraint is left.
    real_check = services.meeting_conflicts
    calls = []

    def check_that_misses_the_first_time(**kwargs):
        calls.append(kwargs)
        return [] if len(calls) == 1 else real_check(**kwargs)

    monkeypatch.setattr("huiwu.meetings.services.meeting_conflicts", check_that_misses_the_first_time)
    with pytest.raises(BookingConflict) as conflict:
        meeting_create(user=hotline, draft=draft("2026-11-27 09:30", "10:30"))
    assert conflict.value.conflicts == [first]
    assert Meeting.objects.count() == 1


def test_it_has_the_database_refuse_an_overlapping_row_on_postgresql(book, hotline):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints; it serializes writers (see the test above)")
    first = book()
    clash = Meeting(
        title="绕过检查",
        organizer=first.organizer,
        room=first.room,
        start=at("2026-11-27 09:00"),
        end=at("2026-11-27 10:00"),
        blocked_from=at("2026-11-27 09:00"),
        blocked_until=at("2026-11-27 10:00"),
        headcount=5,
        created_by=hotline,
        status="confirmed",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()
    clash.status = "cancelled"
    clash.save()  # a cancelled meeting holds nothing, so the database lets it be


def _post_booking(token, body, barrier, results) -> None:
    from django.test import Client

    barrier.wait(timeout=60)
    try:
        response = Client().post(
            "/api/v1/meetings", body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
        )
        results.put((response.status_code, response.json().get("code")))
    except Exception as error:
        results.put((0, repr(error)))
    finally:
        connections.close_all()


def test_it_answers_one_201_and_nineteen_409s_to_twenty_simultaneous_api_bookings(
    transactional_db, hotline, room, organization
):
    # Through the whole stack, as twenty gunicorn workers of two app servers would: on PostgreSQL the losers
    # used to deadlock on the exclusion constraint (SQLSTATE 40P01, a 500) instead of getting their 409.
    token = api_token_create(user=hotline, name="contenders")[1]
    body = {
        "title": "抢订",
        "organizer_id": organization.pk,
        "room": room.code,
        "start": "2030-05-20T09:00:00+08:00",
        "end": "2030-05-20T10:00:00+08:00",
        "headcount": 10,
        "setup_minutes": 30,
        "teardown_minutes": 30,
    }
    answers = _race(_post_booking, token, body)

    statuses = sorted(status for status, _code in answers)
    assert statuses == [201] + [409] * (CONTENDERS - 1), answers
    assert Meeting.objects.count() == 1


@pytest.fixture
def room_held_elsewhere(transactional_db):
    """room_held_elsewhere(room): another writer (a thread, so another connection) holds the room's booking
    lock until the test ends; this connection gives up waiting for a lock after half a second. Transactional:
    the test's own bookings must commit, or they would keep their room locks until the test's end."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; there is no room lock to wait for")
    release, threads = threading.Event(), []

    def hold(room, held) -> None:
        try:
            with transaction.atomic():
                serialize_writers(Room, [room.pk])
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def start(room) -> None:
        held = threading.Event()
        threads.append(threading.Thread(target=hold, args=(room, held)))
        threads[-1].start()
        assert held.wait(timeout=10)

    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '500ms'")
    yield start
    release.set()
    for thread in threads:
        thread.join(timeout=10)
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


# What waiting on the room lock ends in when the other writer does not finish within lock_timeout.
WAITS_FOR_THE_ROOM = "canceling statement due to lock timeout"


def test_it_makes_a_booking_wait_while_another_writer_books_the_room_on_postgresql(
    draft, hotline, room, other_room, room_held_elsewhere, frozen_now
):
    room_held_elsewhere(room)
    with pytest.raises(OperationalError, match=WAITS_FOR_THE_ROOM):
        meeting_create(user=hotline, draft=draft())
    assert meeting_create(user=hotline, draft=draft(room=other_room)).room == other_room


def test_it_makes_a_move_wait_for_the_room_it_leaves_and_the_room_it_takes_on_postgresql(
    book, hotline, room, other_room, room_held_elsewhere
):
    # Two meetings trading rooms would otherwise each wait for the other inside the constraint's check.
    leaving = book()
    room_held_elsewhere(room)
    with pytest.raises(OperationalError, match=WAITS_FOR_THE_ROOM):
        meeting_reschedule(user=hotline, meeting=leaving, start=leaving.start, end=leaving.end, room=other_room)
    taking = book(room=other_room, start="2026-11-28 09:00", end="10:00")
    with pytest.raises(OperationalError, match=WAITS_FOR_THE_ROOM):
        meeting_reschedule(user=hotline, meeting=taking, start=taking.start, end=taking.end, room=room)
