"""A chunk of deadlines is written together: its reminders (or escalations), their e-mail deliveries and the
deliveries' tasks cost as many SQL statements for 2 deadlines as for 20, not a few more per deadline."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from huiwu.notify.models import Deadline, Delivery, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.testing import at

OPENS = at("2026-11-27 08:00")


@pytest.fixture
def email_recipients(hotline, attendant):
    """The hotline and the attendant, each with an e-mail address: each reminder makes two e-mail deliveries."""
    for user in (hotline, attendant):
        user.email = f"{user.username}@huiwu.example"
        user.save(update_fields=["email"])
    return [hotline, attendant]


@pytest.fixture
def statements_of_a_chunk(email_recipients):
    """statements_of_a_chunk(count, awaits_completion=False): how many statements a worker's pass spends on
    `count` deadlines of the two e-mail recipients opening at once (a later pass: escalating them, when they
    await completion). Each call makes its own deadlines, opening (and due) a day after the previous ones."""
    calls = iter(range(100))

    def measure(count: int, *, awaits_completion: bool = False) -> int:
        call = next(calls)
        opens_at = OPENS + timedelta(days=call)
        deadlines = Deadline.objects.bulk_create(
            Deadline(
                key=f"test:chunk:{call}:{number}",
                kind=Kind.SERVICE_CHECK,
                title=f"三级检查：党组会 {number}",
                url=f"/service/meetings/{number}/",
                opens_at=opens_at,
                due_at=opens_at + timedelta(minutes=30),
                awaits_completion=awaits_completion,
            )
            for number in range(count)
        )
        for deadline in deadlines:
            deadline.responsible_users.set(email_recipients)
        moment = opens_at + timedelta(minutes=30) if awaits_completion else opens_at
        if awaits_completion:
            deadlines_process(now=opens_at)  # the reminders: not measured
        with CaptureQueriesContext(connection) as queries:
            assert deadlines_process(now=moment) == count
        return len(queries)

    return measure


def test_it_writes_a_chunk_of_reminders_in_as_many_statements_for_2_deadlines_as_for_20(statements_of_a_chunk):
    assert statements_of_a_chunk(2) == statements_of_a_chunk(20)
    # Each reminder did reach both people, by inbox and by e-mail, with a task for each e-mail.
    assert Notification.objects.filter(event=Notification.Event.REMINDER).count() == 2 * 22
    assert Delivery.objects.filter(channel="email").count() == 2 * 22
    assert DBTaskResult.objects.count() == 2 * 22


def test_it_writes_a_chunk_of_escalations_in_as_many_statements_for_2_deadlines_as_for_20(statements_of_a_chunk):
    assert statements_of_a_chunk(2, awaits_completion=True) == statements_of_a_chunk(20, awaits_completion=True)
    assert Notification.objects.filter(event=Notification.Event.ESCALATION).count() == 2 * 22
    assert Delivery.objects.filter(notification__event=Notification.Event.ESCALATION).count() == 2 * 22
    assert set(Deadline.objects.values_list("state", flat=True)) == {Deadline.State.MISSED}
