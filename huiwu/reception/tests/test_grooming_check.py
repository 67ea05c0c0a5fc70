"""The grooming self-check at the start of the day (seed 篇3 (一)): four items each ticked by the attendant,
nothing ticked for them, all four required (what does not hold is put right first), once a day, in the journal,
and it completes the day's grooming item."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from huiwu.reception.models import GroomingCheck, JournalEntry, RoutineItem
from huiwu.reception.selectors.team import grooming_outstanding
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.reception.services.team import grooming_check_record
from huiwu.testing import at, login_as

THURSDAY = date(2026, 11, 26)
ALL = {"uniform": True, "scarf_and_badge": True, "light_make_up": True, "no_jewellery": True}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def morning(frozen_now):
    frozen_now.move_to(at("2026-11-26 08:41"))
    return frozen_now


# --- the service --------------------------------------------------------------------------------------


def test_it_records_the_self_check_with_its_time_and_a_journal_line(reception, morning):
    check = grooming_check_record(user=reception, **ALL)
    assert (check.user, check.day, check.checked_at) == (reception, THURSDAY, at("2026-11-26 08:41"))
    entry = JournalEntry.objects.get()
    assert (entry.source, entry.author, entry.at) == ("grooming", reception, at("2026-11-26 08:41"))


def test_it_writes_the_journal_line_in_the_site_language(reception, morning, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    grooming_check_record(user=reception, **ALL)
    assert JournalEntry.objects.get().text.startswith("仪容")


@pytest.mark.parametrize("missing", list(ALL))
def test_it_refuses_a_self_check_with_an_item_that_does_not_hold(reception, morning, missing):
    with pytest.raises(ValidationError) as error:
        grooming_check_record(user=reception, **(ALL | {missing: False}))
    assert list(error.value.message_dict) == [missing]
    assert "Put this right first" in error.value.message_dict[missing][0]
    assert not GroomingCheck.objects.exists()
    assert not JournalEntry.objects.exists()


def test_it_takes_an_unanswered_item_for_one_that_does_not_hold(reception, morning):
    with pytest.raises(ValidationError) as error:
        grooming_check_record(user=reception, **(ALL | {"uniform": None, "no_jewellery": 1}))
    assert sorted(error.value.message_dict) == ["no_jewellery", "uniform"]


def test_it_records_one_self_check_per_person_and_day(reception, morning):
    grooming_check_record(user=reception, **ALL)
    morning.move_to(at("2026-11-26 13:00"))
    with pytest.raises(ValidationError) as error:
        grooming_check_record(user=reception, **ALL)
    assert error.value.messages == ["Your grooming self-check of today was already recorded at 08:41."]
    assert GroomingCheck.objects.count() == 1
    morning.move_to(at("2026-11-27 08:41"))
    grooming_check_record(user=reception, **ALL)
    assert GroomingCheck.objects.count() == 2


def test_the_database_refuses_a_self_check_with_an_item_unticked(reception):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroomingCheck.objects.create(user=reception, day=THURSDAY, **(ALL | {"light_make_up": False}))


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_record_a_self_check(request, persona, morning):
    with pytest.raises(PermissionDenied):
        grooming_check_record(user=request.getfixturevalue(persona), **ALL)
    assert not GroomingCheck.objects.exists()


def test_it_completes_the_day_s_grooming_item(reception, morning):
    day_plan_ensure(THURSDAY)
    grooming_check_record(user=reception, **ALL)
    item = RoutineItem.objects.get(plan__day=THURSDAY, code=RoutineItem.Code.GROOMING)
    assert (item.done_by, item.done_at) == (reception, at("2026-11-26 08:41"))


def test_it_says_what_keeps_the_grooming_item_open(reception, morning):
    assert grooming_outstanding(THURSDAY, reception) == ["reception 测试: grooming self-check not recorded yet"]
    grooming_check_record(user=reception, **ALL)
    assert grooming_outstanding(THURSDAY, reception) == []
    assert grooming_outstanding(date(2026, 11, 27), reception) != []


# --- the page -----------------------------------------------------------------------------------------


def test_it_offers_the_four_items_none_ticked(client, reception, morning):
    login_as(client, reception)
    html = client.get("/reception/team/").content.decode()
    form = html.split('data-testid="grooming-form"')[1].split("</form>")[0]
    assert form.count('type="checkbox"') == 4
    assert "checked" not in form
    for label in ("In uniform", "Scarf and badge on", "Face clean, light make-up", "a watch is fine"):
        assert label in form


def test_it_records_the_self_check_from_the_page(client, reception, morning):
    login_as(client, reception)
    response = client.post("/reception/team/grooming/", {name: "on" for name in ALL}, follow=True)
    assert GroomingCheck.objects.filter(user=reception, day=THURSDAY).exists()
    html = response.content.decode()
    assert "Your grooming self-check is recorded." in html
    assert "Done today at 08:41." in html
    assert 'data-testid="grooming-form"' not in html


def test_it_says_on_the_page_what_to_put_right_and_records_nothing(client, reception, morning):
    login_as(client, reception)
    response = client.post("/reception/team/grooming/", {"uniform": "on", "scarf_and_badge": "on"})
    assert response.status_code == 200
    assert response.content.decode().count("Put this right first") == 2
    assert not GroomingCheck.objects.exists()


def test_it_says_a_second_self_check_is_not_needed(client, reception, morning):
    grooming_check_record(user=reception, **ALL)
    login_as(client, reception)
    response = client.post("/reception/team/grooming/", {name: "on" for name in ALL}, follow=True)
    assert "already recorded at 08:41" in response.content.decode()
    assert GroomingCheck.objects.count() == 1


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_readers_no_self_check_and_refuses_theirs(client, request, persona, morning):
    login_as(client, request.getfixturevalue(persona))
    assert 'data-testid="grooming"' not in client.get("/reception/team/").content.decode()
    assert client.post("/reception/team/grooming/", {name: "on" for name in ALL}).status_code == 403
    assert not GroomingCheck.objects.exists()


# --- the API ------------------------------------------------------------------------------------------


def test_it_records_the_self_check_over_the_api(api, reception, morning):
    response = api(reception, "post", "/reception/grooming", ALL)
    assert response.status_code == 201
    assert response.json()["checked_at"] == "2026-11-26T08:41:00+08:00"
    again = api(reception, "post", "/reception/grooming", ALL)
    assert again.status_code == 422
    assert "already recorded" in again.json()["message"]


@pytest.mark.parametrize(
    "payload",
    [
        ALL | {"uniform": False},
        {"uniform": True, "scarf_and_badge": True, "light_make_up": True},
        ALL | {"no_jewellery": 1},
        ALL | {"no_jewellery": "yes"},
    ],
)
def test_it_answers_422_for_a_self_check_that_does_not_hold(api, reception, morning, payload):
    response = api(reception, "post", "/reception/grooming", payload)
    assert response.status_code == 422
    assert not GroomingCheck.objects.exists()


@pytest.mark.parametrize("persona", ["team_leader", "outsider"])
def test_it_answers_403_to_who_does_not_do_the_routines(api, request, persona, morning):
    assert api(request.getfixturevalue(persona), "post", "/reception/grooming", ALL).status_code == 403
