import os
import socket
from datetime import timedelta

import time_machine

from huiwu.ops.models import WorkerBeat
from huiwu.ops.selectors import worker_beat_newest, workers_alive
from huiwu.ops.services import worker_beat, worker_beat_end, worker_beats_prune
from huiwu.testing import at

NOW = at("2026-11-26 08:00")


def test_it_records_a_workers_first_beat_with_its_host_and_process(db):
    worker_beat(worker_id="w1", now=NOW)
    beat = WorkerBeat.objects.get()
    assert (beat.worker_id, beat.hostname, beat.pid) == ("w1", socket.gethostname(), os.getpid())
    assert beat.started_at == beat.beat_at == NOW


def test_it_moves_a_known_workers_beat_with_one_update(db, django_assert_num_queries):
    worker_beat(worker_id="w1", now=NOW)
    with django_assert_num_queries(1):
        worker_beat(worker_id="w1", now=NOW + timedelta(seconds=10))
    beat = WorkerBeat.objects.get()
    assert (beat.started_at, beat.beat_at) == (NOW, NOW + timedelta(seconds=10))


def test_it_takes_the_time_of_the_beat_from_the_clock(db):
    with time_machine.travel(NOW, tick=False):
        worker_beat(worker_id="w1")
    assert WorkerBeat.objects.get().beat_at == NOW


def test_it_forgets_a_worker_that_stopped_cleanly(db):
    worker_beat(worker_id="w1", now=NOW)
    worker_beat(worker_id="w2", now=NOW)
    worker_beat_end(worker_id="w1")
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["w2"]


def test_it_counts_as_alive_only_workers_that_beat_within_the_max_age(db, settings):
    settings.READY_WORKER_MAX_AGE_SECONDS = 60
    worker_beat(worker_id="w1", now=NOW)
    assert workers_alive(now=NOW + timedelta(seconds=59)) == 1
    assert workers_alive(now=NOW + timedelta(seconds=60)) == 0
    worker_beat(worker_id="w2", now=NOW + timedelta(seconds=30))
    assert workers_alive(now=NOW + timedelta(seconds=61)) == 1


def test_it_finds_the_newest_beat_or_none(db):
    assert worker_beat_newest() is None
    worker_beat(worker_id="w1", now=NOW)
    worker_beat(worker_id="w2", now=NOW - timedelta(minutes=5))
    assert worker_beat_newest() == NOW


def test_it_prunes_the_rows_of_workers_silent_for_a_day(db):
    for name, age in [("before", timedelta(days=1) - timedelta(seconds=1)), ("at", timedelta(days=1))]:
        worker_beat(worker_id=name, now=NOW - age)
    worker_beat(worker_id="after", now=NOW - timedelta(days=1, seconds=1))
    assert worker_beats_prune(now=NOW) == 2
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["before"]
