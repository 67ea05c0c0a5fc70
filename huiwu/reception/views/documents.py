from django.http import Http404, HttpRequest, HttpResponse


def documents_page(request: HttpRequest) -> HttpResponse:
    raise Http404
