"""The task's timed rules, with a frozen clock: the doer reminded before the due time and the team leader told
when it passes undone; once done, the hotline reminded to get the client's confirmation (30 minutes after, or
sooner so that it is before the meeting starts) and the team leader told 30 minutes later."""

import pytest

from huiwu.delegations.deadlines import confirm_key, confirmation_times, due_key
from huiwu.delegations.services import (
    task_cancel,
    task_confirm,
    task_dispute,
    task_done,
    task_notice_record,
    task_refuse,
)
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.testing import at


def _told(user) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user, kind=Kind.DELEGATION, deadline__isnull=False)
        .order_by("id")
        .values_list("event", "title")
    )


def _run(when: str) -> None:
    deadlines_process(now=at(when))


# --- the doer's due time ------------------------------------------------------------------------------


@pytest.mark.parametrize(("when", "reminded"), [("2026-11-26 12:29", False), ("2026-11-26 12:30", True)])
def test_it_reminds_the_assignee_an_hour_before_the_due_time(task, attendant, when, reminded):
    _run(when)
    assert _told(attendant) == ([("reminder", "Delegated task due: 代购水果 (测试委办局)")] if reminded else [])


@pytest.mark.parametrize(("when", "escalated"), [("2026-11-26 13:29", False), ("2026-11-26 13:30", True)])
def test_it_escalates_to_the_team_leader_when_not_done_by_the_due_time(task, attendant, team_leader, when, escalated):
    _run("2026-11-26 12:30")
    _run(when)
    expected = [("escalation", "Delegated task due: 代购水果 (测试委办局)")] if escalated else []
    assert _told(team_leader) == expected
    assert _told(attendant)[1:] == expected


def test_it_stops_the_due_time_once_the_task_is_done(task, attendant, team_leader):
    task_done(user=attendant, task=task)
    assert Deadline.objects.get(key=due_key(task)).state == Deadline.State.DONE
    _run("2026-11-26 13:30")
    assert [title for _event, title in _told(team_leader) if title.startswith("Delegated task due")] == []


def test_it_reminds_the_team_leaders_of_a_task_nobody_is_assigned_to(record, team_leader):
    task = record(assignee=None)
    deadline = Deadline.objects.get(key=due_key(task))
    assert (deadline.responsible_role, list(deadline.responsible_users.all())) == ("team_leader", [])
    _run("2026-11-26 12:30")
    assert _told(team_leader) == [("reminder", "Delegated task due: 代购水果 (测试委办局)")]


def test_it_reminds_at_once_of_a_task_due_sooner_than_the_reminder_time(record):
    task = record(due_at=at("2026-11-26 08:20"))
    assert Deadline.objects.get(key=due_key(task)).opens_at == at("2026-11-26 08:00")


def test_it_moves_the_reminder_with_the_due_time(task, hotline):
    from huiwu.delegations.services import task_change

    task_change(user=hotline, task=task, due_at=at("2026-11-26 11:00"))
    deadline = Deadline.objects.get(key=due_key(task))
    assert (deadline.opens_at, deadline.due_at) == (at("2026-11-26 10:00"), at("2026-11-26 11:00"))


# --- the client's confirmation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "reminded"),
    [("2026-11-26 08:29", False), ("2026-11-26 08:30", True), ("2026-11-26 08:31", True)],
)
def test_it_reminds_the_hotline_to_get_the_confirmation_thirty_minutes_after_done(done, hotline, when, reminded):
    _run(when)
    title = "Get the client's confirmation: 代购水果 (测试委办局)"
    assert _told(hotline) == ([("reminder", title)] if reminded else [])
    deadline = Deadline.objects.get(key=confirm_key(done))
    assert deadline.url == f"/delegations/{done.pk}/"


@pytest.mark.parametrize(
    ("when", "escalated"),
    [("2026-11-26 08:59", False), ("2026-11-26 09:00", True), ("2026-11-26 09:01", True)],
)
def test_it_escalates_an_unconfirmed_task_to_the_team_leader_thirty_minutes_later(done, team_leader, when, escalated):
    _run("2026-11-26 08:30")
    _run(when)
    title = "Get the client's confirmation: 代购水果 (测试委办局)"
    assert _told(team_leader) == ([("escalation", title)] if escalated else [])


