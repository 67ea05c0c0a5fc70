"""The newspapers page on a phone: today's list, ticked office by office (htmx or a plain form), a missing paper
recorded; other days read only."""

import pytest
import time_machine
from django.utils import translation

from huiwu.reception.models import MissingPaper, NewspaperDelivery, Publication, Subscription
from huiwu.testing import at, login_as

URL = "/reception/newspapers/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _thursday_morning(db):
    with time_machine.travel(at("2026-11-26 10:35"), tick=False):
        yield


@pytest.fixture
def renmin(db):
    return Publication.objects.create(name="人民日报")


@pytest.fixture
def table(renmin, leader, other_leader, principal_office, office):
    Subscription.objects.create(year=2026, leader=leader, publication=renmin, copies=1)
    Subscription.objects.create(year=2026, leader=other_leader, publication=renmin, copies=2)
    return renmin


def _deliver(client, office, day="2026-11-26", **headers):
    return client.post(f"{URL}offices/{office.pk}/delivered/", {"day": day}, headers=headers)


def test_it_sends_anonymous_visitors_to_sign_in(client, table):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("persona", ["attendant", "hotline", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(client, request, persona, table, office):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    # The offices themselves are out of their sight.
    assert _deliver(client, office).status_code == 404
    assert not NewspaperDelivery.objects.exists()


def test_it_shows_the_round_with_a_big_tick_for_reception(client, reception, table):
    login_as(client, reception)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="deliver"') == 2
    assert html.index("7楼 705室") < html.index("7楼 706室")
    assert "10:30–11:00" in html


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_the_round_read_only_to_the_team_leader_and_manager(client, request, persona, table, office):
    login_as(client, request.getfixturevalue(persona))
    page = client.get(URL)
    assert page.status_code == 200
    assert 'data-testid="deliver"' not in page.content.decode()
    assert _deliver(client, office).status_code == 403
    assert not NewspaperDelivery.objects.exists()


def test_it_ticks_an_office_and_answers_the_list_to_htmx(client, reception, table, office):
    login_as(client, reception)
    answer = _deliver(client, office, HX_Request="true")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Delivered: 7楼 705室 吴晓峰." in html
    assert 'data-timing="on_time"' in html
    assert html.count('data-testid="deliver"') == 1
    assert NewspaperDelivery.objects.get().office == office


def test_it_ticks_with_a_plain_form_and_comes_back_to_the_office(client, reception, table, office):
    login_as(client, reception)
    answer = _deliver(client, office)
    assert answer.status_code == 302
    assert answer["Location"] == f"{URL}#office-{office.pk}"
    again = _deliver(client, office, HX_Request="true")
    assert "were ticked as delivered at 10:35" in again.content.decode()
    assert NewspaperDelivery.objects.count() == 1


def test_it_refuses_a_tick_from_a_page_of_another_day(client, reception, table, office):
    login_as(client, reception)
    for day in ("2026-11-25", "", "nonsense"):
        answer = _deliver(client, office, day=day, HX_Request="true")
        assert "Only today&#x27;s round" in answer.content.decode()
    assert not NewspaperDelivery.objects.exists()


def test_it_answers_404_for_an_office_that_does_not_exist(client, reception, table):
    login_as(client, reception)
    assert client.post(f"{URL}offices/999999/delivered/", {"day": "2026-11-26"}).status_code == 404
    assert client.post(f"{URL}offices/{2**70}/missing/", {"day": "2026-11-26"}).status_code == 404


def test_it_shows_another_day_read_only(client, reception, table, office):
    NewspaperDelivery.objects.create(
        day=at("2026-11-25 10:00").date(), office=office, delivered_at=at("2026-11-25 11:04"), delivered_by=reception
    )
    login_as(client, reception)
    html = client.get(URL, {"day": "2026-11-25"}).content.decode()
    assert 'data-testid="deliver"' not in html
    assert 'data-timing="late"' in html
    assert "Not ticked as delivered." in html
    assert "no newspaper round" in client.get(URL, {"day": "2026-11-28"}).content.decode()


def test_it_says_so_when_the_day_asked_for_is_not_a_day(client, reception, table):
    login_as(client, reception)
    page = client.get(URL, {"day": "2026-02-30"})
    assert page.status_code == 200
    assert page.context["day"].isoformat() == "2026-11-26"
    assert "here is today" in page.content.decode()


def test_it_records_a_missing_paper_from_the_office_card(client, reception, table, office):
    login_as(client, reception)
    answer = client.post(
        f"{URL}offices/{office.pk}/missing/",
        {"day": "2026-11-26", "publication": table.pk, "copies": 1, "note": "未到"},
        headers={"HX-Request": "true"},
    )
    assert "Recorded as missing for 7楼 705室 吴晓峰: 人民日报 ×1." in answer.content.decode()
    assert MissingPaper.objects.get().note == "未到"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"publication": "", "copies": 1}, "Publication"),
        ({"publication": "1", "copies": 5}, "Enter from 1 to 2"),
        ({"publication": "1", "copies": "x"}, "Copies missing"),
        ({"publication": "1", "copies": 1, "day": "2026-11-25"}, "Only today&#x27;s round"),
    ],
)
def test_it_refuses_a_bad_missing_paper_with_a_clear_message(client, reception, table, office, data, words):
    login_as(client, reception)
    data = {"day": "2026-11-26", **data}
    if data["publication"] == "1":
        data["publication"] = table.pk
    answer = client.post(f"{URL}offices/{office.pk}/missing/", data, headers={"HX-Request": "true"})
    assert words in answer.content.decode()
    assert not MissingPaper.objects.exists()


def test_it_polls_the_list_with_a_fragment(client, reception, table):
    login_as(client, reception)
    fragment = client.get(URL, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert 'data-testid="office"' in fragment.content.decode()
