"""The portal over the API: the meeting list's upcoming and past windows, where each meeting stands, and a
meeting's service progress, with the access of the meeting itself."""

import pytest
import time_machine

from huiwu.directory.models import Organization
from huiwu.meetings.services import meeting_create
from huiwu.security.models import AuditEntry
from huiwu.service.services import assignment_add, meeting_start
from huiwu.testing import at


@pytest.fixture
def requester(client_contact, organization):
    client_contact.organization = organization
    client_contact.save()
    return client_contact


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_it_lists_upcoming_meetings_soonest_first_and_past_ones_latest_first(api, requester, book, frozen_now):
    with time_machine.travel(at("2026-11-20 08:00"), tick=False):
        book("2026-11-24 09:00", "10:00", title="周二的会")
        book("2026-11-25 09:00", "10:00", title="周三的会")
    book("2026-11-28 09:00", "10:00", title="周六的会")
    book("2026-11-27 09:00", "10:00", title="周五的会")
    assert _titles(api(requester, "get", "/meetings", {"when": "upcoming"})) == ["周五的会", "周六的会"]
    assert _titles(api(requester, "get", "/meetings", {"when": "past"})) == ["周三的会", "周二的会"]
    assert _titles(api(requester, "get", "/meetings")) == ["周二的会", "周三的会", "周五的会", "周六的会"]


@pytest.mark.parametrize(("now", "upcoming"), [("09:59", ["今天的会"]), ("10:00", []), ("10:01", [])])
def test_it_counts_a_meeting_as_past_from_its_end(api, requester, book, frozen_now, now, upcoming):
    book("2026-11-26 09:00", "10:00", title="今天的会")
    frozen_now.move_to(at(f"2026-11-26 {now}"))
    response = api(requester, "get", "/meetings", {"when": "upcoming"})
    assert _titles(response) == upcoming
    assert response.json()["count"] == len(upcoming)


def test_it_refuses_an_unknown_window(api, requester, frozen_now):
    response = api(requester, "get", "/meetings", {"when": "tomorrow"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "when" in response.json()["errors"]


def test_it_says_where_each_meeting_stands(api, requester, book, draft, team_leader, attendant, frozen_now):
    meeting_create(user=requester, draft=draft("2026-11-27 09:00", "10:00"))
    running = book("2026-11-26 09:00", "11:00")
    assignment_add(user=team_leader, meeting=running, attendant=attendant, duty="lead")
    frozen_now.move_to(at("2026-11-26 09:05"))
    meeting_start(user=attendant, meeting=running)
    items = api(requester, "get", "/meetings", {"when": "upcoming"}).json()["items"]
    assert [(item["stage"], item["stage_label"]) for item in items] == [
        ("running", "进行中"),
        ("requested", "已提交申请，等待确认"),
    ]


def test_it_answers_the_progress_as_the_page_shows_it(api, requester, hotline, draft, frozen_now):
    from huiwu.meetings.services import meeting_confirm

    meeting = meeting_create(user=requester, draft=draft())
    frozen_now.move_to(at("2026-11-26 08:20"))
    meeting_confirm(user=hotline, meeting=meeting)
    body = api(requester, "get", f"/meetings/{meeting.pk}/progress").json()
    assert (body["meeting_id"], body["stage"], body["stage_label"]) == (meeting.pk, "confirmed", "已确认")
    assert body["steps"][:2] == [
        {"key": "requested", "label": "已提交申请", "at": "2026-11-26T08:00:00+08:00", "done": True, "detail": ""},
        {
            "key": "confirmed",
            "label": "申请已确认",
            "at": "2026-11-26T08:20:00+08:00",
            "done": True,
            "detail": "由服务热线确认",
        },
    ]
    assert body["steps"][2] == {"key": "assigned", "label": "安排服务人员", "at": None, "done": False, "detail": ""}
    assert body["steps"][3]["at"] == "2026-11-27T07:00:00+08:00"


def test_it_answers_404_for_the_progress_of_a_meeting_the_user_may_not_see(
    api, requester, attendant, book, manager, frozen_now
):
    other = Organization.objects.create(name="市财政局")
    foreign = book("2026-11-27 09:00", "10:00", organizer=other)
    secret = book("2026-11-27 11:00", "12:00", confidentiality=1, user=manager)
    assert api(requester, "get", f"/meetings/{foreign.pk}/progress").json()["code"] == "not_found"
    assert api(requester, "get", f"/meetings/{foreign.pk}/progress").status_code == 404
    # The organizer's own contact sees their confidential meeting; staff who are not cleared do not.
    assert api(requester, "get", f"/meetings/{secret.pk}/progress").status_code == 200
    assert api(attendant, "get", f"/meetings/{secret.pk}/progress").status_code == 404
    assert api(requester, "get", "/meetings/99999999999999999999/progress").status_code == 404


def test_it_audits_who_reads_a_confidential_meetings_progress(api, requester, book, manager, frozen_now):
    secret = book("2026-11-27 11:00", "12:00", confidentiality=1, user=manager)
    api(requester, "get", f"/meetings/{secret.pk}/progress")
    assert AuditEntry.objects.filter(user=requester, subject_id=secret.pk, action=AuditEntry.Action.VIEW).exists()


def test_it_documents_the_new_operation_and_filter(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/meetings/{meeting_id}/progress"]["get"]
    assert operation["summary"].startswith("A meeting's service progress")
    parameters = {
        parameter["name"]: parameter for parameter in schema["paths"]["/api/v1/meetings"]["get"]["parameters"]
    }
    assert "upcoming" in parameters["when"]["description"]
