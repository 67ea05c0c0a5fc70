"""ICS feeds behind a secret URL, and the page that hands the URLs out."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from huiwu.directory.models import Organization
from huiwu.meetings.feeds import calendar_feed_for
from huiwu.meetings.models import CalendarFeed
from huiwu.meetings.services import meeting_cancel, meeting_reject, meeting_update
from huiwu.testing import at, login_as


def room_feed_url(user, room) -> str:
    return reverse("meetings:feed_room", args=[calendar_feed_for(user).token, room.code])


def my_feed_url(user) -> str:
    return reverse("meetings:feed_user", args=[calendar_feed_for(user).token])


def fetch(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_title(calendar: Calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in calendar.events}


@pytest.fixture
def other_organization(db):
    return Organization.objects.create(name="其他委办局")


def test_it_lists_the_rooms_meetings_at_their_times(client, book, room, other_room, attendant):
    first = book("2026-11-27 09:00", "10:30", title="党组会", headcount=12)
    book("2026-11-28 14:00", "15:00", title="座谈会")
    book("2026-11-27 09:00", "10:00", title="别的会议室", room=other_room)

    calendar = fetch(client, room_feed_url(attendant, room))

    assert str(calendar["X-WR-CALNAME"]) == "会务 · 701会议室"
    events = events_by_title(calendar)
    assert set(events) == {"党组会", "座谈会"}
    event = events["党组会"]
    assert event.decoded("DTSTART") == at("2026-11-27 09:00")
    assert event.decoded("DTEND") == at("2026-11-27 10:30")
    assert str(event["UID"]) == f"meeting-{first.pk}@huiwu"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "会议大厦 701会议室"
    assert event["SEQUENCE"] == 0
    assert event.decoded("LAST-MODIFIED") == first.updated_at


def test_it_describes_organizer_and_headcount(client, book, room, attendant, settings):
    settings.LANGUAGE_CODE = "en"
    book("2026-11-27 09:00", "10:00", headcount=12)
    event = fetch(client, room_feed_url(attendant, room)).events[0]
    description = str(event["DESCRIPTION"])
    assert "Organizer: 测试委办局" in description
    assert "Headcount: 12" in description


def test_it_keeps_cancelled_and_rejected_meetings_as_cancelled(client, book, room, hotline, client_contact, attendant):
    cancelled = book("2026-11-27 09:00", "10:00", title="取消的会")
    meeting_cancel(user=hotline, meeting=cancelled, reason="领导临时出差")
    book("2026-11-27 14:00", "15:00", title="待确认的会", user=client_contact)
    rejected = book("2026-11-28 09:00", "10:00", title="被拒绝的会", user=client_contact)
    meeting_reject(user=hotline, meeting=rejected, reason="会议室检修")

    events = events_by_title(fetch(client, room_feed_url(attendant, room)))

    assert str(events["取消的会"]["STATUS"]) == "CANCELLED"
    assert str(events["被拒绝的会"]["STATUS"]) == "CANCELLED"
    assert str(events["待确认的会"]["STATUS"]) == "TENTATIVE"
    # A calendar app replaces its copy only when the sequence grows.
    assert events["取消的会"]["SEQUENCE"] == 1
    assert events["待确认的会"]["SEQUENCE"] == 0


def test_it_moves_an_event_when_the_meeting_moves(client, book, draft, room, hotline, attendant):
    meeting = book("2026-11-27 09:00", "10:00")
    meeting_update(user=hotline, meeting=meeting, draft=draft("2026-11-27 15:00", "16:00"))
    event = fetch(client, room_feed_url(attendant, room)).events[0]
    assert event.decoded("DTSTART") == at("2026-11-27 15:00")
    assert event["SEQUENCE"] == 1


def test_it_limits_a_clients_room_feed_to_their_organization(
    client, book, room, client_contact, other_organization, attendant
):
    book("2026-11-27 09:00", "10:00", title="本单位的会")
    book("2026-11-27 14:00", "15:00", title="别的单位的会", organizer=other_organization)

    assert set(events_by_title(fetch(client, room_feed_url(client_contact, room)))) == {"本单位的会"}
    assert set(events_by_title(fetch(client, room_feed_url(attendant, room)))) == {"本单位的会", "别的单位的会"}


def test_it_gives_a_user_without_a_role_an_empty_room_feed(client, book, room, outsider):
    book("2026-11-27 09:00", "10:00")
    assert fetch(client, room_feed_url(outsider, room)).events == []


def test_it_puts_in_my_feed_what_i_booked(client, book, room, hotline, manager):
    book("2026-11-27 09:00", "10:00", title="热线订的会")
    book("2026-11-27 14:00", "15:00", title="经理订的会", user=manager)
    assert set(events_by_title(fetch(client, my_feed_url(hotline)))) == {"热线订的会"}
    assert str(fetch(client, my_feed_url(hotline))["X-WR-CALNAME"]).startswith("会务 · ")


def test_it_puts_in_a_clients_feed_their_organizations_meetings(client, book, room, client_contact, other_organization):
    book("2026-11-27 09:00", "10:00", title="热线为本单位订的会")
    book("2026-11-27 14:00", "15:00", title="别的单位的会", organizer=other_organization)
    assert set(events_by_title(fetch(client, my_feed_url(client_contact)))) == {"热线为本单位订的会"}


def test_it_keeps_to_the_last_month_and_the_next_year(client, book, room, hotline, frozen_now):
    book("2026-11-27 09:00", "10:00", title="下个月之前的会")
    book("2027-11-20 09:00", "10:00", title="一年内的会")
    book("2027-11-30 09:00", "10:00", title="一年以后的会")
    assert set(events_by_title(fetch(client, my_feed_url(hotline)))) == {"下个月之前的会", "一年内的会"}

    frozen_now.shift(timedelta(days=40))
    assert set(events_by_title(fetch(client, my_feed_url(hotline)))) == {"一年内的会", "一年以后的会"}


def test_it_reads_a_feed_in_a_constant_number_of_queries(client, book, room, draft, hotline, attendant):
    url = room_feed_url(attendant, room)
    meeting = book("2026-11-27 09:00", "10:00")
    with CaptureQueriesContext(connection) as one:
        fetch(client, url)
    meeting_update(user=hotline, meeting=meeting, draft=draft("2026-11-27 08:00", "09:00"))
    for day in ("2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"):
        book(f"{day} 09:00", "10:00")
    with CaptureQueriesContext(connection) as many:
        assert len(fetch(client, url).events) == 5
    assert len(many) == len(one)


@pytest.mark.parametrize("path", ["me.ics", "rooms/701.ics"])
def test_it_answers_404_to_an_unknown_token(client, room, attendant, path):
    calendar_feed_for(attendant)
    assert client.get(f"/meetings/feeds/not-a-token/{path}").status_code == 404


def test_it_answers_404_to_an_unknown_room(client, room, attendant):
    url = reverse("meetings:feed_room", args=[calendar_feed_for(attendant).token, "no-such-room"])
    assert client.get(url).status_code == 404


def test_it_answers_404_once_the_user_is_deactivated(client, room, attendant):
    url = room_feed_url(attendant, room)
    assert client.get(url).status_code == 200
    attendant.is_active = False
    attendant.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_it_shows_staff_their_feed_and_one_per_active_room(client, room, other_room, attendant):
    other_room.is_active = False
    other_room.save(update_fields=["is_active"])
    login_as(client, attendant)
    response = client.get(reverse("meetings:calendar"))
    assert response.status_code == 200
    html = response.content.decode()
    token = CalendarFeed.objects.get(user=attendant).token
    assert f"http://testserver/meetings/feeds/{token}/me.ics" in html
    assert f"http://testserver/meetings/feeds/{token}/rooms/701.ics" in html
    assert "702.ics" not in html
    assert html.count('data-testid="feed-url"') == 2


def test_it_shows_a_client_only_their_own_feed(client, room, client_contact):
    login_as(client, client_contact)
    html = client.get(reverse("meetings:calendar")).content.decode()
    token = CalendarFeed.objects.get(user=client_contact).token
    assert f"http://testserver/meetings/feeds/{token}/me.ics" in html
    assert f"/feeds/{token}/rooms/" not in html
    assert html.count('data-testid="feed-url"') == 1


def test_it_sends_anonymous_visitors_of_the_calendar_page_to_sign_in(client, db):
    response = client.get(reverse("meetings:calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_cuts_off_old_links_when_the_secret_is_regenerated(client, room, attendant):
    old_my, old_room = my_feed_url(attendant), room_feed_url(attendant, room)
    assert client.get(old_room).status_code == 200
    login_as(client, attendant)

    response = client.post(reverse("meetings:calendar_reset"), follow=True)

    assert response.redirect_chain == [(reverse("meetings:calendar"), 302)]
    assert [message.level_tag for message in response.context["messages"]] == ["success"]
    client.logout()  # feeds need no session
    assert client.get(old_my).status_code == 404
    assert client.get(old_room).status_code == 404
    assert my_feed_url(attendant) != old_my
    assert client.get(my_feed_url(attendant)).status_code == 200
    assert client.get(room_feed_url(attendant, room)).status_code == 200


def test_it_regenerates_the_secret_only_on_post(client, attendant):
    token = calendar_feed_for(attendant).token
    login_as(client, attendant)
    assert client.get(reverse("meetings:calendar_reset")).status_code == 405
    assert CalendarFeed.objects.get(user=attendant).token == token
