"""Writing the audit log. Services call `audit_record`; where the call came from (address and page) is
taken from the request being served, which `RequestContextMiddleware` makes known for the request's
duration, and the request's id from the log's middleware (`lib.logs`), so that an entry leads to the request's
lines in the log (a worker or a command has no request: those entries carry no address and no id)."""

from contextvars import ContextVar

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from huiwu.accounts.models import User
from huiwu.lib.logs import current_request_id
from huiwu.security.models import AuditEntry

_current_request: ContextVar[HttpRequest | None] = ContextVar("huiwu_current_request", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def audit_record(*, user: User | None, action: str, subject_type: str, subject_id: int, summary: str) -> AuditEntry:
    request = _current_request.get()
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=summary[:300],
        # The address as login throttling sees it (PROXY_COUNT proxies taken into account).
        address=get_client_ip_address(request) if request else None,
        path=request.get_full_path()[:300] if request else "",
        request_id=current_request_id(),
    )
