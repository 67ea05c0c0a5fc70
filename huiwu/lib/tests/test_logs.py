"""The log format and request ids (huiwu/lib/logs.py): each request's id, taken from the proxy or made, returned
and written on every line logged while it is served; its own line; the text and JSON lines; gunicorn's lines."""

import io
import json
import logging
import os
import re
import time

import pytest
import time_machine
from django.conf import settings
from django.http import HttpResponse
from django.urls import path, re_path
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger

from huiwu.lib.logs import LineFormatter, RequestContextFilter, current_request_id, gunicorn_logconfig

logger = logging.getLogger(__name__)
NEW_ID = re.compile(r"[0-9a-f]{32}")


def busy(request):
    logger.info("在办 %s", "会议")
    return HttpResponse(current_request_id())


def status(request, code):
    return HttpResponse(status=code)


def fails(request):
    raise RuntimeError("boom")


def answer(request, survey_token):
    return HttpResponse()


urlpatterns = [
    path("busy/", busy),
    path("status/<int:code>/", status),
    path("fails/", fails),
    path("answer/<str:survey_token>/", answer),
    re_path(r"^long/", busy),
]
# The site's error page, which quotes the request id.
handler500 = "huiwu.core.views.server_error"

pytestmark = pytest.mark.urls(__name__)


class Written:
    """What a handler configured like the site's (the filter, the formatter) writes meanwhile."""

    def __init__(self, *, as_json: bool) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(RequestContextFilter())
        self.handler.setFormatter(LineFormatter(as_json=as_json))

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self, name: str | None = None) -> list[str]:
        return [line for line in self.text.splitlines() if name is None or f" {name} " in line]

    def objects(self, name: str) -> list[dict]:
        return [value for value in map(json.loads, self.text.splitlines()) if value["logger"] == name]


@pytest.fixture
def written():
    root = logging.getLogger()
    made = []

    def capture(*, as_json: bool = False) -> Written:
        made.append(Written(as_json=as_json))
        root.addHandler(made[-1].handler)
        return made[-1]

    yield capture
    for each in made:
        root.removeHandler(each.handler)


def _access_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "huiwu.request"]


# --- the request id -----------------------------------------------------------------------------------


def test_it_gives_each_request_a_new_id_and_returns_it(client):
    first, second = client.get("/busy/"), client.get("/busy/")
    assert NEW_ID.fullmatch(first["X-Request-ID"])
    assert NEW_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert first.content.decode() == first["X-Request-ID"]  # what the code serving it reads


@pytest.mark.parametrize(
    "incoming",
    [
        "0f8c1b6e3a9d4c2e8b7a6f5e4d3c2b1a",  # nginx's $request_id
        "3b241101-e2bb-4255-8caf-4136c566a962",
        "abcdefgh",  # the shortest
        "a" * 64,  # the longest
        "node-1.req_42",
    ],
)
def test_it_keeps_a_valid_id_sent_by_the_proxy(client, incoming):
    response = client.get("/busy/", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming
    assert response.content.decode() == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "abcdefg",
        "a" * 65,
        "abc defgh",
        "abcdefgh\n",
        "abcdefgh\r\nX-Evil: 1",
        "abcd\x00efgh",
        "abcd/efgh",
        "请求编号请求编号",
    ],
)
def test_it_replaces_an_invalid_id(client, incoming):
    response = client.get("/busy/", HTTP_X_REQUEST_ID=incoming)
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_it_knows_no_request_id_outside_a_request():
    assert current_request_id() == ""


# --- the request's line -------------------------------------------------------------------------------


def test_it_logs_one_line_per_request_with_its_method_path_status_and_duration(client, caplog, written):
    lines = written()
    with caplog.at_level(logging.INFO):
        response = client.get("/busy/")
    (record,) = _access_records(caplog)
    assert (record.levelname, record.getMessage()) == ("INFO", "GET /busy/ 200")
    assert isinstance(record.duration_ms, float)
    assert record.duration_ms >= 0
    (line,) = lines.lines("huiwu.request")
    assert f" INFO huiwu.request req={response['X-Request-ID']} client=127.0.0.1 dur={record.duration_ms}ms " in line
    assert line.endswith(" GET /busy/ 200")


def test_it_times_the_request_in_milliseconds(client, written, monkeypatch):
    lines = written()
    monkeypatch.setattr("huiwu.lib.logs.perf_counter", iter([10.0, 10.01234]).__next__)
    client.get("/busy/")
    assert " dur=12.3ms GET /busy/ 200" in lines.lines("huiwu.request")[0]


