"""In-meeting service (DESIGN §4.2) with frozen time: refill windows from the actual previous refill."""

import pytest
from django.core.exceptions import ValidationError

from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.service.models import Phase, Refill, Season, ServiceStandard
from huiwu.service.services import (
    assignment_add,
    checklist_tick,
    meeting_end,
    meeting_start,
    refill_record,
    service_log_add,
    standard_create,
)
from huiwu.service.standards import phase_items, standard_current, standard_for, standard_values
from huiwu.testing import at


def _window(refill):
    return refill.opens_at, refill.closes_at


def _pending(meeting):
    return Refill.objects.get(meeting=meeting, done_at__isnull=True)


def _run_summer_meeting(book, frozen_now, attendant, assign):
    frozen_now.move_to(at("2027-07-01 08:00"))
    meeting = book("2027-07-01 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2027-07-01 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    return meeting


def test_it_spaces_summer_refills_from_the_actual_previous_refill(book, frozen_now, attendant, assign):
    meeting = _run_summer_meeting(book, frozen_now, attendant, assign)
    assert meeting.service.season == Season.SUMMER
    assert _window(_pending(meeting)) == (at("2027-07-01 09:10"), at("2027-07-01 09:15"))
    frozen_now.move_to(at("2027-07-01 09:12"))
    refill_record(user=attendant, meeting=meeting)
    assert _window(_pending(meeting)) == (at("2027-07-01 09:27"), at("2027-07-01 09:32"))
    frozen_now.move_to(at("2027-07-01 09:30"))
    refill_record(user=attendant, meeting=meeting)
    assert _window(_pending(meeting)) == (at("2027-07-01 09:55"), at("2027-07-01 10:00"))
    frozen_now.move_to(at("2027-07-01 09:58"))
    refill_record(user=attendant, meeting=meeting)
    assert _window(_pending(meeting)) == (at("2027-07-01 10:23"), at("2027-07-01 10:28"))


def test_it_spaces_winter_refills_by_the_winter_schedule(book, frozen_now, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    assert meeting.service.season == Season.WINTER
    assert _window(_pending(meeting)) == (at("2026-11-27 09:15"), at("2026-11-27 09:20"))
    frozen_now.move_to(at("2026-11-27 09:17"))
    refill_record(user=attendant, meeting=meeting)
    assert _window(_pending(meeting)) == (at("2026-11-27 09:37"), at("2026-11-27 09:42"))
    frozen_now.move_to(at("2026-11-27 09:40"))
    refill_record(user=attendant, meeting=meeting)
    assert _window(_pending(meeting)) == (at("2026-11-27 10:05"), at("2026-11-27 10:10"))


def test_it_measures_the_first_refill_from_the_actual_start(book, frozen_now, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:08"))
    meeting_start(user=attendant, meeting=meeting)
    assert _window(_pending(meeting)) == (at("2026-11-27 09:23"), at("2026-11-27 09:28"))


def test_it_reminds_the_assigned_attendants_when_a_window_opens_and_marks_it_late_when_it_closes(
    book, frozen_now, attendant, team_leader
):
    meeting = book("2026-11-27 09:00", "11:00")
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:14"))
    deadlines_process()
    assert not Notification.objects.filter(kind=Kind.REFILL).exists()
    frozen_now.move_to(at("2026-11-27 09:15"))
    deadlines_process()
    reminder = Notification.objects.get(kind=Kind.REFILL, event=Notification.Event.REMINDER)
    assert reminder.recipient == attendant
    assert "701会议室" in reminder.title
    frozen_now.move_to(at("2026-11-27 09:20"))
    deadlines_process()
    assert _pending(meeting).is_late(at("2026-11-27 09:21"))
    late = Notification.objects.filter(kind=Kind.REFILL, event=Notification.Event.ESCALATION)
    assert {n.recipient for n in late} == {attendant, team_leader}
    # Recorded late, it stays late; the next window is still measured from it.
    frozen_now.move_to(at("2026-11-27 09:22"))
    refill = refill_record(user=attendant, meeting=meeting)
    assert refill.is_late(at("2026-11-27 09:22"))
    assert _window(_pending(meeting)) == (at("2026-11-27 09:42"), at("2026-11-27 09:47"))


def test_it_refuses_refills_before_the_start_and_after_the_end(book, frozen_now, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    with pytest.raises(ValidationError, match="请先记录会议开始"):
        refill_record(user=attendant, meeting=meeting)
    meeting_start(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:05"))
    meeting_end(user=attendant, meeting=meeting)
    with pytest.raises(ValidationError):
        refill_record(user=attendant, meeting=meeting)
    # The window still to come was dropped with its reminder.
    assert not Refill.objects.filter(meeting=meeting).exists()
    assert not meeting.deadlines.filter(kind=Kind.REFILL).exclude(state=Deadline.State.CANCELLED).exists()


def test_it_refuses_a_start_in_the_future(book, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    with pytest.raises(ValidationError):
        meeting_start(user=attendant, meeting=meeting, at=at("2026-11-27 09:00"))
    assert not hasattr(meeting, "service")


def test_it_follows_each_sites_season_boundaries(book, frozen_now, attendant, manager, site, assign):
    values = standard_values(standard_current())
    # A southern site: summer until the end of November.
    standard_create(user=manager, values=values | {"site_seasons": {site.code: ["04-15", "11-30"]}})
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    assert meeting.service.season == Season.SUMMER
    assert _window(_pending(meeting)) == (at("2026-11-27 09:10"), at("2026-11-27 09:15"))


def test_it_keeps_a_running_meeting_on_the_standard_it_started_with(book, frozen_now, attendant, manager, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    current = standard_current()
    values = standard_values(current)
    standard_create(user=manager, values=values | {"winter_refills": [[5, 8], [8, 10], [10, 12]]}, reason="试行")
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=attendant, meeting=meeting)
    assert _window(_pending(meeting)) == (at("2026-11-27 09:36"), at("2026-11-27 09:41"))
    assert standard_for(meeting).pk == current.pk
    assert ServiceStandard.objects.count() == 2


def test_it_moves_upcoming_checks_when_the_offsets_change(book, manager):
    meeting = book("2026-11-27 09:00", "11:00")
    current = standard_current()
    values = standard_values(current)
    standard_create(user=manager, values=values | {"level1_minutes": 180})
    assert meeting.checks.get(level=1).due_at == at("2026-11-27 06:00")


def test_it_prompts_the_recess_cup_change_only_for_large_meetings(book, other_room, manager):
    small = book("2026-11-27 09:00", "11:00", headcount=10)
    large = book(
        "2026-11-27 09:00", "11:00", headcount=60, room=other_room, capacity_override_reason="全体大会", user=manager
    )
    standard = standard_current()
    assert phase_items(standard, small, Phase.DURING) == []
    assert phase_items(standard, large, Phase.DURING) == [standard.recess_item]


def test_it_records_requests_and_post_meeting_items(book, frozen_now, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    entry = service_log_add(user=attendant, meeting=meeting, kind="restroom")
    assert entry.recorded_by == attendant
    with pytest.raises(ValidationError):
        service_log_add(user=attendant, meeting=meeting, kind="other", note="  ")
    after = phase_items(standard_current(), meeting, Phase.AFTER)
    with pytest.raises(ValidationError, match="请先记录会议结束"):
        checklist_tick(user=attendant, meeting=meeting, phase=Phase.AFTER, item=after[0])
    frozen_now.move_to(at("2026-11-27 10:50"))
    meeting_end(user=attendant, meeting=meeting)
    tick = checklist_tick(user=attendant, meeting=meeting, phase=Phase.AFTER, item=after[0])
    assert (tick.done_by, tick.done_at) == (attendant, at("2026-11-27 10:50"))
    with pytest.raises(ValidationError, match="已于 10:50 完成"):
        checklist_tick(user=attendant, meeting=meeting, phase=Phase.AFTER, item=after[0])


def test_it_takes_a_second_tap_within_two_minutes_for_a_double_tap(book, frozen_now, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:17"))
    with pytest.raises(ValidationError, match="刚刚"):
        refill_record(user=attendant, meeting=meeting)
    assert _pending(meeting).number == 2
