from django.http import Http404, HttpRequest, HttpResponse


def sheet_page(request: HttpRequest) -> HttpResponse:
    raise Http404
