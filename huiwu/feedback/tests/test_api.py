"""The complaints API: the same rules and access as the pages."""

from datetime import timedelta

import pytest

from huiwu.feedback.models import Complaint, FollowUp, RootCause
from huiwu.feedback.services import follow_up_open

from .conftest import LESSON, STEP_NOTES

NEW = {
    "channel": "hotline",
    "complainant_name": "李小姐",
    "complainant_phone": "13800000001",
    "summary": "会场水果不足",
    "statement": "水果不够多，要求给个说法。",
    "received_at": "2026-11-26T07:50:00+08:00",
}


@pytest.fixture
def cause(db):
    return RootCause.objects.get(name="沟通不及时")


def test_it_records_a_complaint(api, hotline, meeting, contact, frozen_now):
    reply = api(hotline, "post", "/complaints", {**NEW, "meeting_id": meeting.pk, "complainant_contact_id": contact.pk})
    assert reply.status_code == 201
    body = reply.json()
    assert (body["state"], body["room"]["code"], body["organization"]["name"]) == ("open", "701", "测试委办局")
    assert body["received_at"] == "2026-11-26T07:50:00+08:00"
    assert body["next_step"] == {
        "step": "apology",
        "label": "apology",
        "due_at": "2026-11-26T08:20:00+08:00",
        "late": False,
    }
    assert [step["step"] for step in body["steps"]] == [
        "apology",
        "investigation",
        "report",
        "rectification",
        "acceptance",
    ]


def test_it_answers_422_with_the_service_s_messages(api, hotline, frozen_now):
    reply = api(hotline, "post", "/complaints", {**NEW, "channel": None, "received_at": "2026-11-26T09:00:00+08:00"})
    assert reply.status_code == 422
    assert reply.json()["errors"] == {
        "channel": ["Choose how the complaint came in."],
        "received_at": ["This time cannot be in the future."],
    }
    assert not Complaint.objects.exists()


def test_it_refuses_unknown_ids_and_fields(api, hotline, frozen_now):
    reply = api(hotline, "post", "/complaints", {**NEW, "meeting_id": 999, "room": "nowhere"})
    assert reply.status_code == 422
    assert reply.json()["errors"] == {
        "meeting_id": ["There is no meeting with this id."],
        "room": ["There is no room with this code."],
    }
    assert api(hotline, "post", "/complaints", {**NEW, "complainant": "x"}).status_code == 422
    assert api(hotline, "post", "/complaints", {**NEW, "summary": "a\u202eb"}).status_code == 422


def test_it_files_a_client_s_complaint_through_the_portal(api, client_contact, contact, meeting, frozen_now):
    reply = api(
        client_contact,
        "post",
        "/complaints",
        {"summary": "空调太冷", "statement": "请调高温度", "meeting_id": meeting.pk},
    )
    assert reply.status_code == 201
    body = reply.json()
    assert (body["channel"], body["complainant_name"], body["complainant_contact_id"]) == (
        "portal",
        "李小姐",
        contact.pk,
    )


def test_it_records_the_steps_in_order(api, hotline, complaint, frozen_now):
    refused = api(hotline, "post", f"/complaints/{complaint.pk}/steps/investigation", {"note": "x"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"step": ["Record the apology first."]}
    reply = api(hotline, "post", f"/complaints/{complaint.pk}/steps/apology", {"note": STEP_NOTES["apology"]})
    assert reply.status_code == 200
    apology = reply.json()["steps"][0]
    assert (apology["at"], apology["by"]["id"], apology["note"]) == (
        "2026-11-26T08:00:00+08:00",
        hotline.pk,
        STEP_NOTES["apology"],
    )
    assert reply.json()["next_step"]["step"] == "investigation"
    assert api(hotline, "post", f"/complaints/{complaint.pk}/steps/closed", {"note": "x"}).status_code == 422


def test_it_refuses_closing_without_acceptance_and_files_the_case_with_it(api, hotline, attendant, complaint, cause):
    close = {"root_cause_id": cause.pk, "lesson": LESSON}
    for step in ("apology", "investigation", "report", "rectification"):
        api(hotline, "post", f"/complaints/{complaint.pk}/steps/{step}", {"note": STEP_NOTES[step]})
    refused = api(hotline, "post", f"/complaints/{complaint.pk}/close", close)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["acceptance"]
    assert api(attendant, "get", "/cases", {"q": "水果"}).json()["count"] == 0

    api(hotline, "post", f"/complaints/{complaint.pk}/steps/acceptance", {"note": STEP_NOTES["acceptance"]})
    closed = api(hotline, "post", f"/complaints/{complaint.pk}/close", close)
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["root_cause"]["name"]) == ("closed", "沟通不及时")

    def found(**query):
        return [case["id"] for case in api(attendant, "get", "/cases", query).json()["items"]]

    assert found(q="水果") == [complaint.pk]
    assert found(q="及时求得客户确认") == [complaint.pk]
    assert found(cause=cause.pk) == [complaint.pk]
    assert found(cause=RootCause.objects.exclude(pk=cause.pk).first().pk) == []
    assert found(room="701") == [complaint.pk]
    assert found(q="话筒") == []
    case = api(attendant, "get", f"/cases/{complaint.pk}").json()
    assert (case["lesson"], case["root_cause"]["name"]) == (LESSON, "沟通不及时")


