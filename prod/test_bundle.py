"""The offline install bundle: `make bundle` built, then installed and run in network namespaces with no route out.

Each step runs under `unshare --net`, a network namespace of its own with nothing but a loopback interface, so the
install cannot reach a package registry even if it tried; install.sh is handed this machine's pip variables (a
find-links on the local disk among them), which it must ignore. The figures the release notes quote, the size of
the archive and the time of the install, are printed and written to var/bundle-figures.txt.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The machine's own Python, as an operator's install.sh finds it (Debian 12's is 3.11.2, an older 3.11 than the
# virtualenv's that builds the bundle may be); python3 of the PATH where there is none.
SYSTEM_PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else "python3"
FIGURES = ROOT / "var" / "bundle-figures.txt"
# The first build downloads every wheel; later ones take them from var/bundle-cache/.
pytestmark = pytest.mark.timeout(600)

# Run inside the namespace with the test's own Python: one GET, the status on the first line, then the body.
GET = """
import sys, urllib.error, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=10) as answer:
        status, body = answer.status, answer.read()
except urllib.error.HTTPError as error:
    status, body = error.code, error.read()
sys.stdout.write(f"{status}\\n")
sys.stdout.buffer.write(body)
"""


def _offline(script: str, *, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    """A shell script in a new network namespace, its loopback up: no address outside this process is reachable."""
    return subprocess.run(
        ["unshare", "--net", "sh", "-c", f"ip link set lo up && {script}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def bundle() -> dict:
    missing = [tool for tool in ("unshare", "ip", "nsenter") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: Debian's util-linux and iproute2 packages provide them")
    namespace = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True)
    if namespace.returncode != 0:
        pytest.fail(f"`unshare --net` is not permitted here (it needs root or CAP_SYS_ADMIN): {namespace.stderr}")
    started = time.monotonic()
    built = subprocess.run(["make", "bundle"], cwd=ROOT, capture_output=True, text=True)
    if built.returncode != 0:
        pytest.fail(f"make bundle failed:\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}")
    build_seconds = time.monotonic() - started
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    platform = sysconfig.get_platform().replace("-", "_")
    name = f"huiwu-{version}-py{sys.version_info.major}{sys.version_info.minor}-{platform}"
    return {"archive": ROOT / "dist" / f"{name}.tar.gz", "name": name, "build_seconds": build_seconds}


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> dict:
    """The bundle unpacked and installed twice into a fresh prefix, each time in a namespace with no network."""
    place = tmp_path_factory.mktemp("bundle")
    with tarfile.open(bundle["archive"]) as archive:
        archive.extractall(place, filter="tar")
    install = place / bundle["name"] / "install.sh"
    prefix = place / "opt huiwu"  # a space in the path, as an operator's may have
    # After the install, in the same namespace: pip with none of this machine's configuration, so its own index.
    probe = (
        f"env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null '{prefix}/venv/bin/python' -m pip download --no-deps "
        f"--retries 1 --timeout 3 --dest '{place}/probe' six > '{place}/probe.log' 2>&1; echo $? > '{place}/probe.rc'"
    )
    # The install's time is taken when it ends, inside the namespace, so that the probe after it is not counted.
    started = time.time()
    # This process's environment, this machine's pip variables with it: install.sh must ignore them.
    env = {**os.environ, "PYTHON": SYSTEM_PYTHON}
    first = _offline(f"'{install}' '{prefix}' && date +%s.%N > '{place}/installed.at' && {probe}", env=env)
    install_seconds = float((place / "installed.at").read_text()) - started if first.returncode == 0 else 0.0
    started = time.monotonic()
    again = _offline(f"'{install}' '{prefix}'", env=env)
    again_seconds = time.monotonic() - started
    size_mb = bundle["archive"].stat().st_size / 1e6
    figures = (
        f"bundle {bundle['archive'].name}: {size_mb:.1f} MB, built in {bundle['build_seconds']:.1f} s; "
        f"install {install_seconds:.1f} s, install again {again_seconds:.1f} s\n"
    )
    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(figures, encoding="utf-8")
    print(f"\n{figures}", end="")
    return {
        "prefix": prefix,
        "place": place,
        "first": first,
        "again": again,
        "probe_rc": (place / "probe.rc").read_text().strip() if (place / "probe.rc").exists() else None,
        "probe_log": (place / "probe.log").read_text() if (place / "probe.log").exists() else "",
    }


def _settings(installed) -> dict[str, str]:
    """What the installed command is given: an env file and a credential, nothing of this checkout or this process."""
    place = installed["place"]
    credentials = place / "credentials"
    credentials.mkdir(exist_ok=True)
    (credentials / "secret_key").write_text("s3cr3t-" * 10 + "\n", encoding="utf-8")
    (place / "huiwu.env").write_text(
        f"HUIWU_HTTPS=false\nEMAIL_BACKEND=django.core.mail.backends.console.EmailBackend\nHUIWU_DATA_DIR={place}/data\n",
        encoding="utf-8",
    )
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(place),
        "LANG": "C.UTF-8",
        "HUIWU_ENV_FILE": str(place / "huiwu.env"),
        "HUIWU_CREDENTIALS_DIR": str(credentials),
    }


def test_it_installs_with_no_route_to_the_registries(installed):
    assert installed["first"].returncode == 0, installed["first"].stderr
    assert f"is installed in {installed['prefix']}." in installed["first"].stdout
    assert "migrate --noinput" in installed["first"].stdout
    assert "The units name /opt/huiwu: set their ExecStart=" in installed["first"].stdout
    # The proof that the namespace had no network: pip, in it, could not reach its index.
    assert installed["probe_rc"] == "1", installed["probe_log"]
    assert "NewConnectionError" in installed["probe_log"]


def test_it_installs_again_over_an_installed_prefix(installed):
    assert installed["again"].returncode == 0, installed["again"].stderr
    assert (installed["prefix"] / "venv" / "bin" / "huiwu").exists()


def test_it_copies_the_deploy_files_without_the_build_scripts(installed):
    deploy = installed["prefix"] / "deploy"
    assert (deploy / "systemd").is_dir()
    assert not (deploy / "bundle").exists()


@pytest.mark.parametrize(
    ("project", "refusal"),
    [
        # pip's own wheel runs before any pip can check it: install.sh checks it first.
        ("pip", "does not match its hash in requirements.txt"),
        ("huiwu", "DO NOT MATCH THE HASHES"),
    ],
)
def test_it_refuses_a_wheel_that_is_not_the_one_hashed(bundle, tmp_path, project, refusal):
    with tarfile.open(bundle["archive"]) as archive:
        archive.extractall(tmp_path, filter="tar")
    (wheel,) = (tmp_path / bundle["name"] / "wheels").glob(f"{project}-*.whl")
    with wheel.open("ab") as tampered:
        tampered.write(b"\0")
    refused = _offline(f"'{tmp_path / bundle['name'] / 'install.sh'}' '{tmp_path / 'prefix'}'", env=dict(os.environ))
    assert refused.returncode != 0
    assert refusal in refused.stderr
    assert not (tmp_path / "prefix" / "venv" / "bin" / "huiwu").exists()


def test_it_takes_the_wheels_of_the_bundle_only(bundle, tmp_path):
    """A wheel missing from the bundle is not taken from where this machine's pip configuration points."""
    with tarfile.open(bundle["archive"]) as archive:
        archive.extractall(tmp_path, filter="tar")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (wheel,) = (tmp_path / bundle["name"] / "wheels").glob("sqlparse-*.whl")
    wheel.rename(elsewhere / wheel.name)
    refused = _offline(
        f"'{tmp_path / bundle['name'] / 'install.sh'}' '{tmp_path / 'prefix'}'",
        env={**os.environ, "PIP_FIND_LINKS": str(elsewhere)},
    )
    assert refused.returncode != 0
    assert "No matching distribution found for sqlparse" in refused.stderr


