"""Assignments and the room-ready item: who serves a meeting, and what they are reminded of."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.service.models import Assignment, Phase
from huiwu.service.services import assignment_add, assignment_remove, checklist_tick, meeting_start
from huiwu.service.standards import standard_current
from huiwu.testing import at


def _ready(meeting):
    return Deadline.objects.get(key=f"meeting:{meeting.pk}:ready")


def test_it_makes_the_room_ready_item_due_thirty_minutes_before_for_the_team_leader_until_someone_is_assigned(
    book, team_leader, attendant
):
    meeting = book("2026-11-27 09:00", "10:00")
    ready = _ready(meeting)
    assert (ready.opens_at, ready.due_at, ready.responsible_role) == (
        at("2026-11-27 08:15"),
        at("2026-11-27 08:30"),
        "team_leader",
    )
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)
    ready = _ready(meeting)
    assert ready.responsible_role == ""
    assert list(ready.responsible_users.all()) == [attendant]


def test_it_closes_the_room_ready_deadline_when_the_item_is_ticked(book, attendant, frozen_now, assign):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 08:20"))
    checklist_tick(user=attendant, meeting=meeting, phase=Phase.BEFORE, item=standard_current().ready_item)
    assert _ready(meeting).state == Deadline.State.DONE
    frozen_now.move_to(at("2026-11-27 08:30"))
    deadlines_process()
    assert not Notification.objects.filter(kind=Kind.ROOM_READY, event=Notification.Event.ESCALATION).exists()


def test_it_escalates_an_unready_room_to_the_team_leader(book, team_leader, attendant, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)
    frozen_now.move_to(at("2026-11-27 08:15"))
    deadlines_process()
    assert Notification.objects.get(kind=Kind.ROOM_READY, event=Notification.Event.REMINDER).recipient == attendant
    frozen_now.move_to(at("2026-11-27 08:30"))
    deadlines_process()
    escalated = Notification.objects.filter(kind=Kind.ROOM_READY, event=Notification.Event.ESCALATION)
    assert {n.recipient for n in escalated} == {attendant, team_leader}


def test_it_tells_the_attendant_of_the_assignment_and_adds_them_to_the_meeting_reminders(book, team_leader, attendant):
    meeting = book("2026-11-27 09:00", "10:00")
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=Assignment.Duty.HELPER)
    notice = Notification.objects.get(recipient=attendant, kind=Kind.ASSIGNMENT)
    assert "周例会" in notice.title
    reminder = meeting.deadlines.filter(kind=Kind.MEETING_REMINDER).first()
    assert attendant in reminder.responsible_users.all()


def test_it_allows_one_lead_per_meeting(book, team_leader, attendant, make_persona):
    meeting = book("2026-11-27 09:00", "10:00")
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)
    with pytest.raises(ValidationError):
        assignment_add(user=team_leader, meeting=meeting, attendant=team_leader, duty=Assignment.Duty.LEAD)
    assignment_add(user=team_leader, meeting=meeting, attendant=team_leader, duty=Assignment.Duty.HELPER)
    assert [a.duty for a in meeting.assignments.all()] == ["lead", "helper"]


def test_it_lets_only_team_leaders_and_managers_assign(book, attendant, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(PermissionDenied):
        assignment_add(user=hotline, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)


def test_it_refuses_to_assign_someone_who_does_not_serve(book, team_leader, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    with pytest.raises(ValidationError):
        assignment_add(user=team_leader, meeting=meeting, attendant=hotline, duty=Assignment.Duty.LEAD)
    assert not meeting.assignments.exists()


def test_it_allows_back_to_back_meetings_for_one_attendant(book, team_leader, attendant, other_room):
    first = book("2026-11-27 09:00", "10:00")
    second = book("2026-11-27 10:00", "11:00", room=other_room)
    assignment_add(user=team_leader, meeting=first, attendant=attendant, duty=Assignment.Duty.LEAD)
    assignment_add(user=team_leader, meeting=second, attendant=attendant, duty=Assignment.Duty.LEAD)
    assert attendant.service_assignments.count() == 2


def test_it_keeps_who_served_a_past_meeting(book, team_leader, attendant, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    assignment = assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)
    frozen_now.move_to(at("2026-11-27 10:30"))
    with pytest.raises(ValidationError):
        assignment_remove(user=team_leader, assignment=assignment)
    assert meeting.assignments.count() == 1


def test_it_sends_the_open_refill_to_whoever_serves_now(book, team_leader, attendant, make_persona, frozen_now):
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    colleague = user_upsert(username="att2", password="x" * 12, display_name="马丽", roles=[Role.ATTENDANT])
    meeting = book("2026-11-27 09:00", "11:00")
    lead = assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=Assignment.Duty.LEAD)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    assignment_remove(user=team_leader, assignment=lead)
    assignment_add(user=team_leader, meeting=meeting, attendant=colleague, duty=Assignment.Duty.LEAD)
    refill = Deadline.objects.get(key=f"meeting:{meeting.pk}:refill:1")
    assert list(refill.responsible_users.all()) == [colleague]
    assert Notification.objects.filter(recipient=attendant, kind=Kind.ASSIGNMENT, title__contains="不再").exists()
