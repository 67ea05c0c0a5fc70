"""The service JSON API: checks, assignments, checklists, the start, refills, requests, the end, the board,
an attendant's tasks and the standards as HTTP answers, on SQLite and PostgreSQL, with frozen time."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from huiwu.accounts.services import api_token_create, user_upsert
from huiwu.directory.models import Organization, Person
from huiwu.service.models import (
    Assignment,
    ChecklistTick,
    CheckRecord,
    MeetingCheck,
    Refill,
    ServiceLogEntry,
    ServiceStandard,
)
from huiwu.service.services import assignment_add, meeting_end, meeting_start
from huiwu.service.standards import level_items, phase_items, standard_current, standard_for
from huiwu.testing import at, login_as


@pytest.fixture
def running(book, frozen_now, attendant, assign):
    """A meeting of 2026-11-27 09:00–11:00 (winter) served by the attendant, who started it at 09:00; the clock
    at 09:00."""
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    return meeting


def _fields(response) -> set[str]:
    """The fields a 422 names, whether a service rule or the schema refused them."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    errors = body["errors"]
    return set(errors) if isinstance(errors, dict) else {str(error["loc"][-1]) for error in errors}


# --- the service record -------------------------------------------------------------------------------


def test_it_shows_the_whole_service_record_of_a_running_meeting(
    api, book, frozen_now, confirm, team_leader, attendant, organization
):
    deputy = Person.objects.create(name="李明华", title="副局长", organization=organization, precedence=5)
    chief = Person.objects.create(
        name="周国庆", title="局长", organization=organization, precedence=1, tea_preference="龙井", habits="不加冰"
    )
    meeting = book("2026-11-27 09:00", "11:00", attendees=[deputy, chief])
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    for level in (1, 2, 3):
        confirm(meeting, level)
    ready_item = standard_current().ready_item
    assert (
        api(attendant, "post", f"/meetings/{meeting.pk}/checklist", {"phase": "before", "item": ready_item}).status_code
        == 200
    )
    frozen_now.move_to(at("2026-11-27 09:00"))
    assert api(attendant, "post", f"/meetings/{meeting.pk}/start").status_code == 200
    frozen_now.move_to(at("2026-11-27 09:17"))
    assert api(attendant, "post", f"/meetings/{meeting.pk}/refills").status_code == 200
    assert api(attendant, "post", f"/meetings/{meeting.pk}/service-log", {"kind": "restroom"}).status_code == 201

    response = api(attendant, "get", f"/meetings/{meeting.pk}/service")
    assert response.status_code == 200
    body = response.json()
    assert body["meeting"]["id"] == meeting.pk
    assert body["meeting"]["room"]["code"] == "701"
    assert (body["started_at"], body["started_by"]["display_name"], body["ended_at"]) == (
        "2026-11-27T09:00:00+08:00",
        "attendant 测试",
        None,
    )
    assert (body["season"], body["refill_windows"]) == ("winter", [[15, 20], [20, 25], [25, 30]])
    assert body["standard_id"] == ServiceStandard.objects.get().pk
    assert body["next_check_level"] is None
    assert [(check["level"], check["state"]) for check in body["checks"]] == [
        (1, "confirmed"),
        (2, "confirmed"),
        (3, "confirmed"),
    ]
    level1 = body["checks"][0]
    assert level1["confirmed_by"]["display_name"] == "team_leader 测试"
    assert level1["confirmed_at"] == "2026-11-27T06:30:00+08:00"  # when its window opened
    assert level1["due_at"] == "2026-11-27T07:00:00+08:00"
    assert level1["items"] == level_items(standard_for(meeting), 1)
    assert [(record["level"], record["action"]) for record in body["check_history"]] == [
        (1, "confirmed"),
        (2, "confirmed"),
        (3, "confirmed"),
    ]
    assert all(result["passed"] for result in body["check_history"][0]["results"])
    [assignment] = body["assignments"]
    assert (assignment["attendant"]["display_name"], assignment["duty"], assignment["assigned_by"]["display_name"]) == (
        "attendant 测试",
        "lead",
        "team_leader 测试",
    )
    ready = body["checklists"]["before"][-1]
    assert (ready["item"], ready["done"], ready["done_by"]["display_name"]) == (ready_item, True, "attendant 测试")
    assert (ready["done_at"], ready["due_at"]) == ("2026-11-26T08:00:00+08:00", "2026-11-27T08:30:00+08:00")
    assert not body["checklists"]["before"][0]["done"]
    assert body["checklists"]["during"] == []
    assert [item["item"] for item in body["checklists"]["after"]] == phase_items(
        standard_for(meeting), meeting, "after"
    )
    assert [
        (refill["number"], refill["opens_at"], refill["closes_at"], refill["done_at"], refill["late"])
        for refill in body["refills"]
    ] == [
        (1, "2026-11-27T09:15:00+08:00", "2026-11-27T09:20:00+08:00", "2026-11-27T09:17:00+08:00", False),
        (2, "2026-11-27T09:37:00+08:00", "2026-11-27T09:42:00+08:00", None, False),
    ]
    assert [(entry["kind"], entry["recorded_by"]["display_name"]) for entry in body["service_log"]] == [
        ("restroom", "attendant 测试")
    ]
    assert [(person["name"], person["precedence"], person["tea_preference"]) for person in body["attendees"]] == [
        ("周国庆", 1, "龙井"),
        ("李明华", 5, ""),
    ]
    assert body["attendees"][0]["habits"] == "不加冰"


