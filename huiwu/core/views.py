from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.core.today import today_sections
from huiwu.lib.logs import current_request_id


@login_required
def today(request: HttpRequest) -> HttpResponse:
    return render(request, "core/today.html", {"today": timezone.localdate(), "sections": today_sections(request.user)})


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


# Error handlers: API clients always get JSON with a message, people get a page in their language.
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # The request's id (also in its log lines and the X-Request-ID header): what to quote when reporting it.
    request_id = current_request_id()
    if _is_api(request):
        message = _("Something went wrong on our side. The error was recorded; please try again later.")
        return JsonResponse({"code": "server_error", "message": message, "request_id": request_id}, status=500)
    # Rendered without the request: the context processors may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html", {"request_id": request_id}))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "forbidden", "message": _("You do not have permission to do this.")}, status=403)
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "bad_request", "message": _("The request could not be understood.")}, status=400)
    return render(request, "400.html", status=400)
