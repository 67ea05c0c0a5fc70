"""Row locks for serialized writes (huiwu/lib/db.py)."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from huiwu.lib.db import lock_row
from huiwu.venues.models import Room


def test_it_locks_a_row_without_stopping_inserts_that_reference_it(room):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock_row(Room, room.pk)
    locks = [query["sql"].split(" FOR ", 1)[1] for query in queries.captured_queries if " FOR " in query["sql"]]
    # SQLite takes no row locks: its IMMEDIATE transactions serialize every write.
    assert locks == (['NO KEY UPDATE OF "venues_room"'] if connection.vendor == "postgresql" else [])