def test_it_shows_the_record_before_the_start_with_the_season_to_come(api, book, hotline):
    meeting = book("2026-11-27 09:00", "11:00")
    body = api(hotline, "get", f"/meetings/{meeting.pk}/service").json()
    assert (body["started_at"], body["season"], body["standard_id"], body["next_check_level"]) == (
        None,
        "winter",
        None,
        1,
    )
    assert [(check["level"], check["state"], check["due_at"]) for check in body["checks"]] == [
        (1, "open", "2026-11-27T07:00:00+08:00"),
        (2, "open", "2026-11-27T08:00:00+08:00"),
        (3, "open", "2026-11-27T08:30:00+08:00"),
    ]
    assert (body["refills"], body["service_log"], body["assignments"]) == ([], [], [])


def test_it_reads_the_record_with_the_session_of_the_web_pages(client, book, attendant):
    meeting = book()
    login_as(client, attendant)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/service").json()["meeting"]["id"] == meeting.pk


def test_it_hides_leaders_and_guests_from_whoever_may_not_see_people(api, book, organization):
    chief = Person.objects.create(name="周国庆", title="局长", organization=organization, precedence=1)
    meeting = book(attendees=[chief])
    # No staff role, only the permissions to read meetings and the board.
    viewer = user_upsert(username="viewer", password="viewer-password-1", display_name="看板", roles=[])
    viewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_meeting", "view_board"], content_type__app_label__in=["meetings", "service"]
        )
    )
    response = api(viewer, "get", f"/meetings/{meeting.pk}/service")
    assert response.status_code == 200
    assert response.json()["attendees"] is None
    assert "周国庆" not in response.content.decode()


# --- access -------------------------------------------------------------------------------------------


def test_it_refuses_a_client_with_403_on_their_own_meeting(api, book, client_contact, attendant, team_leader):
    meeting = book()
    assignment = assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    for method, path, body in [
        ("get", f"/meetings/{meeting.pk}/service", None),
        ("post", f"/meetings/{meeting.pk}/checks/1", {"results": {}}),
        ("get", f"/meetings/{meeting.pk}/assignments", None),
        ("post", f"/meetings/{meeting.pk}/assignments", {"attendant_id": attendant.pk}),
        ("delete", f"/assignments/{assignment.pk}", None),
        ("post", f"/meetings/{meeting.pk}/checklist", {"phase": "before", "item": "x"}),
        ("post", f"/meetings/{meeting.pk}/start", None),
        ("post", f"/meetings/{meeting.pk}/end", None),
        ("post", f"/meetings/{meeting.pk}/refills", None),
        ("get", f"/meetings/{meeting.pk}/service-log", None),
        ("post", f"/meetings/{meeting.pk}/service-log", {"kind": "restroom"}),
        ("get", "/service/board", None),
        ("get", "/service/my-tasks", None),
        ("get", "/service/standard", None),
        ("get", "/service/standards", None),
        ("post", "/service/standards", {"reason": "试试"}),
    ]:
        response = api(client_contact, method, path, body)
        assert response.status_code == 403, (method, path)
        assert response.json()["code"] == "forbidden"
    assert Assignment.objects.count() == 1
    assert not hasattr(type(meeting).objects.get(pk=meeting.pk), "service")


