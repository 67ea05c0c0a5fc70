"""`huiwu web` (one gunicorn, drained before it stops) and `huiwu serve` (the demo's supervisor), run as the
processes they are."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from huiwu.core.tests.test_commands import _free_port

HUIWU = [sys.executable, "-m", "huiwu"]


def _environment(tmp_path: Path, **extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "XDG_RUNTIME_DIR"}}
    # HOME too: gunicorn's default control socket would be $HOME/.gunicorn/gunicorn.ctl.
    return env | {"HUIWU_DATA_DIR": str(tmp_path), "HUIWU_HTTPS": "false", "HOME": str(tmp_path), **extra}


def _get(port: int, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _connection_header(port: int) -> str:
    """The Connection header of an answer to a keep-alive request (urllib always asks to close)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        return response.getheader("Connection", "")
    finally:
        connection.close()


def _wait_until(condition, seconds: float = 30, what: str = "it") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def _start_web(tmp_path: Path, port: int, log: Path, **env: str) -> subprocess.Popen:
    # Its runtime directory is made in TMPDIR.
    (tmp_path / "run").mkdir(exist_ok=True)
    with log.open("w") as output:
        return subprocess.Popen(
            [*HUIWU, "web", "--bind", f"127.0.0.1:{port}"],
            env=_environment(tmp_path, WEB_WORKERS="1", WEB_THREADS="2", TMPDIR=str(tmp_path / "run"), **env),
            stdout=output,
            stderr=subprocess.STDOUT,
            # A session of its own, as a terminal's foreground job: Ctrl-C reaches its whole process group.
            start_new_session=True,
        )


def _stop(process: subprocess.Popen, signum: int = signal.SIGTERM) -> int:
    process.send_signal(signum)
    try:
        return process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_it_runs_two_web_servers_on_one_host_without_a_shared_control_socket(tmp_path):
    ports = [_free_port(), _free_port()]
    servers = [_start_web(tmp_path, port, tmp_path / f"web{port}.log") for port in ports]
    try:
        for port in ports:
            _wait_until(lambda port=port: _get(port, "/healthz")[0] == 200, what=f"the server on {port} answering")
        # gunicorn's default, one path for every gunicorn of the user: the second one took it from the first.
        assert not (tmp_path / ".gunicorn").exists()
        # Each has its own drain flag and metrics directory.
        assert len(list((tmp_path / "run").glob("huiwu-web-*/metrics"))) == 2
        codes = [_stop(server) for server in servers]
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
    logs = [(tmp_path / f"web{port}.log").read_text() for port in ports]
    assert codes == [0, 0], logs
    assert all("Web server stopped" in log for log in logs)
    # The runtime directories are removed with their servers.
    assert list((tmp_path / "run").iterdir()) == []


def test_it_answers_not_ready_while_draining_and_finishes_the_request_in_flight(tmp_path):
    port = _free_port()
    log = tmp_path / "web.log"
    server = _start_web(tmp_path, port, log, WEB_DRAIN_SECONDS="1")
    try:
        _wait_until(lambda: _get(port, "/healthz")[0] == 200, what="the server answering")
        assert _get(port, "/readyz")[1]["status"] != "draining"
        assert _connection_header(port) == "keep-alive"
        # A request in flight: its first line sent, the rest still to come when gunicorn itself is told to stop.
        in_flight = socket.create_connection(("127.0.0.1", port), timeout=30)
        in_flight.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.3)
        signalled = time.monotonic()
        server.send_signal(signal.SIGTERM)
        _wait_until(lambda: _get(port, "/readyz") == (503, {"status": "draining", "checks": {}}), 5, "draining")
        # Still serving while draining: the proxy sends new requests elsewhere, those on their way are answered.
        assert _get(port, "/healthz") == (200, {"status": "ok"})
        # … each on a connection closed after its answer, so that none is left kept alive into the stop.
        assert _connection_header(port) == "close"
        _wait_until(lambda: "Handling signal: term" in log.read_text(), 10, "gunicorn being stopped")
        assert time.monotonic() - signalled >= 1
        in_flight.sendall(b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := in_flight.recv(65536):
            answer += chunk
        in_flight.close()
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert answer.endswith(b'{"status": "ok"}')
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
    assert "Draining for 1.0 s before stopping" in log.read_text()


def test_it_exits_with_an_error_when_gunicorn_dies_by_itself(tmp_path):
    port = _free_port()
    log = tmp_path / "web.log"
    server = _start_web(tmp_path, port, log)
    try:
        _wait_until(lambda: _get(port, "/healthz")[0] == 200, what="the server answering")
        master = int(log.read_text().split("Listening at: ", 1)[1].split("(", 1)[1].split(")", 1)[0])
        os.kill(master, signal.SIGKILL)
        # Not 0, so that systemd (Restart=always) or `huiwu serve` starts it again.
        assert server.wait(timeout=30) == 1
    finally:
        if server.poll() is None:
            server.kill()
    assert "gunicorn stopped unexpectedly (exit -9)." in log.read_text()


def _children(pid: int) -> list[int]:
    return [
        int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()
    ]


def _command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_text().split("\0")


def test_it_starts_a_child_again_that_died_and_stops_all_in_order(tmp_path):
    port = _free_port()
    env = _environment(tmp_path)
    subprocess.run([*HUIWU, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        serve = subprocess.Popen(
            [*HUIWU, "serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1", "--threads", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until(lambda: _get(port, "/healthz")[0] == 200, 60, "the web server answering")
        _wait_until(lambda: "Worker started" in log.read_text(), 30, "the worker starting")
        (worker,) = [pid for pid in _children(serve.pid) if _command_line(pid)[3:4] == ["worker"]]
        os.kill(worker, signal.SIGKILL)
        _wait_until(lambda: log.read_text().count("Worker started") == 2, 30, "the worker starting again")
        output = log.read_text()
        assert "The worker stopped unexpectedly (exit -9); starting it again in 2 s" in output
        assert "The worker was started again" in output
        assert serve.poll() is None
        assert _get(port, "/healthz")[0] == 200
        assert _stop(serve, signal.SIGINT) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
    output = log.read_text()
    # The web server first, so that no new work reaches the worker while it stops.
    assert output.index("Web server stopped") < output.index("Worker stopped.") < output.index("Huiwu stopped.")


def test_it_drains_on_ctrl_c_which_reaches_only_itself(tmp_path):
    port = _free_port()
    log = tmp_path / "web.log"
    server = _start_web(tmp_path, port, log, WEB_DRAIN_SECONDS="0.5")
    try:
        _wait_until(lambda: _get(port, "/healthz")[0] == 200, what="the server answering")
        # Ctrl-C in a terminal: SIGINT to the foreground process group. gunicorn, in a group of its own, is then
        # stopped by `huiwu web` after the drain, gracefully, rather than at once by the SIGINT.
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
    output = log.read_text()
    assert "Draining for 0.5 s before stopping" in output
    assert "Handling signal: term" in output
    assert "Handling signal: int" not in output