def test_it_explains_itself_with_help(bundle, tmp_path):
    with tarfile.open(bundle["archive"]) as archive:
        archive.extractall(tmp_path, filter="tar")
    helped = subprocess.run(
        [tmp_path / bundle["name"] / "install.sh", "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert helped.returncode == 0
    assert "from this bundle into PREFIX (default /opt/huiwu)" in helped.stdout
    assert "PYTHON=/path/to/python3.11" in helped.stdout
    assert not (tmp_path / "--help").exists()


def test_it_refuses_a_python_of_another_version(bundle, tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho 3.10\n", encoding="utf-8")
    fake.chmod(0o755)
    with tarfile.open(bundle["archive"]) as archive:
        archive.extractall(tmp_path, filter="tar")
    refused = subprocess.run(
        [tmp_path / bundle["name"] / "install.sh", tmp_path / "prefix"],
        env={**os.environ, "PYTHON": str(fake)},
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "Python 3.10" in refused.stderr
    assert not (tmp_path / "prefix").exists()


@pytest.fixture(scope="module")
def migrated(installed) -> dict:
    """The installed command's migrate and deploy checks, run once: the server test serves that database."""
    huiwu = f"'{installed['prefix']}/bin/huiwu'"
    env = _settings(installed)
    return {"env": env, "done": _offline(f"{huiwu} migrate --noinput && {huiwu} check --deploy", env=env)}


def test_it_migrates_and_passes_the_deploy_checks_offline(installed, migrated):
    done = migrated["done"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Applying accounts.0001_initial... OK" in done.stdout
    # In the HUIWU_DATA_DIR of the env file: the command read the file it was pointed at.
    assert (installed["place"] / "data" / "huiwu.sqlite3").is_file()


def test_it_serves_the_login_page_in_chinese_with_its_stylesheet_offline(installed, migrated, free_port):
    assert migrated["done"].returncode == 0
    huiwu = f"'{installed['prefix']}/bin/huiwu'"
    port = free_port()
    env = migrated["env"]
    log = (installed["place"] / "serve.log").open("w")
    server = subprocess.Popen(
        ["unshare", "--net", "sh", "-c", f"ip link set lo up && exec {huiwu} serve --bind 127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, page = _get_when_up(server, f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        assert '<html lang="zh-hans"' in page
        assert "登录" in page  # "Sign in", from the compiled translations in the wheel
        stylesheet = re.search(r'href="(/static/vendor/bootstrap\.min[^"]*\.css)"', page)
        assert stylesheet, page
        status, css = _get(server, f"http://127.0.0.1:{port}{stylesheet.group(1)}")
        assert status == 200
        assert "Bootstrap" in css[:200]  # the file of `make assets`, in the wheel
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        log.close()


def _get(server: subprocess.Popen, url: str) -> tuple[int, str]:
    """A GET from inside the server's network namespace (its loopback is not this one's)."""
    done = subprocess.run(
        ["nsenter", "--target", str(server.pid), "--net", sys.executable, "-c", GET, url],
        capture_output=True,
        timeout=30,
    )
    if done.returncode != 0:
        raise ConnectionError(done.stderr.decode(errors="replace"))
    status, _, body = done.stdout.partition(b"\n")
    return int(status), body.decode(errors="replace")


def _get_when_up(server: subprocess.Popen, url: str) -> tuple[int, str]:
    deadline = time.monotonic() + 90
    while True:
        try:
            return _get(server, url)
        except ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
