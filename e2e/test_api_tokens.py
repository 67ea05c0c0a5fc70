from playwright.sync_api import expect

from e2e.conftest import API_DOCS_TIMEOUT, DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def test_it_lets_a_user_create_use_and_revoke_a_token_on_a_phone(page, live_server, hotline):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/accounts/tokens/")
    page.get_by_label("令牌名称").fill("OA 对接")
    page.get_by_role("button", name="创建令牌").click()
    secret = page.get_by_test_id("new-token").inner_text().strip()
    expect(page.get_by_role("listitem").filter(has_text="OA 对接")).to_be_visible()
    assert_no_sideways_scroll(page)
    screenshot(page, "api-tokens-phone")

    me = page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status == 200
    assert me.json()["username"] == "hotline"

    page.get_by_role("button", name="吊销").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("已吊销")
    page.context.clear_cookies()
    refused = page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401


def test_it_serves_the_api_docs_without_the_internet(page, live_server, db):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("/api/v1/me").first).to_be_visible(timeout=API_DOCS_TIMEOUT)
    screenshot(page, "api-docs-desktop")


def test_it_lets_a_user_change_their_password(page, live_server, attendant):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/accounts/password/")
    page.get_by_label("旧密码").fill(PERSONA_PASSWORD)
    page.get_by_label("新密码", exact=True).fill("xin-mima-2026")
    page.get_by_label("新密码确认").fill("xin-mima-2026")
    screenshot(page, "password-change-phone")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("heading", name="密码已修改")).to_be_visible()
