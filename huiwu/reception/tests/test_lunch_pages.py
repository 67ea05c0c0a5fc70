"""Today's lunch page on a phone, and the lunch over JSON: who sees it, the taps, the answers; past days read
only; bad input answered with a clear message and nothing changed."""

import pytest
import time_machine
from django.utils import translation

from huiwu.reception.models import LunchDay, LunchRequest, TablewareSet
from huiwu.testing import at, login_as

URL = "/reception/lunch/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _before_lunch(db):
    with time_machine.travel(at("2026-11-26 11:10"), tick=False):
        yield


@pytest.fixture
def sets(leader, other_leader, principal_office, office):
    TablewareSet.objects.create(leader=leader, number="01", place="上层左一")
    TablewareSet.objects.create(leader=other_leader, number="02", place="上层左二")


def _post(client, path, data, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"{URL}{path}", {"day": "2026-11-26", **data}, headers=headers)


# --- the page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["attendant", "hotline", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(client, request, persona, sets, leader):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert _post(client, "checks/", {"check": "door"}).status_code == 403
    assert _post(client, "menu/", {"menu": "米饭"}).status_code == 403
    assert _post(client, "requests/", {"leader": leader.pk, "eats": "yes"}).status_code == 403
    assert not LunchDay.objects.exists()


def test_it_shows_the_five_checks_none_ticked_and_the_sets_to_match(client, reception, sets):
    login_as(client, reception)
    html = client.get(URL).content.decode()
    for code in ("door", "hygiene", "tableware", "menu", "requests"):
        assert f'data-testid="check-{code}" data-done="no"' in html
    assert 'data-testid="do-menu"' not in html  # the menu is not written yet
    assert "Write today's menu above first." in html
    assert html.count('data-testid="leader"') == 2
    assert "不吃辣" in html
    # No answer is chosen for the attendant.
    assert "checked" not in html.split('id="requests"')[1]


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_the_lunch_read_only_to_the_team_leader_and_manager(client, request, persona, sets):
    login_as(client, request.getfixturevalue(persona))
    html = client.get(URL).content.decode()
    assert 'data-testid="do-door"' not in html
    assert 'data-testid="save-answer"' not in html
    assert _post(client, "checks/", {"check": "door"}).status_code == 403


def test_it_ticks_a_check_and_answers_the_page_part(client, reception, sets):
    login_as(client, reception)
    answer = _post(client, "checks/", {"check": "door"})
    html = answer.content.decode()
    assert "Done: Open the small dining room door." in html
    assert 'data-testid="check-door" data-done="yes"' in html
    assert "✓ 11:10" in html
    assert LunchDay.objects.get().door_opened_at == at("2026-11-26 11:10")
    again = _post(client, "checks/", {"check": "door"}, htmx=False)
    assert again.status_code == 302
    assert again["Location"] == f"{URL}#checks"


def test_it_saves_the_menu_then_lets_it_be_known(client, reception, sets):
    login_as(client, reception)
    assert "Today&#x27;s menu was saved." in _post(client, "menu/", {"menu": "清蒸鲈鱼"}).content.decode()
    html = _post(client, "checks/", {"check": "menu"}).content.decode()
    assert 'data-testid="check-menu" data-done="yes"' in html
    assert LunchDay.objects.get().menu == "清蒸鲈鱼"


def test_it_records_a_leaders_answer(client, reception, sets, leader):
    login_as(client, reception)
    html = _post(client, "requests/", {"leader": leader.pk, "eats": "no", "request": ""}).content.decode()
    assert "周国庆&#x27;s answer was recorded." in html
    assert LunchRequest.objects.get().eats is False


