"""The task pages: the list, the forms, the detail page with the actions each user may take, and the actions
posted from it (or from a meeting's page, coming back there)."""

from decimal import Decimal

import pytest

from huiwu.delegations.models import DelegatedTask
from huiwu.delegations.services import task_confirm, task_create, task_done, task_start
from huiwu.meetings.services import meeting_cancel
from huiwu.testing import at, login_as

from .conftest import PLAN

State = DelegatedTask.State

NEW = {
    "kind": "purchase",
    "title": "代购水果",
    "quantity": "时令水果 5 公斤",
    "due_date": "2026-11-26",
    "due_time": "13:30",
    "budget": "300.00",
    "requester_name": "周敏",
    "service_plan": PLAN,
    "details": "",
}


def _listed(response) -> list[str]:
    return [task.title for task in response.context["page"]]


def _html(response) -> str:
    return response.content.decode()


# --- list ---------------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, task):
    response = client.get("/delegations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["outsider", "security_officer", "sysadmin"])
def test_it_refuses_who_reads_no_tasks(client, request, persona, task):
    login_as(client, request.getfixturevalue(persona))
    assert client.get("/delegations/").status_code == 403
    assert client.get("/delegations/new/").status_code == 403
    assert client.get(f"/delegations/{task.pk}/").status_code == 404


def test_it_lists_open_tasks_awaiting_the_client_first(client, hotline, record, attendant, client_contact):
    record(title="制作横幅", due_at=at("2026-11-26 09:00"))
    fruit = record(title="代购水果", due_at=at("2026-11-26 13:30"))
    confirmed = record(title="会场鲜花", due_at=at("2026-11-26 08:30"))
    task_done(user=attendant, task=fruit)
    task_done(user=attendant, task=confirmed)
    task_confirm(user=client_contact, task=confirmed)
    login_as(client, hotline)
    assert _listed(client.get("/delegations/")) == ["代购水果", "制作横幅"]
    assert _listed(client.get("/delegations/?state=all")) == ["代购水果", "制作横幅", "会场鲜花"]
    assert _listed(client.get("/delegations/?state=awaiting_client")) == ["代购水果"]
    assert _listed(client.get("/delegations/?state=confirmed")) == ["会场鲜花"]


def test_it_filters_by_mine_meeting_and_due_days(client, attendant, reception, record, meeting):
    record(title="代购水果")
    record(title="制作横幅", assignee=reception, meeting=None, due_at=at("2026-11-28 09:00"))
    login_as(client, attendant)
    assert _listed(client.get("/delegations/?mine=on")) == ["代购水果"]
    assert _listed(client.get(f"/delegations/?meeting={meeting.pk}")) == ["代购水果"]
    assert _listed(client.get("/delegations/?due_from=2026-11-27")) == ["制作横幅"]
    assert _listed(client.get("/delegations/?due_to=2026-11-26")) == ["代购水果"]


@pytest.mark.parametrize(
    "query", ["?state=lost", "?due_from=2026-13-45", "?meeting=abc", "?meeting=" + "9" * 30, "?page=x", "?mine=2"]
)
def test_it_falls_back_to_the_defaults_on_odd_filters(client, hotline, task, query):
    login_as(client, hotline)
    response = client.get(f"/delegations/{query}")
    assert response.status_code == 200


def test_it_shows_a_client_all_of_their_organizations_tasks_and_no_others(
    client, client_contact, other_client, record, attendant
):
    mine = record(title="代购水果")
    task_done(user=attendant, task=mine)
    record(title="制作横幅")
    record(title="别家的事", organization=other_client.organization, meeting=None)
    login_as(client, client_contact)
    response = client.get("/delegations/")
    assert _listed(response) == ["代购水果", "制作横幅"]
    assert "别家的事" not in _html(response)
    assert 'data-testid="filters"' not in _html(response)


def test_it_lists_in_constant_queries(client, hotline, record, django_assert_max_num_queries):
    for number in range(20):
        record(title=f"事务{number}")
    login_as(client, hotline)
    with django_assert_max_num_queries(12):
        assert len(_listed(client.get("/delegations/?state=all"))) == 20


# --- new ----------------------------------------------------------------------------------------------


def test_it_records_a_task_through_the_staff_form(client, hotline, attendant, meeting):
    login_as(client, hotline)
    response = client.post(
        f"/delegations/new/?meeting={meeting.pk}",
        NEW | {"meeting": str(meeting.pk), "assignee": str(attendant.pk)},
    )
    task = DelegatedTask.objects.get()
    assert response["Location"] == f"/delegations/{task.pk}/"
    assert (task.state, task.assignee, task.meeting, task.due_at) == (
        State.ACCEPTED,
        attendant,
        meeting,
        at("2026-11-26 13:30"),
    )
    assert task.budget == Decimal("300.00")


def test_it_opens_the_form_for_a_meeting_due_half_an_hour_before_it(client, hotline, meeting):
    login_as(client, hotline)
    form = client.get(f"/delegations/new/?meeting={meeting.pk}").context["form"]
    assert form["meeting"].value() == meeting.pk
    assert (str(form["due_date"].value()), str(form["due_time"].value())) == ("2026-11-26", "13:30:00")


def test_it_answers_404_for_a_meeting_the_user_may_not_see(client, other_client, meeting):
    login_as(client, other_client)
    assert client.get(f"/delegations/new/?meeting={meeting.pk}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"budget": "-5"}, "budget", "greater than or equal to 0"),
        ({"budget": "1.234"}, "budget", "2 decimal places"),
        ({"budget": "123456789"}, "budget", "no more than 8 digits before the decimal point"),
        ({"due_time": "07:00"}, "due_time", "already passed"),
        ({"due_date": "2026-02-30"}, "due_date", "Enter a valid date."),
        ({"requester_name": ""}, "requester_name", "Say who asked"),
        ({"details": "a\x01b"}, "details", "control"),
        ({"meeting": "999999"}, "meeting", "Select a valid choice."),
    ],
)
def test_it_refuses_a_bad_form_with_a_field_error_and_saves_nothing(client, hotline, change, field, message):
    login_as(client, hotline)
    response = client.post("/delegations/new/", NEW | change)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert not DelegatedTask.objects.exists()


