"""The JSON API under /api/v1/: one NinjaAPI, token or session authentication, errors always JSON."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from huiwu.accounts.api import router as accounts_router
from huiwu.accounts.services import api_token_authenticate
from huiwu.directory.api import router as directory_router
from huiwu.lostfound.api import router as lostfound_router
from huiwu.meetings.api import router as meetings_router
from huiwu.security.api import router as security_router
from huiwu.service.api import router as service_router
from huiwu.venues.api import router as venues_router

logger = logging.getLogger(__name__)


class PersonalTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token the user made on the "API tokens" page."""

    openapi_description = "Personal API token: Authorization: Bearer hw_…"

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            # The views read request.user whichever way the caller signed in.
            request.user = user
        return user


api = NinjaAPI(
    title="Huiwu API",
    version="1",
    description="会务 Huiwu JSON API. Authenticate with a personal token (Authorization: Bearer …) or a session.",
    urls_namespace="api",
    # The session cookie of the web pages works too; ninja then enforces CSRF on unsafe methods.
    auth=[PersonalTokenAuth(), SessionAuth()],
    # validatorUrl off: Swagger UI would otherwise load a badge from the internet.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request, exc):
    return _error(
        request,
        401,
        "not_authenticated",
        _("Authentication required: send “Authorization: Bearer <token>” or sign in."),
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    # The same shape as the booking rules' errors: {field: [messages]}, the field being the last part of "loc".
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        errors.setdefault(location[-1] if location else "__all__", []).append(error.get("msg", ""))
    return _error(request, 422, "invalid", _("The request is not valid."), errors=errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, "error", str(exc.message))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(Exception)
def _server_error(request, exc):
    logger.exception("Unhandled error in API call %s %s", request.method, request.path)
    return _error(
        request,
        500,
        "server_error",
        _("Something went wrong on our side. The error was recorded; please try again later."),
    )


api.add_router("/", accounts_router)
api.add_router("/", venues_router)
api.add_router("/", directory_router)
api.add_router("/", meetings_router)
api.add_router("/", service_router)
api.add_router("/", lostfound_router)
api.add_router("/", security_router)
