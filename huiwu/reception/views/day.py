from django.http import Http404, HttpRequest, HttpResponse


def day_page(request: HttpRequest) -> HttpResponse:
    raise Http404
