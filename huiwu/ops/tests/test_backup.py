"""`huiwu backup` and `huiwu restore` on the test database (SQLite file or PostgreSQL, as the suite runs).

A restore goes into an empty database of its own (PostgreSQL: a scratch database on the same server, dropped
afterwards; SQLite: a new file) and runs as a separate `python -m huiwu restore` process, as an operator runs
it. Tests whose rows pg_dump must see commit them (transactional_db): pg_dump is another process.
"""

import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from huiwu.ops import backup
from huiwu.ops.backup import AUDIT_TRIGGER, model_tables
from huiwu.security.audit import audit_record
from huiwu.venues.models import Site

PHOTO = bytes(range(256)) * 64
RECEIPT = b"%PDF-1.4 receipt " + bytes(range(256)) * 8
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}


def _url(config: dict, name: str) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    credentials = quote(config["USER"] or "", safe="")
    if config.get("PASSWORD"):
        credentials += ":" + quote(config["PASSWORD"], safe="")
    return f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or '5432'}/{quote(name, safe='')}"


def _postgresql(name: str, *, autocommit: bool = True) -> psycopg.Connection:
    config = connection.settings_dict
    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or "5432",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname=name,
        autocommit=autocommit,
    )


class Target:
    """An empty database for a restore, with its own data and uploads directory."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        self.name = name
        self.uploads = tmp_path / "restored-uploads"
        self.env = {
            **os.environ,
            "DATABASE_URL": _url(connection.settings_dict, name),
            "HUIWU_DATA_DIR": str(tmp_path / "restored-data"),
            "HUIWU_UPLOADS_DIR": str(self.uploads),
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "LANGUAGE_CODE": "en",
            "LOG_LEVEL": "WARNING",
        }

    def restore(self, archive: Path, *arguments: str, answer: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "huiwu", "restore", str(archive), *arguments],
            cwd=settings.PROJECT_DIR,
            env=self.env,
            input=answer,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def connect(self):
        return sqlite3.connect(self.name) if connection.vendor == "sqlite" else _postgresql(self.name)

    def counts(self) -> dict[str, int]:
        with closing(self.connect()) as target:
            return _counts(target.cursor(), _tables(target.cursor()))


def _tables(cursor) -> list[str]:
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 -- the database's own table names
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def target(tmp_path):
    if connection.vendor == "sqlite":
        yield Target(tmp_path, str(tmp_path / "restored.sqlite3"))
        return
    name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}"
    with _postgresql(connection.settings_dict["NAME"]) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Target(tmp_path, name)
    finally:
        with _postgresql(connection.settings_dict["NAME"]) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def uploads(settings, tmp_path):
    """The uploads directory of the installation backed up, in the test's own directory."""
    root = tmp_path / "uploads"
    settings.MEDIA_ROOT = root / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": root / "private", "base_url": None}},
    }
    return root


@pytest.fixture
def world(transactional_db, uploads, book, security_officer):
    """Committed rows of several apps (accounts, a meeting, the audit log) and an upload in each directory."""
    meeting = book()
    audit_record(user=security_officer, action="view", subject_type="meeting", subject_id=meeting.pk, summary="查看")
    storages["default"].save("photos/hall.jpg", ContentFile(PHOTO))
    storages["private"].save("receipts/2026/fruit.pdf", ContentFile(RECEIPT))
    return meeting


def _backup(directory: Path) -> Path:
    call_command("backup", output=str(directory), stdout=io.StringIO())
    (archive,) = directory.glob("huiwu-backup-*.tar")
    return archive


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def _rewritten(archive: Path, into: Path, *, manifest: dict | None = None, extra: dict | None = None, drop: str = ""):
    """A copy of `archive` with another manifest, more members, or one member fewer."""
    with tarfile.open(archive) as source, tarfile.open(into, "w") as copy:
        for member in source:
            if member.name == drop:
                continue
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json" and manifest is not None:
                data = io.BytesIO(json.dumps(manifest).encode())
                member.size = len(data.getvalue())
            copy.addfile(member, data)
        for name, content in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            copy.addfile(info, io.BytesIO(content))
    return into


def _restore_here(archive: Path) -> str:
    """Restore into the test's own database, in English: what the refusal says."""
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    return str(refused.value)


# --- the round trip ---------------------------------------------------------------------------------------


