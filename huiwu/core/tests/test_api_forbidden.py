"""A 403 of the API says which role the action needs, in the caller's language, and lists the role codes;
a refusal that is not about a role keeps the plain message."""

import pytest
from django.core.exceptions import PermissionDenied

from huiwu.accounts.roles import Role, RoleRequired, roles_holding
from huiwu.meetings.models import Meeting
from huiwu.meetings.services import meeting_cancel


@pytest.fixture
def meeting(book):
    return book("2026-11-27 09:00", "10:00", title="党组会")


def test_it_finds_the_roles_holding_every_permission_asked_for():
    assert roles_holding("meetings.approve_meeting") == [Role.MANAGER, Role.TEAM_LEADER, Role.HOTLINE]
    assert roles_holding("lostfound.view_lostitem", "lostfound.add_lostitem") == [
        Role.MANAGER,
        Role.TEAM_LEADER,
        Role.ENV_SUPERVISOR,
        Role.HOTLINE,
        Role.ATTENDANT,
        Role.RECEPTION,
    ]
    assert roles_holding("no.such_permission") == []


def test_it_is_a_permission_denied_listing_each_role_once_in_design_order():
    refusal = RoleRequired([Role.HOTLINE, Role.MANAGER, Role.HOTLINE])
    assert isinstance(refusal, PermissionDenied)
    assert refusal.roles == [Role.MANAGER, Role.HOTLINE]


@pytest.fixture
def bodies(room, organization):
    return {
        "booking": {
            "title": "周例会",
            "organizer_id": organization.pk,
            "room": room.code,
            "start": "2026-11-27T13:00:00+08:00",
            "end": "2026-11-27T14:00:00+08:00",
            "headcount": 10,
        },
        "move": {"start": "2026-11-27T10:00:00+08:00", "end": "2026-11-27T11:00:00+08:00"},
        "reason": {"reason": "取消"},
        "found": {
            "description": "伞",
            "found_where": "门口",
            "found_at": "2026-11-26T07:00:00+08:00",
            "stored_where": "前台",
        },
        "training": {"course": "skills", "completed_on": "2026-11-20", "passed": True},
    }


@pytest.mark.parametrize(
    ("persona", "method", "path", "body", "roles"),
    [
        ("attendant", "post", "/meetings", "booking", ["manager", "team_leader", "hotline", "client"]),
        ("attendant", "patch", "/meetings/{id}", None, ["manager", "team_leader", "hotline"]),
        ("attendant", "post", "/meetings/{id}/reschedule", "move", ["manager", "team_leader", "hotline"]),
        ("attendant", "post", "/meetings/{id}/cancel", "reason", ["manager", "team_leader", "hotline"]),
        ("attendant", "post", "/meetings/{id}/confirm", None, ["manager", "team_leader", "hotline"]),
        (
            "security_officer",
            "post",
            "/lost-items",
            "found",
            ["manager", "team_leader", "env_supervisor", "hotline", "attendant", "reception"],
        ),
        ("manager", "post", "/staff/{attendant}/training", "training", ["security_officer"]),
        ("attendant", "get", "/staff", None, ["manager", "security_officer"]),
        ("attendant", "get", "/audit", None, ["security_officer"]),
        (
            "client_contact",
            "get",
            "/service/my-tasks",
            None,
            ["manager", "team_leader", "env_supervisor", "hotline", "attendant"],
        ),
        (
            "outsider",
            "get",
            "/rooms",
            None,
            [
                "manager",
                "team_leader",
                "env_supervisor",
                "hotline",
                "attendant",
                "reception",
                "security_officer",
                "client",
                "admin",
            ],
        ),
    ],
)
def test_it_names_the_roles_an_action_needs(
    api, request, meeting, bodies, attendant, persona, method, path, body, roles
):
    path = path.format(id=meeting.pk, attendant=attendant.pk)

    response = api(request.getfixturevalue(persona), method, path, bodies.get(body))

    assert response.status_code == 403, response.content
    answer = response.json()
    assert (answer["code"], answer["roles"]) == ("forbidden", roles)
    labels = "、".join(str(Role(code).label) for code in roles)
    expected = f"需要以下角色之一：{labels}。" if len(roles) > 1 else f"需要以下角色：{labels}。"
    assert answer["message"] == expected


def test_it_words_the_roles_in_the_callers_language(api, attendant, meeting):
    response = api(attendant, "post", f"/meetings/{meeting.pk}/confirm", **{"Accept-Language": "en"})
    assert response.json() == {
        "code": "forbidden",
        "message": "This needs one of these roles: Service centre manager, Conference team leader, Service hotline.",
        "roles": ["manager", "team_leader", "hotline"],
    }


def test_it_keeps_the_plain_message_when_the_refusal_is_not_about_a_role(api, hotline, meeting):
    meeting_cancel(user=hotline, meeting=meeting, reason="改期")
    response = api(hotline, "patch", f"/meetings/{meeting.pk}", {"title": "改"})
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您没有执行此操作的权限。"}
    assert Meeting.objects.get().title == "党组会"
