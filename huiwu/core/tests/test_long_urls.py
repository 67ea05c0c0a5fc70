"""An address too long to be anyone's page or query: 414 from Huiwu itself, JSON under /api/, a page elsewhere,
in the caller's language (core/middleware.py)."""

import pytest

from huiwu.core.middleware import MAX_URL_LENGTH
from huiwu.testing import login_as


def _url(path: str, length: int) -> str:
    """`path` with a query string making the address exactly `length` characters long."""
    prefix = f"{path}?padding="
    return prefix + "x" * (length - len(prefix))


def test_it_answers_an_over_long_api_address_with_json_in_chinese(client):
    response = client.get(_url("/api/v1/meetings", MAX_URL_LENGTH + 1))
    assert response.status_code == 414
    assert response.json() == {"code": "uri_too_long", "message": "地址过长：最多 8192 个字符。"}


def test_it_answers_in_the_callers_language(client):
    response = client.get(_url("/api/v1/meetings", 20_000), headers={"Accept-Language": "en"})
    assert response.json()["message"] == "The address is too long: at most 8192 characters."
    page = client.get(_url("/meetings/", 20_000), headers={"Accept-Language": "en"})
    assert "Address too long" in page.content.decode()


def test_it_answers_the_longest_address_allowed(client, hotline):
    login_as(client, hotline)
    assert client.get(_url("/api/v1/meetings", MAX_URL_LENGTH)).status_code == 200
    assert client.get(_url("/meetings/", MAX_URL_LENGTH)).status_code == 200


@pytest.mark.parametrize("signed_in", [True, False])
def test_it_shows_a_plain_page_for_an_over_long_page_address(client, hotline, signed_in):
    if signed_in:
        login_as(client, hotline)
    response = client.get(_url("/meetings/", MAX_URL_LENGTH + 1))
    assert response.status_code == 414
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "地址过长" in html
    assert "xxxxxxxx" not in html  # the address is not repeated back
    assert "Content-Security-Policy" in response.headers


def test_it_counts_the_address_as_sent_percent_encoding_included(client):
    # 3000 Chinese characters are 27000 characters once percent-encoded.
    response = client.get("/api/v1/meetings", {"q": "会" * 3000})
    assert response.status_code == 414


def test_it_counts_a_path_percent_encoded_as_browsers_send_it(client):
    # 1000 Chinese characters in the path are 9000 characters on the wire.
    assert client.get("/api/v1/" + "会" * 1000).status_code == 414
    assert client.get("/api/v1/" + "会" * 900).status_code == 404
