"""Tasks over JSON: the same services and access as the pages, as HTTP answers."""

import pytest
from django.test import Client

from huiwu.delegations.models import DelegatedTask
from huiwu.delegations.services import task_confirm, task_done
from huiwu.notify.models import Kind, Notification
from huiwu.testing import at, login_as

from .conftest import PLAN

State = DelegatedTask.State


@pytest.fixture
def body(meeting, attendant):
    def make(**overrides):
        return {
            "title": "代购水果",
            "quantity": "时令水果 5 公斤",
            "budget": "300.00",
            "due_at": "2026-11-26T13:30:00+08:00",
            "meeting_id": meeting.pk,
            "requester_name": "周敏",
            "assignee_id": attendant.pk,
            "service_plan": PLAN,
        } | overrides

    return make


def test_it_refuses_calls_without_credentials(task):
    assert Client().get("/api/v1/tasks").status_code == 401


def test_it_accepts_the_session_of_the_web_pages(client, hotline, body):
    login_as(client, hotline)
    assert client.post("/api/v1/tasks", body(), content_type="application/json").status_code == 201


# --- the must-show: done stays awaiting the client ----------------------------------------------------


def test_it_keeps_a_done_fruit_purchase_awaiting_the_client_until_confirmed(
    api, hotline, attendant, client_contact, body
):
    created = api(hotline, "post", "/tasks", body())
    assert created.status_code == 201, created.json()
    task_id = created.json()["id"]
    done = api(attendant, "post", f"/tasks/{task_id}/done", {"actual_cost": 268.5, "note": "分三批摆放"}).json()
    assert (done["state"], done["state_label"], done["awaiting_client"], done["complete"]) == (
        "awaiting_client",
        "Awaiting client",
        True,
        False,
    )
    assert done["actual_cost"] == "268.50"
    assert done["done_at"] == "2026-11-26T08:00:00+08:00"
    assert api(hotline, "get", f"/tasks/{task_id}").json()["awaiting_client"] is True
    confirmed = api(client_contact, "post", f"/tasks/{task_id}/confirm").json()
    assert (confirmed["state"], confirmed["awaiting_client"], confirmed["complete"]) == ("confirmed", False, True)
    assert confirmed["confirmed_by"]["id"] == client_contact.pk


def test_it_completes_a_done_task_with_a_notice_by_phone(api, hotline, done):
    response = api(
        hotline,
        "post",
        f"/tasks/{done.pk}/notices",
        {"method": "phone", "notified_person": "周敏", "client_answer": "知道了"},
    )
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["state"], answer["complete"], answer["awaiting_client"]) == ("notified", True, False)
    [notice] = answer["notices"]
    assert (notice["method"], notice["method_label"], notice["notified_at"]) == (
        "phone",
        "Phone",
        "2026-11-26T08:00:00+08:00",
    )
    assert notice["notified_by"]["id"] == hotline.pk
    assert [entry["action"] for entry in answer["history"]] == ["recorded", "done", "cost", "notified"]


# --- list, detail, create, change ---------------------------------------------------------------------


def test_it_answers_a_task_with_everything_about_it(api, reception, done, meeting, attendant):
    answer = api(reception, "get", f"/tasks/{done.pk}").json()
    assert answer["title"] == "代购水果"
    assert (answer["kind"], answer["kind_label"]) == ("purchase", "Purchase")
    assert answer["meeting"] == {
        "id": meeting.pk,
        "title": "季度工作会",
        "start": "2026-11-26T14:00:00+08:00",
        "end": "2026-11-26T16:00:00+08:00",
        "room": "701会议室",
        "status": "confirmed",
    }
    assert answer["organization"]["name"] == "测试委办局"
    assert (answer["budget"], answer["due_at"]) == ("300.00", "2026-11-26T13:30:00+08:00")
    assert answer["assignee"]["id"] == attendant.pk
    assert answer["service_plan"] == PLAN
    assert answer["url"] == f"/delegations/{done.pk}/"
    assert answer["history"][0]["action_label"] == "Recorded by staff"


