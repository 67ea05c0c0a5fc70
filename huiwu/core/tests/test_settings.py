"""Settings are read once per process, so each case starts a fresh Python with its own environment."""

import json
import os
import subprocess
import sys

import pytest

STRONG_KEY = "k" * 30 + "0123456789abcdefghij"


def _settings(tmp_path, **env) -> subprocess.CompletedProcess:
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        "from django.db import connection;"
        "print(json.dumps({name: getattr(settings, name) for name in ("
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'X_FRAME_OPTIONS',"
        "'TIME_ZONE', 'LANGUAGE_CODE', 'ALLOWED_HOSTS')} | {'db': settings.DATABASES['default']['OPTIONS']}"
        " | {'journal': connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]"
        "    if connection.vendor == 'sqlite' else None}))"
    )
    return _run(tmp_path, script, **env)


# What a case sets itself; the console e-mail backend is chosen unless a case says otherwise (None: unset).
_OWN_VARIABLES = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "EMAIL_BACKEND", "EMAIL_HOST", "REDIS_URL", "TASKS_BACKEND"}
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def _run(tmp_path, script: str, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in _OWN_VARIABLES}
    environment |= {
        "HUIWU_ENV_FILE": "",
        "HUIWU_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "huiwu.settings",
        "EMAIL_BACKEND": CONSOLE,
    }
    environment |= {key: value for key, value in env.items() if value is not None}
    for key in [key for key, value in env.items() if value is None]:
        environment.pop(key, None)
    return subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False)


def _values(tmp_path, *names: str, **env) -> dict:
    """The named settings as JSON (paths as strings), or the start-up error."""
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {names!r}}}, default=str))"
    )
    result = _run(tmp_path, script, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = _settings(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_weak_or_placeholder_secret_key(tmp_path):
    assert _settings(tmp_path, SECRET_KEY="short").returncode != 0
    assert _settings(tmp_path, SECRET_KEY="django-insecure-" + "x" * 60).returncode != 0
    assert _settings(tmp_path, SECRET_KEY="a" * 60).returncode != 0


def test_it_secures_cookies_hsts_and_frames_with_debug_off(tmp_path):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_it_allows_plain_http_only_when_told(tmp_path):
    values = json.loads(_settings(tmp_path, SECRET_KEY=STRONG_KEY, HUIWU_HTTPS="false").stdout)
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_it_defaults_to_chinese_in_shanghai_time(tmp_path):
    values = json.loads(_settings(tmp_path, SECRET_KEY=STRONG_KEY).stdout)
    assert values["LANGUAGE_CODE"] == "zh-hans"
    assert values["TIME_ZONE"] == "Asia/Shanghai"


def test_it_runs_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    values = json.loads(_settings(tmp_path, SECRET_KEY=STRONG_KEY).stdout)
    assert values["db"]["transaction_mode"] == "IMMEDIATE"
    assert values["db"]["timeout"] >= 5
    assert values["journal"] == "wal"


def test_it_rejects_a_value_it_does_not_understand(tmp_path):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize(("until", "refused"), [("08:29", True), ("08:30", True), ("08:31", False)])
def test_it_refuses_room_hours_that_close_before_they_open(tmp_path, until, refused):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, REPORTS_ROOM_OPEN_FROM="08:30", REPORTS_ROOM_OPEN_UNTIL=until)
    assert (result.returncode != 0) is refused
    assert ("REPORTS_ROOM_OPEN_UNTIL must be later" in result.stderr) is refused


@pytest.mark.parametrize(("target", "refused"), [("0", True), ("1", False), ("100", False), ("101", True)])
def test_it_refuses_a_satisfaction_target_that_is_not_a_percentage(tmp_path, target, refused):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, REPORTS_SATISFACTION_TARGET=target)
    assert (result.returncode != 0) is refused


def test_it_reads_lists_from_the_environment(tmp_path):
    values = json.loads(_settings(tmp_path, SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="huiwu.gov.cn, 10.0.0.5").stdout)
    assert values["ALLOWED_HOSTS"] == ["huiwu.gov.cn", "10.0.0.5"]


def test_it_reads_the_env_file_without_overriding_real_variables(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"# generated\nSECRET_KEY={STRONG_KEY}\nTIME_ZONE=Asia/Urumqi\n", encoding="utf-8")
    result = _settings(tmp_path, HUIWU_ENV_FILE=str(env_file), TIME_ZONE="Asia/Shanghai")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["TIME_ZONE"] == "Asia/Shanghai"


def test_it_runs_the_suite_on_the_database_named_by_database_url(db):
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_it_refuses_to_start_in_production_with_no_e_mail_chosen(tmp_path):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, EMAIL_BACKEND=None)
    assert result.returncode != 0
    assert "E-mail is not configured" in result.stderr


def test_it_prints_mail_to_the_console_only_in_development_or_when_chosen(tmp_path):
    debug = _values(tmp_path, "EMAIL_BACKEND", DEBUG="true", EMAIL_BACKEND=None)
    assert debug["EMAIL_BACKEND"] == CONSOLE
    chosen = _values(tmp_path, "EMAIL_BACKEND", SECRET_KEY=STRONG_KEY, EMAIL_BACKEND=CONSOLE)
    assert chosen["EMAIL_BACKEND"] == CONSOLE


