from django.http import Http404, HttpRequest, HttpResponse


def matters_page(request: HttpRequest) -> HttpResponse:
    raise Http404
