"""The deadline engine with frozen time: reminders open on time, escalations fire, sources move them."""

from datetime import timedelta

import pytest
import time_machine

from huiwu.meetings.services import meeting_cancel, meeting_reschedule
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadline_complete, deadline_upsert, deadlines_process
from huiwu.testing import at


def _reminders():
    return Notification.objects.filter(event=Notification.Event.REMINDER)


def test_it_reminds_at_the_opening_time_and_not_before(book, hotline, client_contact, organization):
    client_contact.organization = organization
    client_contact.save()
    meeting = book("2026-11-27 09:00", "10:00", title="党组会")
    assert sorted(d.opens_at for d in meeting.deadlines.filter(kind=Kind.MEETING_REMINDER)) == [
        at("2026-11-26 09:00"),
        at("2026-11-27 08:00"),
    ]
    with time_machine.travel(at("2026-11-26 08:59"), tick=False):
        deadlines_process()
    assert not _reminders().exists()
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
    reminded = _reminders()
    assert {n.recipient for n in reminded} == {hotline, client_contact}
    assert all("党组会" in n.title and n.url == f"/meetings/{meeting.pk}/" for n in reminded)
    assert meeting.deadlines.get(opens_at=at("2026-11-26 09:00")).state == Deadline.State.DONE


def test_it_reminds_exactly_once_however_often_it_runs(book):
    book("2026-11-27 09:00", "10:00")
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
        deadlines_process()
    with time_machine.travel(at("2026-11-26 09:05"), tick=False):
        deadlines_process()
    assert _reminders().count() == 1


def test_it_moves_the_reminders_with_the_meeting(book, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 15:00"), end=at("2026-11-27 16:00"))
    assert sorted(d.opens_at for d in meeting.deadlines.filter(kind=Kind.MEETING_REMINDER)) == [
        at("2026-11-26 15:00"),
        at("2026-11-27 14:00"),
    ]
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
    assert not _reminders().exists()


def test_it_reminds_again_when_a_meeting_moves_after_its_reminder(book, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
        meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-28 09:00"), end=at("2026-11-28 10:00"))
    with time_machine.travel(at("2026-11-27 09:00"), tick=False):
        deadlines_process()
    assert _reminders().count() == 2


def test_it_cancels_the_reminders_of_a_cancelled_meeting(book, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    meeting_cancel(user=hotline, meeting=meeting, reason="领导出差")
    assert set(meeting.deadlines.values_list("state", flat=True)) == {Deadline.State.CANCELLED}
    with time_machine.travel(at("2026-11-27 09:00"), tick=False):
        deadlines_process()
    assert not _reminders().exists()


def test_it_records_a_reminder_far_past_its_time_as_missed_instead_of_sending_it(book):
    meeting = book("2026-11-27 09:00", "10:00")
    # The worker was down from before 09:00 until 09:45 on the 26th: the day-before reminder is 45 min late.
    with time_machine.travel(at("2026-11-26 09:45"), tick=False):
        deadlines_process()
    late = meeting.deadlines.get(opens_at=at("2026-11-26 09:00"))
    assert late.state == Deadline.State.MISSED
    assert "too late" in late.note
    assert not _reminders().exists()


@pytest.fixture
def check_deadline(hotline):
    """A deadline that waits for an action (like the level-3 check), escalated to the manager if missed."""
    return deadline_upsert(
        key="test:check:1",
        kind=Kind.MEETING_REMINDER,
        title="三级检查：党组会",
        url="/meetings/1/",
        opens_at=at("2026-11-27 08:15"),
        due_at=at("2026-11-27 08:30"),
        responsible_role="hotline",
        awaits_completion=True,
        escalate_to_role="manager",
    )


def test_it_escalates_when_the_due_time_passes_without_completion(check_deadline, hotline, manager):
    with time_machine.travel(at("2026-11-27 08:15"), tick=False):
        deadlines_process()
    check_deadline.refresh_from_db()
    assert check_deadline.state == Deadline.State.REMINDED
    with time_machine.travel(at("2026-11-27 08:29"), tick=False):
        deadlines_process()
    assert not Notification.objects.filter(event=Notification.Event.ESCALATION).exists()
    with time_machine.travel(at("2026-11-27 08:30"), tick=False):
        deadlines_process()
    check_deadline.refresh_from_db()
    assert check_deadline.state == Deadline.State.MISSED
    escalated = Notification.objects.filter(event=Notification.Event.ESCALATION)
    assert {n.recipient for n in escalated} == {hotline, manager}


def test_it_does_not_escalate_what_was_done_in_time(check_deadline, manager):
    with time_machine.travel(at("2026-11-27 08:15"), tick=False):
        deadlines_process()
    assert deadline_complete(key="test:check:1")
    with time_machine.travel(at("2026-11-27 08:31"), tick=False):
        deadlines_process()
    assert not Notification.objects.filter(event=Notification.Event.ESCALATION).exists()
    assert Deadline.objects.get().state == Deadline.State.DONE


def test_it_tells_the_hotline_of_every_booking_and_change_but_not_the_one_who_made_it(
    book, hotline, make_persona, manager
):
    colleague = make_persona("hotline")  # same persona name: re-used
    other = type(colleague).objects.create(username="hotline2", display_name="热线二")
    other.groups.add(*colleague.groups.all())
    meeting = book("2026-11-27 09:00", "10:00", title="党组会", user=manager)
    notices = Notification.objects.filter(event=Notification.Event.NOTICE, kind=Kind.MEETING_BOOKED)
    assert {n.recipient.username for n in notices} == {"hotline", "hotline2"}
    assert "党组会" in notices.first().title
    meeting_cancel(user=hotline, meeting=meeting, reason="取消")
    assert notices.filter(recipient=other).count() == 2
    assert notices.filter(recipient=hotline).count() == 1


def test_it_tells_every_reminder_in_the_site_language(book, client, hotline):
    from django.utils import translation

    with translation.override("en"):
        book("2026-11-27 09:00", "10:00", title="Party group")
    with time_machine.travel(at("2026-11-26 09:00") + timedelta(seconds=1), tick=False):
        deadlines_process()
    assert _reminders().get().title.startswith("会议提醒")


def test_it_keeps_a_claimed_deadline_claimed_when_its_source_is_saved_again(book, hotline, draft):
    from huiwu.meetings.services import meeting_update

    meeting = book("2026-11-27 09:00", "10:00")
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
        # An edit that does not move the meeting (a note) re-syncs its deadlines: the reminder stays done.
        meeting_update(user=hotline, meeting=meeting, draft=draft(notes="多备一壶热水"))
        deadlines_process()
    day_before = meeting.deadlines.get(opens_at=at("2026-11-26 09:00"))
    assert (day_before.state, day_before.round) == (Deadline.State.DONE, 1)
    assert _reminders().count() == 1


def test_it_reminds_the_meetings_contact_through_their_account(book, hotline, attendant, organization):
    from huiwu.directory.models import Contact

    # A contact whose account is not a client of the organizer (e.g. a colleague from another unit).
    contact = Contact.objects.create(organization=organization, name="周敏", user=attendant)
    book("2026-11-27 09:00", "10:00", contact=contact)
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
    assert {n.recipient for n in _reminders()} == {hotline, attendant}