def test_it_lists_with_filters_and_pages(api, hotline, record, attendant, reception, meeting):
    first = record(title="代购水果")
    record(title="制作横幅", assignee=reception, meeting=None, due_at=at("2026-11-28 09:00"))
    task_done(user=attendant, task=first)

    def listed(**query):
        return [task["title"] for task in api(hotline, "get", "/tasks", query).json()["items"]]

    assert listed() == ["代购水果", "制作横幅"]
    assert listed(awaiting_client="true") == ["代购水果"]
    assert listed(state="accepted") == ["制作横幅"]
    assert listed(meeting=meeting.pk) == ["代购水果"]
    assert listed(due_from="2026-11-27") == ["制作横幅"]
    assert listed(due_to="2026-11-26") == ["代购水果"]
    assert api(attendant, "get", "/tasks", {"mine": "true"}).json()["count"] == 1
    page = api(hotline, "get", "/tasks", {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 1, 1)


@pytest.mark.parametrize(
    "query", [{"state": "lost"}, {"limit": 0}, {"offset": -1}, {"due_from": "2026-13-01"}, {"meeting": 0}]
)
def test_it_refuses_a_bad_list_query(api, hotline, query):
    response = api(hotline, "get", "/tasks", query)
    assert (response.status_code, response.json()["code"]) == (422, "invalid")


def test_it_lists_in_constant_queries(api, hotline, record, django_assert_max_num_queries):
    for number in range(15):
        record(title=f"事务{number}")
    api(hotline, "get", "/me")
    with django_assert_max_num_queries(12):
        assert api(hotline, "get", "/tasks").json()["count"] == 15


def test_it_lets_a_client_request_a_task_for_their_organization(api, client_contact, meeting, hotline):
    response = api(
        client_contact,
        "post",
        "/tasks",
        {"title": "打印会议材料", "due_at": "2026-11-26T12:00", "meeting_id": meeting.pk, "budget": 60},
    )
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["state"], answer["organization"]["name"], answer["budget"]) == ("requested", "测试委办局", "60.00")
    assert Notification.objects.filter(recipient=hotline, kind=Kind.DELEGATION).exists()


def test_it_refuses_a_client_assigning_their_request(api, client_contact, attendant):
    response = api(
        client_contact, "post", "/tasks", {"title": "x", "due_at": "2026-11-26T12:00", "assignee_id": attendant.pk}
    )
    assert response.status_code == 422
    assert "assignee_id" in response.json()["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\u202eb"}, "title"),
        ({"budget": -1}, "budget"),
        ({"budget": "1.234"}, "budget"),
        ({"budget": 123456789}, "budget"),
        ({"budget": True}, "budget"),
        ({"budget": "NaN"}, "budget"),
        ({"due_at": "2026-11-26"}, "due_at"),
        ({"due_at": "2026-11-25T09:00:00+08:00"}, "due_at"),
        ({"due_at": "9999-12-31T09:00"}, "due_at"),
        ({"meeting_id": 424242}, "meeting_id"),
        ({"meeting_id": 2**70}, "meeting_id"),
        ({"assignee_id": 424242}, "assignee_id"),
        ({"organization_id": 424242}, "organization_id"),
        ({"requester_contact_id": 424242}, "requester_contact_id"),
        ({"kind": "gift"}, "kind"),
        ({"requester_name": ""}, "requester_name"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_it_refuses_a_bad_task_with_field_errors(api, hotline, body, change, field):
    response = api(hotline, "post", "/tasks", body(**change))
    answer = response.json()
    assert (response.status_code, answer["code"]) == (422, "invalid"), answer
    assert field in answer["errors"], answer
    assert not DelegatedTask.objects.exists()


def test_it_changes_only_the_fields_sent(api, hotline, task, reception):
    response = api(hotline, "patch", f"/tasks/{task.pk}", {"budget": 320, "assignee_id": reception.pk})
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["budget"], answer["assignee"]["id"], answer["title"]) == ("320.00", reception.pk, "代购水果")
    assert api(hotline, "patch", f"/tasks/{task.pk}", {"assignee_id": None}).json()["assignee"] is None


