from django.http import Http404, HttpRequest, HttpResponse


def lunch_page(request: HttpRequest) -> HttpResponse:
    raise Http404
