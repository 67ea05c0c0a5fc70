"""The journal's page: who sees it, the entry by hand at its top, the search by days, person and text."""

import pytest
import time_machine
from django.utils import translation

from huiwu.reception.models import JournalEntry
from huiwu.reception.services.journal import journal_write
from huiwu.testing import at, login_as

URL = "/reception/journal/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def at_ten():
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        yield


@pytest.fixture
def entries(reception, team_leader, at_ten):
    def write(author, text, when, source=JournalEntry.Source.MANUAL):
        return journal_write(author=author, source=source, text=text, at=at(when))

    return {
        "today": write(reception, "706室饮水机换桶", "2026-11-26 08:50"),
        "today_routine": write(reception, "开门", "2026-11-26 08:42", JournalEntry.Source.ROUTINE),
        "yesterday": write(reception, "总经办来电：明早局长办公会", "2026-11-25 16:00"),
        "last_week": write(team_leader, "组长抽查：706室卫生合格", "2026-11-19 15:00"),
    }


def _texts(response) -> list[str]:
    return [entry.text for entry in response.context["page"]]


# --- access -------------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["attendant", "hotline", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(client, request, persona, entries):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}new/", {"text": "x"}).status_code == 403
    assert JournalEntry.objects.count() == 4


def test_it_shows_reception_today_s_entries_in_the_order_they_happened_newest_first(client, reception, entries):
    login_as(client, reception)
    response = client.get(URL)
    assert response.status_code == 200
    assert _texts(response) == ["706室饮水机换桶", "开门"]
    html = response.content.decode()
    assert 'data-testid="journal-form"' in html
    assert "Routine" in html
    assert "Written by hand" in html


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_lets_the_team_leader_and_the_manager_read_without_the_form(client, request, persona, entries):
    login_as(client, request.getfixturevalue(persona))
    response = client.get(URL)
    assert _texts(response) == ["706室饮水机换桶", "开门"]
    assert 'data-testid="journal-form"' not in response.content.decode()
    assert client.post(f"{URL}new/", {"text": "不该写入"}).status_code == 403
    assert JournalEntry.objects.count() == 4


# --- the search ---------------------------------------------------------------------------------------


def test_it_searches_a_range_of_days(client, reception, entries):
    login_as(client, reception)
    response = client.get(URL, {"day_from": "2026-11-25", "day_to": "2026-11-26"})
    assert _texts(response) == ["706室饮水机换桶", "开门", "总经办来电：明早局长办公会"]
    assert _texts(client.get(URL, {"day_to": "2026-11-24"})) == ["组长抽查：706室卫生合格"]
    assert _texts(client.get(URL, {"day_from": "2026-11-26"})) == ["706室饮水机换桶", "开门"]


def test_it_searches_by_person_and_text(client, reception, team_leader, entries):
    login_as(client, reception)
    assert _texts(client.get(URL, {"author": team_leader.pk})) == ["组长抽查：706室卫生合格"]
    assert _texts(client.get(URL, {"q": "总经办"})) == ["总经办来电：明早局长办公会"]
    assert _texts(client.get(URL, {"q": "706", "author": reception.pk})) == ["706室饮水机换桶"]
    assert _texts(client.get(URL, {"q": "没有这回事"})) == []
    assert "No entries match." in client.get(URL, {"q": "没有这回事"}).content.decode()


def test_it_shows_the_days_of_a_search_spanning_several(client, reception, entries):
    login_as(client, reception)
    html = client.get(URL, {"day_from": "2026-11-19"}).content.decode()
    assert "Nov. 26, 2026 Thursday" in html
    assert "Nov. 19, 2026 Thursday" in html


def test_it_says_what_is_wrong_with_a_search_and_applies_the_rest(client, reception, entries):
    login_as(client, reception)
    response = client.get(URL, {"day_from": "2026-11-26", "day_to": "2026-11-25", "q": "706"})
    assert response.status_code == 200
    assert "The last day comes before the first." in response.content.decode()
    assert _texts(response) == ["706室饮水机换桶"]


@pytest.mark.parametrize(
    "query",
    [
        {"day_from": "9999-12-31"},
        {"day_from": "2026-02-30"},
        {"day_to": "0001-01-01"},
        {"author": "99999999999999999999999"},
        {"author": "abc"},
        {"q": "字" * 101},
        {"q": "a\x00b"},
        {"page": "99999999999999999999"},
    ],
)
def test_it_never_fails_on_bad_search_input(client, reception, entries, query):
    login_as(client, reception)
    response = client.get(URL, query)
    assert response.status_code == 200


def test_it_reads_a_long_journal_in_a_bounded_number_of_queries(
    client, reception, at_ten, django_assert_max_num_queries
):
    for number in range(60):
        journal_write(
            author=reception, source=JournalEntry.Source.MANUAL, text=f"第{number}条", at=at("2026-11-26 09:00")
        )
    login_as(client, reception)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["page"]) == 50
    assert "1 / 2" in response.content.decode()


# --- an entry by hand ---------------------------------------------------------------------------------


def test_it_adds_an_entry_from_the_page(client, reception, at_ten):
    login_as(client, reception)
    response = client.post(f"{URL}new/", {"text": "宋局长秘书交代：下午两位客人来访"})
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert (entry.text, entry.author, entry.at) == (
        "宋局长秘书交代：下午两位客人来访",
        reception,
        at("2026-11-26 10:00"),
    )


def test_it_adds_an_entry_for_an_earlier_time_of_another_day(client, reception, at_ten):
    login_as(client, reception)
    client.post(f"{URL}new/", {"text": "昨晚补记", "day": "2026-11-25", "time": "18:10"})
    assert JournalEntry.objects.get().at == at("2026-11-25 18:10")


def test_it_takes_a_time_alone_as_today(client, reception, at_ten):
    login_as(client, reception)
    client.post(f"{URL}new/", {"text": "早上补记", "time": "08:15"})
    assert JournalEntry.objects.get().at == at("2026-11-26 08:15")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "This field is required."),
        ({"text": "x", "day": "2026-11-25"}, "Give the time of an entry for another day."),
        ({"text": "x", "time": "10:30"}, "cannot be in the future"),
        ({"text": "x", "day": "2026-11-01", "time": "09:00"}, "last 7 days only"),
        ({"text": "x", "day": "9999-12-31", "time": "09:00"}, "Enter a day between"),
        ({"text": "a\u202eb"}, "control or text-direction"),
        ({"text": "字" * 501}, "at most 500 characters"),
    ],
)
def test_it_shows_why_an_entry_is_refused_and_keeps_nothing(client, reception, at_ten, data, message):
    login_as(client, reception)
    response = client.post(f"{URL}new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_it_accepts_only_posts_to_add(client, reception):
    login_as(client, reception)
    assert client.get(f"{URL}new/").status_code == 405