def test_it_answers_404_for_a_meeting_the_user_may_not_see(api, book, client_contact, outsider, attendant):
    foreign = book(organizer=Organization.objects.create(name="市财政局"))
    for user in (client_contact, outsider):
        for method, path in [
            ("get", f"/meetings/{foreign.pk}/service"),
            ("post", f"/meetings/{foreign.pk}/start"),
            ("get", f"/meetings/{foreign.pk}/assignments"),
            ("get", f"/meetings/{foreign.pk}/service-log"),
        ]:
            response = api(user, method, path)
            assert response.status_code == 404, (user, path)
            assert response.json()["code"] == "not_found"
    assert api(attendant, "get", "/meetings/987654/service").status_code == 404
    assert api(attendant, "get", f"/meetings/{2**64}/service").status_code == 404
    assert api(attendant, "delete", "/assignments/987654").status_code == 404
    assert not hasattr(type(foreign).objects.get(pk=foreign.pk), "service")


# --- the three-level check ----------------------------------------------------------------------------


def test_it_confirms_a_level_and_returns_the_record(api, book, team_leader, ok, assign, frozen_now):
    meeting = book()
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 06:30"))
    response = api(team_leader, "post", f"/meetings/{meeting.pk}/checks/1", {"results": ok(meeting, 1)})
    assert response.status_code == 200
    body = response.json()
    assert (body["level"], body["action"], body["by"]["display_name"], body["at"]) == (
        1,
        "confirmed",
        "team_leader 测试",
        "2026-11-27T06:30:00+08:00",
    )
    assert [result["item"] for result in body["results"]] == level_items(standard_for(meeting), 1)
    assert body["facts"] == [{"fact": "服务人员已安排", "held": True}]
    assert meeting.checks.get(level=1).state == MeetingCheck.State.CONFIRMED


def test_it_refuses_level_2_before_level_1_and_changes_nothing(api, book, env_supervisor, ok):
    meeting = book()
    response = api(env_supervisor, "post", f"/meetings/{meeting.pk}/checks/2", {"results": ok(meeting, 2)})
    assert _fields(response) == {"__all__"}
    assert meeting.checks.get(level=2).state == MeetingCheck.State.OPEN
    assert not CheckRecord.objects.exists()


def test_it_refuses_a_level_to_another_role_with_403(api, book, hotline, ok):
    meeting = book()
    response = api(hotline, "post", f"/meetings/{meeting.pk}/checks/1", {"results": ok(meeting, 1)})
    assert response.status_code == 403
    assert not CheckRecord.objects.exists()


def test_it_reports_a_problem_only_with_a_note(api, book, team_leader, ok):
    meeting = book()
    results = ok(meeting, 1)
    results[next(iter(results))] = False
    path = f"/meetings/{meeting.pk}/checks/1"
    assert _fields(api(team_leader, "post", path, {"results": results, "notes": "  "})) == {"notes"}
    assert not CheckRecord.objects.exists()
    response = api(team_leader, "post", path, {"results": results, "notes": "会议改到下午"})
    assert response.status_code == 200
    assert (response.json()["action"], response.json()["notes"]) == ("failed", "会议改到下午")
    assert meeting.checks.get(level=1).state == MeetingCheck.State.FAILED


@pytest.mark.parametrize(
    ("level", "body", "field"),
    [
        (4, "all passed", "level"),
        (1, {"results": {"别的": True}}, "results"),
        (1, {"results": ["Time and room unchanged"]}, "results"),
        (1, {"notes": "没问题"}, "results"),
        (1, {"results": {"Time and room unchanged": "maybe"}}, "results"),
        (1, {"results": {"Time and room unchanged": 1}}, "results"),
    ],
)
def test_it_refuses_a_bad_check_with_422_and_saves_nothing(api, book, team_leader, ok, level, body, field):
    meeting = book()
    if body == "all passed":
        body = {"results": ok(meeting, 1)}
    response = api(team_leader, "post", f"/meetings/{meeting.pk}/checks/{level}", body)
    assert field in _fields(response)
    assert not CheckRecord.objects.exists()
    assert meeting.checks.get(level=1).state == MeetingCheck.State.OPEN


# --- assignments --------------------------------------------------------------------------------------


