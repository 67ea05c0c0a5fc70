"""Writes to the lost-and-found register: an item is registered when found, and recorded once when returned.

Rules fail with ValidationError({field: message}) in the user's language and save nothing; a user without
the permission gets PermissionDenied (RoleRequired, naming the roles that have it). Pages and the API both
call these.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User, phone_validator
from huiwu.lostfound.access import require_lost_item_registrar, require_lost_item_returner
from huiwu.lostfound.models import LostItem
from huiwu.lostfound.selectors import handover_staff
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.venues.models import Room

# A phone or an API client whose clock runs a little fast is not recording the future.
CLOCK_SKEW = timedelta(minutes=1)


def _text(errors: dict[str, str], name: str, value: str | None, *, required: str = "") -> str:
    """`value` stripped; a message in `errors` when it is missing (and `required` says so) or does not fit."""
    value = (value or "").strip()
    limit = LostItem._meta.get_field(name).max_length
    if "\x00" in value:
        errors[name] = _("This text contains a character that is not allowed.")
    elif required and not value:
        errors[name] = required
    elif limit and len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return value


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _shown(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def already_returned_message(item: LostItem) -> str:
    return _("This item was already returned to %(person)s on %(when)s; it cannot be returned again.") % {
        "person": item.returned_to,
        "when": _shown(item.returned_at),
    }


def lost_item_register(
    *,
    user: User,
    description: str,
    found_where: str,
    found_at: datetime,
    stored_where: str,
    meeting: Meeting | None = None,
    room: Room | None = None,
    notes: str = "",
) -> LostItem:
    """Register a found item, found by `user`. Without a room, the item is placed in the meeting's room."""
    require_lost_item_registrar(user)
    errors: dict[str, str] = {}
    description = _text(errors, "description", description, required=_("Say what the item is."))
    found_where = _text(errors, "found_where", found_where, required=_("Say where it was found."))
    stored_where = _text(errors, "stored_where", stored_where, required=_("Say where it is kept now."))
    notes = _text(errors, "notes", notes)
    if meeting is not None and not meetings_visible_to(user).filter(pk=meeting.pk).exists():
        errors["meeting"] = _("There is no such meeting.")
    if found_at is None:
        errors["found_at"] = _("Say when it was found.")
    else:
        found_at = _aware(found_at)
        if found_at > timezone.now() + CLOCK_SKEW:
            errors["found_at"] = _("The time it was found cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if room is None and meeting is not None:
        room = meeting.room
    return LostItem.objects.create(
        description=description,
        meeting=meeting,
        room=room,
        found_where=found_where,
        found_by=user,
        found_at=found_at,
        stored_where=stored_where,
        notes=notes,
        recorded_by=user,
    )


def lost_item_return(
    *,
    user: User,
    item: LostItem,
    returned_to: str,
    returned_to_phone: str = "",
    returned_at: datetime | None = None,
    handed_over_by: User | None = None,
) -> LostItem:
    """Record that `item` went back to `returned_to`, handed over by `handed_over_by` (default: `user`) at
    `returned_at` (default: now). An item is returned once; a second return is refused."""
    require_lost_item_returner(user)
    now = timezone.now()
    returned_at = now if returned_at is None else _aware(returned_at)
    handed_over_by = handed_over_by or user
    errors: dict[str, str] = {}
    returned_to = _text(errors, "returned_to", returned_to, required=_("Say who received the item."))
    returned_to_phone = _text(errors, "returned_to_phone", returned_to_phone)
    if returned_to_phone and "returned_to_phone" not in errors:
        try:
            phone_validator(returned_to_phone)
        except ValidationError as error:
            errors["returned_to_phone"] = " ".join(error.messages)
    if handed_over_by.pk != user.pk and not handover_staff().filter(pk=handed_over_by.pk).exists():
        errors["handed_over_by"] = _("Choose an active member of staff who may hand items over.")
    with transaction.atomic():
        # Locked (PostgreSQL) or in an IMMEDIATE transaction (SQLite): two returns cannot both pass the check.
        locked = LostItem.objects.select_for_update().get(pk=item.pk)
        if not locked.is_open:
            raise ValidationError(already_returned_message(locked), code="already_returned")
        if returned_at > now + CLOCK_SKEW:
            errors["returned_at"] = _("The time of the return cannot be in the future.")
        elif returned_at < locked.found_at:
            errors["returned_at"] = _("It cannot have been returned before it was found (%(when)s).") % {
                "when": _shown(locked.found_at)
            }
        if errors:
            raise ValidationError(errors)
        locked.returned_to = returned_to
        locked.returned_to_phone = returned_to_phone
        locked.returned_at = returned_at
        locked.handed_over_by = handed_over_by
        locked.save(update_fields=["returned_to", "returned_to_phone", "returned_at", "handed_over_by"])
    for name in ("returned_to", "returned_to_phone", "returned_at", "handed_over_by"):
        setattr(item, name, getattr(locked, name))
    return item
