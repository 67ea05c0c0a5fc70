"""Whether this web server is being stopped: `huiwu web` names a file in HUIWU_DRAIN_FILE for its gunicorn and
creates it when it is told to stop. While the file exists /readyz answers 503, so that the proxy sends new
requests to the other servers, and requests in flight still finish."""

import os
from pathlib import Path


def drain_file() -> Path | None:
    name = os.environ.get("HUIWU_DRAIN_FILE", "")
    return Path(name) if name else None


def draining() -> bool:
    path = drain_file()
    return path is not None and path.exists()
