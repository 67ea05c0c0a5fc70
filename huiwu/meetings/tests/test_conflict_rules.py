"""The conflict query on its boundaries: blocked times (buffers included) are half-open, so back-to-back
bookings fit in either order, and the look-back bound still finds the longest booking there can be.

The app's own query is what refuses a booking on SQLite; on PostgreSQL the exclusion constraint backs it up,
so `meeting_conflicts` is asserted directly as well."""

import pytest

from huiwu.meetings.models import Meeting
from huiwu.meetings.services import BookingConflict, meeting_cancel, meeting_conflicts
from huiwu.testing import at


def _conflicts(room, blocked_from, blocked_until):
    return meeting_conflicts(room=room, blocked_from=at(blocked_from), blocked_until=at(blocked_until))


def test_it_accepts_the_earlier_of_two_back_to_back_meetings_booked_second(book, room):
    later = book("2026-11-27 11:00", "12:00")  # blocked 10:30–12:30
    earlier = book("2026-11-27 09:00", "10:00")  # blocked 08:30–10:30
    assert Meeting.objects.count() == 2
    assert _conflicts(room, "2026-11-27 08:30", "2026-11-27 10:30") == [earlier]
    assert _conflicts(room, "2026-11-27 10:29", "2026-11-27 10:31") == [earlier, later]


@pytest.fixture
def whole_day(book):
    """The longest booking there is: 24 hours, with 4-hour buffers — blocked 11-27 20:00 to 11-29 04:00."""
    return book("2026-11-28 00:00", "2026-11-29 00:00", setup_minutes=240, teardown_minutes=240)


def test_it_refuses_a_booking_overlapping_only_the_teardown_of_the_longest_meeting(book, room, whole_day):
    with pytest.raises(BookingConflict) as refused:
        book("2026-11-29 03:59", "05:00", setup_minutes=0)
    assert refused.value.conflicts == [whole_day]
    assert Meeting.objects.count() == 1
    assert _conflicts(room, "2026-11-29 03:59", "2026-11-29 05:00") == [whole_day]


def test_it_refuses_a_booking_overlapping_only_the_setup_of_the_longest_meeting(book, room, whole_day):
    with pytest.raises(BookingConflict):
        book("2026-11-27 19:00", "20:00", teardown_minutes=1)
    assert _conflicts(room, "2026-11-27 19:00", "2026-11-27 20:01") == [whole_day]


def test_it_accepts_a_booking_from_the_end_of_the_longest_meetings_teardown(book, room, whole_day):
    after = book("2026-11-29 04:00", "05:00", setup_minutes=0)
    before = book("2026-11-27 19:00", "20:00", teardown_minutes=0)
    assert _conflicts(room, "2026-11-29 04:00", "2026-11-29 05:00") == [after]
    assert _conflicts(room, "2026-11-27 19:00", "2026-11-27 20:00") == [before]


def test_it_finds_no_conflict_in_another_room_or_with_a_cancelled_meeting(book, room, other_room, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    assert _conflicts(other_room, "2026-11-27 09:00", "2026-11-27 10:00") == []
    meeting_cancel(user=hotline, meeting=meeting, reason="取消")
    assert _conflicts(room, "2026-11-27 09:00", "2026-11-27 10:00") == []
