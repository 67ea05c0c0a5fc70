"""`huiwu audit_prune`: the audit log loses only entries older than the retention period, never younger than
180 days, only when told --yes, and records its own pruning; on PostgreSQL the trigger refuses every other
deletion, and every change."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.lib.i18n import site_language
from huiwu.ops import retention
from huiwu.ops.retention import audit_entries_prune
from huiwu.security.models import AuditEntry

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")

AGES = {"a second older": timedelta(seconds=-1), "at the cut-off": timedelta(0), "a second newer": timedelta(seconds=1)}


def _entry(summary: str, *, at) -> AuditEntry:
    return AuditEntry.objects.create(at=at, action="view", subject_type="meeting", subject_id=1, summary=summary)


def _entries_around(cutoff) -> None:
    for summary, offset in AGES.items():
        _entry(summary, at=cutoff + offset)


def _shown(cutoff) -> str:
    return f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"


def _counted(count: int, cutoff) -> str:
    return _("%(count)d audit entries are older than %(cutoff)s.") % {"count": count, "cutoff": _shown(cutoff)}


def _summaries() -> set[str]:
    return set(AuditEntry.objects.exclude(action=AuditEntry.Action.PRUNE).values_list("summary", flat=True))


@pytest.fixture
def operator(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ops-admin")
    return "ops-admin"


# Time is frozen before the real time: the trigger judges by the database's clock, for which every entry the
# prune picks is then older still.


def test_it_deletes_only_entries_older_than_the_cut_off_and_records_it(frozen_now, operator, settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 200
    cutoff = timezone.now() - timedelta(days=200)
    _entries_around(cutoff)
    call_command("audit_prune", "--yes")
    assert _summaries() == {"at the cut-off", "a second newer"}
    record = AuditEntry.objects.get(action=AuditEntry.Action.PRUNE)
    assert (record.user, record.subject_type, record.subject_id, record.at) == (None, "audit_log", 0, timezone.now())
    with site_language():
        summary = _("Pruned %(count)d entries of the audit log older than %(cutoff)s (by %(operator)s)") % {
            "count": 1,
            "cutoff": _shown(cutoff),
            "operator": "ops-admin",
        }
    assert record.summary == summary
    deleted = _("Deleted %(count)d audit entries older than %(cutoff)s; the pruning is recorded in the audit log.")
    assert capsys.readouterr().out == deleted % {"count": 1, "cutoff": _shown(cutoff)} + "\n"


def test_it_names_the_operator_by_uid_when_the_system_knows_no_name(frozen_now, monkeypatch):
    def nameless():
        raise KeyError("getpwuid(): uid not found: 1234")

    monkeypatch.setattr("getpass.getuser", nameless)
    monkeypatch.setattr("os.getuid", lambda: 1234)
    _entry("old", at=timezone.now() - timedelta(days=181))
    call_command("audit_prune", "--yes")
    assert "uid 1234" in AuditEntry.objects.get(action=AuditEntry.Action.PRUNE).summary


def test_it_prunes_older_than_the_days_asked(frozen_now, operator):
    _entries_around(timezone.now() - timedelta(days=365))
    call_command("audit_prune", "--older-than-days", "365", "--yes")
    assert _summaries() == {"at the cut-off", "a second newer"}


def test_it_accepts_the_legal_minimum_of_180_days(frozen_now, operator):
    _entries_around(timezone.now() - timedelta(days=180))
    call_command("audit_prune", "--older-than-days", "180", "--yes")
    assert _summaries() == {"at the cut-off", "a second newer"}


def test_it_refuses_to_prune_entries_younger_than_180_days(frozen_now, operator):
    _entry("old", at=timezone.now() - timedelta(days=365))
    # The message names the floor and the days asked, in whichever language it is read.
    with pytest.raises(CommandError, match=r"180.*179"):
        call_command("audit_prune", "--older-than-days", "179", "--yes")
    with pytest.raises(ValueError, match=r"180.*179"):
        audit_entries_prune(older_than_days=179, operator=operator)
    assert AuditEntry.objects.count() == 1


def test_it_deletes_nothing_without_yes(frozen_now, operator, capsys):
    cutoff = timezone.now() - timedelta(days=180)
    _entries_around(cutoff)
    call_command("audit_prune")
    assert _summaries() == set(AGES)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PRUNE).exists()
    assert capsys.readouterr().out == f"{_counted(1, cutoff)}\n{_('Add --yes to delete them.')}\n"


def test_it_only_counts_on_a_dry_run(frozen_now, operator, capsys):
    cutoff = timezone.now() - timedelta(days=180)
    _entries_around(cutoff)
    call_command("audit_prune", "--dry-run", "--yes")
    assert _summaries() == set(AGES)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PRUNE).exists()
    assert capsys.readouterr().out == f"{_counted(1, cutoff)}\n"


def test_it_suggests_nothing_when_nothing_is_old_enough(frozen_now, operator, capsys):
    cutoff = timezone.now() - timedelta(days=180)
    _entry("recent", at=cutoff)
    call_command("audit_prune")
    assert capsys.readouterr().out == f"{_counted(0, cutoff)}\n"


def test_it_records_nothing_when_nothing_is_old_enough(frozen_now, operator):
    _entry("recent", at=timezone.now() - timedelta(days=180))
    assert audit_entries_prune(older_than_days=180, operator=operator) == 0
    assert AuditEntry.objects.count() == 1


def test_it_prunes_a_backlog_in_batches_with_one_record(frozen_now, operator, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    for number in range(5):
        _entry(f"old {number}", at=timezone.now() - timedelta(days=181 + number))
    assert audit_entries_prune(older_than_days=180, operator=operator) == 5
    assert _summaries() == set()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PRUNE).count() == 1


# --- the trigger (PostgreSQL), by the database's clock: now() is when the test's transaction began ----------


def _database_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


def _execute(sql: str, entry: AuditEntry, *, flag: bool) -> None:
    """`sql` on the entry in a transaction of its own, pruning's flag set or not (as the prune sets it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if flag:
            cursor.execute("SET LOCAL huiwu.audit_prune = 'on'")
        cursor.execute(sql, [entry.pk])


