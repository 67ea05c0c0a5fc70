"""The presence board and the cleaning pages on a phone: who sees them, one-tap presence, the knock protocol, the
sequence, the inspections with the one-tap document, the door."""

import re

import pytest
import time_machine

from huiwu.directory.models import Person
from huiwu.reception.models import CleaningRecord, LeaderOffice, ReviewedDocument
from huiwu.reception.services import offices as services
from huiwu.reception.services.offices import office_presence_set
from huiwu.testing import at, login_as

BOARD = "/reception/offices/"
HTMX = {"HX-Request": "true"}
Presence = LeaderOffice.Presence


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def clock():
    with time_machine.travel(at("2026-11-26 16:40"), tick=False) as traveller:
        yield traveller


@pytest.fixture
def out(reception, clock):
    def mark(office, presence=Presence.OUT, note=""):
        return office_presence_set(user=reception, office=office, presence=presence, note=note)

    return mark


@pytest.fixture
def cleaning(reception, office, out):
    out(office)
    return services.cleaning_knock(user=reception, cleaning=services.cleaning_start(user=reception, office=office))


def _cards(html: str) -> list[str]:
    return re.findall(r'data-testid="office" data-office="(\d+)"', html)


# --- the board --------------------------------------------------------------------------------------------


def test_it_shows_reception_the_board_with_one_tap_presence(client, reception, office, principal_office, out):
    out(office, Presence.AWAY, note="出差至周五")
    login_as(client, reception)
    html = client.get(BOARD).content.decode()
    assert _cards(html) == [str(principal_office.pk), str(office.pk)]
    assert html.count('data-testid="presence-form"') == 2
    assert "出差至周五" in html
    assert "1 office to clean today, 0 done." in html
    assert f'href="/reception/offices/{office.pk}/clean/"' in html
    assert "Leader in" not in html  # 周国庆 was never set: not "in", unknown
    assert "Nobody has set where this leader is." in html


def test_it_shows_before_the_routine_time_that_cleaning_is_planned_from_it(client, reception, office):
    with time_machine.travel(at("2026-11-26 14:00"), tick=False):
        office_presence_set(user=reception, office=office, presence=Presence.OUT)
        login_as(client, reception)
        html = client.get(BOARD).content.decode()
    assert "planned from 16:30" in html
    assert f'href="/reception/offices/{office.pk}/clean/"' in html


def test_it_shows_yesterdays_out_as_to_be_set_again(client, reception, office):
    with time_machine.travel(at("2026-11-25 15:00"), tick=False):
        office_presence_set(user=reception, office=office, presence=Presence.OUT)
    with time_machine.travel(at("2026-11-26 16:40"), tick=False):
        login_as(client, reception)
        html = client.get(BOARD).content.decode()
    assert "Was “Out” on 11-25" in html
    assert "Not set today" in html
    assert "/clean/" not in html


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_the_team_leader_and_manager_the_board_to_read(client, request, persona, office, out):
    out(office)
    login_as(client, request.getfixturevalue(persona))
    html = client.get(BOARD).content.decode()
    assert _cards(html) == [str(office.pk)]
    assert 'data-testid="presence-form"' not in html
    assert 'data-testid="clean"' not in html


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_refuses_the_board_to_others(client, request, persona, office):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(BOARD).status_code == 403
    assert client.get(f"/reception/offices/{office.pk}/clean/").status_code == 404
    assert client.post(f"/reception/offices/{office.pk}/presence/", {"presence": "out"}).status_code == 404


def test_it_sends_visitors_to_sign_in(client):
    assert client.get(BOARD).status_code == 302


def test_it_reads_the_board_in_a_bounded_number_of_queries(client, reception, django_assert_max_num_queries, out):
    for number in range(8):
        leader = Person.objects.create(name=f"领导{number}", title="副局长", kind=Person.Kind.LEADER, precedence=number)
        out(LeaderOffice.objects.create(leader=leader, room=f"7楼 70{number}室"))
    login_as(client, reception)
    with django_assert_max_num_queries(12):
        assert client.get(BOARD).status_code == 200


# --- presence with one tap --------------------------------------------------------------------------------


def test_it_sets_the_presence_with_one_tap_and_answers_the_card(client, reception, office, clock):
    login_as(client, reception)
    response = client.post(
        f"/reception/offices/{office.pk}/presence/", {"presence": "away", "note": "出差至周五"}, headers=HTMX
    )
    html = response.content.decode()
    assert _cards(html) == [str(office.pk)]
    assert "Presence of 吴晓峰 set: On a business trip." in html
    office.refresh_from_db()
    assert (office.presence, office.presence_note, office.presence_set_by) == (Presence.AWAY, "出差至周五", reception)


