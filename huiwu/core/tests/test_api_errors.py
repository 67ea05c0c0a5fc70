"""The API's answers to bad requests, as an integrator meets them: strict types, bounded days, messages in the
caller's language, CSRF and missing credentials, on every app's endpoints. Nothing bad is ever stored."""

import pytest
from django.test import Client

from huiwu.lostfound.models import LostItem
from huiwu.meetings.models import Meeting
from huiwu.security.models import TrainingRecord
from huiwu.testing import login_as


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)


@pytest.mark.parametrize(
    "path",
    [
        "/meetings?date_from=0001-01-01",
        "/meetings?date_to=9999-12-31",
        "/service/board?date=9999-12-31",
        "/service/board?date=0001-01-01",
        "/audit?date_from=0001-01-01",
    ],
)
def test_it_refuses_a_far_off_day_in_a_filter_with_422(api, manager, security_officer, path, frozen_now):
    user = security_officer if path.startswith("/audit") else manager
    response = api(user, "get", path)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "1900-01-01" in body["message"]
    assert _is_chinese(body["message"])


def test_it_refuses_a_lost_item_found_in_year_one_and_stores_nothing(api, attendant, room, frozen_now):
    body = {
        "description": "黑色保温杯",
        "found_where": "主席台",
        "found_at": "0001-01-01T09:00:00",
        "stored_where": "服务台",
        "room": room.code,
    }
    response = api(attendant, "post", "/lost-items", body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"found_at"}
    assert not LostItem.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"headcount": True}, "headcount"),
        ({"organizer_id": True}, "organizer_id"),
        ({"setup_minutes": False}, "setup_minutes"),
        ({"start": 1796000000}, "start"),
        ({"title": "周例会\x00"}, "title"),
        ({"title": "周例会\u202egnp.exe"}, "title"),
        ({"notes": "见\u2066附件"}, "notes"),
    ],
)
def test_it_refuses_loosely_typed_or_unsafe_values_with_422(api, hotline, booking, frozen_now, overrides, field):
    response = api(hotline, "post", "/meetings", booking(**overrides))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Meeting.objects.exists()


def test_it_refuses_an_unknown_field_rather_than_ignore_a_misspelt_one(api, hotline, booking, frozen_now):
    body = booking()
    body["headcout"] = body.pop("headcount")
    response = api(hotline, "post", "/meetings", body)
    assert response.status_code == 422
    assert response.json()["errors"]["headcout"] == ["未知的字段。"]
    assert not Meeting.objects.exists()


def test_it_refuses_control_characters_in_a_search(api, manager, frozen_now):
    response = api(manager, "get", "/people", {"q": "张\x00"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"q"}


def test_it_refuses_a_number_as_a_day(api, security_officer, attendant, frozen_now):
    body = {"course": "service_skills", "completed_on": 20261127, "passed": True}
    response = api(security_officer, "post", f"/staff/{attendant.pk}/training", body)
    assert response.status_code == 422
    assert response.json()["errors"]["completed_on"] == ["请以文本（YYYY-MM-DD）填写日期，不要填写数字。"]
    assert not TrainingRecord.objects.exists()


def test_it_keeps_newlines_in_multi_line_text(api, hotline, booking, frozen_now):
    response = api(hotline, "post", "/meetings", booking(notes="第一行\n第二行\t备注"))
    assert response.status_code == 201
    assert Meeting.objects.get().notes == "第一行\n第二行\t备注"


def test_it_words_schema_errors_in_the_callers_language(api, hotline, booking, frozen_now):
    body = booking()
    del body["title"]
    body["headcount"] = "many"
    response = api(hotline, "post", "/meetings", body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["errors"] == {"title": ["这个字段是必填项。"], "headcount": ["输入整数。"]}
    assert answer["message"] == "title：这个字段是必填项。"

    english = api(hotline, "post", "/meetings", body, **{"Accept-Language": "en"}).json()
    assert english["errors"]["title"] == ["This field is required."]
    assert english["message"] == "title: This field is required."


def test_it_states_the_limit_a_value_broke(api, hotline, booking, frozen_now):
    response = api(hotline, "post", "/meetings", booking(title="长" * 121))
    assert response.json()["errors"]["title"] == ["最多填写 120 个字符。"]


def test_it_answers_a_body_that_is_not_json_with_400(hotline, frozen_now, api):
    response = api(hotline, "post", "/meetings", "{not json")
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "message": "无法读取请求内容：请发送有效的 JSON。"}
    assert not Meeting.objects.exists()


def test_it_answers_a_session_without_the_csrf_token_with_csrf_failed(hotline, booking, frozen_now):
    client = Client(enforce_csrf_checks=True)
    login_as(client, hotline)
    response = client.post("/api/v1/meetings", booking(), content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {
        "code": "csrf_failed",
        "message": "CSRF 校验失败：请在请求头 X-CSRFToken 中带上 csrftoken Cookie 的值，或改用令牌。",
    }
    assert not Meeting.objects.exists()


def test_it_answers_an_unsafe_call_without_credentials_with_401(booking, db):
    client = Client(enforce_csrf_checks=True)
    for method, path in (("post", "/meetings"), ("patch", "/meetings/1"), ("delete", "/assignments/1")):
        response = getattr(client, method)(f"/api/v1{path}", booking(), content_type="application/json")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert _is_chinese(response.json()["message"])
    assert not Meeting.objects.exists()


def test_it_gives_times_to_the_second(api, hotline, booking, frozen_now):
    response = api(hotline, "post", "/meetings", booking(start="2026-11-27T09:00:00.123456+08:00"))
    assert response.status_code == 201
    assert response.json()["start"] == "2026-11-27T09:00:00+08:00"
    assert response.json()["created_at"].endswith("+08:00")
    assert "." not in response.json()["created_at"]


def test_it_answers_a_method_an_address_does_not_have_with_json_405(api, hotline, frozen_now):
    response = api(hotline, "delete", "/meetings")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json() == {
        "code": "method_not_allowed",
        "message": "此地址不支持 DELETE 请求，支持的有：GET, POST。",
    }
    english = api(hotline, "put", "/meetings", **{"Accept-Language": "en"})
    assert english.json()["message"] == "This address does not answer PUT; it answers GET, POST."


def test_it_leaves_a_page_that_refuses_a_method_as_it_is(client, hotline):
    login_as(client, hotline)
    response = client.get("/notifications/read-all/")
    assert response.status_code == 405
    assert not response.get("Content-Type", "").startswith("application/json")
