"""The directory over JSON: organizations with their departments and contacts, and the leaders and guests.

Reads go through access.py (a client sees only their own organization and no leaders or guests; what a user
may not see answers 404). Writes go through services.py, for the roles whose permissions allow them (today
the system administrator's, as in the Django admin); the rules are the models', and a broken one answers
422 with the field's message.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import ConfigDict

from huiwu.accounts.models import User
from huiwu.directory import services
from huiwu.directory.access import (
    get_contact_for_user,
    get_department_for_user,
    get_organization_for_user,
    get_people_for_user,
    get_person_for_user,
    get_person_to_change,
    organizations_visible_to,
)
from huiwu.directory.models import Contact, Department, Organization, Person
from huiwu.directory.selectors import SEARCH_MAX_LENGTH, people_search
from huiwu.lib.api import (
    Id,
    InputSchema,
    SmallCount,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    one_of,
    without_defaults,
)

router = Router(tags=["directory"])

# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {"organization": "organization_id", "department": "department_id", "user": "account_id"}
_READ_ERRORS = errors_answered(404, 422)
_WRITE_ERRORS = errors_answered(400, 404, 422)

PersonKind = one_of(Person.Kind)


# --- output -------------------------------------------------------------------------------------------


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
    department: str | None = Field(description="The department's name")
    department_id: int | None
    phone: str
    email: str
    account: UserRefOut | None = Field(description="Their own sign-in to the client portal, if any")

    @staticmethod
    def resolve_department(contact: Contact) -> str | None:
        return contact.department.name if contact.department else None

    @staticmethod
    def resolve_account(contact: Contact) -> User | None:
        return contact.user


class OrganizationDetailOut(OrganizationItemOut):
    departments: list[DepartmentOut]
    contacts: list[ContactOut]

    @staticmethod
    def resolve_departments(organization: Organization) -> list[Department]:
        return list(organization.departments.all())

    @staticmethod
    def resolve_contacts(organization: Organization) -> list[Contact]:
        return list(organization.contacts.select_related("department", "user"))


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
    is_active: bool = Field(description="An inactive one is listed nowhere; only who may change them finds them")
    photo_url: str | None

    @staticmethod
    def resolve_photo_url(person: Person) -> str | None:
        return reverse("directory:person_photo", args=[person.pk]) if person.photo else None


# --- input --------------------------------------------------------------------------------------------
# Lengths and uniqueness are the models' rules, checked by the services; the schemas only parse.


class OrganizationIn(InputSchema):
    name: str
    short_name: str = ""
    phone: str = ""
    address: str = ""


class OrganizationPatchIn(InputSchema):
    """Only the fields sent change; none can be null."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    name: str = None
    short_name: str = None
    phone: str = None
    address: str = None


class DepartmentIn(InputSchema):
    name: str


class ContactIn(InputSchema):
    name: str
    department_id: Id | None = Field(None, description="A department of the same organization")
    title: str = ""
    phone: str = ""
    email: str = ""
    account_id: Id | None = Field(None, description="The user id of their own sign-in, if they have one")


class ContactPatchIn(InputSchema):
    """Only the fields sent change; department_id and account_id may be null (none)."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    name: str = None
    department_id: Id | None = None
    title: str = None
    phone: str = None
    email: str = None
    account_id: Id | None = None


class PersonIn(InputSchema):
    name: str
    title: str = Field(description="e.g. 局长, 副主任")
    kind: PersonKind = Person.Kind.LEADER.value
    organization_id: Id | None = None
    precedence: SmallCount = Field(100, description="1 is the most senior")
    tea_preference: str = ""
    dietary_notes: str = ""
    habits: str = ""
    is_active: bool = True


class PersonPatchIn(InputSchema):
    """Only the fields sent change; organization_id may be null (none), the others cannot."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    name: str = None
    title: str = None
    kind: PersonKind = None
    organization_id: Id | None = None
    precedence: SmallCount = None
    tea_preference: str = None
    dietary_notes: str = None
    habits: str = None
    is_active: bool = None


# --- helpers ------------------------------------------------------------------------------------------


def _references(user: User, values: dict) -> dict:
    """Service keyword arguments from request fields: ids become the objects they name."""
    values = dict(values)
    errors = {}
    if "organization_id" in values:
        organization_id = values.pop("organization_id")
        values["organization"] = None
        if organization_id is not None:
            values["organization"] = organizations_visible_to(user).filter(pk=organization_id).first()
            if values["organization"] is None:
                errors["organization_id"] = _("There is no organization with this id.")
    if "department_id" in values:
        department_id = values.pop("department_id")
        # One of another organization is refused by the model's rule, with its own message.
        values["department"] = None if department_id is None else Department.objects.filter(pk=department_id).first()
        if department_id is not None and values["department"] is None:
            errors["department_id"] = _("There is no department with this id.")
    if "account_id" in values:
        account_id = values.pop("account_id")
        values["account"] = None if account_id is None else User.objects.filter(pk=account_id).first()
        if account_id is not None and values["account"] is None:
            errors["account_id"] = _("There is no user with this id.")
    if errors:
        raise ValidationError(errors)
    return values


