"""The headers that bound what a page may do in the browser: Content-Security-Policy and Permissions-Policy.

Our own few lines rather than django-csp: the policy is one fixed string for every response (no page has
inline script or style, so there are no nonces and no per-view variants), and django-csp does not send
Permissions-Policy, which would have been a second library. `SECURE_CSP` has the name and shape of Django
6.0's own setting, whose middleware replaces this one on upgrading.
"""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy(directives: Mapping[str, Sequence[str]]) -> str:
    """`{"default-src": ["'self'"], "img-src": ["'self'", "data:"]}` → `default-src 'self'; img-src 'self' data:`."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in directives.items())


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": content_security_policy(settings.SECURE_CSP),
            "Permissions-Policy": permissions_policy(settings.PERMISSIONS_POLICY),
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