def test_it_gives_a_client_the_simpler_form_and_sends_the_request(client, client_contact, meeting, organization):
    login_as(client, client_contact)
    page = client.get(f"/delegations/new/?meeting={meeting.pk}")
    assert set(page.context["form"].fields) == {
        "title",
        "quantity",
        "budget",
        "meeting",
        "details",
        "due_date",
        "due_time",
    }
    data = {"title": "打印会议材料", "quantity": "30 份", "due_date": "2026-11-26", "due_time": "12:00"}
    response = client.post("/delegations/new/", data | {"meeting": str(meeting.pk)}, follow=True)
    task = DelegatedTask.objects.get()
    assert (task.state, task.organization, task.meeting) == (State.REQUESTED, organization, meeting)
    assert "Your request was sent" in _html(response)


def test_it_offers_a_client_only_their_organizations_meetings(client, other_client, meeting):
    login_as(client, other_client)
    assert list(client.get("/delegations/new/").context["form"].fields["meeting"].queryset) == []


# --- detail -------------------------------------------------------------------------------------------


def test_it_shows_awaiting_client_with_the_service_plan_and_a_one_tap_confirm(client, client_contact, done):
    login_as(client, client_contact)
    html = _html(client.get(f"/delegations/{done.pk}/"))
    assert 'data-testid="awaiting-client"' in html
    assert PLAN in html
    assert 'data-testid="confirm"' in html
    assert 'data-testid="dispute"' in html
    assert 'data-testid="done-form"' not in html
    assert 'data-testid="notice-form"' not in html


def test_it_offers_staff_the_notice_instead_of_the_confirmation(client, hotline, done):
    login_as(client, hotline)
    html = _html(client.get(f"/delegations/{done.pk}/"))
    assert 'data-testid="awaiting-client"' in html
    assert 'data-testid="notice-form"' in html
    assert 'data-testid="confirm"' not in html


def test_it_offers_the_assignee_the_work_and_not_the_management(client, attendant, task):
    login_as(client, attendant)
    html = _html(client.get(f"/delegations/{task.pk}/"))
    for shown in ("start", "done-form", "evidence-form"):
        assert f'data-testid="{shown}"' in html
    for hidden in ("cost-form", "edit", "assign-form", "close-actions", "notice-form", "accept-form"):
        assert f'data-testid="{hidden}"' not in html


def test_it_offers_the_cost_on_its_own_once_the_task_is_done(client, attendant, done):
    login_as(client, attendant)
    response = client.get(f"/delegations/{done.pk}/")
    assert 'data-testid="done-form"' not in _html(response)
    assert response.context["cost_form"]["actual_cost"].value() == Decimal("268.50")


