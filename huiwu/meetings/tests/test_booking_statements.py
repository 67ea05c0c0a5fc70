"""How many SQL statements a booking costs (issue 16): its deadlines, levels and history are written a statement
per table, not a row at a time, so that booking stays fast (bench/booking.py). Each test books once first, so
that the user's permissions and Django's caches are warm, as they are in a running server. The limits are the
counts on PostgreSQL, where the room's advisory lock is one statement more than on SQLite; the test's own
transaction makes the booking's a savepoint (SAVEPOINT and RELEASE, where a server has BEGIN and COMMIT)."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiwu.meetings.services import meeting_create, meeting_reschedule
from huiwu.notify.models import Deadline
from huiwu.testing import at


def _kinds(queries) -> Counter:
    """How many statements of each (verb, first table): ("INSERT", "notify_deadline"), ("SAVEPOINT", ""), …"""
    counted = Counter()
    for query in queries:
        table = re.search(r'\b(?:FROM|INTO|UPDATE)\s+"(\w+)"', query["sql"])
        counted[query["sql"].split()[0], table.group(1) if table else ""] += 1
    return counted


@pytest.fixture
def warm(book):
    book("2026-11-30 09:00", "10:00", title="预热")


@pytest.fixture
def client_of_organization(client_contact, organization):
    client_contact.organization = organization
    client_contact.save(update_fields=["organization"])
    return client_contact


def test_it_books_a_confirmed_meeting_in_at_most_12_statements(
    warm, book, client_of_organization, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        meeting = book("2026-11-27 09:00", "10:00")
    assert meeting.deadlines.count() == 6  # two reminders, three levels, the room-ready item
    assert meeting.checks.count() == 3
    assert set(Deadline.objects.get(key=f"meeting:{meeting.pk}:reminder:60").responsible_users.all()) == {
        meeting.created_by,
        client_of_organization,
    }


def test_it_writes_a_bookings_deadlines_levels_and_history_in_one_statement_each(warm, book, client_of_organization):
    with CaptureQueriesContext(connection) as queries:
        book("2026-11-27 09:00", "10:00")
    kinds = _kinds(queries)
    assert {table: kinds["INSERT", table] for table in ("notify_deadline", "service_meetingcheck")} == {
        "notify_deadline": 1,
        "service_meetingcheck": 1,
    }
    # A new meeting's deadlines cannot exist yet: they are inserted, not looked for first.
    assert (kinds["INSERT", "notify_deadline_responsible_users"], kinds["SELECT", "notify_deadline"]) == (1, 0)
    assert kinds["INSERT", "meetings_meetingchange"] == 1
    # Nothing is written twice, nothing is read that a new meeting cannot have yet, no savepoint per row.
    assert not [kind for kind in kinds if kind[0] in ("UPDATE", "DELETE")]
    service = ("service_meetingcheck", "service_checklisttick", "service_assignment", "service_meetingservice")
    assert [kind for kind in kinds if kind[1] in service] == [("INSERT", "service_meetingcheck")]
    assert kinds["SAVEPOINT", ""] <= 1
    assert kinds["SELECT", "accounts_user"] == 2  # the client contacts to remind, the hotline to tell


def test_it_books_a_clients_request_in_at_most_13_statements(
    warm, draft, client_of_organization, django_assert_max_num_queries
):
    meeting_create(user=client_of_organization, draft=draft("2026-11-27 14:00", "15:00", title="预热"))
    # Three of them are the hotline's notice (the notification, the robots to post to, the settings).
    with django_assert_max_num_queries(13):
        meeting = meeting_create(user=client_of_organization, draft=draft("2026-11-27 09:00", "10:00"))
    assert meeting.deadlines.count() == 2  # its reminders; the service waits for the confirmation
    assert not meeting.checks.exists()


def test_it_books_with_attendees_and_service_items_in_at_most_14_statements(
    warm, book, organization, django_assert_max_num_queries
):
    from huiwu.directory.models import Person

    leaders = [Person.objects.create(organization=organization, name=name, title="局长") for name in ("张建国", "李华")]
    with django_assert_max_num_queries(14):
        meeting = book("2026-11-27 09:00", "10:00", attendees=leaders, service_items={"tea": (10, "龙井")})
    assert (meeting.attendee_links.count(), meeting.service_items.count(), meeting.deadlines.count()) == (2, 1, 6)


def test_it_moves_a_meeting_in_at_most_26_statements(
    warm, book, hotline, client_of_organization, django_assert_max_num_queries
):
    meeting = book("2026-11-27 09:00", "10:00")
    with django_assert_max_num_queries(26):
        meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 15:00"), end=at("2026-11-27 16:00"))
    assert Deadline.objects.get(key=f"meeting:{meeting.pk}:reminder:60").opens_at == at("2026-11-27 14:00")
    assert meeting.checks.get(level=1).due_at == at("2026-11-27 13:00")
