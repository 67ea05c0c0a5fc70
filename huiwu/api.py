"""The JSON API under /api/v1/: one NinjaAPI, token or session authentication, errors always JSON."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from huiwu.accounts.api import router as accounts_router
from huiwu.accounts.roles import RoleRequired
from huiwu.accounts.services import api_token_authenticate
from huiwu.core.api import router as today_router
from huiwu.delegations.api import router as delegations_router
from huiwu.directory.api import router as directory_router
from huiwu.feedback.api import router as feedback_router
from huiwu.lib.api import schema_error_body
from huiwu.lib.logs import current_request_id
from huiwu.lostfound.api import router as lostfound_router
from huiwu.meetings.api import router as meetings_router
from huiwu.notify.api import router as notify_router
from huiwu.reception.api import router as reception_router
from huiwu.reports.api import router as reports_router
from huiwu.seating.api import router as seating_router
from huiwu.security.api import router as security_router
from huiwu.service.api import router as service_router
from huiwu.surveys.api import router as surveys_router
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


class CsrfFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


class SignedInSession(SessionAuth):
    """The session cookie of the web pages. Who has no signed-in session is not authenticated (401), whatever
    the method: only a signed-in session is held to the CSRF check (403 csrf_failed)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise CsrfFailed from None


class HuiwuSwagger(Swagger):
    """Swagger UI from the package's own files, on a page of ours with a way back to Huiwu."""

    template = "api_docs.html"


class HuiwuAPI(NinjaAPI):
    """The OpenAPI schema is worked out once per process: it changes only with the code, and working it out
    for some 140 operations takes most of a second, which the docs page would otherwise wait for each time."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]

    @cached_property
    def _schemas(self) -> dict:
        return {}


class Utf8JSONRenderer(JSONRenderer):
    # Chinese as it reads (UTF-8), not as \uXXXX escapes: for people reading answers, and for tests that
    # search an answer's bytes for a title.
    json_dumps_params = {"ensure_ascii": False}


api = HuiwuAPI(
    title="Huiwu API",
    version="1",
    description="会务 Huiwu JSON API. Authenticate with a personal token (Authorization: Bearer …) or a session.",
    urls_namespace="api",
    renderer=Utf8JSONRenderer(),
    # The session cookie of the web pages works too; ninja then enforces CSRF on unsafe methods.
    auth=[PersonalTokenAuth(), SignedInSession()],
    # validatorUrl off: Swagger UI would otherwise load a badge from the internet.
    docs=HuiwuSwagger(settings={"validatorUrl": None}),
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
    # The same shape as the rules' errors ({field: [messages]}), in the caller's language.
    return api.create_response(request, schema_error_body(exc.errors), status=422)


@api.exception_handler(CsrfFailed)
def _csrf_failed(request, exc):
    return _error(
        request,
        403,
        "csrf_failed",
        _("The CSRF check failed: send the X-CSRFToken header with the csrftoken cookie, or use a token."),
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # Ninja raises it (in English) only for a body it cannot parse: say so in the caller's language.
    return _error(request, 400, "bad_request", _("The request body could not be read: send valid JSON."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(RoleRequired)
def _role_required(request, exc):
    labels = [str(role.label) for role in exc.roles]
    if not labels:
        return _forbidden(request, exc)
    if exc.message:
        message = exc.message
    elif len(labels) == 1:
        message = _("This needs the role: %(role)s.") % {"role": labels[0]}
    else:
        message = _("This needs one of these roles: %(roles)s.") % {"roles": _(", ").join(labels)}
    return _error(request, 403, "forbidden", message, roles=[role.value for role in exc.roles])


@api.exception_handler(Exception)
def _server_error(request, exc):
    logger.exception("Unhandled error in API call %s %s", request.method, request.path)
    return _error(
        request,
        500,
        "server_error",
        _("Something went wrong on our side. The error was recorded; please try again later."),
        # What to quote when reporting it: the id of the request's log lines and its X-Request-ID header.
        request_id=current_request_id(),
    )


api.add_router("/", accounts_router)
api.add_router("/", today_router)
api.add_router("/", venues_router)
api.add_router("/", directory_router)
api.add_router("/", meetings_router)
api.add_router("/", service_router)
api.add_router("/", lostfound_router)
api.add_router("/", delegations_router)
api.add_router("/", feedback_router)
api.add_router("/", surveys_router)
api.add_router("/", reception_router)
api.add_router("/", seating_router)
api.add_router("/", security_router)
api.add_router("/", notify_router)
api.add_router("/", reports_router)
