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


# --- deadlines_upsert: many deadlines at once, each by deadline_upsert's rules ---------------------------

OPENS, DUE = at("2026-11-27 08:15"), at("2026-11-27 08:30")


def _spec(key, *, opens_at=OPENS, due_at=DUE, **values):
    from huiwu.notify.services import DeadlineSpec

    values = {"kind": Kind.SERVICE_CHECK, "title": "三级检查：党组会", "url": "/service/meetings/1/"} | values
    return DeadlineSpec(key=key, opens_at=opens_at, due_at=due_at, **values)


# (state before, moved, undone) → (state after, round after, progress cleared): a moved, cancelled, or undone
# and done deadline opens again (its times of reminding and closing and its note cleared), in a new round unless
# it was still pending; any other keeps its state, round and progress.
REOPENING = [
    (Deadline.State.PENDING, False, False, Deadline.State.PENDING, 1, False),
    (Deadline.State.PENDING, True, False, Deadline.State.PENDING, 1, True),
    (Deadline.State.PENDING, False, True, Deadline.State.PENDING, 1, False),
    (Deadline.State.REMINDED, False, False, Deadline.State.REMINDED, 1, False),
    (Deadline.State.REMINDED, True, False, Deadline.State.PENDING, 2, True),
    (Deadline.State.REMINDED, False, True, Deadline.State.REMINDED, 1, False),
    (Deadline.State.DONE, False, False, Deadline.State.DONE, 1, False),
    (Deadline.State.DONE, True, False, Deadline.State.PENDING, 2, True),
    (Deadline.State.DONE, False, True, Deadline.State.PENDING, 2, True),
    (Deadline.State.MISSED, False, False, Deadline.State.MISSED, 1, False),
    (Deadline.State.MISSED, False, True, Deadline.State.MISSED, 1, False),
    (Deadline.State.MISSED, True, False, Deadline.State.PENDING, 2, True),
    (Deadline.State.CANCELLED, False, False, Deadline.State.PENDING, 2, True),
]


def test_it_applies_the_rules_of_reopening_to_each_deadline_of_a_batch(db):
    from huiwu.notify.services import deadlines_upsert

    closed = at("2026-11-27 08:20")
    rows = deadlines_upsert(specs=[_spec(f"test:batch:{number}") for number in range(len(REOPENING))])
    for row, (state, *_after) in zip(rows, REOPENING, strict=True):
        Deadline.objects.filter(pk=row.pk).update(state=state, reminded_at=OPENS, closed_at=closed, note="已处理")
    later = OPENS + timedelta(minutes=5)
    deadlines_upsert(
        specs=[
            _spec(f"test:batch:{number}", opens_at=later if moved else OPENS, undone=undone, title="三级检查：改期")
            for number, (_state, moved, undone, *_after) in enumerate(REOPENING)
        ]
    )
    after = {d.key: d for d in Deadline.objects.all()}
    for number, (state, moved, undone, state_after, round_after, cleared) in enumerate(REOPENING):
        deadline = after[f"test:batch:{number}"]
        case = (state, moved, undone)
        assert (deadline.state, deadline.round, deadline.title) == (state_after, round_after, "三级检查：改期"), case
        assert deadline.opens_at == (later if moved else OPENS), case
        progress = (deadline.reminded_at, deadline.closed_at, deadline.note)
        assert progress == ((None, None, "") if cleared else (OPENS, closed, "已处理")), case


def test_it_writes_a_batch_of_new_deadlines_in_one_read_and_two_inserts(hotline, attendant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiwu.notify.services import deadlines_upsert

    specs = [_spec(f"test:new:{number}", responsible_users=[hotline, attendant]) for number in range(6)]
    with CaptureQueriesContext(connection) as queries:
        rows = deadlines_upsert(specs=specs)
    assert [query["sql"].split()[0] for query in queries] == ["SELECT", "INSERT", "INSERT"]
    assert [row.key for row in rows] == [spec.key for spec in specs]
    assert all(set(row.responsible_users.all()) == {hotline, attendant} for row in rows)


def test_it_writes_nothing_for_a_batch_that_changes_nothing(hotline):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiwu.notify.services import deadlines_upsert

    specs = [_spec(f"test:same:{number}", responsible_users=[hotline]) for number in range(3)]
    deadlines_upsert(specs=specs)
    with CaptureQueriesContext(connection) as queries:
        deadlines_upsert(specs=specs)
    # The deadlines, then their links: read, and nothing written.
    assert [query["sql"].split()[0] for query in queries] == ["SELECT", "SELECT"]


def test_it_links_each_deadline_to_exactly_its_responsible_people(hotline, attendant, manager):
    from huiwu.notify.services import deadlines_upsert

    deadlines_upsert(
        specs=[
            _spec("test:people:1", responsible_users=[hotline, attendant]),
            _spec("test:people:2", responsible_users=[attendant]),
            _spec("test:people:3"),
        ]
    )
    rows = deadlines_upsert(
        specs=[
            _spec("test:people:1", responsible_users=[attendant, manager, manager]),
            _spec("test:people:2"),
            _spec("test:people:3", responsible_users=[hotline]),
        ]
    )
    assert [set(row.responsible_users.all()) for row in rows] == [{attendant, manager}, set(), {hotline}]


def test_it_cancels_the_open_deadlines_among_the_others_that_no_spec_names(db):
    from huiwu.notify.services import deadlines_upsert

    _kept, dropped, done = deadlines_upsert(specs=[_spec("test:others:1"), _spec("test:others:2"), _spec("test:x:3")])
    Deadline.objects.filter(pk=done.pk).update(state=Deadline.State.DONE)
    deadlines_upsert(specs=[_spec("test:others:1")], others=Deadline.objects.filter(kind=Kind.SERVICE_CHECK))
    states = dict(Deadline.objects.values_list("key", "state"))
    assert states == {
        "test:others:1": Deadline.State.PENDING,
        "test:others:2": Deadline.State.CANCELLED,
        "test:x:3": Deadline.State.DONE,
    }
    assert Deadline.objects.get(pk=dropped.pk).closed_at is not None


def test_it_refuses_a_batch_that_names_a_key_twice(db):
    from huiwu.notify.services import deadlines_upsert

    with pytest.raises(ValueError, match="named twice"):
        deadlines_upsert(specs=[_spec("test:twice"), _spec("test:twice")])
    assert not Deadline.objects.exists()


def test_it_creates_the_deadlines_of_a_new_subject_in_two_inserts_reading_nothing(hotline, attendant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiwu.notify.services import deadlines_create

    specs = [_spec(f"test:created:{number}", responsible_users=[hotline, attendant]) for number in range(6)]
    with CaptureQueriesContext(connection) as queries:
        rows = deadlines_create(specs=specs)
    assert [query["sql"].split()[0] for query in queries] == ["INSERT", "INSERT"]
    assert [(row.key, row.state, row.round) for row in rows] == [(s.key, Deadline.State.PENDING, 1) for s in specs]
    assert all(set(row.responsible_users.all()) == {hotline, attendant} for row in rows)
