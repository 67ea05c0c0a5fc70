"""What the three-level check verifies by itself instead of asking (facts.py): level 1 that someone is assigned
to serve the meeting, levels 2 and 3 that its arrangement has not changed since level 1 was confirmed. A level
whose fact does not hold cannot be passed; it can be reported as a problem, with a note."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.meetings.models import MeetingChange
from huiwu.notify.models import Kind, Notification
from huiwu.service.facts import level_states
from huiwu.service.models import CheckRecord, MeetingCheck
from huiwu.service.services import assignment_remove, check_confirm
from huiwu.service.standards import standard_current
from huiwu.testing import at

NOT_STAFFED = "本级不能通过：尚未派工。请先处理，或在备注中说明情况以上报问题。"


def _state(meeting, level):
    return MeetingCheck.objects.get(meeting=meeting, level=level).state


@pytest.fixture
def meeting(book, frozen_now):
    """A meeting of 2026-11-27 09:00–10:00; the clock at 06:30, when level 1 (due 07:00) can be confirmed."""
    meeting = book("2026-11-27 09:00", "10:00")
    frozen_now.move_to(at("2026-11-27 06:30"))
    return meeting


# --- staff assigned (level 1) -----------------------------------------------------------------------------


def test_it_refuses_to_pass_level_1_while_nobody_is_assigned(meeting, team_leader, ok):
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert refused.value.messages == [NOT_STAFFED]
    assert _state(meeting, 1) == MeetingCheck.State.OPEN
    assert not CheckRecord.objects.exists()


@pytest.mark.parametrize("duty", ["lead", "helper"])
def test_it_passes_level_1_once_someone_is_assigned_lead_or_helper(meeting, team_leader, ok, assign, duty):
    assign(meeting, duty=duty)
    record = check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert record.action == CheckRecord.Action.CONFIRMED
    assert record.facts == [["服务人员已安排", True]]
    assert _state(meeting, 1) == MeetingCheck.State.CONFIRMED


def test_it_refuses_level_1_again_once_the_only_assignment_is_removed(meeting, team_leader, ok, assign):
    assignment = assign(meeting)
    assignment_remove(user=team_leader, assignment=assignment)
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert refused.value.messages == [NOT_STAFFED]


def test_it_does_not_count_an_assignee_whose_account_is_closed(meeting, team_leader, attendant, ok, assign):
    assign(meeting)
    attendant.is_active = False
    attendant.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert refused.value.messages == [NOT_STAFFED]


def test_it_reports_a_meeting_nobody_serves_as_a_problem_with_a_note(meeting, team_leader, manager, ok):
    record = check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1), notes="人手不足")
    assert (record.action, record.facts, record.notes) == (
        CheckRecord.Action.FAILED,
        [["服务人员已安排", False]],
        "人手不足",
    )
    assert _state(meeting, 1) == MeetingCheck.State.FAILED
    alert = Notification.objects.get(recipient=manager, kind=Kind.CHECK_ALERT)
    assert alert.body == "team_leader 测试：尚未派工。人手不足"


# --- arrangement unchanged since level 1 (levels 2 and 3) -------------------------------------------------


def _changed(meeting, user, when, **changes):
    """A change in the meeting's history that did not go through the booking (which re-opens the checks)."""
    return MeetingChange.objects.create(
        meeting=meeting, action=MeetingChange.Action.UPDATED, changed_by=user, changed_at=at(when), changes=changes
    )


@pytest.fixture
def level1_confirmed(meeting, team_leader, ok, assign, frozen_now):
    """Level 1 confirmed at 06:30; the clock then at 07:30, when level 2 (due 08:00) can be confirmed."""
    assign(meeting)
    check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    frozen_now.move_to(at("2026-11-27 07:30"))
    return meeting


def test_it_refuses_level_2_when_the_arrangement_changed_after_level_1(level1_confirmed, env_supervisor, hotline, ok):
    meeting = level1_confirmed
    _changed(meeting, hotline, "2026-11-27 07:10", headcount=["10", "18"], title=["周例会", "扩大会"])
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    assert refused.value.messages == [
        "本级不能通过：一级检查确认后有变更：参会人数（07:10，hotline 测试）。请先处理，或在备注中说明情况以上报问题。"
    ]
    assert _state(meeting, 2) == MeetingCheck.State.OPEN


@pytest.mark.parametrize(
    ("when", "changes"),
    [
        ("2026-11-27 06:29", {"headcount": ["10", "18"]}),  # before level 1 was confirmed: it confirmed that
        ("2026-11-27 07:10", {"title": ["周例会", "扩大会"]}),  # not what the checks confirm
    ],
)
def test_it_passes_level_2_when_nothing_checked_changed_since_level_1(
    level1_confirmed, env_supervisor, hotline, ok, when, changes
):
    meeting = level1_confirmed
    _changed(meeting, hotline, when, **changes)
    record = check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    assert (record.action, record.facts) == (CheckRecord.Action.CONFIRMED, [["一级检查确认后会议安排未变", True]])


def test_it_refuses_level_3_when_the_arrangement_changed_after_level_1(
    level1_confirmed, env_supervisor, hotline, ok, frozen_now
):
    meeting = level1_confirmed
    check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    _changed(meeting, hotline, "2026-11-27 07:40", room=["701会议室", "702会议室"])
    frozen_now.move_to(at("2026-11-27 08:00"))
    with pytest.raises(ValidationError, match="会议室"):
        check_confirm(user=hotline, meeting=meeting, level=3, results=ok(meeting, 3))
    record = check_confirm(user=hotline, meeting=meeting, level=3, results=ok(meeting, 3), notes="换了会议室，已核实")
    assert (record.action, record.facts) == (CheckRecord.Action.FAILED, [["一级检查确认后会议安排未变", False]])


# --- what a waiting level says ----------------------------------------------------------------------------


def _level2_note(meeting) -> str:
    states = level_states(meeting, list(meeting.checks.all()), standard_current(), assignments=[], now=timezone.now())
    return states[1].note


def test_it_names_the_role_a_level_waits_for_when_nobody_holds_it(meeting):
    assert _level2_note(meeting) == "等待一级检查（负责人：会务服务组长）"


def test_it_names_at_most_three_people_of_the_role_a_level_waits_for(meeting):
    for number in range(1, 5):
        user_upsert(
            username=f"leader{number}", password="x" * 12, display_name=f"组长{number}", roles=[Role.TEAM_LEADER]
        )
    assert _level2_note(meeting) == "等待一级检查（负责人：会务服务组长 组长1、组长2、组长3等）"
