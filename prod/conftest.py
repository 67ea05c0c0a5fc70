"""Tests of the production profile (`make test-prod`): they start real processes (PostgreSQL databases of their
own, nginx, gunicorn, the workers) or build and install the offline bundle, so `make test` does not collect them."""

import socket

import pytest


@pytest.fixture
def free_port():
    """A function returning a TCP port on 127.0.0.1 that nothing listens on now."""

    def pick() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    return pick
