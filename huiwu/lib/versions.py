"""Row versions: a counter on each row of a table whose changes a cached page must notice, kept by the database.

A page polled all day by every screen (the today board) is built once and served again while nothing it shows
has changed (lib/snapshots.py). To know that cheaply, each table it reads carries a `row_version` that the
database itself raises on every UPDATE of a row, whatever wrote it: a service, a QuerySet.update(), an
administrator's SQL. The page then compares, per table, the number of its rows, the sum of their ids and the
sum of their versions: an insert or a delete changes the first two (ids only grow, so deleted and new ones
never balance), an update the third.

The triggers are (re)made after every migrate, not in one migration per table: SQLite drops a table's
triggers when a later migration rebuilds the table, and a silently missing trigger would leave a page stale.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from django.apps import apps
from django.db import connection, connections, models
from django.db.models import Count, QuerySet, Sum, Value
from django.utils.translation import gettext_lazy as _

_SQLITE = """
CREATE TRIGGER IF NOT EXISTS "{table}_row_version" AFTER UPDATE ON "{table}" FOR EACH ROW
WHEN NEW.row_version <= OLD.row_version
BEGIN
    UPDATE "{table}" SET row_version = OLD.row_version + 1 WHERE rowid = NEW.rowid;
END
"""

# Written by Django or not, the new row's version is the old one plus one: an object saved from a stale copy
# cannot lower it.
_POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION lib_row_version_raise() RETURNS trigger AS $$
BEGIN
    NEW.row_version := OLD.row_version + 1;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""
_POSTGRESQL = """
CREATE OR REPLACE TRIGGER "{table}_row_version" BEFORE UPDATE ON "{table}"
    FOR EACH ROW EXECUTE FUNCTION lib_row_version_raise()
"""


class RowVersionField(models.PositiveBigIntegerField):
    """The row's version, raised by the database on every update (see the module's docstring); never set."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default", 0)
        kwargs.setdefault("db_default", 0)  # for rows written in SQL, by a bulk load or an administrator
        kwargs.setdefault("verbose_name", _("row version"))
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, "huiwu.lib.versions.RowVersionField", args, kwargs


def versioned_tables() -> list[str]:
    """The tables of every model with a RowVersionField."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if any(isinstance(field, RowVersionField) for field in model._meta.local_fields)
    )


def row_version_triggers_ensure(*, using: str = "default", **_signal) -> None:
    """Make each versioned table's trigger where it is missing (connected to post_migrate)."""
    connection = connections[using]
    tables = set(versioned_tables()) & set(connection.introspection.table_names())
    if not tables:
        return
    template = _POSTGRESQL if connection.vendor == "postgresql" else _SQLITE
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL_FUNCTION)
        for table in sorted(tables):
            cursor.execute(template.format(table=table))


# A period's query is compiled once per database vendor, for this period, and then run for any other with that
# one's bounds in place of these: Django takes longer to build such a query than the database to answer it.
_COMPILED_FOR = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2000, 1, 2, tzinfo=UTC))


class PeriodVersions:
    """The version of what a page shows of a period (a day): per table `parts(start, end)` names, how many
    rows, the sum of their ids and of their versions, in one query. Each part is a queryset of a model with a
    RowVersionField, filtered by the period's bounds alone."""

    def __init__(self, parts: Callable[[datetime, datetime], list[QuerySet]]) -> None:
        self.parts = parts
        self._compiled = lru_cache(maxsize=2)(self._compile)

    def _compile(self, vendor: str) -> tuple[str, tuple]:
        # Each part one row (grouped by its number, a constant), numbered so that their order does not matter.
        first, *others = (
            part.order_by()
            .annotate(part=Value(number))
            .values("part")
            .annotate(rows=Count("pk"), ids=Sum("pk"), versions=Sum("row_version"))
            .values_list("part", "rows", "ids", "versions")
            for number, part in enumerate(self.parts(*_COMPILED_FOR))
        )
        return first.union(*others, all=True).query.sql_with_params()

    def __call__(self, start: datetime, end: datetime) -> tuple:
        sql, compiled_params = self._compiled(connection.vendor)
        adapt = connection.ops.adapt_datetimefield_value
        bounds = {adapt(compiled): adapt(wanted) for compiled, wanted in zip(_COMPILED_FOR, (start, end), strict=True)}
        with connection.cursor() as cursor:
            cursor.execute(sql, [bounds.get(param, param) for param in compiled_params])
            return tuple(sorted(cursor.fetchall()))


class TableVersions(PeriodVersions):
    """The version of whole tables, each small (the rooms, the organizations), in one query: what a part of a
    page built from them all, such as a form's choices, is kept by."""

    def __init__(self, *models: type[models.Model]) -> None:
        super().__init__(lambda _start, _end: [model.objects.all() for model in models])

    def __call__(self) -> tuple:
        return super().__call__(*_COMPILED_FOR)
