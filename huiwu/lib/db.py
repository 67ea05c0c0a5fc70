"""Small database helpers shared by the services."""

import zlib
from collections.abc import Iterable

from django.db import connection, models


def lock_row(model: type[models.Model], pk: int) -> None:
    """SELECT … FOR NO KEY UPDATE of one row, inside the caller's transaction: writes that lock the same row
    run one after the other. Only that row is locked (no ordering join drags other tables' rows in); on SQLite
    the IMMEDIATE transaction already serializes every write.

    NO KEY: a plain FOR UPDATE would also stop every other transaction from inserting a row that references
    this one (its foreign key check takes KEY SHARE), and the worker does exactly that while it holds the
    deadline it claimed — a notification about the meeting, to the person — which deadlocked with a check
    confirmed at that moment (the confirmation holds the meeting and then completes that deadline)."""
    rows = model.objects.select_for_update(of=("self",), no_key=True).filter(pk=pk).order_by()
    list(rows.values_list("pk", flat=True))


def serialize_writers(model: type[models.Model], pks: Iterable[int]) -> None:
    """Writers that name the same rows of `model` run one after the other, until the caller's transaction ends.

    On PostgreSQL, a transaction-level advisory lock per (table, id), taken in ascending id order so that two
    writers naming the same rows cannot each wait for the other. It locks a name, not a row, so it also orders
    writes whose rows do not exist yet, such as two bookings of one room. On SQLite, nothing: the IMMEDIATE
    transaction already lets one writer in at a time."""
    if not connection.in_atomic_block:
        raise RuntimeError("serialize_writers() needs a transaction: outside one the lock would end at once.")
    if connection.vendor != "postgresql":
        return
    # The two-key form takes two 32-bit keys: the first names the table, so ids of different tables do not share
    # a lock; an id past 2**31 shares one with a smaller id, which can only make a writer wait, never skip.
    table = zlib.crc32(model._meta.db_table.encode()) - 2**31
    with connection.cursor() as cursor:
        for key in sorted({pk % 2**31 for pk in pks}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", [table, key])
