"""`make bundle`: one archive that installs Huiwu on a machine with no route to the package registries.

dist/huiwu-<version>-py<XY>-<platform>.tar.gz holds the wheel of Huiwu built from this checkout (with the front-end
files of `make assets` and the translations of `make messages` inside), the wheel of every runtime dependency at
the version constraints.txt pins, requirements.txt naming each wheel with its sha256 (so that the install takes
those files and no others), install.sh, the deploy/ files and a README. The wheels of the dependencies are kept
in var/bundle-cache/ between runs: only the first build, or one after a pin changed, downloads anything.

Run with the project's virtualenv (`make bundle` does): the wheels are for its Python and this platform.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse
from urllib.request import url2pathname

# pip's own copy of packaging, in every virtualenv that has pip: the markers are evaluated as pip evaluates them.
from pip._vendor.packaging.markers import default_environment
from pip._vendor.packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = ROOT / "var" / "bundle-cache"
DIST = ROOT / "dist"
VENDOR = ROOT / "huiwu" / "static" / "vendor"
LOCALE = ROOT / "huiwu" / "locale"
# Copied into the bundle for the operator, less this directory of build scripts.
DEPLOY = ROOT / "deploy"
# Every release of this Python's minor version there is or will be (3.11 gets security fixes until October 2027):
# the installing machine may have any of them.
EVERY_MICRO = [
    {"python_full_version": f"{sys.version_info.major}.{sys.version_info.minor}.{micro}"} for micro in range(30)
]


class Wheel(NamedTuple):
    project: str
    version: str
    path: Path


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = project["version"]
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    tag = f"py{sys.version_info.major}{sys.version_info.minor}-{sysconfig.get_platform().replace('-', '_')}"
    name = f"huiwu-{version}-{tag}"
    pins = _pins(ROOT / "constraints.txt")
    with tempfile.TemporaryDirectory(prefix="huiwu-bundle-") as tmp:
        work = Path(tmp)
        own_wheel = _build_own_wheel(work)
        wheels = _resolve(own_wheel, version, work)
        _check_pinned(wheels, pins)
        wheels.append(_pip_wheel())
        bundle = work / name
        _lay_out(bundle, wheels, version=version, python=python)
        DIST.mkdir(exist_ok=True)
        archive = DIST / f"{name}.tar.gz"
        # Written aside, then renamed: a build that fails half-way leaves no archive that looks whole.
        partial = archive.with_name(f"{archive.name}.partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(bundle, arcname=name, filter=_owned_by_root)
        partial.replace(archive)
    size = archive.stat().st_size / 1e6
    print(f"{archive.relative_to(ROOT)}: {len(wheels)} wheels, {size:.1f} MB")


def _owned_by_root(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Unpacked by root on the server, the files must not belong to whichever user id built the archive."""
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    return member


def _pins(constraints: Path) -> dict[str, str]:
    pins = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            project, _, version = line.partition("==")
            pins[_normalise(project)] = version.strip()
    return pins


