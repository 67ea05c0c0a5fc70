"""Row versions kept by the database (huiwu/lib/versions.py)."""

from django.core.management import call_command
from django.db import connection

from huiwu.lib.versions import versioned_tables
from huiwu.venues.models import Room


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def test_it_keeps_a_trigger_on_every_versioned_table(db):
    assert versioned_tables() == [
        "accounts_user",
        "directory_organization",
        "meetings_meeting",
        "service_assignment",
        "service_meetingcheck",
        "service_meetingservice",
        "service_refill",
        "venues_floor",
        "venues_room",
        "venues_site",
    ]
    assert {f"{table}_row_version" for table in versioned_tables()} <= _triggers()


def test_it_raises_the_version_on_every_update_whatever_makes_it(room):
    assert room.row_version == 0
    Room.objects.filter(pk=room.pk).update(name="第一会议室")
    assert Room.objects.get(pk=room.pk).row_version == 1
    room.capacity = 30
    room.save()  # from a copy that still says 0
    assert Room.objects.get(pk=room.pk).row_version == 2
    with connection.cursor() as cursor:
        cursor.execute("UPDATE venues_room SET capacity = 31, row_version = 0 WHERE id = %s", [room.pk])
    assert Room.objects.get(pk=room.pk).row_version == 3


def test_it_gives_a_row_written_in_sql_version_0(room):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE venues_room SET name = name WHERE id = %s", [room.pk])  # and an update raises it
        cursor.execute(
            "INSERT INTO venues_floor (site_id, name, level) VALUES (%s, %s, %s)", [room.floor.site_id, "8F", 8]
        )
    assert Room.objects.get(pk=room.pk).row_version == 1
    assert room.floor.site.floors.get(name="8F").row_version == 0


def test_it_makes_a_dropped_trigger_again_after_migrate(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute(
            'DROP TRIGGER "venues_room_row_version"' + (" ON venues_room" if connection.vendor == "postgresql" else "")
        )
    assert "venues_room_row_version" not in _triggers()
    call_command("migrate", verbosity=0)
    assert "venues_room_row_version" in _triggers()
