"""gunicorn's server hooks for `huiwu web`, which passes this module as gunicorn's configuration
(`-c python:huiwu.core.gunicorn_hooks`; everything else is on gunicorn's command line).

Imported by gunicorn's master before Django is set up: nothing here may need Django.
"""

from huiwu.lib.drain import draining


def pre_request(worker, req) -> None:
    """While the server drains, each answer closes its connection (gunicorn sends `Connection: close`; a header
    set by the application it would drop as hop-by-hop). The proxy's kept-alive connections to this server are
    thus gone by the time it stops listening: none is left to carry a request into a server that is closing."""
    if draining():
        req.must_close = True
