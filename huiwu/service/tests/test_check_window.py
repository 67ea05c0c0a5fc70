"""When a level can be confirmed: from the standard's confirm_early_minutes (30 by default) before it is due,
not hours ahead; an urgent level from the moment its role is told; a problem at any time."""

import pytest
from django.core.exceptions import ValidationError

from huiwu.service.models import CheckRecord, MeetingCheck
from huiwu.service.services import check_confirm, standard_create
from huiwu.service.standards import standard_current, standard_values
from huiwu.testing import at


def _state(meeting, level):
    return MeetingCheck.objects.get(meeting=meeting, level=level).state


@pytest.fixture
def meeting(book, assign):
    """A staffed meeting of 2026-11-27 09:00–10:00: level 1 due at 07:00, level 2 at 08:00, level 3 at 08:30."""
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    return meeting


@pytest.mark.parametrize(
    ("now", "confirmed"),
    [
        ("2026-11-27 06:29", False),  # 31 minutes before it is due
        ("2026-11-27 06:30", True),  # 30 minutes before
        ("2026-11-27 06:31", True),
        ("2026-11-27 07:30", True),  # overdue: still to be done, and accepted
    ],
)
def test_it_confirms_level_1_from_thirty_minutes_before_it_is_due(meeting, team_leader, ok, frozen_now, now, confirmed):
    frozen_now.move_to(at(now))
    if confirmed:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
        assert _state(meeting, 1) == MeetingCheck.State.CONFIRMED
        return
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert refused.value.messages == ["尚未到确认时间：本级可从 06:30 起确认。"]
    assert _state(meeting, 1) == MeetingCheck.State.OPEN
    assert not CheckRecord.objects.exists()


def test_it_names_the_day_of_a_window_that_opens_on_another_day(meeting, team_leader, ok):
    # The clock at 2026-11-26 08:00, the day before: "hours ahead" is what the window is there to stop.
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert refused.value.messages == ["尚未到确认时间：本级可从 11-27 06:30 起确认。"]


@pytest.mark.parametrize(("now", "confirmed"), [("2026-11-27 07:29", False), ("2026-11-27 07:30", True)])
def test_it_confirms_level_2_from_thirty_minutes_before_it_is_due(
    meeting, confirm, env_supervisor, ok, frozen_now, now, confirmed
):
    confirm(meeting, 1)
    frozen_now.move_to(at(now))
    if confirmed:
        check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    else:
        with pytest.raises(ValidationError, match="07:30"):
            check_confirm(user=env_supervisor, meeting=meeting, level=2, results=ok(meeting, 2))
    assert (_state(meeting, 2) == MeetingCheck.State.CONFIRMED) is confirmed


@pytest.mark.parametrize(
    ("minutes", "now", "confirmed"),
    [(45, "06:14", False), (45, "06:15", True), (10, "06:49", False), (10, "06:50", True)],
)
def test_it_takes_the_window_from_the_standards_in_force(
    meeting, manager, team_leader, ok, frozen_now, minutes, now, confirmed
):
    standard_create(user=manager, values=standard_values(standard_current()) | {"confirm_early_minutes": minutes})
    frozen_now.move_to(at(f"2026-11-27 {now}"))
    if confirmed:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    else:
        with pytest.raises(ValidationError, match="尚未到确认时间"):
            check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert (_state(meeting, 1) == MeetingCheck.State.CONFIRMED) is confirmed


def test_it_lets_a_problem_be_reported_before_the_window(meeting, team_leader, manager, ok):
    results = ok(meeting, 1)
    results[next(iter(results))] = False
    record = check_confirm(user=team_leader, meeting=meeting, level=1, results=results, notes="会议可能改期")
    assert record.action == CheckRecord.Action.FAILED
    assert _state(meeting, 1) == MeetingCheck.State.FAILED


def test_it_lets_an_urgent_level_be_confirmed_as_soon_as_it_is_arranged(book, assign, team_leader, ok, frozen_now):
    # Booked at 08:00 for 09:50: level 1 (normally due 07:50) is late already; every level is due by 09:20.
    meeting = book("2026-11-26 09:50", "10:50")
    assign(meeting)
    check = MeetingCheck.objects.get(meeting=meeting, level=1)
    assert (check.urgent, check.due_at) == (True, at("2026-11-26 09:20"))
    check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert _state(meeting, 1) == MeetingCheck.State.CONFIRMED