@pytest.mark.parametrize(
    ("path", "data", "words"),
    [
        ("checks/", {"check": "requests"}, "Choose one of the checks."),
        ("checks/", {"check": "menu"}, "Write today&#x27;s menu first"),
        ("checks/", {"check": "door", "day": "2026-11-25"}, "Only today&#x27;s lunch"),
        ("menu/", {"menu": ""}, "required"),
        ("menu/", {"menu": "菜" * 1001}, "at most 1000 characters"),
        ("requests/", {"leader": "1", "request": "少盐"}, "Eats today: This field is required."),
        ("requests/", {"leader": "999999", "eats": "yes"}, "Select a valid choice"),
        ("requests/", {"leader": str(2**70), "eats": "yes"}, "Select a valid choice"),
        ("requests/", {"leader": "1", "eats": "maybe"}, "Select a valid choice"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(client, reception, sets, leader, path, data, words):
    login_as(client, reception)
    if data.get("leader") == "1":
        data = data | {"leader": leader.pk}
    answer = _post(client, path, data)
    assert answer.status_code == 200
    assert words in answer.content.decode()
    assert not LunchRequest.objects.exists()
    assert not LunchDay.objects.filter(menu__gt="").exists()
    assert not LunchDay.objects.filter(door_opened_at__isnull=False).exists()


def test_it_shows_a_past_day_read_only(client, reception, sets):
    LunchDay.objects.create(day=at("2026-11-25 12:00").date(), menu="红烧肉", door_opened_at=at("2026-11-25 11:45"))
    login_as(client, reception)
    html = client.get(URL, {"day": "2026-11-25"}).content.decode()
    assert 'data-testid="do-hygiene"' not in html
    assert 'data-testid="read-only"' in html
    assert "红烧肉" in html
    assert "after 11:40" in html
    assert "here is today" in client.get(URL, {"day": "2026-13-01"}).content.decode()


# --- the API ------------------------------------------------------------------------------------------


def test_it_answers_the_days_lunch(api, team_leader, sets):
    body = api(team_leader, "get", "/reception/lunch").json()
    assert (body["day"], body["lunch_at"], body["menu"], body["done_count"]) == ("2026-11-26", "11:40", "", 0)
    assert [check["check"] for check in body["checks"]] == ["door", "hygiene", "tableware", "menu"]
    assert [
        (entry["leader"]["name"], entry["tableware_number"], entry["dietary_notes"]) for entry in body["leaders"]
    ] == [
        ("周国庆", "01", "不吃辣"),
        ("吴晓峰", "02", ""),
    ]
    assert api(team_leader, "get", "/reception/lunch", {"day": "2026-02-30"}).status_code == 422


def test_it_writes_todays_lunch_over_the_api(api, reception, sets, leader, other_leader):
    assert api(reception, "post", "/reception/lunch/menu", {"menu": "清蒸鲈鱼"}).json()["menu"] == "清蒸鲈鱼"
    for check in ("door", "hygiene", "tableware", "menu"):
        assert api(reception, "post", "/reception/lunch/checks", {"check": check}).status_code == 200
    api(reception, "post", "/reception/lunch/requests", {"leader_id": leader.pk, "eats": True, "request": "少盐"})
    body = api(reception, "post", "/reception/lunch/requests", {"leader_id": other_leader.pk, "eats": False}).json()
    assert (body["requests_done"], body["done_count"]) == (True, 5)
    assert body["leaders"][0]["answer"]["request"] == "少盐"
    assert body["leaders"][0]["answer"]["taken_at"] == "2026-11-26T11:10:00+08:00"


def test_it_refuses_the_lunch_over_the_api_with_403_and_422(api, reception, team_leader, attendant, sets, leader):
    assert api(attendant, "get", "/reception/lunch").status_code == 403
    assert api(team_leader, "post", "/reception/lunch/checks", {"check": "door"}).status_code == 403
    assert api(team_leader, "post", "/reception/lunch/menu", {"menu": "米饭"}).status_code == 403
    assert (
        api(team_leader, "post", "/reception/lunch/requests", {"leader_id": leader.pk, "eats": True}).status_code == 403
    )
    assert api(reception, "post", "/reception/lunch/checks", {"check": "requests"}).status_code == 422
    assert api(reception, "post", "/reception/lunch/checks", {"check": "menu"}).json()["errors"]["check"]
    assert api(reception, "post", "/reception/lunch/menu", {"menu": "  "}).json()["errors"] == {
        "menu": ["Write today's dishes."]
    }
    unknown = api(reception, "post", "/reception/lunch/requests", {"leader_id": 999999, "eats": True})
    assert unknown.json()["errors"] == {"leader_id": ["There is no active leader with this id."]}
    assert api(reception, "post", "/reception/lunch/requests", {"leader_id": leader.pk}).status_code == 422
    assert api(reception, "post", "/reception/lunch/requests", {"leader_id": leader.pk, "eats": 1}).status_code == 422
    assert not LunchRequest.objects.exists()
    assert not LunchDay.objects.filter(door_opened_at__isnull=False).exists()


def test_it_refuses_writes_on_a_day_off_over_the_api(api, reception, sets):
    with time_machine.travel(at("2026-11-28 11:00"), tick=False):
        answer = api(reception, "post", "/reception/lunch/checks", {"check": "door"})
    assert answer.status_code == 422
    assert "day" in answer.json()["errors"]


def test_it_shows_a_refusal_next_to_what_was_tapped(client, reception, sets, leader):
    login_as(client, reception)
    _post(client, "checks/", {"check": "door"})
    html = _post(client, "checks/", {"check": "door"}).content.decode()
    assert 'data-testid="feedback-checks"' in html
    assert "was done at 11:10" in html
    html = _post(client, "requests/", {"leader": leader.pk, "eats": "yes", "day": "2026-11-25"}).content.decode()
    assert 'data-testid="feedback-checks"' not in html
    assert html.count('data-testid="feedback-leader"') == 1
    assert not LunchRequest.objects.exists()
