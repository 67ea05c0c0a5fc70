"""What the service API adds for integrators: one assignment by its id, the role responsible for each check
level, and refusals that name the role an action needs."""

import pytest

from huiwu.service.models import Assignment
from huiwu.service.services import assignment_add


@pytest.fixture
def meeting(book):
    return book("2026-11-27 09:00", "11:00", title="党组会")


@pytest.fixture
def assignment(meeting, team_leader, attendant):
    return assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")


def test_it_gives_one_assignment_with_its_meeting(api, assignment, attendant, team_leader, meeting):
    response = api(attendant, "get", f"/assignments/{assignment.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["duty"], body["duty_label"]) == (assignment.pk, "lead", "主责服务员")
    assert body["attendant"] == {"id": attendant.pk, "display_name": "attendant 测试"}
    assert body["assigned_by"] == {"id": team_leader.pk, "display_name": "team_leader 测试"}
    assert body["assigned_at"] == "2026-11-26T08:00:00+08:00"
    assert (body["meeting"]["id"], body["meeting"]["title"], body["meeting"]["room"]["code"]) == (
        meeting.pk,
        "党组会",
        "701",
    )


def test_it_answers_404_for_an_assignment_of_a_meeting_the_caller_may_not_see(
    api, book, manager, team_leader, attendant
):
    secret = book("2026-11-27 13:00", "14:00", title="专项保密会议", confidentiality=2, user=manager)
    # Written directly: serving it needs papers this test does not care about.
    hidden = Assignment.objects.create(meeting=secret, attendant=team_leader, assigned_by=manager, duty="lead")
    response = api(attendant, "get", f"/assignments/{hidden.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert "专项保密会议" not in response.content.decode()


@pytest.mark.parametrize("assignment_id", ["0", "abc", "99999999999999999999"])
def test_it_refuses_an_id_that_cannot_be_one_with_422(api, attendant, assignment_id, frozen_now):
    response = api(attendant, "get", f"/assignments/{assignment_id}")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["assignment_id"]


def test_it_refuses_who_does_not_serve_naming_the_service_roles(api, assignment, client_contact):
    response = api(client_contact, "get", f"/assignments/{assignment.pk}")
    assert response.status_code == 403
    assert response.json()["roles"] == ["manager", "team_leader", "env_supervisor", "hotline", "attendant"]


def test_it_names_the_role_responsible_for_each_check_level(api, meeting, attendant):
    checks = api(attendant, "get", f"/meetings/{meeting.pk}/service").json()["checks"]
    assert [(check["level"], check["role"], check["role_label"]) for check in checks] == [
        (1, "team_leader", "会务服务组长"),
        (2, "env_supervisor", "环境主管"),
        (3, "hotline", "服务热线"),
    ]


def test_it_names_the_role_a_level_needs_when_another_confirms_it(api, meeting, manager, ok):
    response = api(manager, "post", f"/meetings/{meeting.pk}/checks/1", {"results": ok(meeting, 1)})
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "需要以下角色：会务服务组长。",
        "roles": ["team_leader"],
    }
    assert not meeting.check_records.exists()


@pytest.mark.parametrize(
    ("method", "path", "body", "roles"),
    [
        ("post", "/meetings/{id}/assignments", {"attendant_id": 1}, ["manager", "team_leader"]),
        ("post", "/service/standards", {}, ["manager"]),
    ],
)
def test_it_names_the_roles_an_action_needs(api, meeting, hotline, method, path, body, roles):
    response = api(hotline, method, path.format(id=meeting.pk), body)
    assert response.status_code == 403
    assert response.json()["roles"] == roles
    assert response.json()["message"].startswith("需要以下角色")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("start", {}),
        ("refills", {}),
        ("checklist", {"phase": "before", "item": "开门开灯"}),
        ("service-log", {"kind": "restroom"}),
        ("end", {}),
    ],
)
@pytest.mark.parametrize("who", ["hotline", "env_supervisor"])
def test_it_says_who_records_a_meetings_service_naming_the_roles_that_may_record_any(
    api, meeting, make_persona, path, body, who
):
    # Roles that serve no meeting get the same answer as an attendant of another meeting: the refusal is
    # about this meeting, and the roles named may record every meeting's service.
    response = api(make_persona(who), "post", f"/meetings/{meeting.pk}/{path}", body)
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "只有本会议的服务人员、会务服务组长和服务中心经理可以记录。",
        "roles": ["manager", "team_leader"],
    }


def test_it_refuses_a_user_without_a_role_the_board_naming_the_service_roles(api, outsider):
    response = api(outsider, "get", "/service/board")
    assert response.status_code == 403
    assert response.json()["message"] == (
        "需要以下角色之一：服务中心经理、会务服务组长、环境主管、服务热线、会务服务员。"
    )