def test_it_assigns_lists_and_removes_attendants(api, book, team_leader, attendant):
    meeting = book()
    response = api(
        team_leader, "post", f"/meetings/{meeting.pk}/assignments", {"attendant_id": attendant.pk, "duty": "lead"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["attendant"]["id"], body["duty"], body["assigned_by"]["id"]) == (attendant.pk, "lead", team_leader.pk)
    helper = api(team_leader, "post", f"/meetings/{meeting.pk}/assignments", {"attendant_id": team_leader.pk})
    assert helper.json()["duty"] == "helper"
    listed = api(attendant, "get", f"/meetings/{meeting.pk}/assignments").json()
    assert sorted((item["attendant"]["id"], item["duty"]) for item in listed) == sorted(
        [(attendant.pk, "lead"), (team_leader.pk, "helper")]
    )
    response = api(team_leader, "delete", f"/assignments/{body['id']}")
    assert response.status_code == 204
    assert list(Assignment.objects.values_list("attendant", flat=True)) == [team_leader.pk]
    assert api(team_leader, "delete", f"/assignments/{body['id']}").status_code == 404


def test_it_lets_only_who_assigns_assign(api, book, team_leader, attendant):
    meeting = book()
    response = api(attendant, "post", f"/meetings/{meeting.pk}/assignments", {"attendant_id": attendant.pk})
    assert response.status_code == 403
    assignment = assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    assert api(attendant, "delete", f"/assignments/{assignment.pk}").status_code == 403
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"attendant_id": 987654}, "attendant_id"),
        ({"attendant_id": 0}, "attendant_id"),
        ({"attendant": "attendant"}, "attendant_id"),
        ({"attendant_id": "hotline"}, "attendant_id"),
        ({"attendant_id": "attendant", "duty": "boss"}, "duty"),
        ({"attendant_id": "team_leader", "duty": "lead"}, "duty"),
        ({"attendant_id": "attendant"}, "attendant_id"),
    ],
)
def test_it_refuses_a_bad_assignment_with_422_and_saves_nothing(
    api, book, team_leader, attendant, hotline, body, field
):
    meeting = book()
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    people = {"attendant": attendant, "team_leader": team_leader, "hotline": hotline}
    if isinstance(body.get("attendant_id"), str):
        body = body | {"attendant_id": people[body["attendant_id"]].pk}
    response = api(team_leader, "post", f"/meetings/{meeting.pk}/assignments", body)
    assert field in _fields(response)
    assert Assignment.objects.count() == 1


# --- checklists ---------------------------------------------------------------------------------------


def test_it_ticks_a_checklist_item_once(api, book, attendant, frozen_now, assign):
    meeting = book()
    assign(meeting)
    item = standard_current().before_items[0]
    path = f"/meetings/{meeting.pk}/checklist"
    response = api(attendant, "post", path, {"phase": "before", "item": item})
    assert response.status_code == 200
    assert response.json() == {
        "phase": "before",
        "item": item,
        "done_by": {"id": attendant.pk, "display_name": "attendant 测试"},
        "done_at": "2026-11-26T08:00:00+08:00",
    }
    frozen_now.move_to(at("2026-11-26 08:05"))
    assert _fields(api(attendant, "post", path, {"phase": "before", "item": item})) == {"__all__"}
    assert ChecklistTick.objects.get().done_at == at("2026-11-26 08:00")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phase": "before", "item": "喝咖啡"}, "item"),
        ({"phase": "lunch", "item": "喝咖啡"}, "phase"),
        ({"phase": "after", "item": "after_items"}, "__all__"),
        ({"phase": "before"}, "item"),
        ({"phase": "before", "item": "长" * 201}, "item"),
    ],
)
def test_it_refuses_a_bad_tick_with_422_and_saves_nothing(api, book, attendant, body, field, assign):
    meeting = book()
    assign(meeting)
    if body.get("item") == "after_items":
        body = body | {"item": standard_current().after_items[0]}
    assert field in _fields(api(attendant, "post", f"/meetings/{meeting.pk}/checklist", body))
    assert not ChecklistTick.objects.exists()


# --- start, refills, requests, end --------------------------------------------------------------------


def test_it_records_the_start_given_afterwards_and_plans_the_first_refill_from_it(
    api, book, frozen_now, attendant, assign
):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:10"))
    response = api(attendant, "post", f"/meetings/{meeting.pk}/start", {"at": "2026-11-27T09:05"})
    assert response.status_code == 200
    body = response.json()
    assert (body["started_at"], body["started_by"]["id"]) == ("2026-11-27T09:05:00+08:00", attendant.pk)
    assert [(refill["number"], refill["opens_at"], refill["closes_at"]) for refill in body["refills"]] == [
        (1, "2026-11-27T09:20:00+08:00", "2026-11-27T09:25:00+08:00")
    ]
    assert _fields(api(attendant, "post", f"/meetings/{meeting.pk}/start")) == {"__all__"}


