from huiwu.testing import login_as
from huiwu.venues.models import Room


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
