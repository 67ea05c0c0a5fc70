"""Writes of the team: the grooming self-check at the start of the day (seed 篇3 (一)) and the whereabouts
note (留言条, seed 篇3 (四) 2〈4〉) left when leaving the office and taken back on return.

Each writes its journal line in the same transaction. Rules fail with ValidationError({field: message}) in the
user's language and change nothing; who may not do the reception routines gets RoleRequired.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User, phone_validator
from huiwu.lib.i18n import site_language
from huiwu.lib.text import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from huiwu.reception.access import require_worker
from huiwu.reception.models import GroomingCheck, JournalEntry, RoutineItem, Whereabouts
from huiwu.reception.selectors.team import open_note_of
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.routine import routine_item_complete

# The four items of the self-check, in the seed's order (篇3 (一) 1–2).
GROOMING_ITEMS = ("uniform", "scarf_and_badge", "light_make_up", "no_jewellery")


def _shown(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%H:%M}" if local.date() == timezone.localdate() else f"{local:%Y-%m-%d %H:%M}"


def already_checked_message(check: GroomingCheck) -> str:
    return _("Your grooming self-check of today was already recorded at %(time)s.") % {"time": _shown(check.checked_at)}


@transaction.atomic
def grooming_check_record(
    *, user: User, uniform: bool, scarf_and_badge: bool, light_make_up: bool, no_jewellery: bool
) -> GroomingCheck:
    """`user`'s self-check of today, once every item holds (what does not is put right first, then ticked):
    once per person and day. It completes the day's grooming item."""
    require_worker(user)
    answers = {
        "uniform": uniform,
        "scarf_and_badge": scarf_and_badge,
        "light_make_up": light_make_up,
        "no_jewellery": no_jewellery,
    }
    # `is not True`: an item left unanswered (None) is not an item that holds.
    errors = {
        name: _("Put this right first, then tick it: every item must hold before the self-check is recorded.")
        for name, value in answers.items()
        if value is not True
    }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    today = timezone.localdate(now)
    earlier = GroomingCheck.objects.filter(user=user, day=today).first()
    if earlier is not None:
        raise ValidationError(already_checked_message(earlier), code="already_checked")
    try:
        # A savepoint: two taps at once make the second insert fail on the unique (user, day), not the request.
        with transaction.atomic():
            check = GroomingCheck.objects.create(user=user, day=today, checked_at=now, **answers)
    except IntegrityError:
        earlier = GroomingCheck.objects.get(user=user, day=today)
        raise ValidationError(already_checked_message(earlier), code="already_checked") from None
    with site_language():
        text = _("Grooming self-check done: uniform, scarf and badge, face clean and light make-up, no jewellery.")
    journal_write(author=user, source=JournalEntry.Source.GROOMING, text=text, at=now)
    routine_item_complete(day=today, code=RoutineItem.Code.GROOMING, user=user, at=now)
    return check


def _note_text(errors: dict[str, str], name: str, value: str | None, *, required: str) -> str:
    value = (value or "").strip()
    limit = Whereabouts._meta.get_field(name).max_length
    if not value:
        errors[name] = required
    elif has_unsafe_characters(value):
        errors[name] = str(UNSAFE_CHARACTERS_MESSAGE)
    elif len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return value


def open_note_message(note: Whereabouts) -> str:
    return _("Your note “%(where)s” (since %(time)s) is still up: tap “I am back” before leaving a new one.") % {
        "where": note.where,
        "time": _shown(note.left_at),
    }


@transaction.atomic
def whereabouts_leave(*, user: User, where: str, phone: str) -> Whereabouts:
    """`user` leaves the office: where they went and their mobile number, shown on the team's status until
    they are back. One open note per person."""
    require_worker(user)
    errors: dict[str, str] = {}
    where = _note_text(errors, "where", where, required=_("Say where you are going, e.g. 4楼 401会议室 会议接待."))
    phone = _note_text(errors, "phone", phone, required=_("Give your mobile number, so that visitors can call you."))
    if "phone" not in errors:
        try:
            phone_validator(phone)
        except ValidationError as error:
            errors["phone"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    earlier = open_note_of(user)
    if earlier is not None:
        raise ValidationError(open_note_message(earlier), code="note_open")
    now = timezone.now()
    try:
        with transaction.atomic():
            note = Whereabouts.objects.create(user=user, where=where, phone=phone, left_at=now)
    except IntegrityError:
        raise ValidationError(open_note_message(open_note_of(user)), code="note_open") from None
    with site_language():
        text = _("Left the office: %(where)s (mobile %(phone)s).") % {"where": where, "phone": phone}
    journal_write(author=user, source=JournalEntry.Source.WHEREABOUTS, text=text, at=now)
    return note


@transaction.atomic
def whereabouts_back(*, user: User) -> Whereabouts:
    """`user` is back in the office: their open note comes down."""
    require_worker(user)
    note = Whereabouts.objects.select_for_update().filter(user=user, back_at__isnull=True).first()
    if note is None:
        raise ValidationError(_("You have no note up: you are shown as in the office."), code="no_note")
    now = timezone.now()
    note.back_at = max(now, note.left_at)
    note.save(update_fields=["back_at"])
    with site_language():
        text = _("Back in the office from: %(where)s.") % {"where": note.where}
    journal_write(author=user, source=JournalEntry.Source.WHEREABOUTS, text=text, at=now)
    return note
