"""The client's address as Huiwu sees it: login throttling (django-axes calls this), the audit log, the request
log and the metrics endpoint's allowed networks all ask here, so that they agree.

Behind PROXY_COUNT reverse proxies the client is the address the outermost of them saw: each proxy appends the
address it received the request from to X-Forwarded-For, so that address is the PROXY_COUNT-th entry from the
right. Entries further left were written by the client itself and prove nothing. Without proxies, or when the
header is missing, short or not an address, the connection's own address is the client (a proxy that should be
there and is not is a misconfiguration, and the connection's address is then at least true).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
