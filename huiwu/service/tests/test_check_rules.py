"""The rules of the three-level check on their boundaries (DESIGN §4.1): who confirms which level, in which
order, what re-opens a level, and when work that became necessary late is urgent."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.accounts.roles import Role
from huiwu.meetings.describe import meeting_describe
from huiwu.meetings.services import MeetingDraft, meeting_reschedule, meeting_update
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.service.models import LEVEL_ROLES, CheckRecord, MeetingCheck
from huiwu.service.services import check_confirm
from huiwu.service.standards import standard_current
from huiwu.testing import at

# Every persona but the level's own role: the manager, the other levels' roles, and someone with no role.
NOT_OWN = [
    (code, level) for level in (1, 2, 3) for code in [*Role.values, "outsider"] if code != LEVEL_ROLES[level].value
]


def _checks(meeting):
    return {c.level: c for c in MeetingCheck.objects.filter(meeting=meeting)}


def _times(meeting):
    """{level: (reminded at, due at, urgent)} of the check rows, and the deadlines say the same."""
    times = {}
    for level, check in _checks(meeting).items():
        deadline = Deadline.objects.get(key=f"meeting:{meeting.pk}:check:{level}")
        assert (deadline.opens_at, deadline.due_at) == (check.opens_at, check.due_at)
        times[level] = (check.opens_at, check.due_at, check.urgent)
    return times


def _ready(meeting):
    deadline = Deadline.objects.get(key=f"meeting:{meeting.pk}:ready")
    return deadline.opens_at, deadline.due_at


def _failing(ok, meeting, level):
    results = ok(meeting, level)
    results[next(iter(results))] = False
    return results


# --- who confirms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "level"), NOT_OWN)
def test_it_refuses_every_role_but_the_levels_own_the_manager_included(book, make_persona, ok, code, level):
    meeting = book("2026-11-27 09:00", "10:00")
    user = make_persona(code)
    with pytest.raises(PermissionDenied):
        check_confirm(user=user, meeting=meeting, level=level, results=ok(meeting, level))
    assert {check.state for check in _checks(meeting).values()} == {MeetingCheck.State.OPEN}
    assert not CheckRecord.objects.exists()


# --- in which order ---------------------------------------------------------------------------------------


def test_it_refuses_level_3_while_level_2_is_open(book, assign, confirm, hotline, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    confirm(meeting, 1)
    with pytest.raises(ValidationError, match="二级"):
        check_confirm(user=hotline, meeting=meeting, level=3, results=ok(meeting, 3))
    assert _checks(meeting)[3].state == MeetingCheck.State.OPEN


def test_it_refuses_a_level_above_a_failed_one(book, team_leader, env_supervisor, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    check_confirm(user=team_leader, meeting=meeting, level=1, results=_failing(ok, meeting, 1), notes="人数不对")
    with pytest.raises(ValidationError, match="一级"):
        check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))


def test_it_refuses_to_confirm_a_level_twice(book, assign, confirm):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    confirm(meeting, 1)
    with pytest.raises(ValidationError):
        confirm(meeting, 1)
    assert CheckRecord.objects.filter(meeting=meeting, level=1).count() == 1


@pytest.mark.parametrize("level", [0, 4])
def test_it_refuses_a_level_that_does_not_exist(book, team_leader, level):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(ValidationError):
        check_confirm(user=team_leader, meeting=meeting, level=level, results={})


# --- what re-opens a level --------------------------------------------------------------------------------


def test_it_reopens_a_failed_level_1_when_the_headcount_changes(book, assign, confirm, team_leader, hotline, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    check_confirm(user=team_leader, meeting=meeting, level=1, results=_failing(ok, meeting, 1), notes="人数不对")
    assert _checks(meeting)[1].state == MeetingCheck.State.FAILED
    draft = MeetingDraft.from_meeting(meeting)
    draft.headcount = 18
    meeting_update(user=hotline, meeting=meeting, draft=draft)
    assert _checks(meeting)[1].state == MeetingCheck.State.OPEN
    reopened = CheckRecord.objects.get(meeting=meeting, action=CheckRecord.Action.REOPENED)
    assert (reopened.level, reopened.by) == (1, hotline)
    assert reopened.notes == "变更：参会人数"
    # Re-opened, it is confirmed like any open level.
    confirm(meeting, 1)
    assert _checks(meeting)[1].state == MeetingCheck.State.CONFIRMED


def test_it_records_and_tells_what_changed_when_it_reopens_levels(
    book, assign, confirm, hotline, team_leader, env_supervisor
):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    confirm(meeting, 1)
    confirm(meeting, 2)
    draft = MeetingDraft.from_meeting(meeting)
    draft.headcount, draft.notes, draft.title = 18, "会中加茶点", "党组扩大会"
    meeting_update(user=hotline, meeting=meeting, draft=draft)
    reopened = CheckRecord.objects.filter(meeting=meeting, action=CheckRecord.Action.REOPENED).order_by("level")
    # Only what the checks confirmed is named (not the title), as people know it, in the site's language.
    assert [(r.level, r.by, r.at, r.notes) for r in reopened] == [
        (1, hotline, at("2026-11-26 08:00"), "变更：参会人数、备注"),
        (2, hotline, at("2026-11-26 08:00"), "变更：参会人数、备注"),
    ]
    notices = Notification.objects.filter(kind=Kind.CHECK_ALERT)
    assert {n.recipient for n in notices} == {team_leader, env_supervisor}
    for notice in notices:
        assert notice.title == f"会议有变更，需重新确认检查：{meeting_describe(meeting)}"
        assert notice.body == f"{hotline} 修改了参会人数、备注，请重新确认。"
        assert notice.meeting == meeting


def test_it_makes_a_level_reopened_after_its_due_time_urgent(book, assign, confirm, hotline, frozen_now):
    meeting = book("2026-11-27 12:00", "13:00")
    assign(meeting)
    confirm(meeting, 1)
    frozen_now.move_to(at("2026-11-27 10:30"))  # after level 1's due time, 10:00
    draft = MeetingDraft.from_meeting(meeting)
    draft.headcount = 18
    meeting_update(user=hotline, meeting=meeting, draft=draft)
    urgent_from_now = (at("2026-11-27 10:30"), at("2026-11-27 11:30"), True)
    assert _times(meeting) == {1: urgent_from_now, 2: urgent_from_now, 3: urgent_from_now}


def test_it_restarts_the_clock_of_open_levels_when_the_meeting_moves(book, hotline, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    frozen_now.move_to(at("2026-11-26 10:00"))
    # Brought forward to less than two hours from now: urgent, although nothing was confirmed yet.
    meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-26 11:30"), end=at("2026-11-26 12:30"))
    urgent_from_now = (at("2026-11-26 10:00"), at("2026-11-26 11:00"), True)
    assert _times(meeting) == {1: urgent_from_now, 2: urgent_from_now, 3: urgent_from_now}


def test_it_leaves_the_open_levels_clock_alone_when_what_changes_is_not_a_move(book, hotline, frozen_now):
    meeting = book("2026-11-27 12:00", "13:00")
    frozen_now.move_to(at("2026-11-27 10:30"))
    draft = MeetingDraft.from_meeting(meeting)
    draft.headcount = 18
    meeting_update(user=hotline, meeting=meeting, draft=draft)
    assert _times(meeting)[1] == (at("2026-11-27 09:45"), at("2026-11-27 10:00"), False)


# --- urgency ----------------------------------------------------------------------------------------------


def test_it_makes_every_level_due_at_the_start_for_a_meeting_confirmed_ten_minutes_before(book):
    meeting = book("2026-11-26 08:10", "09:00")
    due_at_start = (at("2026-11-26 08:00"), at("2026-11-26 08:10"), True)
    assert _times(meeting) == {1: due_at_start, 2: due_at_start, 3: due_at_start}
    assert _ready(meeting) == (at("2026-11-26 08:00"), at("2026-11-26 08:10"))


def test_it_gives_urgent_checks_one_lead_when_that_ends_after_the_level_3_time(book):
    meeting = book("2026-11-26 08:20", "09:00")  # level 3 normally due at 07:50, already past
    one_lead = (at("2026-11-26 08:00"), at("2026-11-26 08:15"), True)
    assert _times(meeting) == {1: one_lead, 2: one_lead, 3: one_lead}


@pytest.mark.parametrize(
    ("booked", "level1"),
    [
        # Level 1 is due at 10:00 and reminded a lead (15 minutes) before: work arranged up to 09:45 is not urgent.
        ("09:44", ("09:45", "10:00", False)),
        ("09:45", ("09:45", "10:00", False)),
        # Later, it is reminded at once and given one lead, and only level 1 is urgent.
        ("09:46", ("09:46", "10:01", True)),
        ("10:00", ("10:00", "10:15", True)),
    ],
)
def test_it_makes_work_arranged_a_lead_before_its_due_time_not_urgent(book, frozen_now, booked, level1):
    frozen_now.move_to(at(f"2026-11-26 {booked}"))
    meeting = book("2026-11-26 12:00", "13:00")
    opens, due, urgent = level1
    assert _times(meeting) == {
        1: (at(f"2026-11-26 {opens}"), at(f"2026-11-26 {due}"), urgent),
        2: (at("2026-11-26 10:45"), at("2026-11-26 11:00"), False),
        3: (at("2026-11-26 11:15"), at("2026-11-26 11:30"), False),
    }


def test_it_makes_every_level_urgent_once_arranged_after_the_level_1_time(book, frozen_now):
    frozen_now.move_to(at("2026-11-26 10:01"))
    meeting = book("2026-11-26 12:00", "13:00")
    all_by_level_3 = (at("2026-11-26 10:01"), at("2026-11-26 11:30"), True)
    assert _times(meeting) == {1: all_by_level_3, 2: all_by_level_3, 3: all_by_level_3}


@pytest.mark.parametrize(
    ("booked", "ready"),
    [
        # The room-ready item is due 30 minutes before the start, reminded 15 minutes before that.
        ("11:15", ("11:15", "11:30")),
        ("11:16", ("11:16", "11:31")),
    ],
)
def test_it_times_the_room_ready_item_by_the_same_rule(book, frozen_now, booked, ready):
    frozen_now.move_to(at(f"2026-11-26 {booked}"))
    meeting = book("2026-11-26 12:00", "13:00")
    assert _ready(meeting) == tuple(at(f"2026-11-26 {time}") for time in ready)


# --- what a confirmation records and says -----------------------------------------------------------------


def test_it_records_a_confirmation_with_the_levels_own_checklist(book, assign, team_leader, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    standard = standard_current()
    frozen_now.move_to(at("2026-11-27 06:35"))
    record = check_confirm(
        user=team_leader, meeting=meeting, level=1, results=dict.fromkeys(standard.level1_items, True), notes=" 好 "
    )
    record.refresh_from_db()
    assert (record.level, record.action, record.by, record.at, record.notes) == (
        1,
        CheckRecord.Action.CONFIRMED,
        team_leader,
        at("2026-11-27 06:35"),
        "好",
    )
    assert record.results == [[item, True] for item in standard.level1_items]
    assert record.facts == [["服务人员已安排", True]]
    check = _checks(meeting)[1]
    assert (check.state, check.confirmed_by, check.confirmed_at) == (
        MeetingCheck.State.CONFIRMED,
        team_leader,
        at("2026-11-27 06:35"),
    )


def test_it_records_a_failed_item_and_alerts_the_manager_and_the_levels_other_people(
    book, assign, team_leader, manager, make_persona, ok
):
    from huiwu.accounts.services import user_upsert

    colleague = user_upsert(username="leader2", password="x" * 12, display_name="二组长", roles=[Role.TEAM_LEADER])
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    results = ok(meeting, 1)
    first, second, *_rest = results
    results[first] = results[second] = False
    record = check_confirm(user=team_leader, meeting=meeting, level=1, results=results, notes="人数改了")
    assert record.action == CheckRecord.Action.FAILED
    assert record.results[:2] == [[first, False], [second, False]]
    alerts = Notification.objects.filter(kind=Kind.CHECK_ALERT)
    assert {alert.recipient for alert in alerts} == {manager, colleague}
    for alert in alerts:
        assert alert.title == f"一级检查发现问题：{meeting_describe(meeting)}"
        assert alert.body == f"{team_leader}：{first}、{second}。人数改了"
        assert (alert.url, alert.meeting) == (f"/service/meetings/{meeting.pk}/", meeting)


def test_it_takes_the_checklist_of_the_standard_a_started_meeting_keeps(
    book, assign, frozen_now, attendant, manager, team_leader, ok
):
    from huiwu.service.services import meeting_start, standard_create
    from huiwu.service.standards import standard_values

    meeting = book("2026-11-26 09:00", "10:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-26 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    kept = ok(meeting, 1)
    standard_create(user=manager, values=standard_values(standard_current()) | {"level1_items": ["新的一项"]})
    with pytest.raises(ValidationError):
        check_confirm(user=team_leader, meeting=meeting, level=1, results={"新的一项": True})
    assert check_confirm(user=team_leader, meeting=meeting, level=1, results=kept).results == [
        [item, True] for item in kept
    ]


# --- what each refusal says -------------------------------------------------------------------------------


def test_it_says_which_levels_exist(book, team_leader):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=4, results={})
    assert refused.value.message_dict == {"level": ["级别只能是 1、2 或 3。"]}


def test_it_names_the_items_left_unanswered_and_those_not_on_the_checklist(book, team_leader, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    results = ok(meeting, 1)
    items = list(results)
    del results[items[0]], results[items[-1]]
    results["别的"] = True
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=results)
    assert refused.value.message_dict == {
        "results": [
            f"不在本级检查清单上：别的。清单事项为：{'、'.join(items)}",
            f"请逐项作答（通过或不通过）。未作答：{items[0]}、{items[-1]}",
        ]
    }
    assert not CheckRecord.objects.exists()


def test_it_asks_what_is_wrong_when_an_item_fails(book, team_leader, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=_failing(ok, meeting, 1), notes="  ")
    assert refused.value.message_dict == {"notes": ["请说明问题所在：说明会随提醒发给服务中心经理。"]}


def test_it_says_a_level_is_already_confirmed_or_waits_for_the_one_below(book, assign, confirm, hotline, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    confirm(meeting, 1)
    with pytest.raises(ValidationError) as refused:
        confirm(meeting, 1)
    assert refused.value.messages == ["该级检查已确认。"]
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=hotline, meeting=meeting, level=3, results=ok(meeting, 3))
    assert refused.value.messages == ["须先确认二级检查。"]


def test_it_says_a_meeting_confirmed_after_its_start_has_no_checks(book, manager, team_leader, ok, frozen_now):
    frozen_now.move_to(at("2026-11-26 09:30"))
    meeting = book("2026-11-26 09:00", "11:00", user=manager)
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert refused.value.messages == ["此会议在开始后才确认，没有检查。"]
