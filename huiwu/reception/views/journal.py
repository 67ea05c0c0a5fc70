from django.http import Http404, HttpRequest, HttpResponse


def journal_page(request: HttpRequest) -> HttpResponse:
    raise Http404
