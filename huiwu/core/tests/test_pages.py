from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from huiwu.accounts.roles import Role
from huiwu.core.today import today_sections
from huiwu.ops.services import worker_beat
from huiwu.testing import STRICT_CSP, at, login_as

_URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "background"}


def _plain_paths(patterns, prefix=""):
    """Every path of the URLconf that takes no argument, e.g. "accounts/tokens/" or "admin/auth/group/"."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or "(" in route:
            continue
        route = route.removeprefix("^").removesuffix("$").replace("\\", "")
        if isinstance(pattern, URLResolver):
            yield from _plain_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


class _ForeignReferenceFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.foreign = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name in _URL_ATTRIBUTES or name == "style"):
                for candidate in value.replace("url(", " ").replace(",", " ").split():
                    candidate = candidate.strip("'\")")
                    if candidate.startswith("//") or urlsplit(candidate).scheme in {"http", "https", "ftp"}:
                        self.foreign.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if "url(" in data and ("http" in data or "url(//" in data):
            self.foreign.append(data.strip()[:120])


def _foreign_references(html: str) -> list[str]:
    finder = _ForeignReferenceFinder()
    finder.feed(html)
    return finder.foreign


def test_it_finds_foreign_references():
    html = '<img src="https://cdn.example.com/x.png"><link href="//fonts.example.com/a.css"><a href="/ok">'
    assert len(_foreign_references(html)) == 2


@pytest.fixture
def everyone(make_persona):
    """One user holding every role, so that every page and every navigation entry is rendered."""
    user = make_persona("admin")
    user.groups.set(Group.objects.all())
    return type(user).objects.get(pk=user.pk)


def test_it_renders_every_page_under_the_strict_policy_without_referencing_another_host(client, everyone):
    # A worker running, as in production: /readyz answers 200 (without one it answers 503, on purpose).
    worker_beat(worker_id="pages")
    paths = sorted(set(_plain_paths(get_resolver().url_patterns)))
    assert {"/", "/accounts/login/", "/api/v1/docs", "/admin/"} <= set(paths)
    rendered = 0
    for signed_in in (False, True):
        if signed_in:
            login_as(client, everyone)
        for path in paths:
            response = client.get(path)
            assert response.status_code < 500, path
            assert response["Content-Security-Policy"] == STRICT_CSP, path
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                assert _foreign_references(response.content.decode()) == [], path
                rendered += 1
    assert rendered > 10


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_each_role_its_today_section(client, make_persona, frozen_now, role):
    # A Thursday at 08:41: reception's first items are due now (at midnight nothing is, and it would say so).
    frozen_now.move_to(at("2026-11-26 08:41"))
    user = make_persona(role.value)
    (section,) = [section for section in today_sections(user) if not section.title]
    assert section.role == role
    login_as(client, user)
    html = client.get("/").content.decode()
    assert f'data-role="{role.value}"' in html
    assert str(role.label) in html
    assert str(section.hint) in html
    # A fresh install has nothing waiting, except reception's routine: every working day has its items, due
    # from 08:40 (reception/tests/test_day_today.py), and a day off says so.
    assert ("今天暂无需要您处理的事项" in html) is (role != Role.RECEPTION)


def test_it_tells_a_user_without_a_role_to_ask_for_one(client, outsider):
    login_as(client, outsider)
    html = client.get("/").content.decode()
    assert "您的账号尚未分配角色" in html
    assert "data-role=" not in html


def test_it_shows_navigation_by_role(client, sysadmin, attendant, client_contact):
    login_as(client, sysadmin)
    assert 'href="/admin/"' in client.get("/").content.decode()
    login_as(client, attendant)
    html = client.get("/").content.decode()
    assert 'href="/admin/"' not in html
    # The API's documentation is with the tokens in the user menu, for everybody who may create one.
    main_menu = html[html.index('<ul class="navbar-nav me-auto">') :]
    assert 'href="/api/v1/docs"' not in main_menu[: main_menu.index("</ul>")]
    assert 'class="dropdown-item" href="/api/v1/docs"' in html
    login_as(client, client_contact)
    assert 'class="dropdown-item" href="/api/v1/docs"' in client.get("/").content.decode()


def test_it_shows_the_date_in_shanghai_time(client, attendant):
    login_as(client, attendant)
    # 17:00 UTC on the 26th is already 01:00 on the 27th in Shanghai.
    with time_machine.travel("2026-11-26 17:00 +0000", tick=False):
        html = client.get("/").content.decode()
    assert "2026年11月27日 星期五" in html


def test_it_switches_to_english_and_back(client, attendant):
    login_as(client, attendant)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Nothing needs your attention today." in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "今天暂无需要您处理的事项" in client.get("/").content.decode()


def test_it_answers_a_missing_page_in_chinese(client, attendant):
    login_as(client, attendant)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_it_forbids_framing_and_mime_sniffing(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_lists_the_checks_due_today_for_the_team_leader(client, team_leader, book):
    book("2026-11-26 15:00", "16:00", title="下午会")
    book("2026-11-27 09:00", "10:00", title="明天的会")  # level 1 due tomorrow: not today's work yet
    login_as(client, team_leader)
    html = client.get("/").content.decode()
    checks = html[html.index("今日到期的一级检查") :]
    assert "下午会" in checks
    assert "明天的会" not in checks
    assert ">13:00<" in checks
    assert 'href="/service/board/"' in html


def test_it_lists_the_attendants_next_action(client, team_leader, attendant, book):
    from huiwu.service.services import assignment_add

    meeting = book("2026-11-26 15:00", "16:00")
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    login_as(client, attendant)
    html = client.get("/").content.decode()
    assert "1 项待处理" in html
    assert "会议开始" in html
    assert 'href="/service/mine/"' in html
