"""The register over JSON: the same rules and access as the pages, as HTTP answers."""

import pytest
from django.test import Client

from huiwu.lostfound.models import LostItem
from huiwu.lostfound.services import lost_item_return
from huiwu.testing import at, login_as


@pytest.fixture
def found(room):
    def make(**overrides):
        return {
            "description": "黑色保温杯",
            "found_where": "主席台第三座",
            "found_at": "2026-11-26T07:40:00+08:00",
            "stored_where": "7楼服务台",
            "room": room.code,
        } | overrides

    return make


# --- access -------------------------------------------------------------------------------------------


def test_it_refuses_calls_without_a_token(item):
    assert Client().get("/api/v1/lost-items").status_code == 401


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_refuses_clients_and_users_without_a_role(api, request, persona, item, found):
    user = request.getfixturevalue(persona)
    assert api(user, "get", "/lost-items").status_code == 403
    assert api(user, "post", "/lost-items", found()).status_code == 403
    response = api(user, "get", f"/lost-items/{item.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api(user, "post", f"/lost-items/{item.pk}/return", {"returned_to": "张处长"}).status_code == 404
    assert LostItem.objects.count() == 1
    assert LostItem.objects.get().is_open


def test_it_lets_the_security_officer_read_but_not_write(api, security_officer, item, found):
    assert api(security_officer, "get", "/lost-items").json()["count"] == 1
    assert api(security_officer, "get", f"/lost-items/{item.pk}").status_code == 200
    response = api(security_officer, "post", "/lost-items", found())
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert api(security_officer, "post", f"/lost-items/{item.pk}/return", {"returned_to": "张处长"}).status_code == 403
    assert LostItem.objects.get().is_open


@pytest.mark.parametrize("item_id", ["0", "99999999999999999999999", "-3"])
def test_it_answers_404_or_422_for_ids_that_cannot_exist(api, hotline, item_id):
    assert api(hotline, "get", f"/lost-items/{item_id}").status_code in (404, 422)
    assert api(hotline, "post", f"/lost-items/{item_id}/return", {"returned_to": "x"}).status_code in (404, 422)


def test_it_accepts_the_session_of_the_web_pages(client, attendant, found, frozen_now):
    login_as(client, attendant)
    response = client.post("/api/v1/lost-items", found(), content_type="application/json")
    assert response.status_code == 201


# --- list and detail ----------------------------------------------------------------------------------


def test_it_lists_open_items_by_default_and_the_others_on_request(api, hotline, attendant, register):
    register(description="工作证", found_at=at("2026-11-26 07:00"))
    umbrella = register(description="蓝色雨伞", found_at=at("2026-11-24 18:00"))
    lost_item_return(user=attendant, item=umbrella, returned_to="李秘书")

    def listed(**query):
        return [item["description"] for item in api(hotline, "get", "/lost-items", query).json()["items"]]

    assert listed() == ["工作证"]
    assert listed(state="returned") == ["蓝色雨伞"]
    assert listed(state="all") == ["工作证", "蓝色雨伞"]
    assert listed(state="all", q="雨伞") == ["蓝色雨伞"]
    page = api(hotline, "get", "/lost-items", {"state": "all", "limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 1, 1)


@pytest.mark.parametrize("query", [{"state": "lost"}, {"limit": 0}, {"limit": 1000}, {"offset": -1}])
def test_it_refuses_a_bad_list_query(api, hotline, query):
    response = api(hotline, "get", "/lost-items", query)
    assert (response.status_code, response.json()["code"]) == (422, "invalid")


def test_it_shows_an_item_in_shanghai_time(api, hotline, item, room):
    body = api(hotline, "get", f"/lost-items/{item.pk}").json()
    assert body["description"] == "黑色保温杯"
    assert body["state"] == "open"
    assert body["found_at"] == "2026-11-25T17:30:00+08:00"
    assert body["room"]["code"] == room.code
    assert body["found_by"]["display_name"] == "attendant 测试"
    assert body["returned_at"] is None
    assert body["handed_over_by"] is None


# --- register -----------------------------------------------------------------------------------------


def test_it_registers_an_item_for_a_meeting_in_its_room(api, attendant, book, other_room, found, frozen_now):
    meeting = book("2026-11-26 09:00", "10:00", room=other_room)
    frozen_now.move_to("2026-11-26 10:30 +0800")
    response = api(
        attendant, "post", "/lost-items", found(room=None, meeting_id=meeting.pk, found_at="2026-11-26T10:10")
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["meeting"]["id"] == meeting.pk
    assert body["room"]["code"] == other_room.code
    assert body["found_at"] == "2026-11-26T10:10:00+08:00"
    assert LostItem.objects.get().found_by == attendant


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "  "}, "description"),
        ({"found_at": "2026-11-26T09:00:00+08:00"}, "found_at"),
        ({"found_at": "2026-11-26"}, "found_at"),
        ({"found_at": "yesterday"}, "found_at"),
        ({"meeting_id": 424242}, "meeting_id"),
        ({"meeting_id": 2**70}, "meeting_id"),
        ({"room": "nowhere"}, "room"),
        ({"description": "x" * 201}, "description"),
        ({"notes": "a\x00b"}, "notes"),
        ({"stored_where": None}, "stored_where"),
    ],
)
def test_it_refuses_a_bad_registration_with_field_errors(api, attendant, found, frozen_now, change, field):
    response = api(attendant, "post", "/lost-items", found(**change))
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid")
    assert field in body["errors"], body
    assert not LostItem.objects.exists()


