from datetime import time

import pytest

from huiwu.testing import login_as
from huiwu.venues.models import Room, Site


def test_it_lets_an_administrator_set_up_a_room_with_its_layouts(client, sysadmin, room):
    login_as(client, sysadmin)
    data = {
        "floor": room.floor.pk,
        "name": "703会议室",
        "code": "703",
        "capacity": "12",
        "layouts": ["boardroom", "u_shape"],
        "default_setup_minutes": "30",
        "default_teardown_minutes": "15",
        "is_active": "on",
        "notes": "",
    }
    response = client.post("/admin/venues/room/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Room.objects.get(code="703").layouts == ["boardroom", "u_shape"]


def test_it_refuses_an_unknown_layout(client, sysadmin, room):
    login_as(client, sysadmin)
    data = {
        "floor": room.floor.pk,
        "name": "704",
        "code": "704",
        "capacity": "5",
        "layouts": ["disco"],
        "default_setup_minutes": "0",
        "default_teardown_minutes": "0",
    }
    response = client.post("/admin/venues/room/add/", data)
    assert response.status_code == 200
    assert not Room.objects.filter(code="704").exists()


def test_it_shows_meetings_read_only_in_administration(client, sysadmin, book):
    meeting = book()
    login_as(client, sysadmin)
    assert client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").status_code == 200
    assert client.get("/admin/meetings/meeting/add/").status_code == 403


def _site_form(**values) -> dict:
    return {
        "name": "行政办事中心",
        "code": "centre",
        "address": "",
        "is_active": "on",
        "day_starts": "07:00",
        "day_ends": "22:00",
        "floors-TOTAL_FORMS": "0",
        "floors-INITIAL_FORMS": "0",
        "floors-MIN_NUM_FORMS": "0",
        "floors-MAX_NUM_FORMS": "1000",
    } | values


def test_it_lets_an_administrator_set_the_day_of_a_sites_timeline(client, sysadmin, site):
    login_as(client, sysadmin)
    form = client.get("/admin/venues/site/add/").content.decode()
    assert 'name="day_starts" value="07:00"' in form  # the defaults, on the browser's time picker
    assert 'type="time"' in form
    response = client.post("/admin/venues/site/add/", _site_form(day_starts="06:30", day_ends="23:30"))
    assert response.status_code == 302, response.content.decode()[:2000]
    centre = Site.objects.get(code="centre")
    assert (centre.day_starts, centre.day_ends) == (time(6, 30), time(23, 30))
    assert "日程起始时间" in client.get("/admin/venues/site/").content.decode()


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("07:15", "22:00", "请选择整点或半点"),
        ("07:00", "21:59", "请选择整点或半点"),
        ("22:00", "07:00", "结束时间必须晚于开始时间。"),
        ("07:00", "07:00", "结束时间必须晚于开始时间。"),
    ],
)
def test_it_refuses_a_day_off_the_half_hour_or_ending_before_it_starts(client, sysadmin, starts, ends, message):
    login_as(client, sysadmin)
    response = client.post("/admin/venues/site/add/", _site_form(day_starts=starts, day_ends=ends))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Site.objects.filter(code="centre").exists()


def test_it_accepts_a_day_of_one_half_hour(client, sysadmin):
    login_as(client, sysadmin)
    response = client.post("/admin/venues/site/add/", _site_form(day_starts="07:00", day_ends="07:30"))
    assert response.status_code == 302
