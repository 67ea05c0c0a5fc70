"""`huiwu backup` and `huiwu restore`: the database and the uploads in one tar archive, with a manifest that
lets a restore check itself.

The archive holds, in this order:

- `manifest.json`: the Huiwu version, the database vendor, when the backup was made (+08:00), the applied
  migrations, and the row count of every table of every installed model;
- `database.pgdump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite's online backup);
- `uploads/media/…` and `uploads/private/…`: MEDIA_ROOT and the private storage's directory as they are.

The manifest's counts are read in the very snapshot the dump is made of (PostgreSQL: an exported snapshot
handed to pg_dump; SQLite: counted in the copy), so that a backup taken while Huiwu is writing still
restores to exactly the counts it lists.
"""

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
DATABASE_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# What a restore reads of the manifest (the migrations are there for the operator).
MANIFEST_KEYS = {"huiwu_version", "vendor", "created_at", "row_counts"}
UPLOADS = "uploads"
# The upload directories by their name in the archive.
UPLOAD_DIRS = ("media", "private")
# The trigger of security/migrations/0002 that keeps the audit log append-only; pg_dump carries it.
AUDIT_TRIGGER = "security_auditentry_append_only"
# pg_dump or pg_restore's last lines of error output quoted in the message.
_ERROR_LINES = 10


@dataclass(frozen=True)
class TableCount:
    table: str
    expected: int
    restored: int | None  # None: the table is missing from the restored database


@dataclass(frozen=True)
class BackupArchive:
    path: Path
    manifest: dict


def upload_dirs() -> dict[str, Path]:
    """Where each upload directory of the archive lives on this installation."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.STORAGES["private"]["OPTIONS"]["location"])}


def model_tables() -> list[str]:
    """The table of every installed model, many-to-many tables included (a proxy model shares its parent's)."""
    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})