def test_it_records_the_start_now_without_a_body(book, frozen_now, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 08:58"))
    token = api_token_create(user=attendant, name="tests")[1]
    response = Client().post(
        f"/api/v1/meetings/{meeting.pk}/start",
        "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.json()["started_at"] == "2026-11-27T08:58:00+08:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"at": "2026-11-27T09:30"}, "at"),  # in the future
        ({"at": "2026-11-27T08:00"}, "at"),  # before the room is held
        ({"at": "2026-11-27"}, "at"),
        ({"at": "soon"}, "at"),
    ],
)
def test_it_refuses_a_bad_start_with_422_and_starts_nothing(api, book, frozen_now, attendant, body, field, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:10"))
    assert field in _fields(api(attendant, "post", f"/meetings/{meeting.pk}/start", body))
    assert not hasattr(type(meeting).objects.get(pk=meeting.pk), "service")
    assert not Refill.objects.exists()


def test_it_refuses_to_start_a_requested_meeting(api, book, frozen_now, attendant, client_contact, assign):
    meeting = book("2026-11-27 09:00", "11:00", user=client_contact)
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    assert _fields(api(attendant, "post", f"/meetings/{meeting.pk}/start")) == {"__all__"}


def test_it_returns_the_recorded_refill_and_the_next_window(api, running, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:17"))
    response = api(attendant, "post", f"/meetings/{running.pk}/refills")
    assert response.status_code == 200
    body = response.json()
    assert body["recorded"] == {
        "number": 1,
        "opens_at": "2026-11-27T09:15:00+08:00",
        "closes_at": "2026-11-27T09:20:00+08:00",
        "done_at": "2026-11-27T09:17:00+08:00",
        "done_by": {"id": attendant.pk, "display_name": "attendant 测试"},
        "late": False,
        "early": False,
        "early_reason": None,
        "early_reason_label": "",
        "early_note": "",
    }
    assert body["next"] == {
        "number": 2,
        "opens_at": "2026-11-27T09:37:00+08:00",
        "closes_at": "2026-11-27T09:42:00+08:00",
        "done_at": None,
        "done_by": None,
        "late": False,
        "early": False,
        "early_reason": None,
        "early_reason_label": "",
        "early_note": "",
    }
    # Recorded afterwards, past its window: late, and the next window measured from the time given.
    frozen_now.move_to(at("2026-11-27 09:50"))
    body = api(attendant, "post", f"/meetings/{running.pk}/refills", {"at": "2026-11-27T09:45"}).json()
    assert (body["recorded"]["number"], body["recorded"]["late"]) == (2, True)
    assert (body["next"]["opens_at"], body["next"]["closes_at"]) == (
        "2026-11-27T10:10:00+08:00",
        "2026-11-27T10:15:00+08:00",
    )


def test_it_refuses_a_refill_before_the_start_after_the_end_or_in_the_future(
    api, book, running, frozen_now, attendant, assign
):
    waiting = book("2026-11-27 14:00", "15:00")
    assign(waiting)
    assert _fields(api(attendant, "post", f"/meetings/{waiting.pk}/refills")) == {"__all__"}
    frozen_now.move_to(at("2026-11-27 09:17"))
    assert _fields(api(attendant, "post", f"/meetings/{running.pk}/refills", {"at": "2026-11-27T09:20"})) == {"at"}
    assert _fields(api(attendant, "post", f"/meetings/{running.pk}/refills", {"at": "2026-11-27T08:55"})) == {"at"}
    assert not Refill.objects.filter(done_at__isnull=False).exists()
    meeting_end(user=attendant, meeting=running)
    assert _fields(api(attendant, "post", f"/meetings/{running.pk}/refills")) == {"__all__"}


def test_it_records_and_lists_requests_during_the_meeting(api, running, frozen_now, attendant, hotline):
    path = f"/meetings/{running.pk}/service-log"
    frozen_now.move_to(at("2026-11-27 09:30"))
    response = api(attendant, "post", path, {"kind": "other", "note": " 借充电器 "})
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["note"]) == ("other", "借充电器")
    api(attendant, "post", path, {"kind": "documents"})
    listed = api(hotline, "get", path).json()
    assert [(entry["kind"], entry["recorded_at"]) for entry in listed] == [
        ("other", "2026-11-27T09:30:00+08:00"),
        ("documents", "2026-11-27T09:30:00+08:00"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "other", "note": "  "}, "note"),
        ({"kind": "karaoke"}, "kind"),
        ({"kind": "restroom", "note": "长" * 201}, "note"),
        ({}, "kind"),
    ],
)
def test_it_refuses_a_bad_request_entry_with_422_and_saves_nothing(api, running, attendant, body, field):
    assert field in _fields(api(attendant, "post", f"/meetings/{running.pk}/service-log", body))
    assert not ServiceLogEntry.objects.exists()


