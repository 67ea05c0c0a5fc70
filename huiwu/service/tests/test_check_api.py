"""The three-level check in the JSON API: each level's facts, window and what it waits for in the service
record, and the same refusals as the page (every item answered, facts holding, the window open)."""

import pytest

from huiwu.meetings.models import MeetingChange
from huiwu.service.models import CheckRecord, MeetingCheck
from huiwu.testing import at


def _record(api, user, meeting):
    response = api(user, "get", f"/meetings/{meeting.pk}/service")
    assert response.status_code == 200, response.content
    return response.json()


def _refused(response) -> dict:
    assert response.status_code == 422, response.content
    return response.json()["errors"]


def _confirm(api, user, meeting, level, results, notes=""):
    return api(user, "post", f"/meetings/{meeting.pk}/checks/{level}", {"results": results, "notes": notes})


@pytest.fixture
def meeting(book):
    """A meeting of 2026-11-27 09:00–10:00, nobody assigned yet; the clock at 2026-11-26 08:00."""
    return book("2026-11-27 09:00", "10:00")


def test_it_shows_each_levels_facts_window_and_what_it_waits_for(api, hotline, team_leader, meeting):
    level1, level2, level3 = _record(api, hotline, meeting)["checks"]
    assert level1["facts"] == [
        {"kind": "staff_assigned", "label": "服务人员已安排", "holds": False, "explanation": "尚未派工"}
    ]
    assert (level1["confirmable_from"], level1["confirmable_now"], level1["waiting_for"]) == (
        "2026-11-27T06:30:00+08:00",
        False,
        None,
    )
    assert level1["note"] == "尚未到确认时间，11-27 06:30 起可确认"
    assert level2["waiting_for"] == {
        "level": 1,
        "level_label": "一级",
        "role": "team_leader",
        "role_label": "会务服务组长",
        "responsible": [{"id": team_leader.pk, "display_name": "team_leader 测试"}],
    }
    assert level2["note"] == "等待一级检查（负责人：会务服务组长 team_leader 测试）"
    assert level2["facts"] == [
        {
            "kind": "arrangement_unchanged",
            "label": "一级检查确认后会议安排未变",
            "holds": False,
            "explanation": "须先确认一级检查。",
        }
    ]
    assert level3["waiting_for"]["role"] == "env_supervisor"
    assert level3["confirmable_from"] == "2026-11-27T08:00:00+08:00"


def test_it_says_a_level_can_be_confirmed_now_once_staffed_and_in_its_window(
    api, hotline, meeting, assign, frozen_now, confirm
):
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 06:30"))
    level1 = _record(api, hotline, meeting)["checks"][0]
    assert (level1["confirmable_now"], level1["note"]) == (True, "确认时间：06:30 起，07:00 前")
    assert level1["facts"][0]["explanation"] == "已安排：attendant 测试（主责服务员）"
    confirm(meeting, 1)
    level1, level2, _level3 = _record(api, hotline, meeting)["checks"]
    assert level1["note"] == "已确认"
    assert (level2["waiting_for"], level2["facts"][0]["holds"]) == (None, True)
    assert level2["facts"][0]["explanation"] == "一级检查于 06:30 确认后无变更"


def test_it_refuses_level_1_with_items_unanswered_and_names_them(api, team_leader, meeting, assign, frozen_now, ok):
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 06:30"))
    results = ok(meeting, 1)
    first, *rest = results
    errors = _refused(_confirm(api, team_leader, meeting, 1, {first: True}))
    assert errors == {"results": [f"请逐项作答（通过或不通过）。未作答：{'、'.join(rest)}"]}
    assert not CheckRecord.objects.exists()


def test_it_refuses_to_pass_level_1_while_nobody_is_assigned_but_takes_the_problem(
    api, team_leader, meeting, frozen_now, ok
):
    frozen_now.move_to(at("2026-11-27 06:30"))
    errors = _refused(_confirm(api, team_leader, meeting, 1, ok(meeting, 1)))
    assert errors == {"__all__": ["本级不能通过：尚未派工。请先处理，或在备注中说明情况以上报问题。"]}
    response = _confirm(api, team_leader, meeting, 1, ok(meeting, 1), notes="人手不足")
    assert response.status_code == 200
    body = response.json()
    assert (body["action"], body["facts"]) == ("failed", [{"fact": "服务人员已安排", "held": False}])


@pytest.mark.parametrize(("now", "status"), [("06:29", 422), ("06:30", 200)])
def test_it_refuses_a_pass_more_than_thirty_minutes_before_it_is_due(
    api, team_leader, meeting, assign, frozen_now, ok, now, status
):
    assign(meeting)
    frozen_now.move_to(at(f"2026-11-27 {now}"))
    response = _confirm(api, team_leader, meeting, 1, ok(meeting, 1))
    assert response.status_code == status, response.content
    if status == 422:
        assert response.json()["errors"] == {"__all__": ["尚未到确认时间：本级可从 06:30 起确认。"]}
        assert MeetingCheck.objects.get(meeting=meeting, level=1).state == MeetingCheck.State.OPEN


def test_it_refuses_level_2_when_the_arrangement_changed_after_level_1(
    api, env_supervisor, hotline, meeting, assign, confirm, frozen_now, ok
):
    assign(meeting)
    confirm(meeting, 1)  # at 06:30
    MeetingChange.objects.create(
        meeting=meeting,
        action=MeetingChange.Action.UPDATED,
        changed_by=hotline,
        changed_at=at("2026-11-27 07:00"),
        changes={"chair_count": ["10", "20"]},
    )
    frozen_now.move_to(at("2026-11-27 07:30"))
    level2 = _record(api, hotline, meeting)["checks"][1]
    assert (level2["confirmable_now"], level2["facts"][0]["holds"]) == (False, False)
    errors = _refused(_confirm(api, env_supervisor, meeting, 2, ok(meeting, 2)))
    changed = "一级检查确认后有变更：椅子数量（07:00，hotline 测试）"
    assert errors == {"__all__": [f"本级不能通过：{changed}。请先处理，或在备注中说明情况以上报问题。"]}


@pytest.mark.parametrize(("minutes", "status"), [(0, 422), (1, 201), (240, 201), (241, 422)])
def test_it_takes_the_confirm_window_of_a_new_version_of_the_standards(api, manager, minutes, status):
    response = api(manager, "post", "/service/standards", {"confirm_early_minutes": minutes, "reason": "试行"})
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["confirm_early_minutes"] == minutes
        assert api(manager, "get", "/service/standard").json()["confirm_early_minutes"] == minutes
    else:
        assert "confirm_early_minutes" in response.json()["errors"]
