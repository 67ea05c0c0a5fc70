"""Writes to the directory: organizations with their departments and contacts, and the leaders and guests.

Each write needs the model's own Django permission (add_… or change_…), as in the Django admin, where
the system administrator keeps the directory today (accounts/roles.py); who lacks it gets RoleRequired.
Each object is validated whole with full_clean, so the rules are the model's (required names, lengths,
unique names, a contact's department of its own organization): a broken one fails with
ValidationError({field: messages}) in the user's language and saves nothing. Text is trimmed as the forms
trim it. A leader's pinyin search keys follow the name (Person.save).
"""

from collections.abc import Sequence

from django.db import IntegrityError, models, transaction

from huiwu.accounts.models import User
from huiwu.accounts.roles import RoleRequired
from huiwu.directory.models import Contact, Department, Organization, Person

# Derived in Person.save from the name, after validation.
_DERIVED = ["name_pinyin", "name_initials"]


def _require(user: User, permission: str) -> None:
    if not user.has_perm(permission):
        raise RoleRequired.holding(permission)


def _set(instance: models.Model, values: dict) -> list[str]:
    """Set the values (text trimmed); returns the names set, for save(update_fields=…)."""
    for name, value in values.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    return list(values)


def _save(instance: models.Model, *, update_fields: list[str] | None = None, exclude: Sequence[str] = ()) -> None:
    """Validate the whole object, then save it. Of two writers racing to one unique name, the loser's
    validation passed before the winner saved: validated again, it gets the model's message too."""
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError:
        instance.full_clean(exclude=exclude)
        raise


def organization_create(
    *, user: User, name: str, short_name: str = "", phone: str = "", address: str = ""
) -> Organization:
    _require(user, "directory.add_organization")
    organization = Organization()
    _set(organization, {"name": name, "short_name": short_name, "phone": phone, "address": address})
    _save(organization)
    return organization


def organization_update(
    *, user: User, organization: Organization, name: str, short_name: str, phone: str, address: str
) -> Organization:
    _require(user, "directory.change_organization")
    fields = _set(organization, {"name": name, "short_name": short_name, "phone": phone, "address": address})
    _save(organization, update_fields=fields)
    return organization


def department_create(*, user: User, organization: Organization, name: str) -> Department:
    _require(user, "directory.add_department")
    department = Department(organization=organization)
    _set(department, {"name": name})
    _save(department)
    return department


def department_update(*, user: User, department: Department, name: str) -> Department:
    _require(user, "directory.change_department")
    _save(department, update_fields=_set(department, {"name": name}))
    return department


def contact_create(
    *,
    user: User,
    organization: Organization,
    name: str,
    department: Department | None = None,
    title: str = "",
    phone: str = "",
    email: str = "",
    account: User | None = None,
) -> Contact:
    """A contact at `organization`; `account` is their own sign-in to the client portal, if they have one."""
    _require(user, "directory.add_contact")
    contact = Contact(organization=organization)
    values = {"name": name, "department": department, "title": title, "phone": phone, "email": email}
    _set(contact, values | {"user": account})
    _save(contact)
    return contact


def contact_update(
    *,
    user: User,
    contact: Contact,
    name: str,
    department: Department | None,
    title: str,
    phone: str,
    email: str,
    account: User | None,
) -> Contact:
    _require(user, "directory.change_contact")
    values = {"name": name, "department": department, "title": title, "phone": phone, "email": email}
    _save(contact, update_fields=_set(contact, values | {"user": account}))
    return contact


def person_create(
    *,
    user: User,
    name: str,
    title: str,
    kind: str = Person.Kind.LEADER,
    organization: Organization | None = None,
    precedence: int = 100,
    tea_preference: str = "",
    dietary_notes: str = "",
    habits: str = "",
    is_active: bool = True,
) -> Person:
    _require(user, "directory.add_person")
    person = Person()
    _set(
        person,
        {
            "name": name,
            "title": title,
            "kind": kind,
            "organization": organization,
            "precedence": precedence,
            "tea_preference": tea_preference,
            "dietary_notes": dietary_notes,
            "habits": habits,
            "is_active": is_active,
        },
    )
    _save(person, exclude=_DERIVED)
    return person


def person_update(
    *,
    user: User,
    person: Person,
    name: str,
    title: str,
    kind: str,
    organization: Organization | None,
    precedence: int,
    tea_preference: str,
    dietary_notes: str,
    habits: str,
    is_active: bool,
) -> Person:
    """Change a leader or guest; a new name gets new search keys. An inactive one leaves the lists."""
    _require(user, "directory.change_person")
    fields = _set(
        person,
        {
            "name": name,
            "title": title,
            "kind": kind,
            "organization": organization,
            "precedence": precedence,
            "tea_preference": tea_preference,
            "dietary_notes": dietary_notes,
            "habits": habits,
            "is_active": is_active,
        },
    )
    _save(person, update_fields=fields, exclude=_DERIVED)
    return person
