"""The database's own guarantee that two active meetings never hold a room at the same time (PostgreSQL).

SQLite has no exclusion constraints; there every booking write runs in an IMMEDIATE transaction, which
serializes writers, and the service re-checks inside it (see huiwu/meetings/services.py).
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import F, Func, Q

NO_OVERLAP = ExclusionConstraint(
    name="meeting_no_overlap_in_room",
    index_type="gist",
    expressions=[
        ("room_id", RangeOperators.EQUAL),
        # Half-open [from, until): a meeting may start exactly when the previous one's teardown ends.
        (
            Func(F("blocked_from"), F("blocked_until"), function="TSTZRANGE", output_field=DateTimeRangeField()),
            RangeOperators.OVERLAPS,
        ),
    ],
    condition=Q(status__in=["requested", "confirmed"]),
)


class AddConstraintOnPostgreSQL(migrations.AddConstraint):
    """Adds the constraint to PostgreSQL databases only and keeps it out of the model state, which
    describes what every backend has."""

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_constraint(from_state.apps.get_model(app_label, self.model_name), self.constraint)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        AddConstraintOnPostgreSQL(model_name="meeting", constraint=NO_OVERLAP),
    ]
