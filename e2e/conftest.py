"""End-to-end tests: Debian's Chromium (never a downloaded browser) against pytest-django's live server."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the fixtures are still
# plain synchronous calls made one at a time, which is what this switch allows.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# Swagger UI works through the whole OpenAPI schema (some 400 KB, 140 operations) in the browser before it
# draws: about 3 s on a quiet 2-core machine, several times that while the suite keeps the machine busy.
API_DOCS_TIMEOUT = 30_000


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)
            # The first one also starts Chromium and the live server.
            item.add_marker(pytest.mark.timeout(300))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    # Reduced motion: Bootstrap then skips its animations, so screenshots show settled pages.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "reduced_motion": "reduce"}


# Tells the test about each Content-Security-Policy violation the moment the page meets it (a list kept in
# the page would be lost with the next navigation).
_REPORT_POLICY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.hwPolicyViolation(`${event.effectiveDirective} blocked ${event.blockedURI} at ${where}`);
}, true);
"""


@pytest.fixture(autouse=True)
def policy_violations(browser, monkeypatch):
    """Fails the test on any policy violation or header error in the contexts of `page` and `browser.new_context`."""
    violations = []
    open_context = browser.new_context

    def note_violation(text):
        violations.append(text)

    def note_console(message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            violations.append(message.text)

    def watched_context(*args, **kwargs):
        context = open_context(*args, **kwargs)
        context.expose_function("hwPolicyViolation", note_violation)
        context.add_init_script(_REPORT_POLICY_VIOLATIONS)
        context.on("console", note_console)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield violations
    assert violations == [], "policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(page, live_server):
    """A page that fails the test if it ever asks another host for anything (intranets are offline)."""
    own_host = urlsplit(live_server.url).netloc
    foreign = []

    def note_foreign(request):
        if urlsplit(request.url).netloc not in (own_host, ""):
            foreign.append(request.url)

    page.on("request", note_foreign)
    page.set_default_timeout(10_000)
    yield page
    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.fixture
def daytime():
    """The test's meetings lie within three hours of now, which must all be one day: outside 04:00–20:00 the
    whole test (the live server too: it runs in this process) happens at 04:00 or 20:00 of today instead, close
    enough to the browser's own clock for its cookies to hold."""
    now = timezone.localtime()
    moment = min(max(now, now.replace(hour=4, minute=0)), now.replace(hour=20, minute=0))
    if moment == now:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_sideways_scroll(page) -> None:
    """A phone page must not scroll sideways (wide content scrolls inside its own box)."""
    page.evaluate("window.scrollTo(10000, 0)")
    assert page.evaluate("window.scrollX") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
