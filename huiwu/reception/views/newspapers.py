from django.http import Http404, HttpRequest, HttpResponse


def newspapers_page(request: HttpRequest) -> HttpResponse:
    raise Http404
