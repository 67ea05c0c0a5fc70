"""Tests of the production profile (`make test-prod`): they start real processes (PostgreSQL databases of their
own, nginx, gunicorn, the workers) or build and install the offline bundle, so `make test` does not collect them."""

import random
import socket
from pathlib import Path

import pytest

# Ports for the servers the tests start come from below the range the kernel hands out for outgoing connections:
# a port picked from that range is free when picked, but the workers' connections to PostgreSQL and Redis, made
# before the web servers bind, may take it meanwhile (seen: "Address already in use" for a web server).
_EPHEMERAL_FROM = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
_LOWEST = 10000


@pytest.fixture
def free_port():
    """A function returning a TCP port on 127.0.0.1 that nothing uses now and no outgoing connection will take."""
    given = set()

    def pick() -> int:
        while True:
            port = random.randrange(_LOWEST, _EPHEMERAL_FROM)  # noqa: S311 -- a port number, not a secret
            if port in given:
                continue
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
            given.add(port)
            return port

    return pick
