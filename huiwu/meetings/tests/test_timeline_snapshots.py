"""The timeline's snapshot (views.py, lib/snapshots.py): opened again with nothing changed, it is served from
what the last view built; a booking, a change of a room or its site's hours, the clock reaching a free
half-hour, another reader — each builds it again."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiwu.directory.models import Organization
from huiwu.meetings.models import Meeting
from huiwu.testing import at, login_as
from huiwu.venues.models import Room, Site

DAY = "2026-11-27"


def _open(client, user) -> tuple[str, int]:
    login_as(client, user)  # again each time: the clock may have moved past the session's age
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/meetings/timeline/?date={DAY}")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_it_serves_an_unchanged_timeline_again_without_reading_its_meetings(client, hotline, book, other_room):
    book(f"{DAY} 09:00", "10:00", title="党组会")
    book(f"{DAY} 09:00", "10:00", title="专题会", room=other_room)
    built, built_queries = _open(client, hotline)
    served, served_queries = _open(client, hotline)
    assert _timeline(served) == _timeline(built)
    assert "党组会" in _timeline(served)
    # Not read again: the meetings near the day, the rooms with their floors and sites, and their equipment.
    assert served_queries == built_queries - 3


def _timeline(html: str) -> str:
    """The timeline itself, without the rest of the page (whose CSRF token is masked anew each time)."""
    return html[html.index('data-testid="timeline"') : html.index("</main>")]


@pytest.mark.parametrize("change", ["booked", "title", "cancelled", "room renamed", "site hours"])
def test_it_shows_a_change_at_the_next_view(client, hotline, change, book, other_room, site):
    meeting = book(f"{DAY} 09:00", "10:00", title="党组会")
    before = _open(client, hotline)[0]
    if change == "booked":
        book(f"{DAY} 09:00", "10:00", title="专题会", room=other_room)
    elif change == "title":
        Meeting.objects.filter(pk=meeting.pk).update(title="专题会")
    elif change == "cancelled":
        Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    elif change == "room renamed":
        # Named so that the rooms keep their order, which the snapshot's key also notices.
        Room.objects.filter(pk=meeting.room_id).update(name="701专题会议室")
    else:
        Site.objects.filter(pk=site.pk).update(day_starts=time(6, 0))
    before, after = _timeline(before), _timeline(_open(client, hotline)[0])
    if change == "cancelled":
        assert "党组会" in before
        assert "党组会" not in after
    elif change == "site hours":
        assert ">06:00<" not in before
        assert ">06:00<" in after
    else:
        assert "专题会" not in before
        assert "专题会" in after


def test_it_stops_offering_a_free_half_hour_once_it_has_begun(client, hotline, book, room, frozen_now):
    book(f"{DAY} 09:00", "10:00", setup_minutes=0, teardown_minutes=0)
    slot = f'data-slot="{room.code}-08:00"'
    frozen_now.move_to(at(f"{DAY} 07:59"))
    assert slot in _open(client, hotline)[0]
    frozen_now.move_to(at(f"{DAY} 08:00") - timedelta(microseconds=1))
    assert slot in _open(client, hotline)[0]
    frozen_now.move_to(at(f"{DAY} 08:00"))
    assert slot not in _open(client, hotline)[0]


def test_it_keeps_a_meeting_out_of_the_snapshot_of_a_reader_who_may_not_open_it(
    client, hotline, client_contact, book, other_room
):
    other = Organization.objects.create(name="市财政局")
    book(f"{DAY} 09:00", "10:00", title="预算审议", organizer=other)
    assert "预算审议" in _open(client, hotline)[0]
    html = _open(client, client_contact)[0]
    assert "预算审议" not in html
    assert "hw-hidden" in html