def test_it_refuses_a_request_entry_before_the_start_and_from_the_hotline(
    api, book, running, attendant, hotline, assign
):
    waiting = book("2026-11-27 14:00", "15:00")
    assign(waiting)
    assert _fields(api(attendant, "post", f"/meetings/{waiting.pk}/service-log", {"kind": "restroom"})) == {"__all__"}
    # The hotline reads the service but does not serve in rooms.
    assert api(hotline, "post", f"/meetings/{running.pk}/service-log", {"kind": "restroom"}).status_code == 403
    assert api(hotline, "post", f"/meetings/{running.pk}/refills").status_code == 403
    assert not ServiceLogEntry.objects.exists()


def test_it_records_the_end_and_drops_the_window_to_come(api, running, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:12"))
    response = api(attendant, "post", f"/meetings/{running.pk}/end")
    assert response.status_code == 200
    body = response.json()
    assert (body["ended_at"], body["ended_by"]["id"], body["refills"]) == (
        "2026-11-27T09:12:00+08:00",
        attendant.pk,
        [],
    )
    assert _fields(api(attendant, "post", f"/meetings/{running.pk}/end")) == {"__all__"}
    # The after-meeting checklist opens once it has ended.
    item = standard_current().after_items[0]
    assert (
        api(attendant, "post", f"/meetings/{running.pk}/checklist", {"phase": "after", "item": item}).status_code == 200
    )


def test_it_refuses_an_end_before_the_start(api, running, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:12"))
    assert _fields(api(attendant, "post", f"/meetings/{running.pk}/end", {"at": "2026-11-27T08:59"})) == {"at"}
    running.service.refresh_from_db()
    assert running.service.ended_at is None


# --- the board and the tasks --------------------------------------------------------------------------


def test_it_lists_the_days_meetings_on_the_board_those_needing_attention_first(
    api, book, frozen_now, team_leader, attendant, hotline, other_room, assign
):
    later = book("2026-11-26 14:00", "15:00", title="下午会")
    frozen_now.move_to(at("2026-11-26 08:15"))
    urgent = book("2026-11-26 09:00", "10:00", title="紧急会", room=other_room)
    book("2026-11-27 09:00", "10:00", title="明天的会")
    assignment_add(user=team_leader, meeting=later, attendant=attendant, duty="lead")

    response = api(hotline, "get", "/service/board")
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-11-26"
    assert [row["meeting"]["title"] for row in body["rows"]] == ["紧急会", "下午会"]
    first, second = body["rows"]
    assert (first["urgent"], first["needs_attention"], first["overdue_levels"]) == (True, True, [])
    assert (first["serious"], first["exceptions"], first["unchecked_levels"]) == (False, [], [])
    assert [(check["level"], check["state"], check["urgent"]) for check in first["checks"]] == [
        (1, "open", True),
        (2, "open", True),
        (3, "open", True),
    ]
    assert (second["urgent"], second["needs_attention"]) == (False, False)
    assert second["meeting"]["status"] == "confirmed"
    assert second["meeting"]["start"] == "2026-11-26T14:00:00+08:00"
    assert [(a["attendant"]["id"], a["duty"]) for a in second["assignees"]] == [(attendant.pk, "lead")]

    # At half past twelve, the afternoon meeting's level 1 (due at twelve) is overdue; the morning one, started
    # with no level confirmed, runs past its end with its first refill not done.
    frozen_now.move_to(at("2026-11-26 09:00"))
    assign(urgent)
    meeting_start(user=attendant, meeting=urgent)
    frozen_now.move_to(at("2026-11-26 12:30"))
    body = api(hotline, "get", "/service/board").json()
    assert [row["meeting"]["title"] for row in body["rows"]] == ["紧急会", "下午会"]
    rows = {row["meeting"]["title"]: row for row in body["rows"]}
    assert (rows["下午会"]["overdue_levels"], rows["下午会"]["needs_attention"]) == ([1], True)
    assert rows["下午会"]["exceptions"] == [
        {"kind": "check_overdue", "label": "检查超时", "text": "检查超时：一级（12:00 到期）", "serious": True}
    ]
    assert rows["紧急会"]["unchecked_levels"] == [1, 2, 3]
    assert [(e["kind"], e["serious"]) for e in rows["紧急会"]["exceptions"]] == [
        ("unchecked_start", True),
        ("refill_late", True),
        ("overtime", True),
    ]
    counts = {count["kind"]: count["count"] for count in body["exception_counts"]}
    assert counts == {
        "unchecked_start": 1,
        "check_overdue": 1,
        "refill_late": 1,
        "refill_early": 0,
        "overtime": 1,
        "request_pending": 0,
    }
    assert body["punctuality"] == {"on_time": 0, "early": 0, "late": 1, "counted": 1, "rate": 0.0}
    assert rows["紧急会"]["running"]
    assert rows["紧急会"]["next_refill"] == {
        "number": 1,
        "opens_at": "2026-11-26T09:15:00+08:00",
        "closes_at": "2026-11-26T09:20:00+08:00",
        "late": True,
    }
    assert [
        row["meeting"]["title"] for row in api(hotline, "get", "/service/board", {"date": "2026-11-27"}).json()["rows"]
    ] == ["明天的会"]


def test_it_refuses_a_bad_board_date(api, hotline, outsider, db):
    assert _fields(api(hotline, "get", "/service/board", {"date": "2026-13-01"})) == {"date"}
    assert api(outsider, "get", "/service/board").status_code == 403


# --- standards ----------------------------------------------------------------------------------------


def test_it_shows_the_seeds_standards_until_someone_changes_them(api, attendant, db):
    response = api(attendant, "get", "/service/standard")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["changed_by"], body["summer_refills"], body["winter_refills"]) == (
        None,
        None,
        [[10, 15], [15, 20], [25, 30]],
        [[15, 20], [20, 25], [25, 30]],
    )
    assert (body["level1_minutes"], body["summer_from"], body["ready_item"]) == (
        120,
        "05-01",
        standard_current().ready_item,
    )
    assert api(attendant, "get", "/service/standards").json() == []


def test_it_lets_a_manager_make_a_new_version_that_moves_upcoming_checks(api, book, manager, attendant, site):
    meeting = book("2026-11-27 09:00", "11:00")
    body = {
        "level1_minutes": 180,
        "winter_refills": [[10, 20], [20, 30]],
        "site_seasons": {site.code: ["04-15", "10-31"]},
        "after_items": [" 关灯 ", "锁门"],
        "reason": "冬季试行",
    }
    response = api(manager, "post", "/service/standards", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["id"] == ServiceStandard.objects.get().pk
    assert (created["level1_minutes"], created["winter_refills"], created["after_items"]) == (
        180,
        [[10, 20], [20, 30]],
        ["关灯", "锁门"],
    )
    assert created["site_seasons"] == {"tower": ["04-15", "10-31"]}
    # What was not sent is copied from the version before.
    assert (created["level2_minutes"], created["summer_refills"]) == (60, [[10, 15], [15, 20], [25, 30]])
    assert (created["changed_by"]["id"], created["changed_at"], created["reason"]) == (
        manager.pk,
        "2026-11-26T08:00:00+08:00",
        "冬季试行",
    )
    assert meeting.checks.get(level=1).due_at == at("2026-11-27 06:00")
    assert api(attendant, "get", "/service/standard").json()["id"] == created["id"]
    assert [version["id"] for version in api(attendant, "get", "/service/standards").json()] == [created["id"]]


def test_it_lets_only_a_manager_change_the_standards(api, team_leader, db):
    response = api(team_leader, "post", "/service/standards", {"level1_minutes": 90, "reason": "提前"})
    assert response.status_code == 403
    assert not ServiceStandard.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"summer_refills": []}, "summer_refills"),
        ({"summer_refills": [[0, 10]]}, "summer_refills"),
        ({"summer_refills": [[20, 10]]}, "summer_refills"),
        ({"summer_refills": [[10, 241]]}, "summer_refills"),
        ({"winter_refills": [[10]]}, "winter_refills"),
        ({"winter_refills": [[10, 15, 20]]}, "winter_refills"),
        ({"winter_refills": [["10", 15]]}, "winter_refills"),
        ({"winter_refills": [[True, 15]]}, "winter_refills"),
        ({"winter_refills": [[10.5, 15]]}, "winter_refills"),
        ({"winter_refills": "10-15"}, "winter_refills"),
        ({"winter_refills": None}, "winter_refills"),
        ({"winter_refills": [[10, 15]] * 21}, "winter_refills"),
        ({"summer_from": "02-30"}, "summer_from"),
        ({"summer_from": "5-1"}, "summer_from"),
        ({"summer_until": "13-01"}, "summer_until"),
        ({"summer_until": 501}, "summer_until"),
        ({"site_seasons": {"tower": ["05-01"]}}, "site_seasons"),
        ({"site_seasons": {"tower": ["05-01", "09-31"]}}, "site_seasons"),
        ({"site_seasons": ["tower"]}, "site_seasons"),
        ({"site_seasons": {"nowhere": ["05-01", "09-30"]}}, "site_seasons"),
        ({"level1_items": [""]}, "level1_items"),
        ({"level2_items": ["  "]}, "level2_items"),
        ({"level3_items": ["长" * 201]}, "level3_items"),
        ({"before_items": ["关灯", "关灯"]}, "before_items"),
        ({"after_items": "关灯"}, "after_items"),
        ({"after_items": [1]}, "after_items"),
        ({"after_items": ["项"] * 51}, "after_items"),
        ({"ready_item": " "}, "ready_item"),
        ({"recess_item": "长" * 201}, "recess_item"),
        ({"level1_minutes": -1}, "level1_minutes"),
        ({"level2_minutes": 40000}, "level2_minutes"),
        ({"ready_minutes": "soon"}, "ready_minutes"),
        ({"reason": "长" * 201}, "reason"),
    ],
)
def test_it_refuses_bad_standards_with_422_naming_the_field(api, manager, site, body, field):
    response = api(manager, "post", "/service/standards", body)
    assert field in _fields(response)
    assert not ServiceStandard.objects.exists()


