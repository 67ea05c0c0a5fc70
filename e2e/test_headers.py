"""The strict Content-Security-Policy in the browser: pages work under it, and it is enforced.

Every e2e test fails on a violation (the `policy_violations` fixture of conftest); these visit what the
other tests do not: the API documentation, the administration, and the day pickers' own script.
"""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import API_DOCS_TIMEOUT, DESKTOP, PHONE, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD, STRICT_CSP


def test_it_reports_inline_style_and_script_the_policy_blocks(page, live_server, attendant, policy_violations):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    response = page.goto(f"{live_server.url}/")
    assert response.headers["content-security-policy"] == STRICT_CSP
    page.evaluate(
        """() => new Promise((resolve) => {
            let blocked = 0;
            document.addEventListener("securitypolicyviolation", () => ++blocked === 2 && resolve());
            document.body.insertAdjacentHTML("beforeend",
                '<p id="injected" style="color: red">x</p><img src="/none.png" onerror="document.title = 1">');
        })"""
    )
    expect(page.locator("#injected")).to_have_css("color", "rgb(33, 37, 41)")  # the body's colour, not red
    assert page.title() != "1"
    for _ in range(50):  # the reports reach the test a moment after the page
        if len(policy_violations) >= 2:
            break
        page.wait_for_timeout(20)
    assert any(violation.startswith("style-src-attr blocked inline") for violation in policy_violations)
    assert any(violation.startswith("script-src-attr blocked inline") for violation in policy_violations)
    policy_violations.clear()  # expected here: what is tested is that the guard sees them


def test_it_shows_the_api_documentation_under_the_policy(page, live_server, manager):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "manager", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=API_DOCS_TIMEOUT)
    page.locator(".opblock-summary").first.click(timeout=API_DOCS_TIMEOUT)
    expect(page.locator(".opblock-body").first).to_be_visible(timeout=API_DOCS_TIMEOUT)
    screenshot(page, "api-docs-desktop")


def test_it_shows_the_administration_under_the_policy(page, live_server, sysadmin):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "admin", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/admin/accounts/user/")
    expect(page.locator("#result_list")).to_contain_text("admin")
    page.goto(f"{live_server.url}/admin/accounts/user/{sysadmin.pk}/change/")
    expect(page.locator("#user_form")).to_be_visible()


def test_it_opens_the_day_picked_on_the_timeline(page, live_server, hotline, room):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/timeline/")
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    page.get_by_label("日期").fill(day)  # our script sends the form on change: no inline handler
    expect(page).to_have_url(f"{live_server.url}/meetings/timeline/?date={day}")
