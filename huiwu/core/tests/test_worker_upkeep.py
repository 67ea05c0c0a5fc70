"""The worker's upkeep besides deadlines and deliveries: it tells /readyz it is alive (a beat at most every
BEAT_INTERVAL_SECONDS, removed at a clean stop) and prunes what has outlived its retention every
PRUNE_INTERVAL_MINUTES, the first time an interval after it started."""

import os
import signal
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from huiwu.core.management.commands import worker
from huiwu.notify.models import Kind, Notification
from huiwu.ops.models import WorkerBeat
from huiwu.testing import at

# The worker closes its connection between passes, as in production: it needs rows really committed.
pytestmark = pytest.mark.django_db(transaction=True)

NOW = at("2026-12-04 09:30")


def _old_notification(recipient) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        kind=Kind.MEETING_REMINDER,
        event=Notification.Event.REMINDER,
        title="半年前的提醒",
        created_at=NOW - timedelta(days=400),
    )


@time_machine.travel(NOW, tick=False)
def test_it_beats_for_readiness_on_its_pass():
    call_command("worker", once=True, stdout=StringIO())
    beat = WorkerBeat.objects.get()
    assert beat.beat_at == NOW
    assert beat.pid == os.getpid()


def test_it_removes_its_beat_when_it_stops_cleanly(monkeypatch):
    passes = []

    def one_pass_then_sigterm(*, batch):
        passes.append(WorkerBeat.objects.count())
        os.kill(os.getpid(), signal.SIGTERM)  # the worker's own handler: finish the pass, then stop
        return 0

    monkeypatch.setattr(worker, "deadlines_process", one_pass_then_sigterm)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        call_command("worker", stdout=StringIO())
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert passes == [1]  # it had beaten before its first pass
    assert not WorkerBeat.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_prunes_once_the_interval_has_passed(settings, hotline):
    settings.PRUNE_INTERVAL_MINUTES = 0
    _old_notification(hotline)
    call_command("worker", once=True, stdout=StringIO())
    assert not Notification.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_does_not_prune_on_the_pass_it_starts_with(settings, hotline):
    settings.PRUNE_INTERVAL_MINUTES = 60
    _old_notification(hotline)
    call_command("worker", once=True, stdout=StringIO())
    assert Notification.objects.count() == 1
