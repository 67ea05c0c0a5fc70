"""The reviewed-documents register over JSON: list, one, record (with the 09:30 rule), hand over, export."""

import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from huiwu.reception.models import ReviewedDocument
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def payload(leader):
    def make(**overrides):
        return {
            "title": "关于办公用房维修的请示",
            "document_number": "机管发〔2026〕45号",
            "reviewing_leader_id": leader.pk,
        } | overrides

    return make


@pytest.fixture
def post(api, reception, payload):
    def create(when="2026-11-26 17:45", **overrides):
        with time_machine.travel(at(when), tick=False):
            return api(reception, "post", "/reception/documents", payload(**overrides))

    return create


@pytest.mark.parametrize(
    ("retrieved", "due"),
    [
        ("2026-11-26 17:45", "2026-11-27T09:30:00+08:00"),  # Thursday evening → Friday
        ("2026-11-27 17:45", "2026-11-30T09:30:00+08:00"),  # Friday evening → Monday
        ("2026-09-30 18:10", "2026-10-08T09:30:00+08:00"),  # before National Day → after it
        ("2026-10-09 17:40", "2026-10-10T09:30:00+08:00"),  # Friday → the 调休 Saturday
    ],
)
def test_it_records_a_document_due_by_the_0930_rule(post, reception, retrieved, due):
    response = post(retrieved)
    assert response.status_code == 201
    body = response.json()
    assert (body["due_at"], body["overdue"], body["retrieved_by"]["id"]) == (due, False, reception.pk)


def test_it_records_a_document_taken_back_earlier_from_an_office(post, principal_office):
    body = post("2026-11-27 08:50", retrieved_at="2026-11-26T17:40", office_id=principal_office.pk).json()
    assert (body["retrieved_at"], body["due_at"]) == ("2026-11-26T17:40:00+08:00", "2026-11-27T09:30:00+08:00")
    assert body["office"]["room"] == "7楼 706室"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"document_number": "1\u202e号"}, "document_number"),
        ({"reviewing_leader_id": 999999}, "reviewing_leader_id"),
        ({"reviewing_leader_id": True}, "reviewing_leader_id"),
        ({"office_id": 999999}, "office_id"),
        ({"retrieved_at": "2026-11-27T09:00+08:00"}, "retrieved_at"),
        ({"retrieved_at": "2026-11-26"}, "retrieved_at"),
        ({"retrieved_at": "0001-01-01T00:00"}, "retrieved_at"),
        ({"handed_to": "李文静"}, "handed_to"),
    ],
)
def test_it_refuses_a_bad_document_with_422(post, overrides, field):
    response = post(**overrides)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not ReviewedDocument.objects.exists()


def test_it_hands_a_document_over_once(api, reception, post):
    document_id = post().json()["id"]
    url = f"/reception/documents/{document_id}/hand-over"
    with time_machine.travel(at("2026-11-27 09:12"), tick=False):
        assert api(reception, "post", url, {"handed_to": "李文静"}).status_code == 422
        assert api(reception, "post", url, {"handed_to": "李文静", "confirmation": "nodded"}).status_code == 422
        response = api(reception, "post", url, {"handed_to": "李文静", "confirmation": "signed_here"})
        again = api(reception, "post", url, {"handed_to": "王明", "confirmation": "signed_book"})
    assert response.status_code == 200
    body = response.json()
    assert (body["handed_to"], body["handed_at"], body["clerk_confirmation"]) == (
        "李文静",
        "2026-11-27T09:12:00+08:00",
        "signed_here",
    )
    assert again.status_code == 422
    assert "already handed to 李文静" in again.json()["message"]


