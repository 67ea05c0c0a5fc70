"""What every response tells the browser: the strict Content-Security-Policy, the Permissions-Policy, gzip.

Every page and API operation is checked for the policy by the page walks (core's test_pages, meetings'
confidentiality matrix); here are the policy's own rules and the templates that must keep to it.
"""

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client

from huiwu.testing import STRICT_CSP, login_as

# What the policy would block (inline code and styles), or what htmx could only do with eval: a filter in
# hx-trigger ("click[ctrlKey]"), hx-on, hx-vars and "js:" values.
_FORBIDDEN_IN_TEMPLATES = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "hx-on": re.compile(r"\shx-on\b", re.IGNORECASE),
    "hx-vars": re.compile(r"\shx-vars\b", re.IGNORECASE),
    "js: value": re.compile(r"""\shx-(?:vals|headers)\s*=\s*["']\s*js:""", re.IGNORECASE),
    "hx-trigger filter": re.compile(r"""\shx-trigger\s*=\s*(["'])[^"']*\[""", re.IGNORECASE),
}


def _our_templates() -> list[Path]:
    directories = [Path(d) for d in engines["django"].template_dirs if Path(d).is_relative_to(settings.BASE_DIR)]
    return sorted(path for directory in directories for path in directory.rglob("*.html"))


def _inline_code(text: str) -> list[str]:
    return [name for name, pattern in _FORBIDDEN_IN_TEMPLATES.items() if pattern.search(text)]


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "/x.js"</script>',
        "<style>p { color: red }</style>",
        '<div class="x" style="width: 1rem">',
        '<input type="date" onchange="this.form.submit()">',
        '<a href="javascript:void(0)">',
        '<button hx-on:click="alert(1)">',
        '<form hx-vars="a: 1">',
        """<div hx-vals='js:{a: 1}'>""",
        "<input hx-trigger=\"keyup[key=='Enter']\">",
    ],
)
def test_it_recognizes_inline_code(snippet):
    assert _inline_code(snippet) != []


def test_it_accepts_what_the_policy_allows():
    allowed = (
        '<script src="/static/huiwu/huiwu.js"></script>'
        '<input type="date" data-autosubmit class="hw-span-3" hx-trigger="load, every 30s" '
        """hx-headers='{"X-CSRFToken": "x"}'> <span>Once upon a time</span>"""
    )
    assert _inline_code(allowed) == []


def test_it_keeps_inline_script_style_and_event_handlers_out_of_every_template():
    templates = _our_templates()
    assert len(templates) > 50  # every app's templates and the project's own were found
    found = {str(path.relative_to(settings.BASE_DIR)): _inline_code(path.read_text()) for path in templates}
    assert {path: kinds for path, kinds in found.items() if kinds} == {}


def test_it_sends_the_strict_policy_on_pages_errors_and_the_api(client, attendant):
    assert "unsafe" not in STRICT_CSP
    responses = [client.get("/accounts/login/"), client.get("/"), client.get("/api/v1/meetings")]
    login_as(client, attendant)
    responses += [client.get("/"), client.get("/no-such-page/"), client.get("/api/v1/docs")]
    assert [response["Content-Security-Policy"] for response in responses] == [STRICT_CSP] * len(responses)


def test_it_answers_a_form_without_its_csrf_token_with_our_page_under_the_policy(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
    assert "<style" not in response.content.decode()  # Django's own page has an inline style
    assert response["Content-Security-Policy"] == STRICT_CSP


def test_it_denies_devices_and_payment_to_every_page(client, db):
    features = dict(
        feature.strip().split("=") for feature in client.get("/accounts/login/")["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"):
        assert features[feature] == "()", feature


class _HtmxConfig(HTMLParser):
    config = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "htmx-config":
            self.config = json.loads(attributes["content"])


def test_it_tells_htmx_to_insert_no_style_and_evaluate_no_code(client, attendant):
    login_as(client, attendant)
    parser = _HtmxConfig()
    parser.feed(client.get("/").content.decode())
    assert parser.config == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
        # Settling copies attributes of the old element to the new one for a moment; never a style.
        "attributesToSettle": ["class", "width", "height"],
    }
    # htmx then leaves its indicator rules to our stylesheet.
    stylesheet = (settings.BASE_DIR / "static" / "huiwu" / "huiwu.css").read_text()
    assert ".htmx-request .htmx-indicator" in stylesheet


def test_it_compresses_a_page_for_a_browser_that_accepts_gzip(client, attendant):
    login_as(client, attendant)
    response = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "<html" in gzip.decompress(response.content).decode()
    assert response["Content-Security-Policy"] == STRICT_CSP


def test_it_sends_a_page_uncompressed_to_a_client_that_does_not_ask(client, attendant):
    login_as(client, attendant)
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert "<html" in response.content.decode()
