"""The benchmarks' scratch databases: SQLite in a throwaway data directory, or a PostgreSQL database dropped and
created anew (only ever one named *bench*); and each database's run in a process of its own."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"This benchmark needs PostgreSQL; the URL points to {config['ENGINE']}.")
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: the benchmarks only use databases named *bench*.")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def point_django_at(database: str, data_dir: str, postgres_url: str, *, sqlite_name: str) -> str:
    """Settings for this process (and any it starts), before django.setup(): the SQLite file `sqlite_name` in the
    throwaway `data_dir`, or the scratch PostgreSQL database made anew; a throwaway key, so that nothing lands
    in var/ or depends on .env. Returns the DATABASE_URL."""
    if database == "sqlite":
        url = f"sqlite:///{data_dir}/{sqlite_name}"
    else:
        url = postgres_url
        recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "huiwu.settings"
    os.environ["HUIWU_DATA_DIR"] = data_dir
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(60)
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(PROJECT_DIR))
    return url


def run_each_database(script: str, arguments: list[str]) -> tuple[list[dict], list[str]]:
    """`script` once on SQLite and once on PostgreSQL, each in a process of its own (Django reads its settings
    once per process), with `arguments` and --results-file: the results each wrote, and the databases whose run
    failed (their output says why)."""
    results, failed = [], []
    with tempfile.TemporaryDirectory(prefix="huiwu-bench-results-") as scratch:
        for database in ("sqlite", "postgres"):
            results_file = Path(scratch) / f"{database}.json"
            command = [sys.executable, script, f"--database={database}", *arguments, f"--results-file={results_file}"]
            finished = subprocess.run(command, check=False).returncode == 0
            if finished and results_file.exists():
                results.append(json.loads(results_file.read_text()))
            else:
                failed.append(database)
                print(f"\n{database}: no results (see the output above)")
    return results, failed
