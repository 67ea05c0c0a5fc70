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
    environment = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    environment |= {"HUIWU_ENV_FILE": "", "HUIWU_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "huiwu.settings"}
    environment |= env
    return subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False)


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
