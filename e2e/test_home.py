from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def test_it_shows_an_attendant_the_chinese_home_page_on_a_phone(page, live_server, attendant):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    expect(page.get_by_role("heading", name="今日")).to_be_visible()
    expect(page.locator('[data-role="attendant"]')).to_contain_text("会务服务员")
    expect(page.locator('[data-role="attendant"]').get_by_role("link", name="我的任务")).to_be_visible()
    # Nothing may be wider than the phone: no sideways scrolling.
    assert_no_sideways_scroll(page)
    screenshot(page, "attendant-home-phone")

    # The collapsed menu opens and offers the account pages.
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#hw-nav").get_by_role("link", name="今日")).to_be_visible()
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("link", name="修改密码")).to_be_visible()
    screenshot(page, "attendant-menu-phone")


def test_it_shows_an_administrator_every_entry_on_desktop(page, live_server, sysadmin):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "admin", PERSONA_PASSWORD)
    expect(page.locator("#hw-nav").get_by_role("link", name="系统管理")).to_be_visible()
    # The API's documentation is in the user menu, next to the tokens, not in the main menu.
    expect(page.locator("#hw-nav").get_by_role("link", name="API", exact=True)).to_have_count(0)
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("link", name="API 文档")).to_be_visible()
    screenshot(page, "admin-home-desktop")


def test_it_switches_the_interface_to_english(page, live_server, attendant):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "attendant-home-phone-en")


def test_it_tells_a_locked_out_user_why_in_chinese(page, live_server, attendant):
    page.set_viewport_size(PHONE)
    for _ in range(5):
        sign_in(page, live_server, "attendant", "wrong-password")
    expect(page.get_by_test_id("lockout")).to_contain_text("登录失败次数过多")
    screenshot(page, "login-locked-phone")