def _organization(request: HttpRequest, organization_id: int) -> Organization:
    return get_organization_for_user(request.user, organization_id)


# --- organizations ------------------------------------------------------------------------------------


@router.get(
    "/organizations",
    response={200: list[OrganizationItemOut], **errors_answered()},
    summary="Organizations the user may see",
)
def organizations(request: HttpRequest):
    return organizations_visible_to(request.user)


@router.post(
    "/organizations",
    response={201: OrganizationDetailOut, **errors_answered(400, 422)},
    summary="Add an organization (system administrators)",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def organization_create(request: HttpRequest, payload: OrganizationIn):
    organization = services.organization_create(user=request.user, **payload.model_dump())
    return Reply(201, organization)


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationDetailOut, **_READ_ERRORS},
    summary="One organization with its departments and contacts",
)
def organization(request: HttpRequest, organization_id: Id):
    return _organization(request, organization_id)


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationDetailOut, **_WRITE_ERRORS},
    summary="Change the fields sent of an organization (system administrators)",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def organization_update(request: HttpRequest, organization_id: Id, payload: OrganizationPatchIn):
    organization = _organization(request, organization_id)
    values = {name: getattr(organization, name) for name in OrganizationPatchIn.model_fields}
    changes = payload.model_dump(exclude_unset=True)
    return services.organization_update(user=request.user, organization=organization, **(values | changes))


@router.post(
    "/organizations/{organization_id}/departments",
    response={201: DepartmentOut, **_WRITE_ERRORS},
    summary="Add a department to an organization (system administrators); names are unique within it",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def department_create(request: HttpRequest, organization_id: Id, payload: DepartmentIn):
    organization = _organization(request, organization_id)
    department = services.department_create(user=request.user, organization=organization, name=payload.name)
    return Reply(201, department)


@router.patch(
    "/departments/{department_id}",
    response={200: DepartmentOut, **_WRITE_ERRORS},
    summary="Rename a department (system administrators)",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def department_update(request: HttpRequest, department_id: Id, payload: DepartmentIn):
    department = get_department_for_user(request.user, department_id)
    return services.department_update(user=request.user, department=department, name=payload.name)


@router.post(
    "/organizations/{organization_id}/contacts",
    response={201: ContactOut, **_WRITE_ERRORS},
    summary="Add a contact at an organization (system administrators)",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def contact_create(request: HttpRequest, organization_id: Id, payload: ContactIn):
    organization = _organization(request, organization_id)
    values = _references(request.user, payload.model_dump())
    contact = services.contact_create(user=request.user, organization=organization, **values)
    return Reply(201, contact)


@router.patch(
    "/contacts/{contact_id}",
    response={200: ContactOut, **_WRITE_ERRORS},
    summary="Change the fields sent of a contact (system administrators)",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def contact_update(request: HttpRequest, contact_id: Id, payload: ContactPatchIn):
    contact = get_contact_for_user(request.user, contact_id)
    values = {
        "name": contact.name,
        "department": contact.department,
        "title": contact.title,
        "phone": contact.phone,
        "email": contact.email,
        "account": contact.user,
    }
    changes = _references(request.user, payload.model_dump(exclude_unset=True))
    return services.contact_update(user=request.user, contact=contact, **(values | changes))


# --- leaders and guests -------------------------------------------------------------------------------


class PeopleSearchIn(InputSchema):
    q: str = Field("", max_length=SEARCH_MAX_LENGTH, description="Name, pinyin, initials, title or organization")


@router.get(
    "/people",
    response={200: list[PersonItemOut], **_READ_ERRORS},
    summary="Leaders and guests, most senior first; q searches name, pinyin, initials, title and organization",
)
def people(request: HttpRequest, search: Query[PeopleSearchIn]):
    return people_search(get_people_for_user(request.user), search.q)


@router.post(
    "/people",
    response={201: PersonDetailOut, **errors_answered(400, 422)},
    summary="Add a leader or guest (system administrators); the pinyin search keys follow the name",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def person_create(request: HttpRequest, payload: PersonIn):
    person = services.person_create(user=request.user, **_references(request.user, payload.model_dump()))
    return Reply(201, person)


@router.get("/people/{person_id}", response={200: PersonDetailOut, **_READ_ERRORS}, summary="One leader or guest")
def person(request: HttpRequest, person_id: Id):
    return get_person_for_user(request.user, person_id)


@router.patch(
    "/people/{person_id}",
    response={200: PersonDetailOut, **_WRITE_ERRORS},
    summary="Change the fields sent of a leader or guest (system administrators); inactive ones too",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def person_update(request: HttpRequest, person_id: Id, payload: PersonPatchIn):
    person = get_person_to_change(request.user, person_id)
    names = [name for name in PersonPatchIn.model_fields if name != "organization_id"]
    values = {name: getattr(person, name) for name in names} | {"organization": person.organization}
    changes = _references(request.user, payload.model_dump(exclude_unset=True))
    return services.person_update(user=request.user, person=person, **(values | changes))