def test_it_lets_a_manager_close_without_acceptance_with_a_reason(api, manager, hotline, complaint, cause):
    refused = api(manager, "post", f"/complaints/{complaint.pk}/close", {"root_cause_id": cause.pk, "lesson": "教训"})
    assert refused.json()["errors"] == {
        "close_reason": ["The client's acceptance is not recorded: give the reason for closing without it."]
    }
    forbidden = api(
        hotline,
        "post",
        f"/complaints/{complaint.pk}/close",
        {"root_cause_id": cause.pk, "lesson": "教训", "close_reason": "x"},
    )
    assert (forbidden.status_code, forbidden.json()["roles"]) == (403, ["manager"])
    reply = api(
        manager,
        "post",
        f"/complaints/{complaint.pk}/close",
        {"root_cause_id": cause.pk, "lesson": "教训", "close_reason": "三次联系不上客户"},
    )
    assert (reply.status_code, reply.json()["close_reason"]) == (200, "三次联系不上客户")


def test_it_refuses_an_unknown_cause(api, hotline, closed):
    reply = api(hotline, "get", "/cases", {"room": "nowhere"})
    assert reply.status_code == 422
    assert reply.json()["errors"] == {"room": ["There is no room with this code."]}


def test_it_records_the_return_visit(api, hotline, closed, frozen_now):
    frozen_now.shift(timedelta(days=3))
    reply = api(hotline, "post", f"/complaints/{closed.pk}/return-visit", {"note": "客户满意"})
    assert reply.status_code == 200
    assert reply.json()["return_visit"]["note"] == "客户满意"
    again = api(hotline, "post", f"/complaints/{closed.pk}/return-visit", {"note": "再次"})
    assert again.status_code == 422


def test_it_lists_complaints_open_first(api, hotline, receive, closed):
    fresh = receive(summary="话筒没有声音")
    assert [item["id"] for item in api(hotline, "get", "/complaints").json()["items"]] == [fresh.pk]
    body = api(hotline, "get", "/complaints", {"state": "all"}).json()
    assert (body["count"], [item["id"] for item in body["items"]]) == (2, [fresh.pk, closed.pk])
    assert api(hotline, "get", "/complaints", {"q": "话筒", "state": "all"}).json()["count"] == 1
    assert api(hotline, "get", "/complaints", {"state": "shut"}).status_code == 422


def test_it_lists_complaints_in_a_fixed_number_of_queries(api, hotline, receive, walk, django_assert_max_num_queries):
    walk(receive(), "apology", "investigation")
    api(hotline, "get", "/complaints")
    with django_assert_max_num_queries(12) as few:
        api(hotline, "get", "/complaints")
    for number in range(6):
        walk(receive(summary=f"投诉 {number}"), "apology")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api(hotline, "get", "/complaints").json()["count"] == 7


def test_it_lists_cases_in_a_fixed_number_of_queries(
    api, attendant, hotline, receive, walk, cause, django_assert_max_num_queries
):
    from huiwu.feedback.services import complaint_close

    def close_one(summary):
        complaint = walk(receive(summary=summary), *STEP_NOTES)
        complaint_close(user=hotline, complaint=complaint, root_cause=cause, lesson="教训")

    close_one("第一件")
    api(attendant, "get", "/cases")
    with django_assert_max_num_queries(10) as few:
        api(attendant, "get", "/cases")
    for number in range(5):
        close_one(f"案例 {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api(attendant, "get", "/cases").json()["count"] == 6


def test_it_lists_the_root_causes_in_use(api, attendant):
    RootCause.objects.filter(name="其他").update(is_active=False)
    names = [cause["name"] for cause in api(attendant, "get", "/root-causes").json()]
    assert names[:2] == ["沟通不及时", "服务不到位"]
    assert "其他" not in names


def test_it_lists_and_closes_follow_ups(api, hotline, attendant, task, frozen_now):
    follow_up = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
    body = api(hotline, "get", "/follow-ups").json()
    assert [item["id"] for item in body["items"]] == [follow_up.pk]
    item = api(hotline, "get", f"/follow-ups/{follow_up.pk}").json()
    assert (item["task_id"], item["due_at"], item["late"]) == (task.pk, "2026-11-27T08:00:00+08:00", False)
    assert api(attendant, "post", f"/follow-ups/{follow_up.pk}/close", {"resolution": "x"}).status_code == 404
    refused = api(hotline, "post", f"/follow-ups/{follow_up.pk}/close", {"resolution": " "})
    assert refused.json()["errors"] == {"resolution": ["Write down the outcome."]}
    reply = api(hotline, "post", f"/follow-ups/{follow_up.pk}/close", {"resolution": "已致电说明"})
    assert (reply.status_code, reply.json()["state"]) == (200, "closed")
    assert api(hotline, "get", "/follow-ups").json()["count"] == 0
    assert api(hotline, "get", "/follow-ups", {"state": "closed"}).json()["count"] == 1


def test_it_documents_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    ours = {
        path: ops
        for path, ops in schema["paths"].items()
        if path.startswith(("/api/v1/complaints", "/api/v1/cases", "/api/v1/follow-ups", "/api/v1/root-causes"))
    }
    assert len(ours) == 11
    for operations in ours.values():
        for operation in operations.values():
            assert operation["summary"]
