"""Answers that would otherwise not be ours.

Addresses too long to be anyone's page or query are refused before anything reads them: gunicorn lets long
request lines through (`serve` sets no limit), so that the answer is JSON under /api/ and a page elsewhere, in
the caller's language, instead of gunicorn's English HTML 414 that an API client cannot read. And a method
that an API address does not have gets a JSON 405 instead of ninja's plain text.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _

# The longest address (path and query string, as sent) answered: every page's and every filter's fits in
# far less, and browsers and proxies commonly stop at 8 KB.
MAX_URL_LENGTH = 8192


def _length_as_sent(request: HttpRequest) -> int:
    """The path percent-encoded again (WSGI hands it over decoded) and the query string as received, one
    character per byte (get_full_path() would encode a raw UTF-8 query string a second time)."""
    query = request.META.get("QUERY_STRING", "")
    return len(escape_uri_path(request.path)) + (1 + len(query) if query else 0)


class LongUrlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _length_as_sent(request) <= MAX_URL_LENGTH:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("The address is too long: at most %(limit)d characters.") % {"limit": MAX_URL_LENGTH}
            return JsonResponse({"code": "uri_too_long", "message": message}, status=414)
        # A page of its own, not the site's layout: the layout would repeat the address in its links.
        return HttpResponse(loader.render_to_string("414.html"), status=414)


class ApiMethodNotAllowedMiddleware:
    """Ninja answers a method an address does not have (DELETE /api/v1/meetings) with a plain-text 405 of its
    own; under /api/ every answer is JSON with a code and a message in the caller's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        # Ninja lists them in no fixed order; sorted, the same call always gets the same answer.
        allowed = ", ".join(sorted(method.strip() for method in response.get("Allow", "").split(",") if method.strip()))
        message = _("This address does not answer %(method)s; it answers %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        answer = JsonResponse({"code": "method_not_allowed", "message": message}, status=405)
        answer["Allow"] = allowed
        return answer
