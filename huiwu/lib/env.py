"""Strict readers for configuration from environment variables.

A typo in a deployment's environment must stop the start-up with a clear message instead of quietly
falling back to a default, so every reader rejects values it does not understand.
"""

import os
from datetime import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines into os.environ without overriding variables that are already set.

    `make run` and `make test` keep the generated SECRET_KEY in an ignored `.env` file; real
    deployments set real environment variables, which always win.
    """
    if not path.is_file():
        return
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=VALUE, got {raw!r}")
        os.environ.setdefault(key.strip(), value.strip().strip("\"'"))


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envtime(name: str, default: str) -> time:
    """A clock time written HH:MM, e.g. RECEPTION_LUNCH_AT=11:40."""
    value = os.environ.get(name, default).strip()
    try:
        hours, minutes = value.split(":")
        if len(minutes) != 2:
            raise ValueError(value)
        return time(int(hours), int(minutes))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time of day written HH:MM, got {value!r}") from None


def envsecret(name: str, default: str) -> str:
    """A secret from the file named by NAME_FILE (systemd's LoadCredential=, a mounted secret), else from NAME.

    A file keeps the secret out of the environment, which every child process and `ps e` can read; its
    trailing newline is not part of the secret.
    """
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not path:
        return os.environ.get(name, default)
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE={path}: cannot read it ({error.strerror})") from None


def envfloat(name: str, default: str) -> float:
    value = os.environ.get(name, default).strip()
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from None
