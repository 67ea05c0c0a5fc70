"""The list of leaders' offices, kept by reception on a small page (and in the admin): added, changed, retired,
never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.directory.models import Person
from huiwu.reception.models import LeaderOffice
from huiwu.reception.services.offices import office_create, office_update
from huiwu.testing import login_as


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def third_leader(db):
    return Person.objects.create(name="宋家明", title="副局长", kind=Person.Kind.LEADER, precedence=3)


def test_it_adds_an_office_for_a_leader_without_one(reception, third_leader):
    office = office_create(user=reception, leader=third_leader, room=" 7楼 704室 ", is_principal=False)
    assert (office.room, office.is_principal, office.is_active) == ("7楼 704室", False, True)


def test_it_gives_a_leader_one_office(reception, office, other_leader):
    with pytest.raises(ValidationError) as error:
        office_create(user=reception, leader=other_leader, room="7楼 709室", is_principal=False)
    assert error.value.message_dict["leader"] == ["吴晓峰 already has an office: 7楼 705室."]
    assert LeaderOffice.objects.count() == 1


@pytest.mark.parametrize(("room", "field"), [("", "room"), ("x" * 31, "room"), ("7楼\x00", "room")])
def test_it_refuses_a_bad_room(reception, third_leader, room, field):
    with pytest.raises(ValidationError) as error:
        office_create(user=reception, leader=third_leader, room=room, is_principal=False)
    assert field in error.value.message_dict
    assert not LeaderOffice.objects.exists()


def test_it_refuses_a_guest(reception):
    guest = Person.objects.create(name="来宾", title="处长", kind=Person.Kind.GUEST)
    with pytest.raises(ValidationError):
        office_create(user=reception, leader=guest, room="7楼 701室", is_principal=False)


def test_it_changes_and_retires_an_office(reception, office):
    office_update(user=reception, office=office, room="7楼 707室", is_principal=True, is_active=False)
    office.refresh_from_db()
    assert (office.room, office.is_principal, office.is_active) == ("7楼 707室", True, False)


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_keep_the_list(request, persona, office, third_leader):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        office_create(user=user, leader=third_leader, room="7楼 704室", is_principal=False)
    with pytest.raises(PermissionDenied):
        office_update(user=user, office=office, room="7楼 707室", is_principal=False, is_active=True)
    office.refresh_from_db()
    assert office.room == "7楼 705室"


# --- the pages ------------------------------------------------------------------------------------------


def test_it_lists_every_office_with_retired_ones_last(client, reception, office, principal_office):
    LeaderOffice.objects.filter(pk=principal_office.pk).update(is_active=False)
    login_as(client, reception)
    html = client.get("/reception/offices/list/").content.decode()
    assert html.index("7楼 705室") < html.index("7楼 706室")
    assert "Retired" in html
    assert 'data-testid="add"' in html
    assert 'data-testid="keep-offices"' in client.get("/reception/offices/").content.decode()


def test_it_adds_an_office_on_its_page(client, reception, office, third_leader):
    login_as(client, reception)
    form = client.get("/reception/offices/new/").content.decode()
    # Leaders who have an office already are not offered.
    assert "宋家明" in form
    assert "吴晓峰" not in form
    data = {"leader": third_leader.pk, "room": "7楼 704室", "is_principal": "on"}
    response = client.post("/reception/offices/new/", data)
    assert response["Location"] == "/reception/offices/list/"
    assert LeaderOffice.objects.get(leader=third_leader).is_principal


def test_it_changes_an_office_on_its_page_and_keeps_its_leader(client, reception, office, third_leader):
    login_as(client, reception)
    url = f"/reception/offices/{office.pk}/edit/"
    assert 'value="7楼 705室"' in client.get(url).content.decode()
    response = client.post(url, {"room": "7楼 703室", "leader": third_leader.pk, "is_active": "on"})
    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.room, office.leader, office.is_principal, office.is_active) == (
        "7楼 703室",
        office.leader,
        False,
        True,
    )
    assert office.leader.name == "吴晓峰"
    html = client.post(url, {"room": ""}).content.decode()
    assert "This field is required." in html


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_readers_the_list_without_changes(client, request, persona, office, third_leader):
    login_as(client, request.getfixturevalue(persona))
    html = client.get("/reception/offices/list/").content.decode()
    assert "7楼 705室" in html
    assert 'data-testid="add"' not in html
    assert "/edit/" not in html
    assert client.get("/reception/offices/new/").status_code == 403
    assert client.post("/reception/offices/new/", {"leader": third_leader.pk, "room": "x"}).status_code == 403
    assert client.post(f"/reception/offices/{office.pk}/edit/", {"room": "x"}).status_code == 403
    assert not LeaderOffice.objects.filter(leader=third_leader).exists()


def test_it_hides_the_list_from_others(client, attendant, office):
    login_as(client, attendant)
    assert client.get("/reception/offices/list/").status_code == 403
    assert client.get(f"/reception/offices/{office.pk}/edit/").status_code == 404
