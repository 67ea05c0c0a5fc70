"""The ad-hoc matters' page and API: the list of today's and open matters, the record form (nobody preselected
to do it), the one-tap steps, and who may do what; a task that is not the team's matter is a 404."""

import pytest
from django.utils import translation

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.delegations.models import DelegatedTask, DelegationNotice
from huiwu.delegations.services import task_create
from huiwu.reception.models import JournalEntry
from huiwu.reception.services.matters import matter_done, matter_record
from huiwu.testing import PERSONA_PASSWORD, at, login_as

URL = "/reception/matters/"
State = DelegatedTask.State
FORM = {
    "title": "将会议纪要送至市政府办公厅",
    "requester_name": "总经办 王主任",
    "due_date": "2026-11-26",
    "due_time": "11:00",
    "details": "",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def colleague(db):
    return user_upsert(username="reception2", password=PERSONA_PASSWORD, display_name="王敏", roles=[Role.RECEPTION])


@pytest.fixture
def matter(reception, frozen_now):
    return matter_record(
        user=reception,
        title="预订去机场的车辆",
        requester_name="局办公室 李秘书",
        due_at=at("2026-11-26 16:00"),
        assignee=reception,
    )


@pytest.fixture
def purchase(hotline, organization, frozen_now):
    due = at("2026-11-27 09:00")
    return task_create(user=hotline, title="代购水果", organization=organization, requester_name="张处长", due_at=due)


# --- access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["attendant", "hotline", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(client, request, persona, matter):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, FORM).status_code == 403
    assert DelegatedTask.objects.count() == 1


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_readers_the_matters_without_the_form_or_steps(client, request, persona, matter):
    login_as(client, request.getfixturevalue(persona))
    html = client.get(URL).content.decode()
    assert "预订去机场的车辆" in html
    assert 'data-testid="matter-form"' not in html
    assert 'data-testid="start"' not in html
    assert client.post(URL, FORM).status_code == 403
    assert client.post(f"{URL}{matter.pk}/start/").status_code == 403
    matter.refresh_from_db()
    assert matter.state == State.ACCEPTED


def test_it_answers_404_for_a_task_that_is_not_the_team_s_matter(client, reception, purchase):
    login_as(client, reception)
    for step in ("start", "done", "confirm", "assign"):
        assert client.post(f"{URL}{purchase.pk}/{step}/").status_code == 404
    assert client.post(f"{URL}99999999999999999999/start/").status_code == 404
    assert client.post(f"{URL}0/start/").status_code == 404
    purchase.refresh_from_db()
    assert purchase.state == State.ACCEPTED
    assert "代购水果" not in client.get(URL).content.decode()


# --- recording ----------------------------------------------------------------------------------------


def test_it_offers_the_team_to_choose_from_with_nobody_preselected(client, reception, colleague, attendant, frozen_now):
    login_as(client, reception)
    form = client.get(URL).content.decode().split('data-testid="matter-form"')[1].split("</form>")[0]
    select = form.split('name="assignee"')[1].split("</select>")[0]
    assert "王敏" in select
    assert "attendant" not in select
    assert "selected" not in select.split("</option>", 1)[1]


def test_it_records_a_matter_from_the_page(client, reception, colleague, frozen_now):
    login_as(client, reception)
    response = client.post(URL, FORM | {"assignee": colleague.pk}, follow=True)
    task = DelegatedTask.objects.get()
    assert (task.title, task.kind, task.assignee, task.due_at) == (
        "将会议纪要送至市政府办公厅",
        DelegatedTask.Kind.ERRAND,
        colleague,
        at("2026-11-26 11:00"),
    )
    html = response.content.decode()
    assert "is recorded" in html
    assert f'href="/delegations/{task.pk}/"' in html
    assert JournalEntry.objects.get().source == JournalEntry.Source.MATTER


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (FORM, "Choose who of the team does it."),
        (FORM | {"requester_name": ""}, "Say who gave the matter"),
        (FORM | {"due_time": "07:00"}, "already passed"),
        (FORM | {"due_date": "9999-12-31"}, "Enter a day between"),
        (FORM | {"title": "a\u202eb"}, "control or text-direction"),
        (FORM | {"assignee": "99999999999999999999"}, "Select a valid choice"),
    ],
)
def test_it_shows_why_a_matter_is_refused_and_records_nothing(client, reception, frozen_now, data, message):
    login_as(client, reception)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DelegatedTask.objects.exists()
    assert not JournalEntry.objects.exists()


# --- the steps ----------------------------------------------------------------------------------------


def test_it_takes_a_matter_through_its_steps_from_the_page(client, reception, colleague, matter, frozen_now):
    login_as(client, reception)
    client.post(f"{URL}{matter.pk}/assign/", {"assignee": colleague.pk})
    client.post(f"{URL}{matter.pk}/start/")
    client.post(f"{URL}{matter.pk}/done/", {"note": "已与车队确认"})
    html = client.get(URL).content.decode()
    assert "Done, to confirm" in html
    assert 'data-testid="confirm-open"' in html
    response = client.post(
        f"{URL}{matter.pk}/confirm/",
        {"method": "wecom", "notified_date": "2026-11-26", "notified_time": "08:00", "answer": "好的"},
        follow=True,
    )
    matter.refresh_from_db()
    assert (matter.state, matter.assignee) == (State.NOTIFIED, colleague)
    html = response.content.decode()
    assert "it is complete" in html
    assert "Confirmed with 局办公室 李秘书 (WeCom)" in html
    assert JournalEntry.objects.count() == 5