def _inventory(cursor, existing: set[str]) -> tuple[list[list[str]], dict[str, int]]:
    """The applied migrations and the row count of each model's table, read through `cursor` (any DB-API
    cursor). A table not created yet is left out: backing up before `huiwu migrate` is what an upgrade does."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migrations = [[app, name] for app, name in cursor.fetchall()]
    counts = {}
    for table in model_tables():
        if table in existing:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 -- a model's table name, not input
            counts[table] = cursor.fetchone()[0]
    return migrations, counts


def _postgresql_environment(database: dict) -> dict[str, str]:
    """libpq's variables for the configured database: nothing of the connection (the password above all) is
    written on a command line, where any user of the machine could read it."""
    environment = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            environment[variable] = str(database[key])
    options = database.get("OPTIONS", {})
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(key):
            environment[variable] = str(options[key])
    return environment


def _run(program: str, arguments: list[str], environment: dict[str, str]) -> None:
    try:
        result = subprocess.run([program, *arguments], env=environment, capture_output=True, text=True, check=False)
    except FileNotFoundError as missing:
        raise CommandError(
            _("%(program)s was not found: install the PostgreSQL client (Debian: postgresql-client).")
            % {"program": program}
        ) from missing
    if result.returncode != 0:
        error = "\n".join(result.stderr.strip().splitlines()[-_ERROR_LINES:])
        raise CommandError(
            _("%(program)s failed (exit status %(status)s): %(error)s")
            % {"program": program, "status": result.returncode, "error": error}
        )


def _postgresql_dump(*, into: Path) -> tuple[list[list[str]], dict[str, int]]:
    # A connection of our own, so that its transaction is nobody else's: its snapshot is exported to pg_dump,
    # and the counts are read in that same snapshot.
    reader = connection.copy()
    try:
        with reader.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            inventory = _inventory(cursor, set(reader.introspection.table_names(cursor)))
            _run(
                "pg_dump",
                [
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={into}",
                    f"--dbname={reader.settings_dict['NAME']}",
                ],
                _postgresql_environment(reader.settings_dict),
            )
            cursor.execute("ROLLBACK")
    finally:
        reader.close()
    return inventory


def _sqlite_dump(*, into: Path) -> tuple[list[list[str]], dict[str, int]]:
    # The online backup API copies the pages in one step under a read lock: with WAL the app keeps writing
    # meanwhile, and the copy is the database as of one moment.
    source = sqlite3.connect(connection.settings_dict["NAME"], timeout=connection.settings_dict["OPTIONS"]["timeout"])
    copy = sqlite3.connect(into)
    try:
        source.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return _inventory(cursor, {name for (name,) in cursor.fetchall()})
    finally:
        copy.close()
        source.close()


def backup_create(*, output: Path) -> BackupArchive:
    """Write the backup to `output` (a directory: a file named by the time in it). It is written under a
    temporary name and renamed when complete, so a failed backup never leaves a file that looks whole."""
    started = timezone.localtime()
    output = output.absolute()
    if output.is_dir():
        output = output / f"huiwu-backup-{started:%Y%m%d-%H%M%S%z}.tar"
    if not output.parent.is_dir():
        raise CommandError(_("%(path)s is not a directory.") % {"path": output.parent})
    if output.exists():
        raise CommandError(_("%(path)s exists already: a backup never overwrites a file.") % {"path": output})
    vendor = connection.vendor
    partial = output.with_name(f".{output.name}.partial")
    with tempfile.TemporaryDirectory(prefix=".huiwu-backup-", dir=output.parent) as work:
        dump = Path(work) / DATABASE_MEMBER[vendor]
        migrations, counts = (_postgresql_dump if vendor == "postgresql" else _sqlite_dump)(into=dump)
        manifest = {
            "huiwu_version": version("huiwu"),
            "vendor": vendor,
            "created_at": started.isoformat(timespec="seconds"),
            "migrations": migrations,
            "row_counts": counts,
        }
        try:
            # Readable by its owner only: the archive holds every account's password hash and every upload.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                with tarfile.open(fileobj=file, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
                    tar.add(dump, arcname=DATABASE_MEMBER[vendor])
                    for name, directory in upload_dirs().items():
                        if directory.is_dir():
                            tar.add(directory, arcname=f"{UPLOADS}/{name}", filter=_files_and_directories)
                file.flush()
                os.fsync(file.fileno())
            partial.replace(output)
        except OSError as error:
            raise CommandError(
                _("The backup could not be written to %(path)s: %(error)s") % {"path": output, "error": error}
            ) from error
        finally:
            partial.unlink(missing_ok=True)
    return BackupArchive(path=output, manifest=manifest)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, fileobj=io.BytesIO(data))


def _files_and_directories(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    # Uploads are files in directories; a link or a device found there is no upload, and a restore refuses it.
    return member if member.isfile() or member.isdir() else None


def _member_allowed(member: tarfile.TarInfo) -> bool:
    """Only what a backup writes: files and directories, no absolute path, no `..`, nothing outside the known
    members."""
    path = PurePosixPath(member.name)
    if _files_and_directories(member) is None or path.is_absolute() or ".." in path.parts:
        return False
    if member.name in {MANIFEST, UPLOADS, *DATABASE_MEMBER.values()}:
        return True
    return len(path.parts) >= 2 and path.parts[0] == UPLOADS and path.parts[1] in UPLOAD_DIRS


def backup_open(*, archive: Path) -> BackupArchive:
    """The archive's manifest, once every member is known to be one a backup writes."""
    try:
        with tarfile.open(archive, "r:") as tar:
            members = tar.getmembers()
            names = {member.name for member in members}
            refused = [member.name for member in members if not _member_allowed(member)]
            if refused:
                raise CommandError(
                    _("%(path)s holds %(name)s, which no Huiwu backup does: refused, nothing was restored.")
                    % {"path": archive, "name": refused[0]}
                )
            manifest = json.load(tar.extractfile(MANIFEST))
            missing = sorted(MANIFEST_KEYS - manifest.keys())
            if missing:
                raise KeyError(f"{MANIFEST}: {missing[0]}")
            if not isinstance(manifest["row_counts"], dict):
                raise TypeError(f"{MANIFEST}: row_counts")
            if DATABASE_MEMBER[manifest["vendor"]] not in names:
                raise KeyError(DATABASE_MEMBER[manifest["vendor"]])
    except (OSError, tarfile.TarError, AttributeError, KeyError, TypeError, ValueError) as error:
        raise CommandError(
            _("%(path)s is not a Huiwu backup (%(error)s).") % {"path": archive, "error": error}
        ) from error
    return BackupArchive(path=archive, manifest=manifest)


