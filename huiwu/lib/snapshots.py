"""Snapshots of a page's costly part, kept per process and served again while they still hold.

A snapshot holds while two things stand: the data it was built from is unchanged — its version, read from the
database before building (lib/versions.py), is the version read now — and the clock has not reached the first
moment at which anything it shows depends on the time (a check falls overdue, a countdown turns a minute), its
`until`. Reading the version before the data keeps this safe without a transaction: a change committed in
between is already in the data, and its version differs from every later reading.

Only the key says whose snapshot it is: it must name everything the part depends on besides the data and the
clock (the rows the reader may see, the language, the time zone).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class _Snapshot:
    version: tuple
    built_at: datetime
    until: datetime  # the first moment it may no longer hold
    value: Any


class Horizon:
    """The first moment after `now` at which something built at `now` may read differently: each time the
    building compares against the clock, it notes the moment the comparison turns on."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.until: datetime | None = None

    def note(self, moment: datetime) -> None:
        # A moment equal to now counts: a comparison may turn on it at the next microsecond.
        if moment >= self.now and (self.until is None or moment < self.until):
            self.until = moment


class Snapshots:
    """The latest snapshots, `size` of them at most, least recently used dropped first. Thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, _Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        _EVERY.append(self)

    def get(self, key: tuple, version: tuple, now: datetime) -> Any | None:
        with self._lock:
            snapshot = self._kept.get(key)
            if snapshot is None:
                return None
            # The clock may also go back (a corrected system time, a test): then it is built again.
            if snapshot.version != version or not snapshot.built_at <= now < snapshot.until:
                del self._kept[key]
                return None
            self._kept.move_to_end(key)
            return snapshot.value

    def put(self, key: tuple, version: tuple, horizon: Horizon, value: Any) -> None:
        # No moment noted: nothing it shows depends on the clock from now on.
        until = horizon.until or datetime.max.replace(tzinfo=horizon.now.tzinfo)
        with self._lock:
            self._kept[key] = _Snapshot(version, horizon.now, until, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_EVERY: list[Snapshots] = []


def snapshots_clear() -> None:
    """Forget every snapshot of this process: for the test suite, whose rolled-back rows SQLite numbers again."""
    for snapshots in _EVERY:
        snapshots.clear()
