"""Page weight (issue 16): the first page a new visitor gets, with everything it makes the browser fetch, stays under
100 KB on the wire — HTML compressed by GZipMiddleware, static files by the compressed variants collectstatic
writes — and ECharts (a megabyte of script) is loaded only by the pages that draw a chart."""

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.http.response import HttpResponseBase
from django.test import Client, override_settings

from huiwu.testing import login_as

BUDGET_BYTES = 100 * 1024
# What a browser announces; WhiteNoise then picks the best variant collectstatic wrote.
BROWSER_ENCODINGS = "gzip, deflate, br"
# As configured, read before any test swaps it (huiwu.testing serves the static files where they lie).
CONFIGURED_STATIC_STORAGE = django_settings.STORAGES["staticfiles"]
CHART = "data-chart="


class _Assets(HTMLParser):
    """The addresses a browser fetches while loading a page: stylesheets, icons and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        rel = set((attributes.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "icon", "preload", "modulepreload"} and attributes.get("href"):
            self.urls.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])


def _stylesheet_urls(css: str) -> list[str]:
    """What a stylesheet makes the browser fetch in turn (fonts, images, imports); data: URIs cost nothing more."""
    found = re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""", css)
    return [url for pair in found for url in pair if url and not url.startswith(("data:", "#"))]


@dataclass
class Fetched:
    """One response as the browser received it; a static file's body is a stream, read once here."""

    url: str
    response: HttpResponseBase
    body: bytes = field(init=False)

    def __post_init__(self) -> None:
        response = self.response
        self.body = b"".join(response.streaming_content) if response.streaming else response.content

    @property
    def transferred(self) -> int:
        """Bytes on the wire: the status line, the headers with the cookies, and the body as sent."""
        head = f"HTTP/1.1 {self.response.status_code} {self.response.reason_phrase}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in self.response.items())
        head += "".join(f"{morsel.output()}\r\n" for morsel in self.response.cookies.values())
        return len(head.encode()) + 2 + len(self.body)

    @property
    def text(self) -> str:
        encoded = self.response.get("Content-Encoding") == "gzip"
        return (gzip.decompress(self.body) if encoded else self.body).decode()

    @property
    def content_type(self) -> str:
        return self.response.get("Content-Type", "").split(";")[0]


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """The static files as `huiwu serve` prepares them at each start: collected with the configured storage
    (hashed names, compressed variants), once for this module."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(
        STATIC_ROOT=root, STORAGES={**django_settings.STORAGES, "staticfiles": CONFIGURED_STATIC_STORAGE}
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def deployed_static(settings, collected_static):
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = {**settings.STORAGES, "staticfiles": CONFIGURED_STATIC_STORAGE}


def _first_visit() -> list[Fetched]:
    """What a browser fetches on its first visit, in order: / (a redirect to sign in), the sign-in page, and
    every file the page and its stylesheets link. A fresh client: WhiteNoise reads the collected files when
    its middleware starts."""
    browser = Client(HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    redirect = Fetched("/", browser.get("/"))
    assert redirect.response.status_code == 302
    page = Fetched(redirect.response["Location"], browser.get(redirect.response["Location"]))
    fetched = [redirect, page]
    parser = _Assets()
    parser.feed(page.text)
    queue, seen = list(parser.urls), set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        asset = Fetched(url, browser.get(urlsplit(url).path))
        fetched.append(asset)
        if asset.response.status_code == 200 and asset.content_type == "text/css":
            base = url.rsplit("/", 1)[0]
            queue += [u if u.startswith("/") else f"{base}/{u}" for u in _stylesheet_urls(asset.text)]
    return fetched


def test_it_keeps_the_first_page_of_a_new_visitor_under_100_kb(db, deployed_static):
    fetched = _first_visit()
    sizes = {one.url: one.transferred for one in fetched}
    listing = ", ".join(f"{url} {size:,} B" for url, size in sizes.items())
    assert all(one.response.status_code in (200, 302) for one in fetched), listing
    # The page links its stylesheets, its scripts and its icon, all from our own static files (no CDN).
    assert sum(1 for url in sizes if url.startswith(django_settings.STATIC_URL)) >= 5, listing
    assert sum(sizes.values()) < BUDGET_BYTES, f"{sum(sizes.values()):,} B: {listing}"


def test_it_sends_the_page_and_its_text_files_compressed(db, deployed_static):
    fetched = _first_visit()
    text = [one for one in fetched[1:] if one.content_type in ("text/html", "text/css", "text/javascript")]
    assert len(text) >= 5
    assert [one.url for one in text if one.response.get("Content-Encoding") not in ("gzip", "br")] == []


def test_it_lets_browsers_keep_the_static_files_for_good(db, deployed_static):
    # Hashed names, cached as immutable: a visitor's next page fetches only the page itself.
    assets = _first_visit()[2:]
    assert assets
    assert [one.url for one in assets if "immutable" not in one.response.get("Cache-Control", "")] == []


def test_it_loads_echarts_only_in_the_templates_that_draw_a_chart():
    templates = sorted(Path(django_settings.BASE_DIR).glob("**/templates/**/*.html"))
    assert len(templates) > 50
    loading = [path for path in templates if "echarts" in path.read_text()]
    assert loading, "no template loads ECharts: the dashboard's charts would not draw"
    assert [path for path in loading if CHART not in path.read_text()] == []


def test_it_loads_echarts_only_on_the_pages_that_draw_a_chart(client, manager):
    assert "echarts" not in client.get("/accounts/login/").content.decode()
    login_as(client, manager)
    pages = {
        "today": "/",
        "meeting list": "/meetings/",
        "timeline": "/meetings/timeline/",
        "board": "/service/board/",
        "inbox": "/notifications/",
        "rooms": "/rooms/",
        "dashboard": "/reports/?period=week&day=2026-11-25",
    }
    drawn = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert ("echarts" in html) == (CHART in html), name
        if CHART in html:
            drawn.append(name)
    assert drawn == ["dashboard"]
