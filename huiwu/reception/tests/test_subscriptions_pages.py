"""The subscription table's page: the paper table, a cell tapped and changed, a publication added, the Excel
export and import; past years read only."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from huiwu.reception.models import Publication, Subscription
from huiwu.testing import at, login_as

URL = "/reception/newspapers/subscriptions/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _in_2026(db):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        yield


@pytest.fixture
def renmin(db):
    return Publication.objects.create(name="人民日报")


@pytest.fixture
def cell(renmin, leader, principal_office, office):
    return Subscription.objects.create(year=2026, leader=leader, publication=renmin, copies=2)


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("table.xlsx", buffer.getvalue())


@pytest.mark.parametrize("persona", ["attendant", "hotline", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(client, request, persona, cell, leader, renmin):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    data = {"year": 2026, "leader": leader.pk, "publication": renmin.pk, "copies": 5}
    assert client.post(f"{URL}cell/", data).status_code == 403
    assert client.post(f"{URL}publications/", {"name": "求是"}).status_code == 403
    assert client.post(f"{URL}import/", {"year": 2026}).status_code == 403
    assert Subscription.objects.get().copies == 2


def test_it_shows_the_table_with_totals_and_cells_to_tap(client, reception, cell, leader, renmin):
    login_as(client, reception)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"?year=2026&amp;leader={leader.pk}&amp;publication={renmin.pk}#cell-form" in html
    assert page.context["table"].total_row == [2]
    assert 'data-testid="import"' in html


def test_it_prefills_the_cell_form_from_the_tapped_cell(client, reception, cell, leader, renmin):
    login_as(client, reception)
    form = client.get(URL, {"year": 2026, "leader": leader.pk, "publication": renmin.pk}).context["cell_form"]
    assert form.initial == {"leader": leader.pk, "publication": renmin.pk, "copies": 2}
    assert client.get(URL, {"leader": "x", "publication": 2**70}).status_code == 200


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_the_table_read_only_to_the_team_leader_and_manager(client, request, persona, cell, leader, renmin):
    login_as(client, request.getfixturevalue(persona))
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["editable"] is False
    assert 'data-testid="save-cell"' not in page.content.decode()
    data = {"year": 2026, "leader": leader.pk, "publication": renmin.pk, "copies": 5}
    assert client.post(f"{URL}cell/", data).status_code == 403
    assert Subscription.objects.get().copies == 2


def test_it_changes_and_removes_a_cell(client, reception, cell, leader, renmin):
    login_as(client, reception)
    data = {"year": 2026, "leader": leader.pk, "publication": renmin.pk, "copies": 4}
    answer = client.post(f"{URL}cell/", data)
    assert (answer.status_code, answer["Location"]) == (302, f"{URL}?year=2026")
    assert Subscription.objects.get().copies == 4
    client.post(f"{URL}cell/", data | {"copies": 0})
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"copies": 100}, "less than or equal to 99"),
        ({"copies": ""}, "required"),
        ({"leader": 999999}, "Select a valid choice"),
        ({"leader": 2**70}, "Select a valid choice"),
        ({"year": 2025}, "kept as it was delivered"),
    ],
)
def test_it_refuses_a_bad_cell_with_a_clear_message(client, reception, cell, leader, renmin, change, words):
    login_as(client, reception)
    data = {"year": 2026, "leader": leader.pk, "publication": renmin.pk, "copies": 4} | change
    answer = client.post(f"{URL}cell/", data)
    assert answer.status_code == 422
    assert words in answer.content.decode()
    assert Subscription.objects.get().copies == 2


def test_it_shows_a_past_year_read_only(client, reception, cell):
    login_as(client, reception)
    page = client.get(URL, {"year": 2025})
    assert page.context["editable"] is False
    assert 'data-testid="read-only"' in page.content.decode()
    assert "here is this year" in client.get(URL, {"year": "20260"}).content.decode()


def test_it_adds_a_publication_and_refuses_one_twice(client, reception, cell):
    login_as(client, reception)
    assert client.post(f"{URL}publications/", {"year": 2026, "name": "求是"}).status_code == 302
    assert Publication.objects.filter(name="求是", is_active=True).exists()
    refused = client.post(f"{URL}publications/", {"year": 2026, "name": "求是"})
    assert refused.status_code == 422
    assert "求是 is in the table already." in refused.content.decode()


def test_it_exports_the_shown_year(client, team_leader, cell):
    login_as(client, team_leader)
    answer = client.get(URL, {"year": 2026, "export": "xlsx"})
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("周国庆", 2)


def test_it_imports_a_file_and_says_what_it_did(client, reception, cell):
    login_as(client, reception)
    upload = _xlsx([["", "人民日报", "求是"], ["周国庆", 1, 1], ["吴晓峰", 3, None]])
    answer = client.post(f"{URL}import/", {"year": 2026, "upload": upload}, follow=True)
    html = answer.content.decode()
    assert "2 leaders, 2 publications, 5 copies" in html
    assert "New publications: 求是." in html
    assert Subscription.objects.count() == 3


def test_it_lists_every_mistake_of_an_import_and_changes_nothing(client, reception, cell):
    login_as(client, reception)
    upload = _xlsx([["", "人民日报"], ["张三", 1], ["周国庆", 0]])
    answer = client.post(f"{URL}import/", {"year": 2026, "upload": upload})
    assert answer.status_code == 422
    assert answer.context["import_errors"] == [
        "Row 2: No leader named 张三 in the directory.",
        "Row 3, 人民日报: “0” is not a number of copies: enter a whole number from 1 to 99, or leave the cell empty.",
    ]
    assert 'data-testid="import-errors"' in answer.content.decode()
    missing = client.post(f"{URL}import/", {"year": 2026})
    assert "Choose the Excel file" in missing.content.decode()
    assert Subscription.objects.get().copies == 2
