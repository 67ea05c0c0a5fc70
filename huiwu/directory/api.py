from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema

from huiwu.directory.access import (
    get_organization_for_user,
    get_people_for_user,
    get_person_for_user,
    organizations_visible_to,
)
from huiwu.directory.models import Contact, Person
from huiwu.directory.selectors import SEARCH_MAX_LENGTH, people_search

router = Router(tags=["directory"])


class OrganizationItemOut(Schema):
    id: int
    name: str
    short_name: str
    phone: str
    address: str


class DepartmentOut(Schema):
    id: int
    name: str


class ContactOut(Schema):
    id: int
    name: str
    title: str
    department: str | None
    phone: str
    email: str

    @staticmethod
    def resolve_department(contact: Contact) -> str | None:
        return contact.department.name if contact.department else None


class OrganizationDetailOut(OrganizationItemOut):
    departments: list[DepartmentOut]
    contacts: list[ContactOut]


class PersonOrganizationOut(Schema):
    id: int
    name: str


class PersonItemOut(Schema):
    id: int
    name: str
    name_pinyin: str
    title: str
    kind: str
    kind_label: str
    organization: PersonOrganizationOut | None
    precedence: int

    @staticmethod
    def resolve_kind_label(person: Person) -> str:
        return str(person.get_kind_display())


class PersonDetailOut(PersonItemOut):
    tea_preference: str
    dietary_notes: str
    habits: str
    photo_url: str | None

    @staticmethod
    def resolve_photo_url(person: Person) -> str | None:
        return reverse("directory:person_photo", args=[person.pk]) if person.photo else None


@router.get("/organizations", response=list[OrganizationItemOut], summary="Organizations the user may see")
def organizations(request: HttpRequest):
    return organizations_visible_to(request.user)


@router.get(
    "/organizations/{organization_id}",
    response=OrganizationDetailOut,
    summary="One organization with its departments and contacts",
)
def organization(request: HttpRequest, organization_id: int):
    organization = get_organization_for_user(request.user, organization_id)
    return {
        "id": organization.pk,
        "name": organization.name,
        "short_name": organization.short_name,
        "phone": organization.phone,
        "address": organization.address,
        "departments": list(organization.departments.all()),
        "contacts": list(organization.contacts.select_related("department")),
    }


@router.get(
    "/people",
    response=list[PersonItemOut],
    summary="Leaders and guests, most senior first; q searches name, pinyin, initials, title and organization",
)
def people(request: HttpRequest, q: str = Query("", max_length=SEARCH_MAX_LENGTH)):
    return people_search(get_people_for_user(request.user), q)


@router.get("/people/{person_id}", response=PersonDetailOut, summary="One leader or guest")
def person(request: HttpRequest, person_id: int):
    return get_person_for_user(request.user, person_id)