# --- return -------------------------------------------------------------------------------------------


def test_it_records_a_return(api, hotline, attendant, item):
    body = {"returned_to": "张处长", "returned_to_phone": "138 0000 1234", "handed_over_by_id": attendant.pk}
    response = api(hotline, "post", f"/lost-items/{item.pk}/return", body)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["state"] == "returned"
    assert answer["returned_at"] == "2026-11-26T08:00:00+08:00"
    assert answer["handed_over_by"]["id"] == attendant.pk
    assert api(hotline, "get", "/lost-items").json()["count"] == 0


def test_it_defaults_the_handover_to_the_caller(api, hotline, item):
    api(hotline, "post", f"/lost-items/{item.pk}/return", {"returned_to": "张处长"})
    assert LostItem.objects.get().handed_over_by == hotline


def test_it_refuses_returning_twice(api, hotline, item):
    assert api(hotline, "post", f"/lost-items/{item.pk}/return", {"returned_to": "张处长"}).status_code == 200
    response = api(hotline, "post", f"/lost-items/{item.pk}/return", {"returned_to": "冒领人"})
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid")
    assert "already returned to 张处长" in body["errors"]["__all__"][0]
    assert LostItem.objects.get().returned_to == "张处长"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"returned_to": ""}, "returned_to"),
        ({"returned_to_phone": "call me"}, "returned_to_phone"),
        ({"returned_at": "2026-11-26T09:00:00+08:00"}, "returned_at"),
        ({"returned_at": "2026-11-25T17:00:00+08:00"}, "returned_at"),
        ({"handed_over_by_id": 424242}, "handed_over_by_id"),
        ({"returned_to": "x" * 101}, "returned_to"),
    ],
)
def test_it_refuses_a_bad_return_and_changes_nothing(api, hotline, client_contact, item, change, field):
    response = api(hotline, "post", f"/lost-items/{item.pk}/return", {"returned_to": "张处长"} | change)
    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid")
    assert field in body["errors"], body
    assert LostItem.objects.get().is_open


def test_it_refuses_a_client_as_the_one_who_handed_it_over(api, hotline, client_contact, item):
    response = api(
        hotline,
        "post",
        f"/lost-items/{item.pk}/return",
        {"returned_to": "张处长", "handed_over_by_id": client_contact.pk},
    )
    assert response.status_code == 422
    assert "handed_over_by_id" in response.json()["errors"]