def test_it_describes_the_service_api_in_the_openapi_schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    for path, method in [
        ("/api/v1/meetings/{meeting_id}/service", "get"),
        ("/api/v1/meetings/{meeting_id}/checks/{level}", "post"),
        ("/api/v1/meetings/{meeting_id}/assignments", "get"),
        ("/api/v1/meetings/{meeting_id}/assignments", "post"),
        ("/api/v1/assignments/{assignment_id}", "delete"),
        ("/api/v1/meetings/{meeting_id}/checklist", "post"),
        ("/api/v1/meetings/{meeting_id}/start", "post"),
        ("/api/v1/meetings/{meeting_id}/end", "post"),
        ("/api/v1/meetings/{meeting_id}/refills", "post"),
        ("/api/v1/meetings/{meeting_id}/service-log", "get"),
        ("/api/v1/meetings/{meeting_id}/service-log", "post"),
        ("/api/v1/service/board", "get"),
        ("/api/v1/service/my-tasks", "get"),
        ("/api/v1/service/standard", "get"),
        ("/api/v1/service/standards", "get"),
        ("/api/v1/service/standards", "post"),
    ]:
        operation = schema["paths"][path][method]
        assert operation["summary"]
        assert operation["tags"] == ["service"]
        if method != "get":
            assert {"403", "422"} <= set(operation["responses"]) or path.startswith("/api/v1/assignments")
    assert "409" not in schema["paths"]["/api/v1/meetings/{meeting_id}/start"]["post"]["responses"]
    assert "204" in schema["paths"]["/api/v1/assignments/{assignment_id}"]["delete"]["responses"]
    # The service's enums are inline: another app's "Action" or "State" component cannot replace them.
    components = schema["components"]["schemas"]
    assert components["CheckRecordOut"]["properties"]["action"]["enum"] == ["confirmed", "failed", "reopened"]
    assert "restroom" in components["ServiceLogOut"]["properties"]["kind"]["enum"]
    standard_in = components["StandardIn"]["properties"]
    assert not [name for name, field in standard_in.items() if "default" in field and name != "reason"]
