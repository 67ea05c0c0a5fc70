from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from huiwu.directory.access import (
    can_see_people,
    get_organization_for_user,
    get_people_for_user,
    get_person_for_user,
    organizations_visible_to,
    people_visible_to,
)
from huiwu.directory.selectors import SEARCH_MAX_LENGTH, people_search


@login_required
# The same URL answers a full page or, to htmx, the results alone: caches must keep them apart.
@vary_on_headers("HX-Request")
def people(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    context = {"q": q, "people": people_search(get_people_for_user(request.user), q)}
    # A history restore asks for the whole page even though it comes from htmx.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "directory/_people_results.html", context)
    return render(request, "directory/people.html", context)


@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    context = {"person": get_person_for_user(request.user, person_id)}
    return render(request, "directory/person.html", context)


@login_required
def person_photo(request: HttpRequest, person_id: int) -> FileResponse:
    """Leaders' photos are for staff only, so they are served through the access check, never as public media."""
    person = get_person_for_user(request.user, person_id)
    if not person.photo:
        raise Http404
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def organizations(request: HttpRequest) -> HttpResponse:
    context = {
        "organizations": organizations_visible_to(request.user),
        "can_see_people": can_see_people(request.user),
    }
    return render(request, "directory/organizations.html", context)


@login_required
def organization(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, organization_id)
    context = {
        "organization": organization,
        "departments": organization.departments.all(),
        "contacts": organization.contacts.select_related("department"),
        "people": people_visible_to(request.user).filter(organization=organization),
        "can_see_people": can_see_people(request.user),
    }
    return render(request, "directory/organization.html", context)