def test_it_lists_the_register_and_the_waiting_ones(api, reception, post, other_leader):
    first = post("2026-11-25 17:00", document_number="A-1").json()["id"]
    post("2026-11-26 17:00", document_number="B-2", reviewing_leader_id=other_leader.pk)
    with time_machine.travel(at("2026-11-26 18:00"), tick=False):
        api(
            reception,
            "post",
            f"/reception/documents/{first}/hand-over",
            {"handed_to": "李", "confirmation": "signed_book"},
        )
        listed = api(reception, "get", "/reception/documents").json()
        waiting = api(reception, "get", "/reception/documents", {"waiting": "true"}).json()
        by_leader = api(reception, "get", "/reception/documents", {"leader_id": other_leader.pk}).json()
        by_day = api(reception, "get", "/reception/documents", {"since": "2026-11-25", "until": "2026-11-25"}).json()
        by_text = api(reception, "get", "/reception/documents", {"q": "a-1"}).json()
    assert [d["document_number"] for d in listed["items"]] == ["B-2", "A-1"]
    assert [d["document_number"] for d in waiting["items"]] == ["B-2"]
    assert [d["document_number"] for d in by_leader["items"]] == ["B-2"]
    assert [d["document_number"] for d in by_day["items"]] == ["A-1"]
    assert [d["document_number"] for d in by_text["items"]] == ["A-1"]
    assert api(reception, "get", f"/reception/documents/{first}").json()["handed_to"] == "李"


@pytest.mark.parametrize(
    "query", [{"since": "2026-13-01"}, {"leader_id": 0}, {"q": "x" * 101}, {"limit": 1000}, {"waiting": "perhaps"}]
)
def test_it_refuses_bad_filters_with_422(api, reception, query):
    assert api(reception, "get", "/reception/documents", query).status_code == 422


def test_it_pages_the_register_in_a_bounded_number_of_queries(api, reception, post, django_assert_max_num_queries):
    for number in range(12):
        post(document_number=f"第{number}号")
    with django_assert_max_num_queries(8):
        body = api(reception, "get", "/reception/documents", {"limit": 10, "offset": 5}).json()
    assert (body["count"], len(body["items"])) == (12, 7)


def test_it_exports_the_register_filtered(api, reception, post):
    post("2026-11-25 17:00", document_number="A-1")
    post("2026-11-26 17:00", document_number="B-2")
    response = api(reception, "get", "/reception/documents/export.xlsx", {"since": "2026-11-26"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["B-2"]
    assert api(reception, "get", "/reception/documents/export.xlsx", {"until": "x"}).status_code == 422


def test_it_refuses_calls_without_a_token():
    assert Client().get("/api/v1/reception/documents").status_code == 401


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_lets_readers_read_but_not_write(api, request, persona, post, payload):
    user = request.getfixturevalue(persona)
    document_id = post().json()["id"]
    assert api(user, "get", "/reception/documents").json()["count"] == 1
    assert api(user, "get", f"/reception/documents/{document_id}").status_code == 200
    assert api(user, "get", "/reception/documents/export.xlsx").status_code == 200
    assert api(user, "post", "/reception/documents", payload()).status_code == 403
    response = api(
        user,
        "post",
        f"/reception/documents/{document_id}/hand-over",
        {"handed_to": "李", "confirmation": "signed_book"},
    )
    assert response.status_code == 403
    assert ReviewedDocument.objects.get().handed_at is None


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_hides_the_register_from_others(api, request, persona, post, payload):
    user = request.getfixturevalue(persona)
    document_id = post().json()["id"]
    assert api(user, "get", "/reception/documents").status_code == 403
    assert api(user, "get", "/reception/documents/export.xlsx").status_code == 403
    assert api(user, "post", "/reception/documents", payload()).status_code == 403
    assert api(user, "get", f"/reception/documents/{document_id}").status_code == 404
    response = api(
        user,
        "post",
        f"/reception/documents/{document_id}/hand-over",
        {"handed_to": "李", "confirmation": "signed_book"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("document_id", ["0", "99999999999999999999999", "-3"])
def test_it_answers_404_or_422_for_ids_that_cannot_exist(api, reception, document_id):
    assert api(reception, "get", f"/reception/documents/{document_id}").status_code in (404, 422)
    response = api(
        reception,
        "post",
        f"/reception/documents/{document_id}/hand-over",
        {"handed_to": "x", "confirmation": "signed_book"},
    )
    assert response.status_code in (404, 422)


def test_it_offers_no_way_to_edit_or_delete_a_document(api, reception, post):
    document_id = post().json()["id"]
    for method in ("delete", "put", "patch"):
        assert api(reception, method, f"/reception/documents/{document_id}", {"title": "改"}).status_code == 405
    assert ReviewedDocument.objects.get().title == "关于办公用房维修的请示"