def backup_restore_check(*, backup: BackupArchive) -> None:
    """Refuse anything but an empty installation of the backup's vendor: a restore never overwrites data."""
    vendor = backup.manifest["vendor"]
    if vendor != connection.vendor:
        raise CommandError(
            _(
                "The backup is of a %(backup)s database and this installation uses %(target)s: "
                "restore it into %(backup)s."
            )
            % {"backup": vendor, "target": connection.vendor}
        )
    for directory in upload_dirs().values():
        if directory.is_dir() and any(not path.is_dir() for path in directory.rglob("*")):
            raise CommandError(
                _("%(path)s holds files: restore the uploads only into an empty or missing directory.")
                % {"path": directory}
            )
    try:
        tables = connection.introspection.table_names()
    except OperationalError as error:
        raise CommandError(
            _("The database %(name)s cannot be reached: %(error)s")
            % {"name": connection.settings_dict["NAME"], "error": error}
        ) from error
    if tables:
        raise CommandError(
            _(
                "The database %(name)s is not empty (%(count)s tables): restore only into an empty database, "
                "never over one in use."
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )


def _postgresql_restore(dump: Path) -> None:
    database = connection.settings_dict
    # One transaction: a restore that fails leaves the database empty, not half restored (and it commits
    # once, which takes a third of the time).
    _run(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        _postgresql_environment(database),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal AND tgenabled <> 'D'",
            [AUDIT_TRIGGER],
        )
        if cursor.fetchone()[0] != 1:
            raise CommandError(
                _("The audit log's append-only trigger (%(trigger)s) did not come back with the restore.")
                % {"trigger": AUDIT_TRIGGER}
            )


def _sqlite_restore(dump: Path) -> None:
    # Through the backup API rather than a file copy: it writes under SQLite's locks and leaves no stale
    # write-ahead log of the empty database beside the restored one.
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"], timeout=connection.settings_dict["OPTIONS"]["timeout"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


@dataclass(frozen=True)
class Restored:
    counts: list[TableCount]
    files: int


def backup_restore(*, backup: BackupArchive) -> Restored:
    """Restore the database, then the uploads, then count every table the manifest lists. Call
    backup_restore_check first."""
    vendor = backup.manifest["vendor"]
    destinations = upload_dirs()
    files = 0
    with tarfile.open(backup.path, "r:") as tar, tempfile.TemporaryDirectory(prefix="huiwu-restore-") as work:
        tar.extract(DATABASE_MEMBER[vendor], path=work, filter="data")
        dump = Path(work) / DATABASE_MEMBER[vendor]
        (_postgresql_restore if vendor == "postgresql" else _sqlite_restore)(dump)
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if parts[0] != UPLOADS or len(parts) < 3:
                continue
            # The data filter refuses links out of the directory, devices and unsafe modes as well.
            tar.extract(member.replace(name=str(PurePosixPath(*parts[2:]))), path=destinations[parts[1]], filter="data")
            files += member.isfile()
    return Restored(counts=_counts_compared(backup.manifest["row_counts"]), files=files)


def _counts_compared(expected: dict[str, int]) -> list[TableCount]:
    counts = []
    with connection.cursor() as cursor:
        # Only tables that exist are counted: the names come from the archive, never into SQL unchecked.
        existing = set(connection.introspection.table_names(cursor))
        for table, rows in sorted(expected.items()):
            restored = None
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- checked above
                restored = cursor.fetchone()[0]
            counts.append(TableCount(table=table, expected=rows, restored=restored))
    return counts