def _delete(entry: AuditEntry, *, flag: bool) -> None:
    _execute("DELETE FROM security_auditentry WHERE id = %s", entry, flag=flag)


@on_postgresql
def test_it_lets_the_prune_delete_an_entry_older_than_180_days_in_postgresql(db):
    entry = _entry("old", at=_database_now() - timedelta(days=180, seconds=1))
    _delete(entry, flag=True)
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()


@on_postgresql
def test_it_refuses_a_plain_delete_of_an_old_entry_in_postgresql(db):
    entry = _entry("old", at=_database_now() - timedelta(days=3650))
    with pytest.raises(DatabaseError, match="append-only"):
        _delete(entry, flag=False)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@on_postgresql
@pytest.mark.parametrize("age", [timedelta(days=180), timedelta(days=180) - timedelta(seconds=1)])
def test_it_refuses_to_delete_an_entry_not_older_than_180_days_even_when_pruning_in_postgresql(db, age):
    entry = _entry("young", at=_database_now() - age)
    with pytest.raises(DatabaseError, match="append-only"):
        _delete(entry, flag=True)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@on_postgresql
def test_it_refuses_to_change_an_entry_even_old_and_when_pruning_in_postgresql(db):
    entry = _entry("old", at=_database_now() - timedelta(days=3650))
    with pytest.raises(DatabaseError, match="append-only"):
        _execute("UPDATE security_auditentry SET summary = 'x' WHERE id = %s", entry, flag=True)
    assert AuditEntry.objects.get(pk=entry.pk).summary == "old"


@on_postgresql
def test_it_lets_no_pruning_flag_outlive_the_prune_in_postgresql(db, operator):
    # Inside one longer transaction (here the test's): an entry the prune left, older than the legal floor
    # but younger than asked, stays protected afterwards.
    database_now = _database_now()
    _entry("very old", at=database_now - timedelta(days=400))
    left = _entry("old", at=database_now - timedelta(days=200))
    assert audit_entries_prune(older_than_days=365, operator=operator, now=database_now) == 1
    with pytest.raises(DatabaseError, match="append-only"):
        _delete(left, flag=False)


@on_postgresql
def test_it_restores_the_append_only_trigger_when_migrated_back_in_postgresql(db):
    entry = _entry("old", at=_database_now() - timedelta(days=3650))
    call_command("migrate", "security", "0003", verbosity=0)
    try:
        with pytest.raises(DatabaseError, match="append-only"):
            _delete(entry, flag=True)
    finally:
        call_command("migrate", "security", verbosity=0)
    _delete(entry, flag=True)
    assert not AuditEntry.objects.exists()