@pytest.mark.parametrize(
    ("code", "level"), [(200, "INFO"), (404, "INFO"), (499, "INFO"), (500, "WARNING"), (503, "WARNING")]
)
def test_it_logs_a_server_error_status_as_a_warning(client, caplog, code, level):
    with caplog.at_level(logging.INFO):
        client.get(f"/status/{code}/")
    (record,) = _access_records(caplog)
    assert (record.levelname, record.getMessage()) == (level, f"GET /status/{code}/ {code}")


@pytest.mark.parametrize("code", [404, 503])
def test_it_keeps_django_from_logging_the_answer_again_outside_the_request(client, caplog, code):
    with caplog.at_level(logging.INFO):
        client.get(f"/status/{code}/")
    assert [record.name for record in caplog.records] == ["huiwu.request"]


def test_it_logs_the_path_and_never_the_query_string(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/busy/?token=s3cret&password=hunter2")
    (record,) = _access_records(caplog)
    assert record.getMessage() == "GET /busy/ 200"


def test_it_hides_a_token_in_the_path(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/answer/eyJpIjoxfQ:1tX9:s3cret/")
    (record,) = _access_records(caplog)
    assert record.getMessage() == "GET /answer/<survey_token>/ 200"


@pytest.mark.parametrize(("length", "logged"), [(300, 300), (301, 300), (2000, 300), (299, 299)])
def test_it_cuts_a_long_path(client, caplog, length, logged):
    long_path = "/long/" + "a" * (length - len("/long/"))
    with caplog.at_level(logging.INFO):
        client.get(long_path)
    (record,) = _access_records(caplog)
    assert record.getMessage() == f"GET {long_path[:logged]} 200"


def test_it_answers_a_failing_view_with_the_500_page_and_logs_its_traceback_under_the_request_id(client, written):
    lines = written()
    client.raise_request_exception = False
    response = client.get("/fails/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    _before, error = lines.text.split(
        f" ERROR django.request req={request_id} client=127.0.0.1 dur=- Internal Server Error: /fails/\n"
    )
    assert error.startswith("Traceback (most recent call last):")
    assert "RuntimeError: boom" in error
    (access,) = lines.lines("huiwu.request")
    assert f" WARNING huiwu.request req={request_id} client=127.0.0.1 dur=" in access
    assert access.endswith(" GET /fails/ 500")
    assert f"请求编号 {request_id}" in response.content.decode()


def test_it_names_the_request_on_every_line_logged_while_it_is_served(client, written):
    lines = written()
    response = client.get("/busy/", REMOTE_ADDR="10.1.2.3")
    (line,) = lines.lines(__name__)
    assert line.endswith(f" INFO {__name__} req={response['X-Request-ID']} client=10.1.2.3 dur=- 在办 会议")


@pytest.mark.parametrize(("address", "logged"), [("10.9.8.7", "10.9.8.7"), (None, "-")])
def test_it_logs_the_client_address_as_login_throttling_sees_it(client, written, settings, address, logged):
    settings.AXES_CLIENT_IP_CALLABLE = lambda request: address
    lines = written()
    client.get("/busy/")
    assert f" client={logged} dur=- 在办 会议" in lines.lines(__name__)[0]


def test_it_logs_the_client_behind_the_proxy(client, written, settings):
    settings.PROXY_COUNT = 1
    lines = written()
    client.get("/busy/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert " client=203.0.113.5 " in lines.lines(__name__)[0]


def test_it_marks_a_line_outside_a_request_with_dashes(written):
    lines = written()
    logger.warning("pass %d", 3)
    assert lines.lines()[0].endswith(f" WARNING {__name__} req=- client=- dur=- pass 3")


# --- the formatter ------------------------------------------------------------------------------------


@pytest.fixture
def machine_in_utc():
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.mark.parametrize(
    ("moment", "written_as"),
    [
        ("2026-12-04 01:07:04.123 +0000", "2026-12-04T09:07:04.123+08:00"),
        ("2026-12-04 15:59:59.999 +0000", "2026-12-04T23:59:59.999+08:00"),
        ("2026-12-04 16:00:00.000 +0000", "2026-12-05T00:00:00.000+08:00"),
    ],
)
def test_it_writes_the_time_in_the_sites_zone_to_the_millisecond_whatever_the_machines(
    written, machine_in_utc, moment, written_as
):
    lines = written()
    with time_machine.travel(moment, tick=False):
        logger.warning("tick")
    assert lines.lines()[0].startswith(f"{written_as} WARNING ")


def test_it_writes_a_traceback_on_the_lines_after_the_record(written):
    lines = written()
    try:
        raise ValueError("bad")
    except ValueError:
        logger.exception("failed")
    first, *rest = lines.lines()
    assert first.endswith(" ERROR huiwu.lib.tests.test_logs req=- client=- dur=- failed")
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1] == "ValueError: bad"


def test_it_writes_the_stack_when_asked(written):
    lines = written()
    logger.warning("here", stack_info=True)
    assert lines.lines()[1] == "Stack (most recent call last):"


def test_it_escapes_line_breaks_so_that_a_message_cannot_forge_a_record(written):
    lines = written()
    logger.warning("Not Found: %s", "/x\n2026-12-04T09:00:00.000+08:00 INFO huiwu.request\tfake\x1b\u2028")
    (line,) = lines.lines()
    assert line.endswith("Not Found: /x\\n2026-12-04T09:00:00.000+08:00 INFO huiwu.request\\tfake\\x1b\\u2028")


def test_it_formats_a_record_that_no_filter_saw():
    record = logging.LogRecord("huiwu.x", logging.INFO, __file__, 1, "plain", None, None)
    assert LineFormatter().format(record).endswith(" INFO huiwu.x req=- client=- dur=- plain")


def test_it_writes_json_lines_with_the_fields(client, written):
    lines = written(as_json=True)
    with time_machine.travel("2026-12-04 01:07:04.123 +0000", tick=False):
        response = client.get("/busy/")
    request_id = response["X-Request-ID"]
    assert "在办 会议" in lines.text  # Chinese as it is, not \u escapes
    (view,) = lines.objects(__name__)
    assert view == {
        "time": "2026-12-04T09:07:04.123+08:00",
        "level": "INFO",
        "logger": __name__,
        "message": "在办 会议",
        "request_id": request_id,
        "client": "127.0.0.1",
    }
    (access,) = lines.objects("huiwu.request")
    assert access["message"] == "GET /busy/ 200"
    assert access["request_id"] == request_id
    assert isinstance(access["duration_ms"], float)


def test_it_writes_a_json_line_outside_a_request_with_its_traceback(written):
    lines = written(as_json=True)
    try:
        raise ValueError("bad\n二行")
    except ValueError:
        logger.exception("failed\nagain")
    (line,) = lines.text.splitlines()
    value = json.loads(line)
    assert (value["message"], value["request_id"], value["client"]) == ("failed\nagain", None, None)
    assert "duration_ms" not in value
    assert value["exc"].startswith("Traceback (most recent call last):")
    assert value["exc"].endswith("ValueError: bad\n二行")


def test_it_writes_the_stack_into_json_when_asked(written):
    lines = written(as_json=True)
    logger.warning("here", stack_info=True)
    assert json.loads(lines.text)["exc"].startswith("Stack (most recent call last):")


# --- gunicorn -----------------------------------------------------------------------------------------


@pytest.fixture
def logging_restored():
    """gunicorn's logger applies its configuration to the whole process: put back what the site had."""
    names = ["", "gunicorn", "gunicorn.error", "gunicorn.access", *settings.LOGGING["loggers"]]
    kept = [
        (log, log.handlers[:], log.level, log.propagate, log.disabled)
        for log in (logging.getLogger(name) if name else logging.getLogger() for name in names)
    ]
    yield
    for log, handlers, level, propagate, disabled in kept:
        log.handlers[:] = handlers
        log.setLevel(level)
        log.propagate = propagate
        log.disabled = disabled


def test_it_sends_gunicorns_lines_through_the_format_and_silences_its_access_log(logging_restored, capsys):
    config = Config()
    config.set("logconfig_dict", gunicorn_logconfig())
    gunicorn = GunicornLogger(config)
    gunicorn.info("Booting worker with pid: %s", 42)
    (line,) = capsys.readouterr().err.splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00 INFO gunicorn\.error req=- client=- dur=- "
        r"Booting worker with pid: 42",
        line,
    )
    assert not logging.getLogger("gunicorn.access").isEnabledFor(logging.INFO)


def test_it_leaves_gunicorns_error_log_at_gunicorns_log_level(logging_restored, capsys):
    config = Config()
    config.set("logconfig_dict", gunicorn_logconfig())
    config.set("loglevel", "warning")
    gunicorn = GunicornLogger(config)
    gunicorn.info("Booting worker with pid: %s", 42)
    gunicorn.warning("Worker with pid %s was terminated due to signal %s", 42, 9)
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith(
        " WARNING gunicorn.error req=- client=- dur=- Worker with pid 42 was terminated due to signal 9"
    )


def test_it_gives_gunicorn_a_config_that_a_file_can_hold():
    config = gunicorn_logconfig()
    assert json.loads(json.dumps(config)) == config
