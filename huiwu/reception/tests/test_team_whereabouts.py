"""Where we are (留言条, seed 篇3 (四) 2〈4〉): a note left when leaving the office (where to, the mobile number,
prefilled from the account), taken down on return; the team's status, which says so prominently when nobody
is in the office, with where each went and their numbers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.reception.models import JournalEntry, Whereabouts
from huiwu.reception.selectors.team import Presence, team_status
from huiwu.reception.services.team import grooming_check_record, whereabouts_back, whereabouts_leave
from huiwu.testing import PERSONA_PASSWORD, at, login_as

ALL = {"uniform": True, "scarf_and_badge": True, "light_make_up": True, "no_jewellery": True}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def afternoon(frozen_now):
    frozen_now.move_to(at("2026-11-26 14:20"))
    return frozen_now


@pytest.fixture
def colleague(db):
    return user_upsert(
        username="reception2",
        password=PERSONA_PASSWORD,
        display_name="王敏",
        phone="13800000016",
        roles=[Role.RECEPTION],
    )


# --- the service --------------------------------------------------------------------------------------


def test_it_leaves_a_note_and_writes_it_in_the_journal(reception, afternoon):
    note = whereabouts_leave(user=reception, where=" 4楼 401会议室 会议接待 ", phone="138 0000 0006")
    assert (note.where, note.phone, note.left_at, note.back_at) == (
        "4楼 401会议室 会议接待",
        "138 0000 0006",
        at("2026-11-26 14:20"),
        None,
    )
    entry = JournalEntry.objects.get()
    assert entry.source == "whereabouts"
    assert "4楼 401会议室 会议接待" in entry.text
    assert "138 0000 0006" in entry.text


@pytest.mark.parametrize(
    ("where", "phone", "field", "message"),
    [
        ("", "13800000006", "where", "Say where you are going"),
        ("会议室", "", "phone", "Give your mobile number"),
        ("会议室", "call me", "phone", "Enter a phone number"),
        ("会议室", "1" * 21, "phone", "Enter a phone number"),
        ("会议\x00室", "13800000006", "where", "control or text-direction"),
        ("字" * 101, "13800000006", "where", "At most 100 characters"),
    ],
)
def test_it_refuses_a_note_without_where_or_a_phone_number(reception, afternoon, where, phone, field, message):
    with pytest.raises(ValidationError) as error:
        whereabouts_leave(user=reception, where=where, phone=phone)
    assert message in " ".join(error.value.message_dict[field])
    assert not Whereabouts.objects.exists()
    assert not JournalEntry.objects.exists()


def test_it_keeps_one_note_up_per_person(reception, afternoon):
    whereabouts_leave(user=reception, where="4楼 401会议室", phone="13800000006")
    with pytest.raises(ValidationError) as error:
        whereabouts_leave(user=reception, where="6楼", phone="13800000006")
    assert "“4楼 401会议室” (since 14:20) is still up" in error.value.messages[0]
    assert Whereabouts.objects.count() == 1


def test_the_database_keeps_one_open_note_per_person(reception):
    Whereabouts.objects.create(user=reception, where="甲", phone="13800000006")
    with pytest.raises(IntegrityError), transaction.atomic():
        Whereabouts.objects.create(user=reception, where="乙", phone="13800000006")


def test_it_takes_the_note_down_on_return_and_a_new_one_can_be_left(reception, afternoon):
    whereabouts_leave(user=reception, where="4楼 401会议室", phone="13800000006")
    afternoon.move_to(at("2026-11-26 15:05"))
    note = whereabouts_back(user=reception)
    assert note.back_at == at("2026-11-26 15:05")
    assert "Back in the office from: 4楼 401会议室." in JournalEntry.objects.order_by("at").last().text
    whereabouts_leave(user=reception, where="6楼", phone="13800000006")
    assert Whereabouts.objects.filter(back_at__isnull=True).count() == 1


def test_it_says_so_when_there_is_no_note_to_take_down(reception, afternoon):
    with pytest.raises(ValidationError) as error:
        whereabouts_back(user=reception)
    assert "You have no note up" in error.value.messages[0]


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_leave_notes(request, persona, afternoon):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        whereabouts_leave(user=user, where="会议室", phone="13800000006")
    with pytest.raises(PermissionDenied):
        whereabouts_back(user=user)


# --- the team's status --------------------------------------------------------------------------------


def test_it_shows_each_member_in_out_or_not_in_yet(reception, colleague, attendant, afternoon):
    grooming_check_record(user=reception, **ALL)
    status = team_status(reception)
    assert [(member.user.username, member.presence) for member in status.members] == [
        ("reception", Presence.IN),
        ("reception2", Presence.NOT_IN_YET),
    ]
    assert not status.nobody_in
    whereabouts_leave(user=colleague, where="4楼 401会议室", phone="13800000016")
    out = team_status(reception).out
    assert [(member.user, member.note.where, member.note.phone) for member in out] == [
        (colleague, "4楼 401会议室", "13800000016")
    ]


def test_it_says_nobody_is_in_when_everyone_is_out(reception, colleague, afternoon):
    grooming_check_record(user=reception, **ALL)
    whereabouts_leave(user=colleague, where="4楼 401会议室", phone="13800000016")
    assert not team_status(reception).nobody_in
    whereabouts_leave(user=reception, where="7楼 领导办公室保洁", phone="13800000006")
    status = team_status(reception)
    assert status.nobody_in
    assert [member.note.where for member in status.out] == ["7楼 领导办公室保洁", "4楼 401会议室"]


def test_it_shows_a_note_of_an_earlier_day_as_such(reception, afternoon):
    whereabouts_leave(user=reception, where="4楼", phone="13800000006")
    afternoon.move_to(at("2026-11-27 09:00"))
    (member,) = team_status(reception).members
    assert member.presence == Presence.OUT
    assert member.note_is_old


def test_it_reads_the_status_in_three_queries(reception, colleague, afternoon, django_assert_num_queries):
    for number in range(5):
        user_upsert(
            username=f"reception{number + 3}",
            password=PERSONA_PASSWORD,
            display_name=f"员工{number}",
            roles=[Role.RECEPTION],
        )
    team_status(reception)  # the permissions, read once per user
    with django_assert_num_queries(3):
        assert len(team_status(reception).members) == 7


@pytest.mark.parametrize("persona", ["attendant", "outsider"])
def test_it_shows_the_status_only_to_who_reads_the_reception_day(request, persona, afternoon):
    with pytest.raises(PermissionDenied):
        team_status(request.getfixturevalue(persona))


# --- the pages ----------------------------------------------------------------------------------------


def test_it_prefills_the_phone_from_the_account(client, colleague, afternoon):
    login_as(client, colleague)
    form = client.get("/reception/team/").content.decode().split('data-testid="leave-form"')[1]
    assert 'value="13800000016"' in form


def test_it_leaves_and_takes_down_a_note_from_the_page(client, colleague, afternoon):
    login_as(client, colleague)
    response = client.post("/reception/team/leave/", {"where": "4楼 401会议室", "phone": "13800000016"}, follow=True)
    html = response.content.decode()
    assert "Your note is up" in html
    assert 'data-testid="back"' in html
    assert "13800000016" in html
    response = client.post("/reception/team/back/", follow=True)
    assert "Welcome back" in response.content.decode()
    assert Whereabouts.objects.get().back_at == at("2026-11-26 14:20")


def test_it_shows_why_a_note_is_refused_and_keeps_nothing(client, colleague, afternoon):
    login_as(client, colleague)
    response = client.post("/reception/team/leave/", {"where": "4楼", "phone": "打我电话"})
    assert response.status_code == 200
    assert "Enter a phone number" in response.content.decode()
    assert not Whereabouts.objects.exists()


def test_it_says_prominently_that_nobody_is_in_with_numbers(client, reception, colleague, team_leader, afternoon):
    whereabouts_leave(user=reception, where="7楼 领导办公室保洁", phone="13800000006")
    whereabouts_leave(user=colleague, where="4楼 401会议室", phone="138 0000 0016")
    login_as(client, team_leader)
    html = client.get("/reception/team/").content.decode()
    assert 'data-testid="nobody-in"' in html
    assert 'href="tel:13800000016"' in html
    assert "Gone to 4楼 401会议室 since 14:20" in html
    note = client.get("/reception/team/note/").content.decode()
    assert "Nobody is in the office right now. Please call us:" in note
    assert "138 0000 0016" in note
    assert "reception-print.css" in note


def test_it_tells_a_visitor_when_someone_is_in(client, reception, colleague, afternoon):
    grooming_check_record(user=reception, **ALL)
    login_as(client, colleague)
    note = client.get("/reception/team/note/").content.decode()
    assert "In the office now: reception 测试" in note


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_refuses_the_team_pages_to_who_does_not_read_the_reception_day(client, request, persona):
    login_as(client, request.getfixturevalue(persona))
    for path in ("/reception/team/", "/reception/team/note/"):
        assert client.get(path).status_code == 403
    for path in ("/reception/team/leave/", "/reception/team/back/", "/reception/team/grooming/"):
        assert client.post(path, {"where": "x", "phone": "13800000000"}).status_code == 403
    assert not Whereabouts.objects.exists()


def test_it_lets_the_team_leader_read_the_status_but_not_leave_a_note(client, team_leader, afternoon):
    login_as(client, team_leader)
    html = client.get("/reception/team/").content.decode()
    assert 'data-testid="team-status"' in html
    assert 'data-testid="leave-form"' not in html
    assert client.post("/reception/team/leave/", {"where": "x", "phone": "13800000000"}).status_code == 403


# --- the API ------------------------------------------------------------------------------------------


def test_it_gives_the_status_over_the_api(api, reception, colleague, afternoon):
    whereabouts_leave(user=colleague, where="4楼 401会议室", phone="13800000016")
    body = api(reception, "get", "/reception/team").json()
    assert body["nobody_in"] is True
    assert [(member["user"]["id"], member["presence"]) for member in body["members"]] == [
        (reception.pk, "not_in_yet"),
        (colleague.pk, "out"),
    ]
    assert body["members"][1]["note"]["phone"] == "13800000016"
    assert body["members"][1]["note"]["left_at"] == "2026-11-26T14:20:00+08:00"


def test_it_leaves_a_note_over_the_api_with_the_account_s_phone_by_default(api, colleague, afternoon):
    response = api(colleague, "post", "/reception/whereabouts", {"where": "4楼 401会议室"})
    assert response.status_code == 201
    assert response.json()["phone"] == "13800000016"
    again = api(colleague, "post", "/reception/whereabouts", {"where": "6楼", "phone": "13900000000"})
    assert again.status_code == 422
    back = api(colleague, "post", "/reception/whereabouts/back")
    assert back.status_code == 200
    assert back.json()["back_at"] == "2026-11-26T14:20:00+08:00"
    assert api(colleague, "post", "/reception/whereabouts/back").status_code == 422


def test_it_answers_422_without_a_phone_when_the_account_has_none(api, reception, afternoon):
    response = api(reception, "post", "/reception/whereabouts", {"where": "4楼"})
    assert response.status_code == 422
    assert "phone" in response.json()["errors"]


@pytest.mark.parametrize(
    "payload", [{"where": ""}, {"where": "x" * 101, "phone": "138"}, {"where": "4楼", "phone": "abc"}, {"phone": "1"}]
)
def test_it_answers_422_for_a_bad_note(api, colleague, afternoon, payload):
    assert api(colleague, "post", "/reception/whereabouts", payload).status_code == 422
    assert not Whereabouts.objects.exists()


@pytest.mark.parametrize("persona", ["team_leader", "outsider"])
def test_it_answers_403_to_who_does_not_do_the_routines(api, request, persona, afternoon):
    user = request.getfixturevalue(persona)
    assert api(user, "post", "/reception/whereabouts", {"where": "4楼", "phone": "13800000000"}).status_code == 403
    assert api(user, "post", "/reception/whereabouts/back").status_code == 403


def test_it_answers_403_for_the_status_to_who_does_not_read_it(api, attendant):
    assert api(attendant, "get", "/reception/team").status_code == 403
