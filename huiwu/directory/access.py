"""Fetch-and-authorize helpers for the directory: every page and API call goes through these.

Service staff see every active leader and guest and every organization. A client contact sees only their
own organization and no leaders or guests: rank and habits are kept for the staff who serve them. A user
without a role sees nothing. Whatever a user may not see is indistinguishable from what does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory.models import Contact, Department, Organization, Person


def can_see_people(user: User) -> bool:
    return user.is_authenticated and user.is_service_staff


def people_visible_to(user: User) -> QuerySet[Person]:
    if not can_see_people(user):
        return Person.objects.none()
    return Person.objects.filter(is_active=True).select_related("organization")


def get_people_for_user(user: User) -> QuerySet[Person]:
    """The directory of leaders and guests as a whole; to anybody who may not see it, it does not exist."""
    if not can_see_people(user):
        raise Http404
    return people_visible_to(user)


def get_person_for_user(user: User, person_id: int) -> Person:
    try:
        return people_visible_to(user).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_service_staff:
        return Organization.objects.all()
    if user.has_role(Role.CLIENT) and user.organization_id is not None:
        return Organization.objects.filter(pk=user.organization_id)
    return Organization.objects.none()


def get_organization_for_user(user: User, organization_id: int) -> Organization:
    try:
        return organizations_visible_to(user).get(pk=organization_id)
    except Organization.DoesNotExist:
        raise Http404 from None


def get_department_for_user(user: User, department_id: int) -> Department:
    """A department of an organization the user may see."""
    try:
        return Department.objects.select_related("organization").get(
            pk=department_id, organization__in=organizations_visible_to(user)
        )
    except Department.DoesNotExist:
        raise Http404 from None


def get_contact_for_user(user: User, contact_id: int) -> Contact:
    """A contact of an organization the user may see."""
    try:
        return Contact.objects.select_related("organization", "department", "user").get(
            pk=contact_id, organization__in=organizations_visible_to(user)
        )
    except Contact.DoesNotExist:
        raise Http404 from None


def get_person_to_change(user: User, person_id: int) -> Person:
    """A leader or guest to edit: as get_person_for_user, and for who may change them, the inactive ones too,
    so that they can be brought back."""
    if can_see_people(user) and user.has_perm("directory.change_person"):
        try:
            return Person.objects.select_related("organization").get(pk=person_id)
        except Person.DoesNotExist:
            raise Http404 from None
    return get_person_for_user(user, person_id)
