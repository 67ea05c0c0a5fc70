"""Snapshots served again while their version and their time hold (huiwu/lib/snapshots.py)."""

from datetime import timedelta

from huiwu.lib.snapshots import Horizon, Snapshots, snapshots_clear
from huiwu.testing import at

NOW = at("2026-11-27 09:00")


def _kept(until=None, version=(1,), key=("a",), snapshots=None):
    snapshots = snapshots or Snapshots(size=4)
    horizon = Horizon(NOW)
    if until is not None:
        horizon.note(until)
    snapshots.put(key, version, horizon, "value")
    return snapshots


def test_it_notes_the_first_moment_from_now_on():
    horizon = Horizon(NOW)
    for moment in (NOW + timedelta(minutes=5), NOW - timedelta(minutes=1), NOW + timedelta(minutes=2)):
        horizon.note(moment)
    assert horizon.until == NOW + timedelta(minutes=2)
    horizon.note(NOW)  # a comparison with now itself may turn at the next microsecond
    assert horizon.until == NOW


def test_it_serves_a_snapshot_until_its_moment_and_not_at_it():
    until = NOW + timedelta(minutes=2)
    snapshots = _kept(until)
    assert snapshots.get(("a",), (1,), NOW) == "value"
    assert snapshots.get(("a",), (1,), until - timedelta(microseconds=1)) == "value"
    assert snapshots.get(("a",), (1,), until) is None
    assert snapshots.get(("a",), (1,), NOW) is None  # dropped once it no longer held


def test_it_serves_a_snapshot_with_no_moment_whenever_later():
    assert _kept().get(("a",), (1,), NOW + timedelta(days=400)) == "value"


def test_it_builds_again_when_the_version_differs_or_the_clock_went_back():
    assert _kept().get(("a",), (2,), NOW) is None
    assert _kept().get(("a",), (1,), NOW - timedelta(microseconds=1)) is None
    assert _kept().get(("b",), (1,), NOW) is None


def test_it_keeps_the_latest_used_and_drops_the_oldest():
    snapshots = Snapshots(size=2)
    for key in ("a", "b"):
        _kept(key=(key,), snapshots=snapshots)
    assert snapshots.get(("a",), (1,), NOW) == "value"  # "b" is now the least recently used
    _kept(key=("c",), snapshots=snapshots)
    assert snapshots.get(("b",), (1,), NOW) is None
    assert snapshots.get(("a",), (1,), NOW) == "value"
    snapshots_clear()
    assert snapshots.get(("a",), (1,), NOW) is None