def test_it_restores_every_row_and_upload_into_an_empty_database(world, uploads, target, tmp_path):
    archive = _backup(tmp_path)
    with connection.cursor() as cursor:
        source = _counts(cursor, _tables(cursor))

    restore = target.restore(archive, "--yes")

    assert restore.returncode == 0, restore.stderr
    assert "every row count matches the backup's" in restore.stdout
    lines = [" ".join(line.split()) for line in restore.stdout.splitlines()]
    assert lines[0] == "Table Backup Restored"
    assert "meetings_meeting 1 1" in lines
    assert target.counts() == source
    assert source["meetings_meeting"] == 1
    assert source["security_auditentry"] == 1
    assert (target.uploads / "media" / "photos" / "hall.jpg").read_bytes() == PHOTO
    assert (target.uploads / "private" / "receipts" / "2026" / "fruit.pdf").read_bytes() == RECEIPT
    if connection.vendor == "postgresql":
        with closing(target.connect()) as restored, pytest.raises(psycopg.errors.InsufficientPrivilege):
            restored.execute("UPDATE security_auditentry SET summary = 'x'")


# --- the archive --------------------------------------------------------------------------------------------


def test_it_names_the_archive_by_the_time_in_shanghai_and_lists_the_database_in_its_manifest(
    db, uploads, frozen_now, tmp_path
):
    archive = _backup(tmp_path)

    assert archive.name == "huiwu-backup-20261126-080000+0800.tar"
    manifest = _manifest(archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["created_at"] == "2026-11-26T08:00:00+08:00"
    assert manifest["huiwu_version"] == "0.1.0"
    assert ["security", "0002_audit_append_only"] in manifest["migrations"]
    assert set(manifest["row_counts"]) == set(model_tables())
    assert "accounts_user_groups" in manifest["row_counts"]  # many-to-many tables too


def test_it_writes_the_archive_readable_by_its_owner_only(db, uploads, tmp_path):
    assert _backup(tmp_path).stat().st_mode & 0o777 == 0o600


def test_it_writes_to_the_file_given(db, uploads, tmp_path):
    call_command("backup", output=str(tmp_path / "nightly.tar"), stdout=io.StringIO())

    assert _manifest(tmp_path / "nightly.tar")["vendor"] == connection.vendor


def test_it_leaves_out_the_tables_of_migrations_not_applied_yet(db, uploads, tmp_path, monkeypatch):
    # Backing up before `huiwu migrate` is how an upgrade starts: the new models have no table yet.
    monkeypatch.setattr("huiwu.ops.backup.model_tables", lambda: ["accounts_user", "ops_not_migrated_yet"])

    assert set(_manifest(_backup(tmp_path))["row_counts"]) == {"accounts_user"}


def test_it_never_overwrites_a_file(db, uploads, tmp_path):
    (tmp_path / "nightly.tar").write_bytes(b"yesterday")

    with translation.override("en"), pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(tmp_path / "nightly.tar"))
    assert (tmp_path / "nightly.tar").read_bytes() == b"yesterday"


def test_it_refuses_an_output_in_a_directory_that_does_not_exist(db, uploads, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="is not a directory"):
        call_command("backup", output=str(tmp_path / "missing" / "nightly.tar"))


def test_it_leaves_nothing_behind_when_writing_the_archive_fails(db, uploads, tmp_path, monkeypatch):
    storages["default"].save("photos/hall.jpg", ContentFile(PHOTO))
    real_add = tarfile.TarFile.add

    def add_until_the_disk_is_full(self, name, arcname=None, **kwargs):
        if arcname.startswith("uploads/"):
            raise OSError(28, "No space left on device")
        return real_add(self, name, arcname, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "add", add_until_the_disk_is_full)
    output = tmp_path / "backups"
    output.mkdir()

    with translation.override("en"), pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", output=str(output))
    assert list(output.iterdir()) == []


