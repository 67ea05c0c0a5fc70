"""When a meeting gets its three levels (once it is confirmed, from the one entry point that keeps all of a
meeting's deadlines in step: meetings.deadlines.meeting_deadlines_sync), and that entry point."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from huiwu.meetings.deadlines import meeting_deadlines_sync
from huiwu.meetings.models import Meeting
from huiwu.meetings.services import meeting_confirm, meeting_reschedule
from huiwu.notify.models import Deadline, Kind
from huiwu.service.models import MeetingCheck
from huiwu.service.services import check_confirm
from huiwu.testing import at


def _since(meeting) -> set:
    return set(MeetingCheck.objects.filter(meeting=meeting).values_list("since", flat=True))


def test_it_creates_the_three_levels_when_booking_staff_book(book, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    assert sorted(meeting.checks.values_list("level", flat=True)) == [1, 2, 3]
    assert _since(meeting) == {at("2026-11-26 08:00")}


def test_it_creates_the_levels_of_a_request_only_once_it_is_confirmed(book, client_contact, hotline, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00", user=client_contact)
    assert not meeting.checks.exists()
    frozen_now.shift(timedelta(hours=1))
    meeting_confirm(user=hotline, meeting=meeting)
    assert _since(meeting) == {at("2026-11-26 09:00")}
    assert Deadline.objects.filter(meeting=meeting, kind=Kind.SERVICE_CHECK).count() == 3


def test_it_creates_the_levels_once(book, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    frozen_now.shift(timedelta(hours=1))
    meeting_deadlines_sync(meeting)
    assert sorted(meeting.checks.values_list("level", flat=True)) == [1, 2, 3]
    assert _since(meeting) == {at("2026-11-26 08:00")}


@pytest.mark.parametrize(("start", "created"), [("2026-11-26 08:01", True), ("2026-11-26 08:00", False)])
def test_it_gives_no_levels_to_a_meeting_confirmed_at_or_after_its_start(book, manager, frozen_now, start, created):
    meeting = book(start, "09:00", user=manager)
    assert meeting.checks.exists() is created


def test_it_tells_who_confirms_a_level_of_a_meeting_recorded_after_its_start(book, manager, ok, team_leader):
    meeting = book("2026-11-26 07:00", "07:30", user=manager)
    with pytest.raises(ValidationError) as refused:
        check_confirm(user=team_leader, meeting=meeting, level=1, results=ok(meeting, 1))
    assert refused.value.messages == ["此会议在开始后才确认，没有检查。"]


def test_it_answers_a_level_of_a_meeting_recorded_after_its_start_with_422(api, book, manager, ok, team_leader):
    meeting = book("2026-11-26 07:00", "07:30", user=manager)
    response = api(team_leader, "post", f"/meetings/{meeting.pk}/checks/1", {"results": ok(meeting, 1)})
    assert response.status_code == 422, response.content
    assert not meeting.check_records.exists()


def test_it_moves_the_reminders_and_the_checks_in_one_call(book, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    hour = timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=F("start") + hour,
        end=F("end") + hour,
        blocked_from=F("blocked_from") + hour,
        blocked_until=F("blocked_until") + hour,
    )
    meeting.refresh_from_db()
    meeting_deadlines_sync(meeting)
    reminders = Deadline.objects.filter(meeting=meeting, kind=Kind.MEETING_REMINDER)
    assert {deadline.due_at for deadline in reminders} == {at("2026-11-27 10:00")}
    assert Deadline.objects.get(key=f"meeting:{meeting.pk}:check:1").due_at == at("2026-11-27 08:00")
    assert MeetingCheck.objects.get(meeting=meeting, level=1).due_at == at("2026-11-27 08:00")


def test_it_cancels_every_deadline_of_a_cancelled_meeting_in_one_call(book, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    meeting.refresh_from_db()
    meeting_deadlines_sync(meeting)
    assert set(meeting.deadlines.values_list("state", flat=True)) == {Deadline.State.CANCELLED}


def test_it_creates_a_bookings_levels_with_their_times_in_one_insert(book, frozen_now):
    with CaptureQueriesContext(connection) as queries:
        meeting = book("2026-11-27 09:00", "10:00")
    assert [query["sql"].split()[0] for query in queries if '"service_meetingcheck"' in query["sql"]] == ["INSERT"]
    checks = {check.level: check for check in meeting.checks.all()}
    assert checks[1].due_at == at("2026-11-27 07:00")
    for level, check in checks.items():
        deadline = Deadline.objects.get(key=f"meeting:{meeting.pk}:check:{level}")
        assert (check.opens_at, check.due_at, check.urgent) == (deadline.opens_at, deadline.due_at, False)


def test_it_restarts_the_levels_of_a_moved_meeting_in_two_updates(book, assign, confirm, hotline, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    confirm(meeting, 1)
    frozen_now.shift(timedelta(minutes=10))
    with CaptureQueriesContext(connection) as queries:
        meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 14:00"), end=at("2026-11-27 15:00"))
    # The levels re-opened or restarted, then their new times: one statement each, for the three levels.
    updates = [query for query in queries if query["sql"].startswith('UPDATE "service_meetingcheck"')]
    assert len(updates) == 2
    checks = meeting.checks.order_by("level")
    assert [(check.state, check.since, check.confirmed_by) for check in checks] == [
        (MeetingCheck.State.OPEN, at("2026-11-26 08:10"), None)
    ] * 3
    due = [at("2026-11-27 12:00"), at("2026-11-27 13:00"), at("2026-11-27 13:30")]
    assert [check.due_at for check in checks] == due
