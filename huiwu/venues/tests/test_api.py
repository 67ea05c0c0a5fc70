"""Rooms over JSON: readable by staff and by clients (who pick a room to request), by nobody else."""

import pytest
from django.test import Client

from huiwu.accounts.roles import Role
from huiwu.accounts.services import api_token_create
from huiwu.venues.models import Equipment, Floor, Room


def _get(user, path: str, language: str = "zh-hans"):
    _token, secret = api_token_create(user=user, name="tests")
    return Client().get(f"/api/v1{path}", headers={"Authorization": f"Bearer {secret}", "Accept-Language": language})


@pytest.fixture
def equipped_room(room):
    room.equipment.add(Equipment.objects.create(name="投影仪"), Equipment.objects.create(name="话筒"))
    return room


@pytest.mark.parametrize("persona", ["attendant", "hotline", "client"])
def test_it_lists_rooms_in_service_to_staff_and_clients(make_persona, equipped_room, other_room, persona):
    other_room.is_active = False
    other_room.save(update_fields=["is_active"])
    response = _get(make_persona(persona), "/rooms")
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "701",
            "name": "701会议室",
            "site": {"code": "tower", "name": "会议大厦", "day_starts": "07:00:00", "day_ends": "22:00:00"},
            "floor": {"name": "7F", "level": 7},
            "capacity": 20,
            "layouts": [{"code": "boardroom", "label": "会议长桌"}, {"code": "hollow_square", "label": "回字形"}],
            "equipment": ["投影仪", "话筒"],
            "default_setup_minutes": 30,
            "default_teardown_minutes": 30,
            "notes": "",
        }
    ]


def test_it_leaves_out_the_rooms_of_a_closed_site(hotline, room):
    room.floor.site.is_active = False
    room.floor.site.save(update_fields=["is_active"])
    assert _get(hotline, "/rooms").json() == []


def test_it_labels_layouts_in_the_callers_language(hotline, room):
    layouts = _get(hotline, "/rooms/701", language="en").json()["layouts"]
    assert layouts == [
        {"code": "boardroom", "label": "Boardroom table"},
        {"code": "hollow_square", "label": "Hollow square"},
    ]


def test_it_shows_one_room_by_code_and_404_for_an_unknown_or_retired_one(client_contact, room, other_room):
    assert _get(client_contact, "/rooms/701").json()["name"] == "701会议室"
    other_room.is_active = False
    other_room.save(update_fields=["is_active"])
    for code in ("999", "702"):
        response = _get(client_contact, f"/rooms/{code}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_it_refuses_rooms_to_a_user_without_a_role(outsider, room):
    for path in ("/rooms", "/rooms/701"):
        response = _get(outsider, path)
        assert response.status_code == 403
        # Every role reads rooms (clients to request a booking): any one of them would do.
        assert response.json()["code"] == "forbidden"
        assert response.json()["roles"] == [role.value for role in Role]


def test_it_lists_rooms_without_a_query_per_room(hotline, room, django_assert_max_num_queries):
    projector = Equipment.objects.create(name="投影仪")
    for number in range(10):
        floor = Floor.objects.create(site=room.floor.site, name=f"{number + 10}F", level=number + 10)
        extra = Room.objects.create(floor=floor, name=f"{number + 10}01会议室", code=f"{number + 10}01", capacity=10)
        extra.equipment.add(projector)
    _token, secret = api_token_create(user=hotline, name="tests")
    with django_assert_max_num_queries(8):
        response = Client().get("/api/v1/rooms", headers={"Authorization": f"Bearer {secret}"})
    assert len(response.json()) == 11


def test_it_describes_the_rooms_api_in_the_openapi_schema(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/rooms"]["get"]["summary"]
    assert paths["/api/v1/rooms/{code}"]["get"]["summary"]
