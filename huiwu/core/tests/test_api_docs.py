"""The API documentation (Swagger UI at /api/v1/docs) is a page of Huiwu: a way back, its language, and the
same strict Content-Security-Policy as every page (no script but its own files)."""

import re

from django.test import Client

from huiwu.testing import STRICT_CSP, login_as


def test_it_links_the_api_documentation_back_to_huiwu(client, attendant):
    login_as(client, attendant)
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a class="hw-docs-back" href="/" data-testid="back-to-huiwu">← 返回会务系统</a>' in html
    assert 'href="/accounts/tokens/"' in html
    assert '<html lang="zh-hans">' in html
    assert "/static/huiwu/api-docs.css" in html


def test_it_speaks_the_callers_language_on_the_api_documentation(db):
    html = Client().get("/api/v1/docs", headers={"Accept-Language": "en"}).content.decode()
    assert "← Back to Huiwu</a>" in html
    # Signed out, there are no tokens to manage.
    assert "/accounts/tokens/" not in html


def test_it_serves_the_api_documentation_under_the_strict_policy_without_inline_script(db):
    response = Client().get("/api/v1/docs")
    assert response["Content-Security-Policy"] == STRICT_CSP
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == [
        '<script src="/static/ninja/swagger-ui-bundle.js">',
        '<script src="/static/ninja/swagger-ui-init.js">',
    ]
    assert not re.search(r"\sstyle\s*=|\son[a-z]+\s*=", html)
    # Swagger UI's settings, read by its init script from the element's text, escaped like any text.
    assert re.search(
        r'<div id="swagger-settings" hidden>\{.*&quot;url&quot;: &quot;/api/v1/openapi.json&quot;', html, re.S
    )
