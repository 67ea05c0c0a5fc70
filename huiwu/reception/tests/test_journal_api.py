"""The journal, the end-of-day review and the day sheet over JSON: the same rules and access as the pages."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from huiwu.reception.models import JournalEntry
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def at_ten(db):
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        yield


@pytest.fixture
def entries(reception, team_leader, at_ten):
    journal_write(author=reception, source=JournalEntry.Source.MANUAL, text="换桶", at=at("2026-11-26 08:50"))
    journal_write(author=reception, source=JournalEntry.Source.ROUTINE, text="开门", at=at("2026-11-26 08:42"))
    journal_write(author=team_leader, source=JournalEntry.Source.MANUAL, text="抽查", at=at("2026-11-25 15:00"))


def test_it_refuses_calls_without_a_token(db):
    assert Client().get("/api/v1/reception/journal").status_code == 401


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(api, request, persona, entries):
    user = request.getfixturevalue(persona)
    for path in ("/reception/journal", "/reception/review", "/reception/sheet"):
        response = api(user, "get", path)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert api(user, "post", "/reception/journal", {"text": "x"}).status_code == 403
    assert JournalEntry.objects.count() == 3


def test_it_searches_the_journal_newest_first(api, reception, team_leader, entries):
    body = api(reception, "get", "/reception/journal").json()
    assert body["count"] == 3
    assert [item["text"] for item in body["items"]] == ["换桶", "开门", "抽查"]
    first = body["items"][0]
    assert first["source"] == "manual"
    assert first["source_label"] == "Written by hand"
    assert first["at"] == "2026-11-26T08:50:00+08:00"
    assert first["day"] == "2026-11-26"
    assert first["author"]["id"] == reception.pk
    assert [
        i["text"] for i in api(reception, "get", "/reception/journal", {"day_from": "2026-11-26"}).json()["items"]
    ] == [
        "换桶",
        "开门",
    ]
    by_leader = api(reception, "get", "/reception/journal", {"author_id": team_leader.pk}).json()
    assert [item["text"] for item in by_leader["items"]] == ["抽查"]
    assert api(reception, "get", "/reception/journal", {"q": "开", "limit": 1}).json()["count"] == 1


@pytest.mark.parametrize(
    "query",
    [{"day_from": "9999-12-31"}, {"day_to": "2026-13-01"}, {"author_id": "0"}, {"q": "x" * 101}, {"limit": "0"}],
)
def test_it_answers_422_for_a_bad_search(api, reception, entries, query):
    assert api(reception, "get", "/reception/journal", query).status_code == 422


def test_it_writes_an_entry_by_hand(api, reception, at_ten):
    response = api(reception, "post", "/reception/journal", {"text": "总经办来电"})
    assert response.status_code == 201
    assert response.json()["text"] == "总经办来电"
    assert response.json()["at"] == "2026-11-26T10:00:00+08:00"
    earlier = api(reception, "post", "/reception/journal", {"text": "补记", "at": "2026-11-26T08:00"})
    assert earlier.json()["at"] == "2026-11-26T08:00:00+08:00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x", "at": "2026-11-26T12:00:00+08:00"}, "at"),
        ({"text": "x", "at": "2026-11-01T12:00:00+08:00"}, "at"),
        ({"text": "a\x00b"}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"text": "x", "source": "routine"}, "source"),
    ],
)
def test_it_answers_422_for_an_entry_it_refuses(api, reception, at_ten, payload, field):
    response = api(reception, "post", "/reception/journal", payload)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not JournalEntry.objects.exists()


def test_it_lets_the_team_leader_read_but_not_write(api, team_leader, entries):
    assert api(team_leader, "get", "/reception/journal").json()["count"] == 3
    response = api(team_leader, "post", "/reception/journal", {"text": "x"})
    assert response.status_code == 403
    assert "reception" in response.json()["roles"]


def test_it_gives_the_review(api, reception, book, frozen_now):
    book("2026-11-27 09:00", "10:00", title="周例会")
    book("2026-11-27 14:00", "15:00", title="绝密专题会", confidentiality=2)
    frozen_now.move_to(at("2026-11-26 17:00"))
    day_plan_ensure(date(2026, 11, 26))
    body = api(reception, "get", "/reception/review").json()
    assert body["day"] == "2026-11-26"
    assert body["next_day"] == "2026-11-27"
    assert [(meeting["title"], meeting["id"] is None) for meeting in body["meetings"]] == [
        ("周例会", False),
        ("Confidential meeting", True),
    ]
    assert body["item"]["done_at"] is None
    assert body["matters"] == []
    assert body["documents"] == []


def test_it_answers_422_for_a_bad_sheet_day(api, reception, at_ten):
    assert api(reception, "get", "/reception/sheet", {"day": "2026-02-30"}).status_code == 422
    assert api(reception, "get", "/reception/sheet", {"day": "20261126"}).status_code == 422
