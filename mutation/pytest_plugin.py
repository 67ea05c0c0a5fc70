"""Loaded into the test runs of `make mutate` only (pyproject.toml, [tool.mutmut], with --reuse-db).

mutmut runs each mutant's tests in a fork of one process, two at a time. The forks share the settings that
process read, so each fork is given its own SQLite test database here, a copy of the one the first run
migrated (migrating again would cost more than most mutants' tests), removed when the fork is done.
"""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

_template: dict[str, Path] = {}


def _files(database: Path) -> list[Path]:
    return [database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise pytest.UsageError("make mutate runs the tests on SQLite: unset DATABASE_URL.")
    test = database.setdefault("TEST", {})
    # The first run in mutmut's own process (before any fork) migrates the template.
    template = _template.setdefault("path", Path(test["NAME"]))
    own = template.with_name(f"{template.name}-{os.getpid()}")
    for path in _files(own):
        path.unlink(missing_ok=True)
    if template.exists():
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(own)) as copy:
            source.backup(copy)
        test["NAME"] = str(own)
        config.add_cleanup(lambda: [path.unlink(missing_ok=True) for path in _files(own)])