@pytest.mark.parametrize(
    ("done_at", "remind", "escalate"),
    [
        # Well ahead of the 14:00 meeting: 30 minutes after, escalated 30 minutes later.
        ("2026-11-26 08:00", "2026-11-26 08:30", "2026-11-26 09:00"),
        # Escalated by the meeting's start at the latest.
        ("2026-11-26 13:20", "2026-11-26 13:50", "2026-11-26 14:00"),
        ("2026-11-26 13:29", "2026-11-26 13:59", "2026-11-26 14:00"),
        # Reminded by the meeting's start, not after it.
        ("2026-11-26 13:31", "2026-11-26 14:00", "2026-11-26 14:30"),
        ("2026-11-26 13:59", "2026-11-26 14:00", "2026-11-26 14:30"),
        # Done once the meeting has started: at once, never before it was done.
        ("2026-11-26 14:10", "2026-11-26 14:10", "2026-11-26 14:40"),
    ],
)
def test_it_gets_the_confirmation_before_the_meeting_starts(record, attendant, frozen_now, done_at, remind, escalate):
    task = record(due_at=at("2026-11-26 15:00"))
    frozen_now.move_to(at(done_at))
    task_done(user=attendant, task=task)
    deadline = Deadline.objects.get(key=confirm_key(task))
    assert (deadline.opens_at, deadline.due_at) == (at(remind), at(escalate))
    assert confirmation_times(task) == (at(remind), at(escalate))


def test_it_waits_thirty_minutes_for_a_task_of_no_meeting(record, attendant):
    task = task_done(user=attendant, task=record(meeting=None))
    deadline = Deadline.objects.get(key=confirm_key(task))
    assert (deadline.opens_at, deadline.due_at) == (at("2026-11-26 08:30"), at("2026-11-26 09:00"))
    assert deadline.meeting is None


def test_it_stops_reminding_once_the_client_confirms(done, client_contact, hotline):
    task_confirm(user=client_contact, task=done)
    assert Deadline.objects.get(key=confirm_key(done)).state == Deadline.State.DONE
    _run("2026-11-26 08:30")
    assert _told(hotline) == []


def test_it_stops_reminding_once_a_notice_is_recorded(done, hotline, team_leader):
    _run("2026-11-26 08:30")
    task_notice_record(user=hotline, task=done, method="phone", notified_at=at("2026-11-26 08:00"))
    assert Deadline.objects.get(key=confirm_key(done)).state == Deadline.State.DONE
    _run("2026-11-26 09:00")
    assert _told(team_leader) == []


def test_it_cancels_the_confirmation_reminder_of_a_disputed_task(done, client_contact, hotline):
    task_dispute(user=client_contact, task=done, note="水果太少")
    assert Deadline.objects.get(key=confirm_key(done)).state == Deadline.State.CANCELLED
    _run("2026-11-26 08:30")
    assert _told(hotline) == []


def test_it_reminds_the_hotline_of_the_follow_up_a_dispute_opens(done, client_contact, hotline):
    task_dispute(user=client_contact, task=done, note="水果太少")
    deadlines_process(now=at("2026-11-26 08:00"))
    assert Notification.objects.filter(recipient=hotline, kind=Kind.FOLLOW_UP).exists()


def test_it_asks_again_once_a_disputed_task_is_done_again(done, client_contact, attendant, hotline, frozen_now):
    task_dispute(user=client_contact, task=done, note="水果太少")
    frozen_now.move_to(at("2026-11-26 10:00"))
    task_done(user=attendant, task=done)
    deadline = Deadline.objects.get(key=confirm_key(done))
    assert (deadline.state, deadline.opens_at) == (Deadline.State.PENDING, at("2026-11-26 10:30"))


@pytest.mark.parametrize("close", [task_refuse, task_cancel])
def test_it_cancels_everything_of_a_task_called_off(task, hotline, close):
    close(user=hotline, task=task, reason="客户取消")
    assert set(Deadline.objects.filter(key__startswith="delegation:").values_list("state", flat=True)) == {"cancelled"}


def test_it_hides_a_confidential_meetings_title_from_who_may_not_see_it(record, book, manager, other_room, hotline):
    secret = book("2026-11-26 14:00", "16:00", room=other_room, title="保密专题会", confidentiality=1, user=manager)
    task = record(user=manager, meeting=secret, assignee=None)
    task_done(user=manager, task=task)
    _run("2026-11-26 08:30")
    [notice] = Notification.objects.filter(recipient=hotline, kind=Kind.DELEGATION)
    assert "代购水果" not in notice.title
    assert notice.title.startswith("Confidential meeting")


def test_it_keeps_the_task_s_deadlines_when_its_meeting_is_cancelled(done, meeting, hotline):
    from huiwu.meetings.services import meeting_cancel

    meeting_cancel(user=hotline, meeting=meeting, reason="领导另有安排")
    # The meeting's own reminders go; the task is still to be settled with the client (staff cancel it if so).
    assert Deadline.objects.get(key=confirm_key(done)).state == Deadline.State.PENDING
    assert set(meeting.deadlines.filter(kind=Kind.MEETING_REMINDER).values_list("state", flat=True)) == {"cancelled"}