def test_it_offers_the_ways_of_telling_none_chosen_and_no_portal(client, reception, matter, frozen_now):
    matter_done(user=reception, task=matter)
    login_as(client, reception)
    html = client.get(URL).content.decode()
    form = html.split(f'action="/reception/matters/{matter.pk}/confirm/"')[1].split("</form>")[0]
    assert form.count('type="radio"') == 3
    assert "checked" not in form
    assert "portal" not in form


def test_it_shows_why_a_confirmation_is_refused_in_its_open_form(client, reception, matter, frozen_now):
    matter_done(user=reception, task=matter)
    login_as(client, reception)
    response = client.post(
        f"{URL}{matter.pk}/confirm/", {"method": "", "notified_date": "2026-11-26", "notified_time": "08:00"}
    )
    html = response.content.decode()
    assert "by phone, on WeCom or in person" in html
    assert f'id="confirm-{matter.pk}" open' in html
    assert not DelegationNotice.objects.exists()


def test_it_says_a_step_the_matter_no_longer_allows(client, reception, matter, frozen_now):
    login_as(client, reception)
    client.post(f"{URL}{matter.pk}/start/")
    response = client.post(f"{URL}{matter.pk}/start/", follow=True)
    assert "is no longer possible" in response.content.decode()


def test_it_accepts_only_posts_for_the_steps(client, reception, matter):
    login_as(client, reception)
    assert client.get(f"{URL}{matter.pk}/start/").status_code == 405


def test_it_lists_many_matters_in_a_bounded_number_of_queries(
    client, reception, frozen_now, django_assert_max_num_queries
):
    for number in range(15):
        matter_record(
            user=reception,
            title=f"事务{number}",
            requester_name="总经办",
            due_at=at("2026-11-26 16:00"),
            assignee=reception,
        )
    login_as(client, reception)
    client.get(URL)
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200


# --- the API ------------------------------------------------------------------------------------------


def test_it_records_and_works_a_matter_over_the_api(api, reception, colleague, frozen_now):
    payload = {
        "title": "送文件",
        "requester_name": "总经办 王主任",
        "due_at": "2026-11-26T11:00:00+08:00",
        "assignee_id": colleague.pk,
    }
    response = api(reception, "post", "/reception/matters", payload)
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["assignee"]["id"], body["url"]) == (
        "accepted",
        colleague.pk,
        f"/delegations/{body['id']}/",
    )
    task_id = body["id"]
    assert (
        api(reception, "post", f"/reception/matters/{task_id}/assign", {"assignee_id": reception.pk}).status_code == 200
    )
    assert api(reception, "post", f"/reception/matters/{task_id}/start").json()["state"] == "in_progress"
    done = api(reception, "post", f"/reception/matters/{task_id}/done", {"note": "已送达"})
    assert (done.json()["state"], done.json()["state_label"]) == ("awaiting_client", "Done, to confirm")
    confirmed = api(reception, "post", f"/reception/matters/{task_id}/confirm", {"method": "phone", "answer": "收到"})
    assert confirmed.status_code == 200
    assert confirmed.json()["state"] == "notified"
    assert confirmed.json()["confirmation"]["answer"] == "收到"
    assert confirmed.json()["confirmation"]["notified_at"] == "2026-11-26T08:00:00+08:00"
    listed = api(reception, "get", "/reception/matters").json()
    assert [matter["id"] for matter in listed] == [task_id]
    assert JournalEntry.objects.filter(source=JournalEntry.Source.MATTER).count() == 5


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"requester_name": ""}, "requester_name"),
        ({"assignee_id": 99999}, "assignee_id"),
        ({"due_at": "2026-11-25T11:00:00+08:00"}, "due_at"),
        ({"due_at": "2026-11-26"}, "due_at"),
        ({"kind": "purchase"}, "kind"),
    ],
)
def test_it_answers_422_for_a_matter_it_refuses(api, reception, frozen_now, payload, field):
    base = {
        "title": "送文件",
        "requester_name": "总经办",
        "due_at": "2026-11-26T11:00:00+08:00",
        "assignee_id": reception.pk,
    }
    response = api(reception, "post", "/reception/matters", base | payload)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not DelegatedTask.objects.exists()


def test_it_answers_422_for_a_portal_confirmation(api, reception, matter, frozen_now):
    matter_done(user=reception, task=matter)
    assert api(reception, "post", f"/reception/matters/{matter.pk}/confirm", {"method": "portal"}).status_code == 422


def test_it_answers_404_over_the_api_for_a_task_that_is_not_the_team_s(api, reception, purchase):
    for step in ("start", "done"):
        response = api(reception, "post", f"/reception/matters/{purchase.pk}/{step}")
        assert response.status_code == 404
    assert api(reception, "post", "/reception/matters/0/start").status_code == 404


@pytest.mark.parametrize("persona", ["team_leader", "outsider"])
def test_it_answers_403_to_who_does_not_do_the_routines(api, request, persona, matter):
    user = request.getfixturevalue(persona)
    payload = {"title": "x", "requester_name": "总经办", "due_at": "2026-11-26T11:00:00+08:00", "assignee_id": 1}
    assert api(user, "post", "/reception/matters", payload).status_code == 403
    assert api(user, "post", f"/reception/matters/{matter.pk}/start").status_code in (403, 404)


def test_it_lets_the_team_leader_list_the_matters(api, team_leader, matter):
    assert [row["title"] for row in api(team_leader, "get", "/reception/matters").json()] == ["预订去机场的车辆"]
    assert api(team_leader, "post", f"/reception/matters/{matter.pk}/start").status_code == 403


def test_it_answers_403_for_the_list_to_who_does_not_read_it(api, attendant):
    assert api(attendant, "get", "/reception/matters").status_code == 403
