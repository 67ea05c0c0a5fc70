from django.http import Http404, HttpRequest, HttpResponse


def team_page(request: HttpRequest) -> HttpResponse:
    raise Http404