@pytest.fixture
def programs(tmp_path, monkeypatch):
    """A PATH of our own: put a fake program there, or leave it without one."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    directory = tmp_path / "bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", str(directory))
    return directory


def test_it_says_so_when_pg_dump_is_missing(db, uploads, programs, tmp_path):
    output = tmp_path / "backups"
    output.mkdir()

    with translation.override("en"), pytest.raises(CommandError, match="pg_dump was not found"):
        call_command("backup", output=str(output))
    assert list(output.iterdir()) == []


def test_it_quotes_pg_dump_when_it_fails_and_leaves_no_file(db, uploads, programs, tmp_path):
    fake = programs / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: connection to server lost' >&2\nexit 1\n")
    fake.chmod(0o755)
    output = tmp_path / "backups"
    output.mkdir()

    with translation.override("en"), pytest.raises(CommandError) as failed:
        call_command("backup", output=str(output))
    assert str(failed.value) == "pg_dump failed (exit status 1): pg_dump: error: connection to server lost"
    assert list(output.iterdir()) == []


def test_it_gives_pg_dump_the_password_in_its_environment_never_on_its_command_line(
    db, uploads, programs, tmp_path, settings
):
    # The fake records its arguments and PGPASSWORD, then fails: nothing more is needed of it.
    fake = programs / "pg_dump"
    fake.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/arguments\necho "$PGPASSWORD" > {tmp_path}/password\nexit 1\n')
    fake.chmod(0o755)
    connection.settings_dict["PASSWORD"] = "s3cret-password"
    try:
        with pytest.raises(CommandError):
            call_command("backup", output=str(tmp_path))
    finally:
        connection.settings_dict["PASSWORD"] = ""
    assert (tmp_path / "password").read_text().strip() == "s3cret-password"
    assert "s3cret-password" not in (tmp_path / "arguments").read_text()


# --- what a restore refuses ---------------------------------------------------------------------------------


def test_it_refuses_to_restore_over_a_database_that_holds_tables(db, uploads, tmp_path):
    archive = _backup(tmp_path)

    assert "is not empty" in _restore_here(archive)


def test_it_refuses_a_backup_of_the_other_database_vendor(db, uploads, tmp_path):
    archive = _backup(tmp_path)
    manifest = _manifest(archive) | {"vendor": OTHER_VENDOR[connection.vendor]}
    database = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[manifest["vendor"]]
    other = _rewritten(archive, tmp_path / "other.tar", manifest=manifest, extra={database: b"a database"})

    assert f"The backup is of a {manifest['vendor']} database" in _restore_here(other)


def test_it_refuses_upload_directories_that_hold_files(db, uploads, tmp_path):
    archive = _backup(tmp_path)
    storages["private"].save("receipts/kept.pdf", ContentFile(RECEIPT))

    assert "holds files" in _restore_here(archive)


@pytest.mark.parametrize(
    "name",
    ["../outside.txt", "/etc/outside.txt", "uploads/media/../../outside.txt", "uploads/static/x.css", "notes.txt"],
)
def test_it_refuses_an_archive_with_a_member_outside_its_places(db, uploads, tmp_path, name):
    archive = _rewritten(_backup(tmp_path), tmp_path / "tampered.tar", extra={name: b"planted"})

    assert f"holds {name}, which no Huiwu backup does" in _restore_here(archive)
    assert not (tmp_path / "outside.txt").exists()


def test_it_refuses_a_link_among_the_uploads(db, uploads, tmp_path):
    archive = _backup(tmp_path)
    link = tarfile.TarInfo("uploads/media/passwd")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w") as copy:
        for member in source:
            copy.addfile(member, source.extractfile(member) if member.isfile() else None)
        copy.addfile(link)

    assert "holds uploads/media/passwd, which no Huiwu backup does" in _restore_here(tampered)


def test_it_leaves_links_out_of_the_uploads(db, uploads, tmp_path):
    storages["default"].save("photos/hall.jpg", ContentFile(PHOTO))
    (uploads / "media" / "photos" / "passwd").symlink_to("/etc/passwd")

    with tarfile.open(_backup(tmp_path)) as tar:
        names = tar.getnames()
    assert "uploads/media/photos/hall.jpg" in names
    assert "uploads/media/photos/passwd" not in names


def test_it_refuses_a_file_that_is_no_backup(db, uploads, tmp_path):
    (tmp_path / "photo.tar").write_bytes(PHOTO)

    assert "is not a Huiwu backup" in _restore_here(tmp_path / "photo.tar")


def test_it_refuses_an_archive_without_its_database(db, uploads, tmp_path):
    archive = _backup(tmp_path)
    database = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]

    refused = _restore_here(_rewritten(archive, tmp_path / "no-database.tar", drop=database))

    assert f"is not a Huiwu backup ('{database}')" in refused


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda manifest: manifest.pop("created_at"), "'manifest.json: created_at'"),
        (lambda manifest: manifest.update(row_counts=[]), "manifest.json: row_counts"),
        (lambda manifest: manifest.update(vendor="oracle"), "'oracle'"),
    ],
)
def test_it_refuses_an_archive_whose_manifest_lacks_what_a_restore_reads(db, uploads, tmp_path, change, named):
    archive = _backup(tmp_path)
    manifest = _manifest(archive)
    change(manifest)

    refused = _restore_here(_rewritten(archive, tmp_path / "tampered.tar", manifest=manifest))

    assert f"is not a Huiwu backup ({named})" in refused


def test_it_asks_before_restoring_and_stops_unless_told_yes(db, uploads, target, tmp_path):
    archive = _backup(tmp_path)

    refused = target.restore(archive, answer="no\n")

    assert refused.returncode != 0
    assert "Type yes to continue" in refused.stdout
    assert "Restore cancelled; nothing was changed." in refused.stderr
    assert target.counts() == {}
    accepted = target.restore(archive, answer="yes\n")
    assert accepted.returncode == 0, accepted.stderr
    assert target.counts()["accounts_user"] == _manifest(archive)["row_counts"]["accounts_user"]


def test_it_fails_when_a_restored_count_differs_from_the_manifest(db, uploads, target, tmp_path):
    archive = _backup(tmp_path)
    manifest = _manifest(archive)
    manifest["row_counts"]["accounts_user"] += 1
    manifest["row_counts"]["gone_table"] = 3
    tampered = _rewritten(archive, tmp_path / "tampered.tar", manifest=manifest)

    restore = target.restore(tampered, "--yes")

    assert restore.returncode != 0
    assert "The restored database differs from the backup in 2 tables: accounts_user, gone_table." in restore.stderr
    assert "gone_table 3 missing" in [" ".join(line.split()) for line in restore.stdout.splitlines()]


def test_it_fails_a_restore_whose_audit_log_lost_its_trigger(transactional_db, uploads, target, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the audit log's trigger is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {AUDIT_TRIGGER} ON security_auditentry")
    try:
        archive = _backup(tmp_path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TRIGGER {AUDIT_TRIGGER} BEFORE UPDATE OR DELETE ON security_auditentry "
                "FOR EACH ROW EXECUTE FUNCTION security_audit_append_only()"
            )

    restore = target.restore(archive, "--yes")

    assert restore.returncode != 0
    assert f"The audit log's append-only trigger ({AUDIT_TRIGGER}) did not come back" in restore.stderr


def test_it_says_so_when_the_database_cannot_be_reached(db, uploads, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a SQLite database is a file, created when missing")
    never_created = Target(tmp_path, f"{connection.settings_dict['NAME']}_never_created")

    restore = never_created.restore(_backup(tmp_path), "--yes")

    assert restore.returncode != 0
    assert f"The database {never_created.name} cannot be reached" in restore.stderr
    assert "Traceback" not in restore.stderr


def test_it_leaves_the_database_empty_when_pg_restore_fails_half_way(db, uploads, target, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_restore is PostgreSQL's")
    archive = _backup(tmp_path)
    # No table, so the database counts as empty; the restore trips over it only once tables exist.
    with closing(target.connect()) as scratch:
        scratch.execute("CREATE SEQUENCE venues_site_id_seq")

    restore = target.restore(archive, "--yes")

    assert restore.returncode != 0
    assert "pg_restore failed (exit status 1)" in restore.stderr
    assert 'relation "venues_site_id_seq" already exists' in restore.stderr
    assert target.counts() == {}


def test_it_dumps_the_very_snapshot_its_manifest_counts(transactional_db, uploads, target, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's counts are read in the copy itself")
    real_run = backup._run

    def run_after_a_write(program, arguments, environment):
        # Committed after the counts were read and before pg_dump starts: in neither, or the restore differs.
        Site.objects.create(name="新楼", code="annex")
        real_run(program, arguments, environment)

    monkeypatch.setattr(backup, "_run", run_after_a_write)
    archive = _backup(tmp_path)

    restore = target.restore(archive, "--yes")

    assert restore.returncode == 0, restore.stderr
    assert _manifest(archive)["row_counts"]["venues_site"] == 0
    assert target.counts()["venues_site"] == 0
    assert Site.objects.count() == 1