def _normalise(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()


def _build_own_wheel(work: Path) -> Path:
    """Huiwu's wheel, from a copy of the files git would commit plus the generated assets and translations.

    A copy, because setuptools builds in place and reuses a build/ directory left by an earlier build, which may
    still hold modules deleted since; the assets and the .mo files are ignored by git but must be in the wheel.
    """
    vendor = sorted(path for path in VENDOR.glob("*") if path.is_file() and not path.name.startswith("."))
    mos = sorted(LOCALE.glob("*/LC_MESSAGES/*.mo"))
    if not vendor or not mos:
        sys.exit("deploy/bundle/build.py: run `make assets messages` first (or `make bundle`)")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "huiwu", "pyproject.toml"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    source = work / "source"
    for relative in [*filter(None, listed), "README.md"]:
        if (ROOT / relative).is_file():  # a file deleted but not yet committed is still listed
            _copy(ROOT / relative, source / relative)
    for path in [*vendor, *mos]:
        _copy(path, source / path.relative_to(ROOT))
    out = work / "own"
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", out, source)
    (wheel,) = out.glob("huiwu-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for path in [*vendor, *mos]:
        if path.relative_to(ROOT).as_posix() not in names:
            sys.exit(f"deploy/bundle/build.py: {path.relative_to(ROOT)} is missing from {wheel.name}")
    return wheel


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _resolve(own_wheel: Path, version: str, work: Path) -> list[Wheel]:
    """Every wheel that installing Huiwu's wheel needs on any Python 3.11.x, from the cache, filled on a miss.

    The Python of the installing machine may be an older 3.11 than this virtualenv's (Debian 12's is 3.11.2), and
    a dependency may need a project only there (redis needs async-timeout before 3.11.3): the wheels that pip
    resolves here are completed with those, until none is missing.
    """
    wanted = [f"huiwu=={version}"]
    while True:
        items = _resolve_cached(own_wheel, version, wanted, work)
        missing = _needed_by_another_micro(items)
        if not missing:
            return [
                Wheel(
                    item["metadata"]["name"],
                    item["metadata"]["version"],
                    Path(url2pathname(urlparse(item["download_info"]["url"]).path)),
                )
                for item in items
            ]
        wanted += missing


def _needed_by_another_micro(items: list[dict]) -> list[str]:
    resolved = {_normalise(item["metadata"]["name"]) for item in items}
    missing = []
    for item in items:
        for text in item["metadata"].get("requires_dist", []):
            requirement = Requirement(text)
            if requirement.marker is None or _normalise(requirement.name) in resolved:
                continue
            extras = ["", *item.get("requested_extras", [])]
            if any(
                requirement.marker.evaluate({**default_environment(), **python, "extra": extra})
                for python in EVERY_MICRO
                for extra in extras
            ):
                missing.append(f"{requirement.name}{requirement.specifier}")
                resolved.add(_normalise(requirement.name))
    return missing


def _resolve_cached(own_wheel: Path, version: str, wanted: list[str], work: Path) -> list[dict]:
    try:
        return _resolve_offline(own_wheel, wanted, work, quiet=True)
    except subprocess.CalledProcessError:
        print("Filling var/bundle-cache/ with the wheels of the pinned dependencies")
    with zipfile.ZipFile(own_wheel) as archive:
        metadata = archive.read(f"huiwu-{version}.dist-info/METADATA").decode()
    # The runtime requirements only: those behind an extra (test, mutate) are not installed in production.
    runtime = [
        line.removeprefix("Requires-Dist:").strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    # --prefer-binary: the registry's wheel where there is one; a project that publishes only its source (crontab)
    # is built into a wheel here, once, so that the installing machine needs no compiler or build tool.
    _pip(
        "wheel",
        "--quiet",
        "--prefer-binary",
        "--constraint",
        ROOT / "constraints.txt",
        "--wheel-dir",
        CACHE,
        *runtime,
        *wanted[1:],
    )
    return _resolve_offline(own_wheel, wanted, work)


def _resolve_offline(own_wheel: Path, wanted: list[str], work: Path, *, quiet: bool = False) -> list[dict]:
    CACHE.mkdir(parents=True, exist_ok=True)
    report = work / "report.json"
    _pip(
        "install",
        "--quiet",
        "--dry-run",
        "--ignore-installed",
        "--only-binary",
        ":all:",
        "--report",
        report,
        "--constraint",
        ROOT / "constraints.txt",
        "--find-links",
        own_wheel.parent,
        *wanted,
        offline=True,
        quiet=quiet,
    )
    return json.loads(report.read_text(encoding="utf-8"))["install"]


def _check_pinned(wheels: list[Wheel], pins: dict[str, str]) -> None:
    """Fail when a dependency is missing from constraints.txt or pinned at another version than the one bundled."""
    for wheel in wheels:
        if wheel.project == "huiwu":
            continue
        pinned = pins.get(_normalise(wheel.project))
        if pinned != wheel.version:
            sys.exit(f"deploy/bundle/build.py: {wheel.path.name} is not pinned in constraints.txt (pin: {pinned})")


def _pip_wheel() -> Wheel:
    """The wheel of this virtualenv's pip: install.sh starts its virtualenv's pip from it, with no ensurepip."""
    version = subprocess.run(
        [sys.executable, "-c", "import pip; print(pip.__version__)"], check=True, capture_output=True, text=True
    ).stdout.strip()
    wheel = CACHE / f"pip-{version}-py3-none-any.whl"
    if not wheel.exists():
        _pip("download", "--quiet", "--no-deps", "--only-binary", ":all:", "--dest", CACHE, f"pip=={version}")
    return Wheel("pip", version, wheel)


def _lay_out(bundle: Path, wheels: list[Wheel], *, version: str, python: str) -> None:
    (bundle / "wheels").mkdir(parents=True)
    lines = []
    for wheel in sorted(wheels, key=lambda wheel: _normalise(wheel.project)):
        shutil.copy2(wheel.path, bundle / "wheels" / wheel.path.name)
        digest = hashlib.sha256(wheel.path.read_bytes()).hexdigest()
        lines.append(f"{wheel.project}=={wheel.version} --hash=sha256:{digest}")
    (bundle / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    install = (HERE / "install.sh").read_text(encoding="utf-8")
    install = install.replace("@VERSION@", version).replace("@PYTHON@", python)
    (bundle / "install.sh").write_text(install, encoding="utf-8")
    (bundle / "install.sh").chmod(0o755)
    shutil.copy2(HERE / "README.txt", bundle / "README.txt")
    shutil.copytree(DEPLOY, bundle / "deploy", ignore=_not_for_the_operator)


def _not_for_the_operator(directory: str, names: list[str]) -> list[str]:
    if Path(directory).resolve() == DEPLOY:
        return [name for name in names if name in ("bundle", "__pycache__")]
    return [name for name in names if name == "__pycache__"]


def _pip(*args, offline: bool = False, quiet: bool = False) -> None:
    """This virtualenv's pip; offline: with no index and none of this machine's pip configuration, the cache only.

    quiet: no output, even on failure (a cache miss is expected and handled).
    """
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)]
    env = None
    if offline:
        command += ["--no-index", "--find-links", str(CACHE)]
        env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
        env["PIP_CONFIG_FILE"] = os.devnull
    silent = subprocess.DEVNULL if quiet else None
    subprocess.run(command, check=True, env=env, stdout=silent, stderr=silent)


if __name__ == "__main__":
    main()
