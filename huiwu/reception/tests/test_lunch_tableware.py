"""The tableware register (leader ↔ numbered set in the disinfection cabinet): kept by reception, a number
one set's, a leader one set; its page and its API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huiwu.directory.models import Person
from huiwu.reception.models import JournalEntry, TablewareSet
from huiwu.reception.services.lunch import tableware_set_save
from huiwu.testing import login_as

URL = "/reception/lunch/tableware/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def first_set(leader):
    return TablewareSet.objects.create(leader=leader, number="01", place="上层左一")


def test_it_adds_a_set_with_a_journal_line(reception, leader):
    tableware = tableware_set_save(user=reception, leader=leader, number=" 03 ", place="上层左三")
    assert (tableware.leader, tableware.number, tableware.place, tableware.is_active) == (
        leader,
        "03",
        "上层左三",
        True,
    )
    assert "03" in JournalEntry.objects.get(source=JournalEntry.Source.LUNCH).text


def test_it_changes_a_set(reception, first_set, other_leader):
    tableware_set_save(user=reception, tableware=first_set, leader=other_leader, number="07", place="", is_active=False)
    first_set.refresh_from_db()
    assert (first_set.leader, first_set.number, first_set.place, first_set.is_active) == (other_leader, "07", "", False)


def test_it_refuses_a_number_taken_or_a_second_set_for_a_leader(reception, first_set, leader, other_leader):
    with pytest.raises(ValidationError) as refused:
        tableware_set_save(user=reception, leader=other_leader, number="01")
    assert refused.value.message_dict["number"] == ["Number 01 is 周国庆's set already."]
    with pytest.raises(ValidationError) as refused:
        tableware_set_save(user=reception, leader=leader, number="09")
    assert refused.value.message_dict["leader"] == ["周国庆 has set 01 already; change that one."]
    # Its own number and leader are no conflict when a set is changed.
    tableware_set_save(user=reception, tableware=first_set, leader=leader, number="01", place="下层")
    assert TablewareSet.objects.get().place == "下层"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"number": ""}, "number"),
        ({"number": "0" * 21}, "number"),
        ({"place": "\x1b"}, "place"),
        ({"is_active": None}, "is_active"),
    ],
)
def test_it_refuses_a_bad_set(reception, leader, values, field):
    with pytest.raises(ValidationError) as refused:
        tableware_set_save(user=reception, leader=leader, **({"number": "03"} | values))
    assert field in refused.value.message_dict
    assert not TablewareSet.objects.exists()


def test_it_refuses_a_set_for_a_guest(reception):
    guest = Person.objects.create(name="来宾", title="处长", kind=Person.Kind.GUEST)
    with pytest.raises(ValidationError) as refused:
        tableware_set_save(user=reception, leader=guest, number="03")
    assert "leader" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant"])
def test_it_lets_only_reception_keep_the_register(make_persona, leader, persona):
    with pytest.raises(PermissionDenied):
        tableware_set_save(user=make_persona(persona), leader=leader, number="03")


# --- the page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_refuses_the_page_to_who_does_not_read_the_reception_day(client, request, persona, first_set):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{first_set.pk}/").status_code == 404


def test_it_lists_the_sets_read_only_to_the_team_leader(client, team_leader, first_set, leader):
    login_as(client, team_leader)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'data-testid="add-tableware"' not in page.content.decode()
    assert client.post(URL, {"leader": leader.pk, "number": "05"}).status_code == 403
    assert client.get(f"{URL}{first_set.pk}/").status_code == 403


def test_it_adds_and_edits_a_set_on_the_page(client, reception, first_set, other_leader):
    login_as(client, reception)
    added = client.post(URL, {"leader": other_leader.pk, "number": "02", "place": "上层左二", "is_active": "on"})
    assert added.status_code == 302
    assert TablewareSet.objects.get(number="02").leader == other_leader
    edited = client.post(f"{URL}{first_set.pk}/", {"leader": first_set.leader_id, "number": "11", "place": ""})
    assert edited.status_code == 302
    first_set.refresh_from_db()
    assert (first_set.number, first_set.is_active) == ("11", False)


def test_it_refuses_a_bad_set_on_the_page_with_a_clear_message(client, reception, first_set, other_leader):
    login_as(client, reception)
    answer = client.post(URL, {"leader": other_leader.pk, "number": "01"})
    assert answer.status_code == 422
    assert "Number 01 is 周国庆&#x27;s set already." in answer.content.decode()
    answer = client.post(URL, {"leader": 2**70, "number": "05"})
    assert answer.status_code == 422
    assert TablewareSet.objects.count() == 1
    assert client.get(f"{URL}999999/").status_code == 404


# --- the API ------------------------------------------------------------------------------------------


def test_it_lists_adds_and_changes_sets_over_the_api(api, reception, team_leader, first_set, other_leader):
    assert api(team_leader, "get", "/reception/tableware").json()[0]["number"] == "01"
    created = api(reception, "post", "/reception/tableware", {"leader_id": other_leader.pk, "number": "02"})
    assert created.status_code == 201
    assert created.json()["leader"]["name"] == "吴晓峰"
    changed = api(reception, "patch", f"/reception/tableware/{first_set.pk}", {"place": "下层左一"})
    assert changed.status_code == 200
    assert changed.json() == {
        "id": first_set.pk,
        "leader": {"id": first_set.leader_id, "name": "周国庆", "title": "局长"},
        "number": "01",
        "place": "下层左一",
        "is_active": True,
    }


def test_it_refuses_sets_over_the_api_with_403_404_and_422(
    api, reception, team_leader, attendant, first_set, other_leader
):
    assert api(attendant, "get", "/reception/tableware").status_code == 403
    assert (
        api(team_leader, "post", "/reception/tableware", {"leader_id": other_leader.pk, "number": "02"}).status_code
        == 403
    )
    assert api(team_leader, "patch", f"/reception/tableware/{first_set.pk}", {"place": "x"}).status_code == 403
    assert api(reception, "patch", "/reception/tableware/999999", {"place": "x"}).status_code == 404
    assert api(attendant, "patch", f"/reception/tableware/{first_set.pk}", {"place": "x"}).status_code == 404
    taken = api(reception, "post", "/reception/tableware", {"leader_id": other_leader.pk, "number": "01"})
    assert taken.status_code == 422
    assert "number" in taken.json()["errors"]
    unknown = api(reception, "post", "/reception/tableware", {"leader_id": 999999, "number": "05"})
    assert unknown.json()["errors"] == {"leader_id": ["There is no active leader with this id."]}
    assert api(reception, "patch", f"/reception/tableware/{first_set.pk}", {"number": None}).status_code == 422
    assert api(reception, "patch", f"/reception/tableware/{first_set.pk}", {"colour": "red"}).status_code == 422
    assert TablewareSet.objects.count() == 1
