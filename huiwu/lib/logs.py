"""One log format for every process: the time (ISO 8601 in TIME_ZONE, milliseconds), level, logger, the request
being served (its id, the client's address, and on the request's own line its duration), then the message.

    2026-12-04T09:07:04.123+08:00 INFO huiwu.request req=4f0c9a… client=10.1.2.3 dur=12.3ms GET /meetings/ 200

`RequestLogMiddleware` gives each request its id (the proxy's X-Request-ID when it sends one, else a new one),
returns it as the X-Request-ID response header and writes the request's line; `RequestContextFilter` puts the
id and address on every record logged meanwhile; `LineFormatter` writes the line, or a JSON object per line
for a log collector (LOG_FORMAT=json). gunicorn's own lines take the same path (`gunicorn_logconfig`).
"""

import json
import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from time import perf_counter
from uuid import uuid4

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# nginx's $request_id is 32 hex digits; other proxies and clients send UUIDs or similar tokens. Anything else
# (too long, spaces, control characters) could forge or garble a log line, and is replaced.
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The path logged is cut here: the line stays a line, and a path this long is an attack or a mistake anyway.
PATH_MAX_LENGTH = 300
NOT_SET = "-"

access_log = logging.getLogger("huiwu.request")


@dataclass(frozen=True, slots=True)
class _Served:
    request_id: str
    client: str


_served: ContextVar[_Served | None] = ContextVar("huiwu_request_served", default=None)


def current_request_id() -> str:
    """The id of the request being served, "" outside one (a worker, a command)."""
    served = _served.get()
    return served.request_id if served else ""


def _request_id(request: HttpRequest) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if INCOMING_REQUEST_ID.fullmatch(incoming) else uuid4().hex


def _logged_path(request: HttpRequest) -> str:
    """The path, with the value of each URL argument named like `token` or `survey_token` (a calendar feed's,
    a survey link's: the link is the credential) replaced by its name."""
    path = request.path
    if request.resolver_match is not None:
        for name, value in request.resolver_match.kwargs.items():
            if name.endswith("token") and isinstance(value, str) and value:
                path = path.replace(f"/{value}", f"/<{name}>")
    return path[:PATH_MAX_LENGTH]


class RequestLogMiddleware:
    """First of all middleware: every line logged while the request is served names it, and its own line,
    written once the answer is ready (a streamed body's sending is not timed), gives its duration. Neither the
    query string nor a token in the path is logged."""

    def __init__(self, get_response) -> None:
        # Imported here: this module is imported when logging is configured, before the apps are loaded, and
        # django-axes' helpers import its models. The address is the one login throttling sees (PROXY_COUNT
        # proxies taken into account), as in the audit log.
        from axes.helpers import get_client_ip_address

        self.get_response = get_response
        self.client_address = get_client_ip_address

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = perf_counter()
        request_id = _request_id(request)
        token = _served.set(_Served(request_id, self.client_address(request) or NOT_SET))
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # Django logs every 4xx and 5xx answer once more after the last middleware ("Not Found: /path"):
            # outside the request (no id), with the path as it came (a token in it), and saying nothing this
            # line does not. What it logs earlier stays: an exception's traceback, a CSRF refusal's reason.
            response._has_been_logged = True
            # A 5xx is a warning here, not an error: a failure has already been logged as an error with its
            # traceback (django.request), and a 503 can be meant (/readyz while the server drains).
            access_log.log(
                logging.WARNING if response.status_code >= 500 else logging.INFO,
                "%s %s %d",
                request.method,
                _logged_path(request),
                response.status_code,
                extra={"duration_ms": round((perf_counter() - started) * 1000, 1)},
            )
            return response
        finally:
            _served.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds request_id, client and duration_ms to every record ("-" outside a request, and duration_ms on
    the request's own line only)."""

    def filter(self, record: logging.LogRecord) -> bool:
        served = _served.get()
        values = record.__dict__
        values.setdefault("request_id", served.request_id if served else NOT_SET)
        values.setdefault("client", served.client if served else NOT_SET)
        values.setdefault("duration_ms", NOT_SET)
        return True


def _escaped(character: str) -> str:
    if character == "\n":
        return "\\n"
    if character == "\r":
        return "\\r"
    if character == "\t":
        return "\\t"
    return f"\\x{ord(character):02x}" if ord(character) < 0x100 else f"\\u{ord(character):04x}"


def _one_line(message: str) -> str:
    """The message with line breaks and other control characters written as escapes: a request's path or a
    user's input logged in a message cannot start a line that looks like another record."""
    if message.isprintable():
        return message
    return "".join(character if character.isprintable() else _escaped(character) for character in message)


class LineFormatter(logging.Formatter):
    """A record as one line of text, its traceback on the lines after it; or, with as_json, as one JSON
    object per line (Chinese kept as it is). The time is TIME_ZONE's, whatever the machine's zone."""

    def __init__(self, *args, as_json: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.as_json = as_json

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        when = datetime.fromtimestamp(record.created, timezone.get_default_timezone())
        return when.isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        # A handler may lack the filter (pytest's, one added by hand): the fields are then unknown.
        request_id = getattr(record, "request_id", NOT_SET)
        client = getattr(record, "client", NOT_SET)
        duration_ms = getattr(record, "duration_ms", NOT_SET)
        traceback = []
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            traceback.append(record.exc_text)
        if record.stack_info:
            traceback.append(self.formatStack(record.stack_info))
        if self.as_json:
            return self._json(record, message, request_id, client, duration_ms, traceback)
        duration = NOT_SET if duration_ms == NOT_SET else f"{duration_ms}ms"
        line = (
            f"{self.formatTime(record)} {record.levelname} {record.name} "
            f"req={request_id} client={client} dur={duration} {_one_line(message)}"
        )
        return "\n".join([line, *traceback])

    def _json(self, record, message, request_id, client, duration_ms, traceback) -> str:
        values = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            # null rather than "-": a collector filters on a missing id more easily than on a dash.
            "request_id": None if request_id == NOT_SET else request_id,
            "client": None if client == NOT_SET else client,
        }
        if duration_ms != NOT_SET:
            values["duration_ms"] = duration_ms
        if traceback:
            values["exc"] = "\n".join(traceback)
        return json.dumps(values, ensure_ascii=False)


def gunicorn_logconfig() -> dict:
    """The logging configuration for gunicorn's `logconfig_dict` setting: the project's own (LOGGING: the format,
    LOG_FORMAT, LOG_LEVEL for the root), gunicorn's error log (its start, workers, timeouts) written through it
    and its access log silenced, since RequestLogMiddleware writes each request's line (gunicorn still gathers
    an access line's fields, microseconds a request, and drops the line at this level).

    gunicorn applies it over its defaults key by key, which drops the handlers it gave its loggers; gunicorn.error
    keeps gunicorn's own level (--log-level). Plain data, so that it can also be written to a JSON file for
    --log-config-json."""
    loggers = {
        **settings.LOGGING["loggers"],
        "gunicorn.error": {"propagate": True},
        "gunicorn.access": {"propagate": False, "level": "CRITICAL"},
    }
    return {**settings.LOGGING, "loggers": loggers}