def test_it_calls_a_clients_request_awaiting_acceptance(client, client_contact, hotline):
    from django.utils import translation

    request = task_create(user=client_contact, title="打印会议材料", due_at=at("2026-11-26 12:00"))
    login_as(client, hotline)
    with translation.override("zh-hans"):
        html = _html(client.get(f"/delegations/{request.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert '<span class="badge hw-task-requested fs-6 flex-shrink-0" data-testid="state">待受理</span>' in html
    assert "客户提出委托" in html


def test_it_offers_another_staff_member_only_the_reading(client, env_supervisor, task):
    login_as(client, env_supervisor)
    html = _html(client.get(f"/delegations/{task.pk}/"))
    for hidden in ("start", "done-form", "edit", "close-actions"):
        assert f'data-testid="{hidden}"' not in html
    assert "代购水果" in html


def test_it_says_when_the_meeting_was_cancelled(client, hotline, task, meeting):
    meeting_cancel(user=hotline, meeting=meeting, reason="改期")
    login_as(client, hotline)
    html = _html(client.get(f"/delegations/{task.pk}/"))
    assert 'data-testid="meeting-cancelled"' in html
    assert 'data-testid="close-actions"' in html


def test_it_shows_the_history_in_shanghai_time(client, hotline, done):
    login_as(client, hotline)
    response = client.get(f"/delegations/{done.pk}/")
    assert [event.action for event in response.context["history"]] == ["recorded", "done", "cost"]
    assert "2026-11-26 08:00" in _html(response)


def test_it_shows_the_detail_in_constant_queries(client, hotline, done, django_assert_max_num_queries):
    login_as(client, hotline)
    with django_assert_max_num_queries(16):
        assert client.get(f"/delegations/{done.pk}/").status_code == 200


# --- actions ------------------------------------------------------------------------------------------


def test_it_lets_the_client_confirm_with_one_tap(client, client_contact, done):
    login_as(client, client_contact)
    response = client.post(f"/delegations/{done.pk}/confirm/", follow=True)
    done.refresh_from_db()
    assert done.state == State.CONFIRMED
    assert "you confirmed “代购水果”" in _html(response)


def test_it_goes_back_to_the_meeting_page_it_came_from(client, client_contact, done, meeting):
    login_as(client, client_contact)
    response = client.post(f"/delegations/{done.pk}/confirm/", {"next": f"/meetings/{meeting.pk}/"})
    assert response["Location"] == f"/meetings/{meeting.pk}/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_it_never_goes_back_to_another_site(client, client_contact, done, target):
    login_as(client, client_contact)
    response = client.post(f"/delegations/{done.pk}/confirm/", {"next": target})
    assert response["Location"] == f"/delegations/{done.pk}/"


def test_it_says_so_when_tapped_twice(client, client_contact, done):
    login_as(client, client_contact)
    client.post(f"/delegations/{done.pk}/confirm/")
    response = client.post(f"/delegations/{done.pk}/confirm/", follow=True)
    assert "already confirmed by the client" in _html(response)


def test_it_needs_the_note_of_a_dispute_on_the_page(client, client_contact, done):
    login_as(client, client_contact)
    response = client.post(f"/delegations/{done.pk}/dispute/", {"note": ""})
    assert response.status_code == 200
    assert "This field is required." in _html(response)
    assert 'class="hw-dispute" open' in _html(response)
    done.refresh_from_db()
    assert done.state == State.AWAITING_CLIENT


def test_it_brings_the_missing_note_back_to_the_meeting_page(client, client_contact, done, meeting):
    login_as(client, client_contact)
    response = client.post(f"/delegations/{done.pk}/dispute/", {"note": "", "next": f"/meetings/{meeting.pk}/"})
    assert response["Location"] == f"/meetings/{meeting.pk}/"


def test_it_records_a_dispute(client, client_contact, done):
    login_as(client, client_contact)
    client.post(f"/delegations/{done.pk}/dispute/", {"note": "水果太少"})
    done.refresh_from_db()
    assert done.state == State.DISPUTED


def test_it_refuses_a_client_marking_a_task_done(client, client_contact, task):
    login_as(client, client_contact)
    assert client.post(f"/delegations/{task.pk}/done/", {"actual_cost": "1"}).status_code == 403
    assert client.post(f"/delegations/{task.pk}/start/").status_code == 403
    task.refresh_from_db()
    assert task.state == State.ACCEPTED


def test_it_refuses_staff_confirming_in_the_clients_name(client, hotline, done):
    login_as(client, hotline)
    assert client.post(f"/delegations/{done.pk}/confirm/").status_code == 403
    done.refresh_from_db()
    assert done.state == State.AWAITING_CLIENT


def test_it_marks_a_task_done_from_the_page(client, attendant, task):
    login_as(client, attendant)
    client.post(f"/delegations/{task.pk}/start/")
    response = client.post(f"/delegations/{task.pk}/done/", {"actual_cost": "268.50", "note": "分三批"}, follow=True)
    task.refresh_from_db()
    assert (task.state, task.actual_cost) == (State.AWAITING_CLIENT, Decimal("268.50"))
    assert "Marked done. The task now awaits the client&#x27;s confirmation." in _html(response)


def test_it_refuses_a_bad_cost_on_the_page(client, attendant, task):
    login_as(client, attendant)
    response = client.post(f"/delegations/{task.pk}/done/", {"actual_cost": "-1"})
    assert response.status_code == 200
    assert response.context["done_form"].errors["actual_cost"]
    task.refresh_from_db()
    assert task.state == State.ACCEPTED


def test_it_records_a_notice_from_the_page(client, hotline, done):
    login_as(client, hotline)
    data = {
        "method": "phone",
        "notified_date": "2026-11-26",
        "notified_time": "08:00",
        "notified_person": "周敏",
        "client_answer": "好的",
    }
    client.post(f"/delegations/{done.pk}/notices/", data)
    done.refresh_from_db()
    assert done.state == State.NOTIFIED
    assert done.notices.get().notified_person == "周敏"


def test_it_refuses_a_notice_in_the_future_on_the_page(client, hotline, done):
    login_as(client, hotline)
    data = {"method": "phone", "notified_date": "2026-11-26", "notified_time": "09:00"}
    response = client.post(f"/delegations/{done.pk}/notices/", data)
    assert "cannot be in the future" in " ".join(response.context["notice_form"].errors["notified_time"])


def test_it_accepts_assigns_refuses_and_cancels(client, hotline, client_contact, attendant, reception):
    request = task_create(user=client_contact, title="打印会议材料", due_at=at("2026-11-26 12:00"))
    other = task_create(user=client_contact, title="代购香烟", due_at=at("2026-11-26 12:00"))
    login_as(client, hotline)
    client.post(f"/delegations/{request.pk}/accept/", {"assignee": str(attendant.pk)})
    client.post(f"/delegations/{request.pk}/assign/", {"assignee": str(reception.pk)})
    request.refresh_from_db()
    assert (request.state, request.assignee) == (State.ACCEPTED, reception)
    client.post(f"/delegations/{other.pk}/refuse/", {"reason": "不在服务范围"})
    other.refresh_from_db()
    assert (other.state, other.closed_reason) == (State.REFUSED, "不在服务范围")
    response = client.post(f"/delegations/{request.pk}/cancel/", {"reason": ""})
    assert "This field is required." in _html(response)
    client.post(f"/delegations/{request.pk}/cancel/", {"reason": "客户取消"})
    request.refresh_from_db()
    assert request.state == State.CANCELLED


def test_it_lets_a_client_cancel_their_request(client, client_contact):
    request = task_create(user=client_contact, title="打印会议材料", due_at=at("2026-11-26 12:00"))
    login_as(client, client_contact)
    assert 'data-testid="cancel"' in _html(client.get(f"/delegations/{request.pk}/"))
    client.post(f"/delegations/{request.pk}/cancel/", {"reason": "不需要了"})
    request.refresh_from_db()
    assert request.state == State.CANCELLED


def test_it_changes_a_task_through_its_form(client, hotline, task, reception):
    login_as(client, hotline)
    page = client.get(f"/delegations/{task.pk}/edit/")
    assert page.context["form"]["title"].value() == "代购水果"
    assert "requester_name" not in page.context["form"].fields
    data = NEW | {"assignee": str(reception.pk), "budget": "320", "meeting": str(task.meeting_id)}
    del data["requester_name"]
    response = client.post(f"/delegations/{task.pk}/edit/", data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.assignee, task.budget) == (reception, Decimal("320.00"))


def test_it_refuses_changing_a_complete_task(client, hotline, done, client_contact):
    task_confirm(user=client_contact, task=done)
    login_as(client, hotline)
    response = client.get(f"/delegations/{done.pk}/edit/", follow=True)
    assert "changing it is no longer possible" in _html(response)


@pytest.mark.parametrize("action", ["accept", "assign", "start", "done", "cost", "confirm", "dispute", "notices"])
def test_it_only_accepts_actions_by_post(client, hotline, task, action):
    login_as(client, hotline)
    assert client.get(f"/delegations/{task.pk}/{action}/").status_code == 405


def test_it_lets_the_assignee_start_again_after_a_dispute(client, attendant, done, client_contact):
    from huiwu.delegations.services import task_dispute

    task_dispute(user=client_contact, task=done, note="少了")
    login_as(client, attendant)
    html = _html(client.get(f"/delegations/{done.pk}/"))
    assert 'data-testid="start"' in html
    task_start(user=attendant, task=done)
    assert done.state == State.IN_PROGRESS
