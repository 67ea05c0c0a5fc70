"""The three-level check (DESIGN §4.1) with frozen time."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.meetings.services import MeetingDraft, meeting_confirm, meeting_reschedule, meeting_update
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.service.models import CheckRecord, MeetingCheck
from huiwu.service.services import check_confirm
from huiwu.testing import at


def _checks(meeting):
    return {c.level: c for c in MeetingCheck.objects.filter(meeting=meeting)}


def _check_deadline(meeting, level):
    return Deadline.objects.get(key=f"meeting:{meeting.pk}:check:{level}")


def test_it_makes_the_levels_due_two_hours_one_hour_and_thirty_minutes_before(book):
    meeting = book("2026-11-27 09:00", "10:00")
    checks = _checks(meeting)
    assert [checks[level].due_at for level in (1, 2, 3)] == [
        at("2026-11-27 07:00"),
        at("2026-11-27 08:00"),
        at("2026-11-27 08:30"),
    ]
    assert not any(check.urgent for check in checks.values())
    deadline = _check_deadline(meeting, 1)
    assert (deadline.opens_at, deadline.due_at, deadline.responsible_role) == (
        at("2026-11-27 06:45"),
        at("2026-11-27 07:00"),
        "team_leader",
    )
    assert _check_deadline(meeting, 3).responsible_role == "hotline"


def test_it_refuses_level_2_before_level_1(book, env_supervisor, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(ValidationError, match="一级"):
        check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    assert _checks(meeting)[2].state == MeetingCheck.State.OPEN
    assert not CheckRecord.objects.exists()


def test_it_confirms_the_levels_in_order_and_closes_their_deadlines(book, assign, confirm, team_leader):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    for level in (1, 2, 3):
        confirm(meeting, level)
    checks = _checks(meeting)
    assert all(check.state == MeetingCheck.State.CONFIRMED for check in checks.values())
    assert checks[1].confirmed_by == team_leader
    assert checks[1].confirmed_at == at("2026-11-27 06:30")  # when its window opened, 30 minutes before due
    assert {_check_deadline(meeting, level).state for level in (1, 2, 3)} == {Deadline.State.DONE}
    record = CheckRecord.objects.get(meeting=meeting, level=1)
    assert record.by == team_leader
    assert all(passed for _item, passed in record.results)


def test_it_lets_only_the_levels_own_role_confirm(book, hotline, ok):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(PermissionDenied):
        check_confirm(user=hotline, meeting=meeting, level=1, results=ok(meeting, 1))


def test_it_blocks_the_level_and_alerts_the_manager_when_an_item_fails(
    book, assign, frozen_now, team_leader, env_supervisor, manager, ok
):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    results = ok(meeting, 1)
    failed_item = next(iter(results))
    results[failed_item] = False
    with pytest.raises(ValidationError, match="问题所在"):
        check_confirm(user=team_leader, meeting=meeting, level=1, results=results)
    check_confirm(user=team_leader, meeting=meeting, level=1, results=results, notes="会议改到下午")
    assert _checks(meeting)[1].state == MeetingCheck.State.FAILED
    alert = Notification.objects.get(recipient=manager, kind=Kind.CHECK_ALERT)
    assert failed_item in alert.body
    assert "会议改到下午" in alert.body
    with pytest.raises(ValidationError, match="一级"):
        check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    assert _check_deadline(meeting, 1).state == Deadline.State.PENDING
    # Once put right, the same level is confirmed (in its window; the problem could be reported before it).
    frozen_now.move_to(at("2026-11-27 06:30"))
    check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert _checks(meeting)[1].state == MeetingCheck.State.CONFIRMED


def test_it_refuses_a_checklist_that_does_not_match(book, team_leader):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(ValidationError):
        check_confirm(user=team_leader, meeting=meeting, level=1, results={"别的": True})
    assert _checks(meeting)[1].state == MeetingCheck.State.OPEN


def test_it_makes_every_level_due_at_once_for_a_meeting_booked_less_than_two_hours_ahead(
    book, assign, frozen_now, env_supervisor, ok, confirm
):
    frozen_now.move_to(at("2026-11-26 08:15"))
    meeting = book("2026-11-26 09:00", "10:00")
    assign(meeting)
    checks = _checks(meeting)
    assert {checks[level].due_at for level in (1, 2, 3)} == {at("2026-11-26 08:30")}
    assert all(check.urgent for check in checks.values())
    assert all(_check_deadline(meeting, level).opens_at == at("2026-11-26 08:15") for level in (1, 2, 3))
    assert all(_check_deadline(meeting, level).title.startswith("[紧急]") for level in (1, 2, 3))
    # Still in order.
    with pytest.raises(ValidationError):
        check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    deadlines_process()
    reminded = Notification.objects.filter(kind=Kind.SERVICE_CHECK, event=Notification.Event.REMINDER)
    assert {n.recipient.username for n in reminded} == {"team_leader", "env_supervisor", "hotline"}
    # Their window is open already (30 minutes before 08:30): each is confirmed now, in order.
    for level in (1, 2, 3):
        assert confirm(meeting, level).at == at("2026-11-26 08:15")


def test_it_reopens_level_1_when_the_meeting_moves_and_tells_the_team_leader(
    book, assign, confirm, hotline, team_leader
):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    confirm(meeting, 1)
    meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 14:00"), end=at("2026-11-27 15:00"))
    check = _checks(meeting)[1]
    assert check.state == MeetingCheck.State.OPEN
    assert check.due_at == at("2026-11-27 12:00")
    assert CheckRecord.objects.filter(meeting=meeting, level=1, action=CheckRecord.Action.REOPENED).exists()
    notice = Notification.objects.get(recipient=team_leader, kind=Kind.CHECK_ALERT)
    assert "重新确认" in notice.title
    deadline = _check_deadline(meeting, 1)
    assert deadline.state == Deadline.State.PENDING
    assert deadline.due_at == at("2026-11-27 12:00")


def test_it_reopens_every_confirmed_level_when_the_headcount_changes(book, assign, confirm, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    for level in (1, 2):
        confirm(meeting, level)
    draft = MeetingDraft.from_meeting(meeting)
    draft.headcount = 18
    meeting_update(user=hotline, meeting=meeting, draft=draft)
    checks = _checks(meeting)
    assert [checks[level].state for level in (1, 2, 3)] == [MeetingCheck.State.OPEN] * 3
    assert _check_deadline(meeting, 2).state == Deadline.State.PENDING


def test_it_keeps_the_checks_when_only_the_title_changes(book, assign, confirm, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    confirm(meeting, 1)
    draft = MeetingDraft.from_meeting(meeting)
    draft.title = "党组扩大会"
    meeting_update(user=hotline, meeting=meeting, draft=draft)
    assert _checks(meeting)[1].state == MeetingCheck.State.CONFIRMED


def test_it_escalates_a_missed_level_to_the_manager(book, manager, team_leader):
    meeting = book("2026-11-27 09:00", "10:00")
    with time_machine.travel(at("2026-11-27 06:45"), tick=False):
        deadlines_process()
    assert Notification.objects.filter(recipient=team_leader, event=Notification.Event.REMINDER).exists()
    with time_machine.travel(at("2026-11-27 07:00"), tick=False):
        deadlines_process()
    assert Notification.objects.filter(recipient=manager, event=Notification.Event.ESCALATION).exists()
    assert _check_deadline(meeting, 1).state == Deadline.State.MISSED


def test_it_checks_a_requested_meeting_only_once_confirmed(book, client_contact, organization, hotline, frozen_now):
    client_contact.organization = organization
    client_contact.save()
    meeting = book("2026-11-27 09:00", "10:00", user=client_contact)
    assert not MeetingCheck.objects.filter(meeting=meeting).exists()
    frozen_now.move_to(at("2026-11-27 07:30"))
    meeting_confirm(user=hotline, meeting=meeting)
    checks = _checks(meeting)
    # Confirmed after the level-1 time: urgent, all due by the level-3 time.
    assert all(check.urgent for check in checks.values())
    assert {check.due_at for check in checks.values()} == {at("2026-11-27 08:30")}


def test_it_sets_no_checks_for_a_meeting_recorded_after_it_started(book, manager, frozen_now):
    frozen_now.move_to(at("2026-11-26 09:30"))
    meeting = book("2026-11-26 09:00", "11:00", user=manager)
    assert not MeetingCheck.objects.filter(meeting=meeting).exists()
    assert not meeting.deadlines.filter(kind__in=[Kind.SERVICE_CHECK, Kind.ROOM_READY]).exists()


def test_it_drops_the_open_checks_once_the_meeting_has_started(book, hotline, frozen_now):
    meeting = book("2026-11-26 09:00", "11:00")
    frozen_now.move_to(at("2026-11-26 09:05"))
    draft = MeetingDraft.from_meeting(meeting)
    draft.notes = "会中加茶点"
    meeting_update(user=hotline, meeting=meeting, draft=draft)
    states = set(meeting.deadlines.filter(kind=Kind.SERVICE_CHECK).values_list("state", flat=True))
    assert Deadline.State.PENDING not in states
    assert Deadline.State.REMINDED not in states
