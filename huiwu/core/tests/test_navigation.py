"""The user menu and the phone's tab bar (base.html): what each role finds there, which tab is lit, and
the API's move from the main menu to the user menu."""

import re

from django.urls import reverse

from huiwu.core.navigation import nav_items_for, tabs_for, user_menu_for
from huiwu.testing import login_as


def _tabbar(html: str) -> str:
    start = html.index('data-testid="tabbar"')
    return html[html.rindex("<nav", 0, start) : html.index("</nav>", start)]


def test_it_keeps_the_api_out_of_the_main_menu(make_persona):
    for code in ("manager", "attendant", "hotline", "admin"):
        assert "api:openapi-view" not in [item["url_name"] for item in nav_items_for(make_persona(code))]


def test_it_offers_the_api_documentation_with_the_tokens_in_the_user_menu(client, attendant, client_contact):
    for user in (attendant, client_contact):
        assert [item["url_name"] for item in user_menu_for(user)] == [
            "notify:preferences",
            "accounts:password_change",
            "meetings:calendar",
            "accounts:api_tokens",
            "api:openapi-view",
        ]
    login_as(client, attendant)
    html = client.get(reverse("core:today")).content.decode()
    menu = html[html.index('data-testid="user-menu"') :]
    assert f'href="{reverse("api:openapi-view")}">API 文档</a>' in menu
    assert f'href="{reverse("accounts:api_tokens")}">API 令牌</a>' in menu


def test_it_gives_each_role_the_tabs_of_the_pages_it_may_use(make_persona, client_contact):
    def tabs(user):
        return [tab["key"] for tab in tabs_for(user)]

    assert tabs(make_persona("attendant")) == ["today", "tasks", "board", "inbox"]
    assert tabs(make_persona("team_leader")) == ["today", "tasks", "board", "inbox"]
    assert tabs(make_persona("manager")) == ["today", "board", "inbox"]
    assert tabs(make_persona("hotline")) == ["today", "board", "inbox"]
    assert tabs(make_persona("reception")) == ["today", "day", "inbox"]
    # The client follows their meetings from the phone; staff reach the list from the menu.
    assert tabs(client_contact) == ["today", "meetings", "inbox"]


def test_it_shows_the_tab_bar_on_phones_only_and_never_on_paper(client, attendant):
    login_as(client, attendant)
    html = client.get(reverse("core:today")).content.decode()
    bar = _tabbar(html)
    assert re.search(r'<nav class="hw-tabbar d-md-none d-print-none"', bar)
    assert re.search(r"<body hx-headers='[^']*' class=\"hw-with-tabbar\">", html)  # room kept for the bar
    assert re.findall(r'<span class="hw-tab-label">([^<]+)</span>', bar) == [
        "今日",
        "任务",
        "看板",
        "通知",
        "我的",
    ]


def test_it_shows_no_tab_bar_before_sign_in(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="tabbar"' not in html
    assert "hw-with-tabbar" not in html


def test_it_lights_the_tab_of_the_current_page(client, attendant):
    login_as(client, attendant)
    bar = _tabbar(client.get(reverse("service:my_tasks")).content.decode())
    assert re.findall(r'class="hw-tab active" href="([^"]+)" aria-current="page"', bar) == [reverse("service:my_tasks")]
    bar = _tabbar(client.get(reverse("accounts:password_change")).content.decode())
    assert 'class="hw-tab active" data-bs-toggle="offcanvas"' in re.sub(r"\s+", " ", bar)
    assert 'aria-current="page"' not in bar


def test_it_keeps_the_unread_count_on_the_notifications_tab(client, attendant):
    login_as(client, attendant)
    bar = _tabbar(client.get(reverse("core:today")).content.decode())
    inbox = bar[bar.index('data-testid="tab-inbox"') :]
    assert f'hx-get="{reverse("notify:badge")}" hx-trigger="load, every 30s"' in inbox


def test_it_opens_the_user_menu_from_the_me_tab_with_sign_out(client, attendant):
    login_as(client, attendant)
    html = client.get(reverse("core:today")).content.decode()
    sheet = html[html.index('id="hw-me"') :]
    sheet = sheet[: sheet.index("</form>")]
    assert "会务服务员" in sheet
    for name in ("notify:preferences", "accounts:password_change", "meetings:calendar", "accounts:api_tokens"):
        assert f'href="{reverse(name)}"' in sheet
    assert f'action="{reverse("accounts:logout")}"' in sheet
    assert "退出登录" in sheet
