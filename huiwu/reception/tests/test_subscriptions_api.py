"""The subscription table over JSON: publications, a year's table, a cell put or removed, the workbook exported
and imported; 403 for who may only read, 404 for what does not exist, 422 for a broken rule."""

import io

import pytest
import time_machine
from django.test import Client
from openpyxl import Workbook, load_workbook

from huiwu.accounts.services import api_token_create
from huiwu.reception.models import Publication, Subscription
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _in_2026(db):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        yield


@pytest.fixture
def renmin(db):
    return Publication.objects.create(name="人民日报")


@pytest.fixture
def cell(renmin, leader, office):
    return Subscription.objects.create(year=2026, leader=leader, publication=renmin, copies=2)


def _path(leader, publication, year=2026):
    return f"/reception/subscriptions/{year}/leaders/{leader.pk}/publications/{publication.pk}"


def _upload(user, year, content: bytes | None, **fields):
    secret = api_token_create(user=user, name="tests")[1]
    data = {**fields}
    if content is not None:
        data["upload"] = io.BytesIO(content)
        data["upload"].name = "table.xlsx"
    return Client().post(
        f"/api/v1/reception/subscriptions/{year}/import", data, headers={"Authorization": f"Bearer {secret}"}
    )


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_lists_publications_and_adds_one(api, reception, team_leader, renmin):
    assert api(team_leader, "get", "/reception/publications").json() == [
        {"id": renmin.pk, "name": "人民日报", "is_active": True}
    ]
    created = api(reception, "post", "/reception/publications", {"name": "求是"})
    assert created.status_code == 201
    assert created.json()["name"] == "求是"
    assert api(reception, "post", "/reception/publications", {"name": "求是"}).status_code == 422
    assert api(team_leader, "post", "/reception/publications", {"name": "光明日报"}).status_code == 403
    assert api(reception, "get", "/reception/publications").status_code == 200


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_shows_the_table_to_nobody_outside_reception(api, cell, persona, request):
    user = request.getfixturevalue(persona)
    assert api(user, "get", "/reception/subscriptions/2026").status_code == 403
    assert api(user, "get", "/reception/publications").status_code == 403


def test_it_answers_a_years_table(api, team_leader, reception, cell, leader, other_leader, renmin):
    body = api(team_leader, "get", "/reception/subscriptions/2026").json()
    assert body["year"] == 2026
    assert body["editable"] is False
    assert [row["leader"]["name"] for row in body["rows"]] == ["周国庆", "吴晓峰"]
    assert body["rows"][0]["copies"] == {str(renmin.pk): 2}
    assert body["totals"] == {str(renmin.pk): 2}
    assert api(reception, "get", "/reception/subscriptions/2026").json()["editable"] is True
    assert api(reception, "get", "/reception/subscriptions/2025").json()["editable"] is False
    assert api(reception, "get", "/reception/subscriptions/1999").status_code == 404
    assert api(reception, "get", "/reception/subscriptions/twenty").status_code == 422


def test_it_puts_and_removes_a_cell(api, reception, cell, leader, renmin):
    answer = api(reception, "put", _path(leader, renmin), {"copies": 5})
    assert answer.status_code == 200
    assert answer.json()["copies"] == 5
    assert Subscription.objects.get().copies == 5
    assert api(reception, "put", _path(leader, renmin), {"copies": 0}).json()["copies"] == 0
    assert not Subscription.objects.exists()
    api(reception, "put", _path(leader, renmin), {"copies": 1})
    assert api(reception, "delete", _path(leader, renmin)).status_code == 204
    assert not Subscription.objects.exists()


def test_it_refuses_a_cell_with_403_404_and_422(api, reception, team_leader, cell, leader, renmin):
    assert api(team_leader, "put", _path(leader, renmin), {"copies": 3}).status_code == 403
    assert api(team_leader, "delete", _path(leader, renmin)).status_code == 403
    missing = Publication(pk=999_999)
    assert api(reception, "put", _path(leader, missing), {"copies": 3}).status_code == 404
    too_big = f"/reception/subscriptions/2026/leaders/{2**70}/publications/{renmin.pk}"
    assert api(reception, "put", too_big, {"copies": 3}).status_code == 404
    for body in ({"copies": 100}, {"copies": True}, {"copies": 1.5}, {}, {"copies": 1, "extra": 1}):
        assert api(reception, "put", _path(leader, renmin), body).status_code == 422
    refused = api(reception, "put", _path(leader, renmin, year=2025), {"copies": 3})
    assert refused.status_code == 422
    assert "year" in refused.json()["errors"]
    assert Subscription.objects.get().copies == 2


def test_it_exports_the_year_as_a_workbook(api, team_leader, cell):
    answer = api(team_leader, "get", "/reception/subscriptions/2026/export.xlsx")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows == [("Leader", "人民日报"), ("周国庆", 2), ("吴晓峰", None), ("Total", 2)]


def test_it_imports_a_workbook_over_multipart(api, reception, cell):
    exported = api(reception, "get", "/reception/subscriptions/2026/export.xlsx").content
    Subscription.objects.all().delete()
    answer = _upload(reception, 2026, exported)
    assert answer.status_code == 200
    assert answer.json() == {"year": 2026, "leaders": 1, "publications": 1, "copies": 2, "new_publications": []}
    assert Subscription.objects.get().copies == 2


def test_it_answers_an_import_with_every_mistake_and_changes_nothing(reception, team_leader, cell):
    answer = _upload(reception, 2026, _xlsx([["", "人民日报"], ["张三", 1], ["周国庆", "x"]]))
    assert answer.status_code == 422
    assert answer.json()["errors"]["upload"] == [
        "Row 2: No leader named 张三 in the directory.",
        "Row 3, 人民日报: “x” is not a number of copies: enter a whole number from 1 to 99, or leave the cell empty.",
    ]
    assert _upload(reception, 2026, None).json()["errors"] == {"upload": ["Choose the Excel file (.xlsx) to import."]}
    assert _upload(reception, 2026, b"not a workbook").status_code == 422
    assert _upload(reception, 2026, _xlsx([["", "人民日报"]]), sheet="1").json()["errors"] == {
        "sheet": ["This field is not known."]
    }
    assert _upload(team_leader, 2026, _xlsx([["", "人民日报"], ["周国庆", 1]])).status_code == 403
    assert Subscription.objects.get().copies == 2
