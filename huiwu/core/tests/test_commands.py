import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django_tasks import task
from django_tasks.base import TaskResultStatus

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory.models import Organization, Person
from huiwu.meetings.models import Meeting
from huiwu.venues.models import Room, Site


def test_it_loads_the_demo_data_idempotently(db, capsys):
    call_command("demo")
    counts = (Organization.objects.count(), Meeting.objects.count(), Person.objects.count())
    call_command("demo")
    assert (Organization.objects.count(), Meeting.objects.count(), Person.objects.count()) == counts
    assert set(Site.objects.values_list("name", flat=True)) == {"行政办事中心", "会议大厦"}
    assert Organization.objects.filter(name="市机关事务管理局").count() == 1
    assert Meeting.objects.filter(title="局务会", series__isnull=False).count() == 4
    assert Room.objects.filter(name="多功能厅").exists()
    # One account per role, and a second attendant and a second reception attendant so that the workload and
    # the reception team's journal have a team to show.
    assert User.objects.count() == len(Role) + 2
    assert User.objects.get(username="attendant2").roles == [Role.ATTENDANT]
    assert User.objects.get(username="reception2").roles == [Role.RECEPTION]
    for role in Role:
        user = User.objects.get(username=role.value)
        assert user.roles == [role]
        assert user.check_password("huiwu-demo")
        assert user.display_name
    assert User.objects.get(username="client").organization.name == "市机关事务管理局"
    assert User.objects.get(username="admin").is_staff
    assert not User.objects.get(username="manager").is_staff
    output = capsys.readouterr().out
    assert "huiwu-demo" in output
    assert "attendant" in output


def test_it_resets_a_demo_password_that_was_changed(db):
    call_command("demo")
    user = User.objects.get(username="hotline")
    user.set_password("changed-password")
    user.save()
    call_command("demo")
    user.refresh_from_db()
    assert user.check_password("huiwu-demo")


@task()
def record_delivery(text: str) -> str:
    return f"delivered {text}"


def test_it_runs_queued_tasks_in_the_worker(transactional_db):
    result = record_delivery.enqueue("通知")
    call_command("worker", once=True)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "delivered 通知"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_serves_with_gunicorn_and_the_worker_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"HUIWU_DATA_DIR": str(tmp_path), "HUIWU_HTTPS": "false"}
    huiwu = [sys.executable, "-m", "huiwu"]
    subprocess.run([*huiwu, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    log = tmp_path / "serve.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*huiwu, "serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        page = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                    page = response.read().decode()
                # Both must be up before Ctrl-C: the web server answers, the worker says so.
                if "Worker started" in log.read_text():
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert page is not None, "the server did not answer"
        assert "登录" in page
        # gunicorn lets a 20 KB address through, for Huiwu to refuse in JSON (gunicorn's own 414 is HTML).
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/meetings?padding={'x' * 20_000}", timeout=5)
        assert refused.value.code == 414
        assert json.loads(refused.value.read())["code"] == "uri_too_long"
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    output = log.read_text()
    assert server.returncode == 0, output
    assert "Huiwu stopped." in output
    assert "Starting gunicorn" in output
    assert "Worker started" in output
    assert "Worker stopped." in output
    children = subprocess.run(["pgrep", "-f", f"127.0.0.1:{port}"], capture_output=True, text=True, check=False)
    assert children.stdout.strip() == ""
