"""The caller's calendar feed links over JSON, the same links as the calendar feeds page hands out."""

from django.test import Client

from huiwu.meetings.feeds import calendar_feed_for
from huiwu.testing import login_as
from huiwu.venues.models import Room


def test_it_gives_staff_their_own_link_and_each_rooms(api, attendant, room, other_room, frozen_now):
    token = calendar_feed_for(attendant).token
    Room.objects.create(floor=room.floor, name="停用会议室", code="799", capacity=10, is_active=False)

    answer = api(attendant, "get", "/calendar-feeds").json()

    assert answer["my_meetings"] == f"http://testserver/meetings/feeds/{token}/me.ics"
    assert [(feed["room"]["code"], feed["url"]) for feed in answer["rooms"]] == [
        ("701", f"http://testserver/meetings/feeds/{token}/rooms/701.ics"),
        ("702", f"http://testserver/meetings/feeds/{token}/rooms/702.ics"),
    ]
    assert answer["rooms"][0]["room"]["site"] == {"code": "tower", "name": "会议大厦"}


def test_it_gives_the_same_links_as_the_page(api, client, hotline, room, frozen_now):
    login_as(client, hotline)
    page = client.get("/meetings/calendar/").content.decode()
    answer = api(hotline, "get", "/calendar-feeds").json()
    assert answer["my_meetings"] in page
    assert answer["rooms"][0]["url"] in page


def test_it_gives_a_client_only_their_own_link(api, client_contact, room, frozen_now):
    answer = api(client_contact, "get", "/calendar-feeds").json()
    assert answer["my_meetings"].endswith("/me.ics")
    assert answer["rooms"] == []


def test_it_resets_the_links_and_the_old_ones_stop_working(api, attendant, room, frozen_now):
    old = api(attendant, "get", "/calendar-feeds").json()

    response = api(attendant, "post", "/calendar-feeds/reset")

    assert response.status_code == 200
    new = response.json()
    assert new["my_meetings"] != old["my_meetings"]
    assert new["my_meetings"] == f"http://testserver/meetings/feeds/{calendar_feed_for(attendant).token}/me.ics"
    calendar_app = Client()
    assert calendar_app.get(old["my_meetings"]).status_code == 404
    assert calendar_app.get(old["rooms"][0]["url"]).status_code == 404
    assert calendar_app.get(new["my_meetings"]).status_code == 200
    assert calendar_app.get(new["rooms"][0]["url"]).status_code == 200


def test_it_resets_only_the_callers_links(api, attendant, hotline, frozen_now):
    theirs = calendar_feed_for(hotline).token
    api(attendant, "post", "/calendar-feeds/reset")
    assert calendar_feed_for(hotline).token == theirs


def test_it_resets_through_the_same_service_as_the_page(client, attendant, frozen_now):
    old = calendar_feed_for(attendant).token
    login_as(client, attendant)
    client.post("/meetings/calendar/reset/")
    assert calendar_feed_for(attendant).token != old
