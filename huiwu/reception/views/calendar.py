from django.http import Http404, HttpRequest, HttpResponse


def calendar_page(request: HttpRequest) -> HttpResponse:
    raise Http404
