"""Request metrics, and POSTs answered once per Idempotency-Key."""

import hashlib
import re
from collections.abc import Callable
from time import perf_counter

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from huiwu.ops import services
from huiwu.ops.metrics import UNMATCHED, request_observe

# The longest answer kept for a retry; a longer one (or a streamed one) is replayed as its status and Location.
MAX_KEPT_BODY = 1024 * 1024
# RFC 9110 visible ASCII, as the IETF draft's key is an opaque string; 255 fits the column.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
REPLAYED_HEADER = "Idempotent-Replayed"


class MetricsMiddleware:
    """Counts and times every request by its route: the URL pattern's name, never the path, so that the
    number of series stays that of the URL patterns whatever addresses clients make up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_url = settings.STATIC_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None:
            route = match.view_name
        elif request.path.startswith(self.static_url):
            route = "static"
        else:
            route = UNMATCHED
        request_observe(
            method=request.method, route=route, status=response.status_code, seconds=perf_counter() - started
        )
        return response


def _refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """JSON with a code and a message under /api/ (as every API answer), plain text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _scope(request: HttpRequest) -> str:
    """Whose key it is. API tokens are checked by the API itself, after this middleware: a token's caller is
    known here only by the token, hashed, so that the stored scope reveals nothing."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    authorization = request.META.get("HTTP_AUTHORIZATION")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode("utf-8", "surrogateescape")).hexdigest()
    return f"anon:{get_client_ip_address(request)}"


def _fingerprint(request: HttpRequest) -> str:
    """The method, the full path and the body. A multipart form is read as its fields and files, since the
    boundary between its parts is chosen anew for each sending of the same form."""
    digest = hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(repr((name, upload.name, upload.size)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(replay: services.Replay) -> HttpResponse:
    response = HttpResponse(replay.body, status=replay.status_code, content_type=replay.content_type or None)
    if replay.location:
        response["Location"] = replay.location
    response[REPLAYED_HEADER] = "true"
    return response


def _kept(response: HttpResponse) -> tuple[str, bytes]:
    """The content type and body to keep for a retry: nothing of an answer too large (or streamed)."""
    if response.streaming or len(response.content) > MAX_KEPT_BODY:
        return "", b""
    return response.get("Content-Type", ""), response.content


# Answers that say nothing was done, so that a retry must run again: a server error, or a caller not yet
# signed in or not passing the CSRF check (a retry comes signed in, or with the token).
_RELEASED = frozenset({401, 403})


class IdempotencyMiddleware:
    """A POST carrying an Idempotency-Key is answered once per caller and key: a retry (the network failed, the
    user clicked twice) gets the first answer again instead of booking a second meeting. Headers set by other
    middleware on the way out (cookies among them) are not kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get("HTTP_IDEMPOTENCY_KEY")
        if request.method != "POST" or key is None:
            return self.get_response(request)
        if not KEY_PATTERN.fullmatch(key):
            return _refusal(
                request,
                400,
                "idempotency_key_invalid",
                _("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
            )
        outcome = services.idempotent_request_claim(scope=_scope(request), key=key, fingerprint=_fingerprint(request))
        if isinstance(outcome, services.Replay):
            return _replay(outcome)
        if isinstance(outcome, services.Mismatch):
            return _refusal(
                request,
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was used for a different request."),
            )
        if isinstance(outcome, services.InProgress):
            response = _refusal(
                request,
                409,
                "idempotency_key_in_progress",
                _("A request with this Idempotency-Key is still being answered; try again in a moment."),
            )
            response["Retry-After"] = "1"
            return response
        try:
            response = self.get_response(request)
        except BaseException:
            services.idempotent_request_release(claim=outcome)
            raise
        if response.status_code >= 500 or response.status_code in _RELEASED:
            services.idempotent_request_release(claim=outcome)
        else:
            content_type, body = _kept(response)
            services.idempotent_request_complete(
                claim=outcome,
                status_code=response.status_code,
                content_type=content_type,
                location=response.get("Location", ""),
                body=body,
            )
        return response
