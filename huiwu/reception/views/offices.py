from django.http import Http404, HttpRequest, HttpResponse


def offices_page(request: HttpRequest) -> HttpResponse:
    raise Http404