def test_it_sets_the_presence_without_htmx_and_goes_back_to_the_board(client, reception, office, clock):
    login_as(client, reception)
    response = client.post(f"/reception/offices/{office.pk}/presence/", {"presence": "out"})
    assert (response.status_code, response["Location"]) == (302, BOARD)
    office.refresh_from_db()
    assert office.presence == Presence.OUT


@pytest.mark.parametrize(
    ("data", "message"), [({"presence": "home"}, "Choose in, out"), ({"presence": "out", "note": "x" * 101}, "100")]
)
def test_it_refuses_a_bad_presence_with_a_message_and_changes_nothing(client, reception, office, clock, data, message):
    login_as(client, reception)
    html = client.post(f"/reception/offices/{office.pk}/presence/", data, headers=HTMX).content.decode()
    assert message in html
    office.refresh_from_db()
    assert office.presence_set_at is None


def test_it_refuses_the_team_leader_a_presence_change(client, team_leader, office):
    login_as(client, team_leader)
    assert client.post(f"/reception/offices/{office.pk}/presence/", {"presence": "out"}).status_code == 403
    office.refresh_from_db()
    assert office.presence_set_at is None


@pytest.mark.parametrize("office_id", ["0", "99999999999999999999999"])
def test_it_answers_404_for_offices_that_cannot_exist(client, reception, office_id):
    login_as(client, reception)
    assert client.get(f"/reception/offices/{office_id}/clean/").status_code == 404
    assert client.post(f"/reception/offices/{office_id}/presence/", {"presence": "out"}).status_code == 404
    assert client.get(f"/reception/cleanings/{office_id}/").status_code == 404


# --- the knock --------------------------------------------------------------------------------------------


def test_it_shows_the_knock_protocol_with_the_leaders_title_before_entering(client, reception, office, out):
    out(office)
    login_as(client, reception)
    html = client.get(f"/reception/offices/{office.pk}/clean/").content.decode()
    assert "three knocks (1, 2, 3), three times, two seconds between each" in html
    assert "“吴局长, hello!”" in html
    assert 'data-testid="knock"' in html
    assert not CleaningRecord.objects.exists()


def test_it_says_why_an_office_whose_leader_is_in_cannot_be_cleaned(client, reception, office, out):
    out(office, Presence.IN)
    login_as(client, reception)
    html = client.get(f"/reception/offices/{office.pk}/clean/").content.decode()
    assert "吴晓峰 is in the office today" in html
    assert 'data-testid="knock"' not in html
    response = client.post(f"/reception/offices/{office.pk}/clean/")
    assert response.status_code == 302
    assert "吴晓峰 is in the office today" in client.get(response["Location"]).content.decode()
    assert not CleaningRecord.objects.exists()


def test_it_begins_the_cleaning_with_the_knock(client, reception, office, out):
    out(office)
    login_as(client, reception)
    response = client.post(f"/reception/offices/{office.pk}/clean/")
    cleaning = CleaningRecord.objects.get()
    assert response["Location"] == f"/reception/cleanings/{cleaning.pk}/"
    assert cleaning.knocked_at == at("2026-11-26 16:40")
    # Back on the office's page: today's cleaning, not a second protocol.
    assert client.get(f"/reception/offices/{office.pk}/clean/")["Location"] == f"/reception/cleanings/{cleaning.pk}/"


# --- the cleaning -----------------------------------------------------------------------------------------


def _inspections(html: str) -> str:
    return html[html.index('data-testid="inspections"') : html.index('data-testid="lock"')]


def _step_buttons(html: str) -> list[str]:
    return re.findall(r'data-step="(\w+)">\s*<span[^>]*>[^<]*</span>\s*<form', html)


def test_it_offers_only_the_next_step_and_refuses_one_out_of_order(client, reception, cleaning):
    login_as(client, reception)
    url = f"/reception/cleanings/{cleaning.pk}/"
    assert _step_buttons(client.get(url).content.decode()) == ["cups"]
    html = client.post(f"{url}step/", {"step": "desk"}, headers=HTMX).content.decode()
    assert "Not yet: next is “Tea cups” (step 1 of 7)." in html
    html = client.post(f"{url}step/", {"step": "cups"}, headers=HTMX).content.decode()
    assert _step_buttons(html) == ["ashtray"]
    assert CleaningRecord.objects.get().steps[0][0] == "cups"