def test_it_refuses_changing_a_complete_task(api, hotline, done, client_contact):
    task_confirm(user=client_contact, task=done)
    response = api(hotline, "patch", f"/tasks/{done.pk}", {"title": "x"})
    assert response.status_code == 422
    assert "no longer possible" in response.json()["errors"]["__all__"][0]


# --- the actions --------------------------------------------------------------------------------------


def test_it_runs_a_request_through_accept_start_done_and_dispute(api, client_contact, hotline, attendant):
    request = api(client_contact, "post", "/tasks", {"title": "代购鲜花", "due_at": "2026-11-26T12:00"}).json()
    task_id = request["id"]
    accepted = api(hotline, "post", f"/tasks/{task_id}/accept", {"assignee_id": attendant.pk}).json()
    assert (accepted["state"], accepted["assignee"]["id"]) == ("accepted", attendant.pk)
    assert api(attendant, "post", f"/tasks/{task_id}/start").json()["state"] == "in_progress"
    assert api(attendant, "post", f"/tasks/{task_id}/done", {}).json()["state"] == "awaiting_client"
    disputed = api(client_contact, "post", f"/tasks/{task_id}/dispute", {"note": "颜色不对"})
    assert disputed.json()["state"] == "disputed"
    empty = api(client_contact, "post", f"/tasks/{task_id}/dispute", {"note": " "})
    assert empty.status_code == 422


def test_it_refuses_an_action_the_state_does_not_allow(api, attendant, done):
    response = api(attendant, "post", f"/tasks/{done.pk}/done", {})
    answer = response.json()
    assert (response.status_code, answer["code"]) == (422, "invalid")
    assert (
        answer["message"]
        == "This task is done and awaits the client's confirmation: marking it done is no longer possible."
    )


def test_it_records_the_cost_and_refuses_a_bad_one(api, attendant, done):
    assert api(attendant, "post", f"/tasks/{done.pk}/cost", {"actual_cost": "270.00"}).json()["actual_cost"] == "270.00"
    assert api(attendant, "post", f"/tasks/{done.pk}/cost", {"actual_cost": -3}).status_code == 422


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"method": "fax"}, "method"),
        ({"method": "phone", "notified_at": "2026-11-26T09:00:00+08:00"}, "notified_at"),
        ({"method": "phone", "notified_person": "x" * 101}, "notified_person"),
        ({}, "method"),
    ],
)
def test_it_refuses_a_bad_notice(api, hotline, done, payload, field):
    response = api(hotline, "post", f"/tasks/{done.pk}/notices", payload)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_it_refuses_and_cancels_with_reasons(api, hotline, record):
    first, second = record(title="一"), record(title="二")
    assert api(hotline, "post", f"/tasks/{first.pk}/refuse", {"reason": "不在服务范围"}).json()["state"] == "refused"
    assert api(hotline, "post", f"/tasks/{second.pk}/cancel", {"reason": ""}).status_code == 422
    answer = api(hotline, "post", f"/tasks/{second.pk}/cancel", {"reason": "客户取消"}).json()
    assert (answer["state"], answer["closed_reason"]) == ("cancelled", "客户取消")


@pytest.mark.parametrize("task_id", ["0", "99999999999999999999999"])
def test_it_answers_404_for_ids_that_cannot_exist(api, hotline, task_id):
    assert api(hotline, "get", f"/tasks/{task_id}").status_code == 404
    assert api(hotline, "post", f"/tasks/{task_id}/start").status_code == 404
    assert api(hotline, "get", f"/meetings/{task_id}/costs").status_code == 404


def test_it_documents_every_operation(api):
    from huiwu.api import api as ninja_api

    paths = ninja_api.get_openapi_schema()["paths"]
    ours = {
        path: operations for path, operations in paths.items() if path.startswith("/api/v1/tasks") or "costs" in path
    }
    assert len(ours) == 15
    for operations in ours.values():
        for operation in operations.values():
            assert operation["summary"]


def test_it_says_how_many_digits_an_amount_may_have(api, hotline, body):
    answer = api(hotline, "post", "/tasks", body(budget=123456789), **{"Accept-Language": "zh-hans"}).json()
    assert answer["errors"]["budget"] == ["小数点前最多 8 位数字。"]
