"""The start of a meeting and its refills on their boundaries (DESIGN §4.2): times given afterwards, the
double tap, the season of the actual start, and what each refusal says."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from huiwu.notify.models import Deadline
from huiwu.security.models import AuditEntry
from huiwu.service.models import Phase, Refill, Season
from huiwu.service.services import checklist_tick, meeting_start, refill_record
from huiwu.service.standards import standard_current
from huiwu.testing import at


def _message(refused):
    return " ".join(message for messages in refused.value.message_dict.values() for message in messages)


@pytest.fixture
def started(book, frozen_now, attendant, assign):
    """A meeting 09:00–11:00 on 2026-11-27 served by the attendant, who started it on time."""
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    return meeting


def test_it_takes_a_start_from_the_moment_the_room_is_held_and_not_before(book, frozen_now, attendant, assign):
    meeting = book("2026-11-27 09:00", "11:00")  # held from 08:30
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:05"))
    with pytest.raises(ValidationError) as refused:
        meeting_start(user=attendant, meeting=meeting, at=at("2026-11-27 08:29"))
    assert _message(refused) == "时间不能早于会议室预留时间（2026-11-27 08:30）。"
    service = meeting_start(user=attendant, meeting=meeting, at=at("2026-11-27 08:30"))
    assert (service.started_at, service.started_by) == (at("2026-11-27 08:30"), attendant)


def test_it_refuses_a_second_start(started, attendant):
    with pytest.raises(ValidationError) as refused:
        meeting_start(user=attendant, meeting=started)
    assert refused.value.messages == ["本会议已记录开始。"]
    assert started.service.started_at == at("2026-11-27 09:00")


def test_it_takes_the_season_from_the_actual_start_recorded_afterwards(book, frozen_now, attendant, assign):
    frozen_now.move_to(at("2027-09-30 20:00"))
    meeting = book("2027-09-30 23:00", "2027-10-01 00:30")
    assign(meeting)
    frozen_now.move_to(at("2027-10-01 00:10"))  # recorded after midnight, in winter
    service = meeting_start(user=attendant, meeting=meeting, at=at("2027-09-30 23:50"))
    assert service.season == Season.SUMMER


def test_it_records_a_refill_at_the_time_given_afterwards(started, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:30"))
    refill = refill_record(user=attendant, meeting=started, at=at("2026-11-27 09:17"))
    assert (refill.done_at, refill.done_by) == (at("2026-11-27 09:17"), attendant)
    refill.refresh_from_db()
    assert refill.done_at == at("2026-11-27 09:17")
    pending = Refill.objects.get(meeting=started, done_at__isnull=True)
    assert (pending.opens_at, pending.closes_at) == (at("2026-11-27 09:37"), at("2026-11-27 09:42"))


def test_it_closes_the_refills_deadline_once_recorded(started, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill = refill_record(user=attendant, meeting=started)
    deadline = Deadline.objects.get(key=f"meeting:{started.pk}:refill:{refill.number}")
    assert deadline.state == Deadline.State.DONE
    following = Deadline.objects.get(key=f"meeting:{started.pk}:refill:{refill.number + 1}")
    assert following.state == Deadline.State.PENDING


def test_it_refuses_a_first_refill_before_the_start(started, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:20"))
    with pytest.raises(ValidationError) as refused:
        refill_record(user=attendant, meeting=started, at=at("2026-11-27 08:59"))
    assert _message(refused) == "时间不能早于会议开始（2026-11-27 09:00）。"


def test_it_refuses_a_refill_before_the_previous_one(started, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=attendant, meeting=started)
    frozen_now.move_to(at("2026-11-27 09:40"))
    with pytest.raises(ValidationError) as refused:
        refill_record(user=attendant, meeting=started, at=at("2026-11-27 09:15"))
    assert _message(refused) == "时间不能早于上一次续水（2026-11-27 09:16）。"


@pytest.mark.parametrize(("after", "double_tap"), [(timedelta(minutes=2), False), (timedelta(seconds=119), True)])
def test_it_takes_a_second_refill_within_two_minutes_for_a_double_tap(
    started, frozen_now, attendant, after, double_tap
):
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=attendant, meeting=started)
    frozen_now.move_to(at("2026-11-27 09:16") + after)
    # So soon after the last one, the next window has not opened: a real refill then needs a reason, and a
    # double tap is refused even with one.
    if double_tap:
        with pytest.raises(ValidationError) as refused:
            refill_record(user=attendant, meeting=started, early_reason="leader")
        assert refused.value.messages == [f"第 1 次续水已由 {attendant} 于 09:16 刚刚记录。"]
    else:
        assert refill_record(user=attendant, meeting=started, early_reason="leader").number == 2


def test_it_audits_the_service_of_a_confidential_meeting(book, frozen_now, manager, team_leader):
    meeting = book("2026-11-27 09:00", "11:00", confidentiality=1, user=manager)
    # The team leader serves it: nobody here has the papers to be assigned to it.
    checklist_tick(user=team_leader, meeting=meeting, phase=Phase.BEFORE, item=standard_current().ready_item)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=team_leader, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=team_leader, meeting=meeting)
    changes = AuditEntry.objects.filter(subject_type="meeting", subject_id=meeting.pk, action=AuditEntry.Action.CHANGE)
    # The booking's own entry first (the manager booked it), then each service write.
    assert [(entry.user, entry.at) for entry in changes.order_by("at", "id")][-3:] == [
        (team_leader, at("2026-11-26 08:00")),
        (team_leader, at("2026-11-27 09:00")),
        (team_leader, at("2026-11-27 09:16")),
    ]