def test_it_sends_through_smtp_with_starttls_and_a_password_from_a_file(tmp_path):
    password = tmp_path / "smtp-password"
    password.write_text("s3cret-口令\n", encoding="utf-8")
    values = _values(
        tmp_path,
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_HOST_PASSWORD",
        SECRET_KEY=STRONG_KEY,
        EMAIL_BACKEND=None,
        EMAIL_HOST="mail.example.gov.cn",
        EMAIL_HOST_PASSWORD_FILE=str(password),
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.gov.cn",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_PASSWORD": "s3cret-口令",
    }


def test_it_takes_implicit_tls_instead_of_starttls_when_told(tmp_path):
    values = _values(tmp_path, "EMAIL_USE_TLS", "EMAIL_USE_SSL", SECRET_KEY=STRONG_KEY, EMAIL_USE_SSL="true")
    assert values == {"EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True}
    both = _settings(tmp_path, SECRET_KEY=STRONG_KEY, EMAIL_USE_SSL="true", EMAIL_USE_TLS="true")
    assert "exclude each other" in both.stderr


def test_it_refuses_a_secret_file_it_cannot_read(tmp_path):
    result = _settings(tmp_path, SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "SECRET_KEY_FILE=" in result.stderr


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "secret-key"
    key_file.write_text(STRONG_KEY + "\n", encoding="utf-8")
    assert _values(tmp_path, "SECRET_KEY", SECRET_KEY_FILE=str(key_file)) == {"SECRET_KEY": STRONG_KEY}


def test_it_keeps_sessions_in_the_database_and_the_cache_in_memory_without_redis(tmp_path):
    values = _values(tmp_path, "SESSION_ENGINE", "CACHES", SECRET_KEY=STRONG_KEY)
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


# A database of the local Redis of its own (the task backend's tests use 14 and 15).
SESSIONS_REDIS_URL = "redis://127.0.0.1:6379/12"


def test_it_keeps_sessions_and_the_cache_in_redis_when_redis_url_is_set(tmp_path):
    script = (
        "import django, redis; from django.conf import settings; django.setup();"
        "from importlib import import_module; from django.core.cache import cache;"
        "store = import_module(settings.SESSION_ENGINE).SessionStore(); store['who'] = 'hotline'; store.create();"
        "cache.set('probe', 'seen', 30);"
        f"server = redis.Redis.from_url({SESSIONS_REDIS_URL!r});"
        "keys = sorted(key.decode() for key in server.keys('huiwu:*'));"
        "print(settings.SESSION_ENGINE); print(any(store.session_key in key for key in keys));"
        "print(any(key.endswith(':probe') for key in keys)); server.flushdb()"
    )
    result = _run(tmp_path, script, SECRET_KEY=STRONG_KEY, REDIS_URL=SESSIONS_REDIS_URL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.sessions.backends.cache", "True", "True"]


def test_it_refuses_the_redis_task_backend_without_redis_url(tmp_path):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, TASKS_BACKEND="redis")
    assert result.returncode != 0
    assert "TASKS_BACKEND=redis needs REDIS_URL" in result.stderr


def test_it_keeps_uploads_in_the_directory_named_for_them(tmp_path):
    shared = tmp_path / "shared-uploads"
    values = _values(tmp_path, "MEDIA_ROOT", "STORAGES", SECRET_KEY=STRONG_KEY, HUIWU_UPLOADS_DIR=str(shared))
    assert values["MEDIA_ROOT"] == str(shared / "media")
    assert values["STORAGES"]["private"]["OPTIONS"]["location"] == str(shared / "private")


@pytest.mark.parametrize(("days", "refused"), [("179", True), ("180", False), ("365", False)])
def test_it_keeps_the_audit_log_at_least_six_months(tmp_path, days, refused):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, AUDIT_RETENTION_DAYS=days)
    assert (result.returncode != 0) is refused
    if refused:
        assert "AUDIT_RETENTION_DAYS must be at least 180" in result.stderr


def test_it_refuses_a_log_format_it_does_not_know(tmp_path):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, LOG_FORMAT="xml")
    assert "LOG_FORMAT must be text or json" in result.stderr


def test_it_refuses_a_metrics_network_that_is_no_network(tmp_path):
    result = _settings(tmp_path, SECRET_KEY=STRONG_KEY, METRICS_ALLOWED_NETWORKS="10.0.0.0/8, intranet")
    assert "METRICS_ALLOWED_NETWORKS: 'intranet' is not an address or network" in result.stderr


def test_it_gives_up_on_an_unanswering_postgresql_host_within_seconds(tmp_path):
    url = "postgres://huiwu@db.internal:5432/huiwu"
    values = _values(tmp_path, "DATABASES", SECRET_KEY=STRONG_KEY, DATABASE_URL=url)
    assert values["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 5