def test_it_answers_an_inspection_with_one_tap_and_nothing_chosen_before(client, reception, cleaning):
    login_as(client, reception)
    url = f"/reception/cleanings/{cleaning.pk}/"
    html = _inspections(client.get(url).content.decode())
    assert 'aria-pressed="true"' not in html
    assert html.count("To answer") == 4
    html = client.post(
        f"{url}inspect/", {"inspection": "tissues", "answer": "restocked"}, headers=HTMX
    ).content.decode()
    assert _inspections(html).count('aria-pressed="true"') == 1
    assert CleaningRecord.objects.get().inspections == {"tissues": "restocked"}


def test_it_records_a_document_from_the_cleaning_with_one_tap(client, reception, leader, cleaning):
    login_as(client, reception)
    url = f"/reception/cleanings/{cleaning.pk}/"
    html = client.get(url).content.decode()
    # The office's leader is offered first; nothing to confirm by default.
    assert re.search(rf'<option value="{cleaning.office.leader_id}" selected>', html)
    data = {"title": "关于办公用房维修的请示", "document_number": "机管发〔2026〕45号", "reviewing_leader": leader.pk}
    html = client.post(f"{url}document/", data, headers=HTMX).content.decode()
    assert "Recorded in the register: 机管发〔2026〕45号, to hand over by 11-27 09:30." in html
    document = ReviewedDocument.objects.get()
    assert (document.office, document.cleaning, document.reviewing_leader) == (cleaning.office, cleaning, leader)
    assert f'href="/reception/documents/{document.pk}/"' in html
    assert CleaningRecord.objects.get().inspections == {"documents": "taken"}


def test_it_shows_the_document_form_again_with_its_errors(client, reception, cleaning):
    login_as(client, reception)
    data = {"title": "", "document_number": "机管发〔2026〕45号", "reviewing_leader": cleaning.office.leader_id}
    html = client.post(f"/reception/cleanings/{cleaning.pk}/document/", data, headers=HTMX).content.decode()
    assert '<details class="w-100" open' in html
    assert "This field is required." in html
    assert 'value="机管发〔2026〕45号"' in html
    assert not ReviewedDocument.objects.exists()


def test_it_locks_the_door_once_everything_is_done(client, reception, cleaning):
    login_as(client, reception)
    url = f"/reception/cleanings/{cleaning.pk}/"
    html = client.get(url).content.decode()
    assert 'data-testid="do-lock"' not in html
    assert "Still to do: Tea cups" in html
    html = client.post(f"{url}lock/", headers=HTMX).content.decode()
    assert "Finish first: Tea cups" in html
    for step in ("cups", "ashtray", "waste_basket", "desk", "window_sill", "flower_pots", "wash_basin"):
        client.post(f"{url}step/", {"step": step}, headers=HTMX)
    for inspection in ("tissues", "bottled_water", "water_dispenser"):
        client.post(f"{url}inspect/", {"inspection": inspection, "answer": "enough"}, headers=HTMX)
    html = client.post(f"{url}inspect/", {"inspection": "documents", "answer": "none"}, headers=HTMX).content.decode()
    assert 'data-testid="do-lock"' in html
    html = client.post(f"{url}lock/", headers=HTMX).content.decode()
    assert "Door locked at 16:40." in html
    assert 'data-testid="do-step"' not in html
    assert "inspect/" not in html
    assert CleaningRecord.objects.get().locked_at == at("2026-11-26 16:40")
    board = client.get(BOARD).content.decode()
    assert "Cleaned, door locked 16:40" in board


def test_it_goes_back_to_the_cleaning_page_without_htmx(client, reception, cleaning):
    login_as(client, reception)
    url = f"/reception/cleanings/{cleaning.pk}/"
    response = client.post(f"{url}step/", {"step": "ashtray"})
    assert response["Location"] == url
    assert "Not yet: next is “Tea cups”" in client.get(url).content.decode()


def test_it_lets_the_team_leader_read_a_cleaning_but_not_record_it(client, team_leader, cleaning):
    login_as(client, team_leader)
    url = f"/reception/cleanings/{cleaning.pk}/"
    html = client.get(url).content.decode()
    assert 'data-testid="steps"' in html
    assert 'data-testid="do-step"' not in html
    for action, data in (("step/", {"step": "cups"}), ("inspect/", {"inspection": "tissues", "answer": "enough"})):
        assert client.post(url + action, data).status_code == 403
    assert client.post(url + "lock/").status_code == 403
    assert CleaningRecord.objects.get().steps == []


def test_it_hides_cleanings_from_attendants(client, attendant, cleaning):
    login_as(client, attendant)
    assert client.get(f"/reception/cleanings/{cleaning.pk}/").status_code == 404
    assert client.post(f"/reception/cleanings/{cleaning.pk}/step/", {"step": "cups"}).status_code == 404
