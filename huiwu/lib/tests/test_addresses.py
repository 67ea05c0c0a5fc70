"""The client's address behind PROXY_COUNT proxies: the entry of X-Forwarded-For the outermost proxy wrote, never
one the client could have written itself."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from huiwu.lib.addresses import client_address


def _request(forwarded: str | None = None, remote: str = "10.0.0.2"):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_it_takes_the_connection_address_without_proxies_whatever_the_header_says(settings):
    settings.PROXY_COUNT = 0
    assert client_address(_request("203.0.113.5")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        # The client wrote the first entry itself: one proxy vouches only for the last.
        (1, "198.51.100.66, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.66, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (1, "2001:db8::5", "2001:db8::5"),
    ],
)
def test_it_takes_the_address_the_outermost_proxy_saw(settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    assert client_address(_request(forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "203.0.113.5:443"])
def test_it_falls_back_to_the_connection_when_the_header_proves_nothing(settings, forwarded):
    settings.PROXY_COUNT = 1
    assert client_address(_request(forwarded)) == "10.0.0.2"


def test_it_falls_back_when_fewer_proxies_wrote_than_configured(settings):
    settings.PROXY_COUNT = 2
    assert client_address(_request("203.0.113.5")) == "10.0.0.2"


def test_it_is_what_login_throttling_sees(settings):
    settings.PROXY_COUNT = 1
    assert get_client_ip_address(_request("198.51.100.66, 203.0.113.5")) == "203.0.113.5"
