"""Loaded into the test runs of `make mutate` only (pyproject.toml, [tool.mutmut]).

mutmut runs each mutant's tests in a fork of one process, two at a time: the forks share the settings the
process read, so without this they would create, use and destroy one test database between them.
"""

import os

_shared_name: dict[str, str] = {}


def pytest_configure(config) -> None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    shared = _shared_name.setdefault("default", test.get("NAME") or f"test_{database['NAME']}")
    test["NAME"] = f"{shared}-{os.getpid()}"
