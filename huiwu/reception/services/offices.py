"""Writes of the leaders' offices: the presence board and each office's cleaning (seed 篇3 (二) 8 and (三)).

A cleaning goes: knock as the protocol says (the first knock starts the day's record), the sequence step by
step in its order, every inspection answered, the door locked — and nothing after that. It is for an office
whose leader is out (不在 that day, or 出差). The routine plans the cleaning from 16:30, but that is the plan,
not a lock: an office whose leader is away may be cleaned earlier.

Each action writes its line in the work journal, in the same transaction. Rules fail with
ValidationError({field: message}) and change nothing.
"""

from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import RoleRequired
from huiwu.directory.models import Person
from huiwu.lib.i18n import site_language
from huiwu.lib.text import has_unsafe_characters
from huiwu.reception.access import READ, can_read, require_worker
from huiwu.reception.models import CleaningRecord, JournalEntry, LeaderOffice, RoutineItem
from huiwu.reception.selectors.offices import (
    DocumentsAnswer,
    Inspection,
    Presence,
    cleaning_inspections,
    cleaning_missing,
    cleaning_outstanding,
    cleaning_sequence,
    inspection_answers,
    next_step,
    office_line,
    presence_on,
)
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.routine import routine_item_complete


def clean_text(errors: dict[str, str], field: models.Field, name: str, value: str | None, *, required: str = "") -> str:
    """`value` stripped; a message in `errors[name]` when it is missing (and `required` says so), holds a
    character that cannot be stored, or is longer than the model's `field` takes."""
    value = (value or "").strip()
    if has_unsafe_characters(value):
        errors[name] = _("Remove the control or text-direction characters; they cannot be stored.")
    elif required and not value:
        errors[name] = required
    elif field.max_length and len(value) > field.max_length:
        errors[name] = _("At most %(limit)d characters.") % {"limit": field.max_length}
    return value


def _shown(value: datetime) -> str:
    return f"{timezone.localtime(value):%H:%M}"


def _board_url() -> str:
    return reverse("reception:offices")


def cleaning_url(cleaning: CleaningRecord) -> str:
    return reverse("reception:cleaning", args=[cleaning.pk])


# --- the presence board -------------------------------------------------------------------------------


def office_presence_set(*, user: User, office: LeaderOffice, presence: str, note: str = "") -> LeaderOffice:
    """Set where the office's leader is: 在 or 不在 for today, 出差 until it is changed."""
    require_worker(user)
    errors: dict[str, str] = {}
    if presence not in Presence.values:
        errors["presence"] = _("Choose in, out or on a business trip.")
    note = clean_text(errors, LeaderOffice._meta.get_field("presence_note"), "note", note)
    if not office.is_active:
        errors["office"] = _("This office is no longer kept by reception.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        LeaderOffice.objects.filter(pk=office.pk).update(
            presence=presence, presence_note=note, presence_set_at=now, presence_set_by=user
        )
        office.presence, office.presence_note, office.presence_set_at, office.presence_set_by = (
            presence,
            note,
            now,
            user,
        )
        with site_language():
            text = _("Presence: %(office)s — %(presence)s") % {
                "office": office_line(office),
                "presence": Presence(presence).label,
            }
            if note:
                text = _("%(text)s (%(note)s)") % {"text": text, "note": note}
        journal_write(author=user, source=JournalEntry.Source.PRESENCE, text=text, at=now, url=_board_url())
    return office


# --- keeping the list of offices -----------------------------------------------------------------------

ADD_OFFICE = "reception.add_leaderoffice"
CHANGE_OFFICE = "reception.change_leaderoffice"


def _require_office_keeper(user: User, permission: str) -> None:
    if not (can_read(user) and user.has_perm(permission)):
        raise RoleRequired.holding(READ, permission)


def _room(errors: dict[str, str], room: str) -> str:
    required = _("Give the office's room, e.g. 7楼 706室.")
    return clean_text(errors, LeaderOffice._meta.get_field("room"), "room", room, required=required)


def _has_office_message(leader: Person) -> str:
    existing = LeaderOffice.objects.filter(leader=leader).first()
    if existing is None:
        return ""
    return _("%(leader)s already has an office: %(room)s.") % {"leader": leader.name, "room": existing.room}


def office_create(*, user: User, leader: Person | None, room: str, is_principal: bool) -> LeaderOffice:
    """A leader's office reception keeps from now on. A leader has one office."""
    _require_office_keeper(user, ADD_OFFICE)
    errors: dict[str, str] = {}
    room = _room(errors, room)
    if leader is None or leader.kind != Person.Kind.LEADER:
        errors["leader"] = _("Choose a leader from the directory.")
    elif message := _has_office_message(leader):
        errors["leader"] = message
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return LeaderOffice.objects.create(leader=leader, room=room, is_principal=is_principal)
    except IntegrityError:
        # Added by someone else a moment ago: the unique leader refused the second.
        raise ValidationError({"leader": _has_office_message(leader)}) from None


def office_update(*, user: User, office: LeaderOffice, room: str, is_principal: bool, is_active: bool) -> LeaderOffice:
    """Change an office's room or kind, or retire it (not active): its cleanings and documents keep it, so it is
    never deleted, and its leader stays (a new leader's office is a new office)."""
    _require_office_keeper(user, CHANGE_OFFICE)
    errors: dict[str, str] = {}
    room = _room(errors, room)
    if errors:
        raise ValidationError(errors)
    office.room, office.is_principal, office.is_active = room, is_principal, is_active
    office.save(update_fields=["room", "is_principal", "is_active"])
    return office


# --- cleaning -----------------------------------------------------------------------------------------


def cannot_clean_message(office: LeaderOffice, day: date) -> str:
    """Why `office` cannot be cleaned on `day`; empty when it can."""
    if not office.is_active:
        return _("This office is no longer kept by reception.")
    presence = presence_on(office, day)
    if presence == Presence.IN:
        return _("%(leader)s is in the office today: an office is cleaned only while its leader is out.") % {
            "leader": office.leader.name
        }
    if presence is None:
        return _(
            "Nobody has set where %(leader)s is today: mark them out or on a business trip on the presence board first."
        ) % {"leader": office.leader.name}
    return ""


def _locked_message(cleaning: CleaningRecord) -> str:
    return _("This office was cleaned and its door locked at %(time)s; nothing more can be recorded.") % {
        "time": _shown(cleaning.locked_at)
    }


def _journal(user: User, cleaning: CleaningRecord, what: Callable[[], str], at: datetime) -> None:
    """The journal line of an action of the cleaning; `what` words the action, called in the site language."""
    with site_language():
        text = _("Cleaning %(office)s: %(what)s") % {"office": office_line(cleaning.office), "what": what()}
    journal_write(author=user, source=JournalEntry.Source.CLEANING, text=text, at=at, url=cleaning_url(cleaning))


def _locked_for_update(cleaning: CleaningRecord) -> CleaningRecord:
    """The record locked (PostgreSQL) or in an IMMEDIATE transaction (SQLite), refused once the door is locked:
    two taps at once cannot both append."""
    locked = CleaningRecord.objects.select_for_update().select_related("office__leader").get(pk=cleaning.pk)
    if locked.locked_at is not None:
        raise ValidationError(_locked_message(locked), code="locked")
    return locked


def _copy(target: CleaningRecord, source: CleaningRecord) -> CleaningRecord:
    for name in ("knocked_at", "steps", "inspections", "locked_at"):
        setattr(target, name, getattr(source, name))
    return target


def cleaning_start(*, user: User, office: LeaderOffice) -> CleaningRecord:
    """Today's cleaning of `office`, begun now by `user` — or the one already begun today (one per office and
    day). Refused for an office whose leader is not out today, and once its door was locked today."""
    require_worker(user)
    now = timezone.now()
    day = timezone.localtime(now).date()
    existing = CleaningRecord.objects.select_related("office__leader").filter(office=office, day=day).first()
    if existing is not None:
        if existing.locked_at is not None:
            raise ValidationError(_locked_message(existing), code="locked")
        return existing
    reason = cannot_clean_message(office, day)
    if reason:
        raise ValidationError({"office": reason})
    try:
        with transaction.atomic():
            cleaning = CleaningRecord.objects.create(office=office, day=day, cleaner=user, started_at=now)
            _journal(user, cleaning, lambda: _("started"), now)
    except IntegrityError:
        # Another attendant began it at the same moment: theirs is the day's record.
        return CleaningRecord.objects.select_related("office__leader").get(office=office, day=day)
    return cleaning


def cleaning_knock(*, user: User, cleaning: CleaningRecord) -> CleaningRecord:
    """`user` knocked as the protocol says and nobody answered (seed 篇3 (三) 1). A second tap changes nothing."""
    require_worker(user)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for_update(cleaning)
        if locked.knocked_at is None:
            locked.knocked_at = now
            locked.save(update_fields=["knocked_at"])
            _journal(user, locked, lambda: _("knocked as required, nobody answered"), now)
    return _copy(cleaning, locked)


def cleaning_step(*, user: User, cleaning: CleaningRecord, step: str) -> CleaningRecord:
    """Record the next step of the sequence done. A step out of order is refused with the one expected; the
    step just done again (a double tap) changes nothing."""
    require_worker(user)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for_update(cleaning)
        sequence = cleaning_sequence(locked.office)
        if step not in [item.value for item in sequence]:
            raise ValidationError({"step": _("This step is not part of this office's cleaning.")})
        if locked.knocked_at is None:
            raise ValidationError({"step": _("Knock as the protocol says before going in.")})
        if step in {code for code, _when in locked.steps}:
            return _copy(cleaning, locked)
        expected = next_step(locked)
        if expected is not None and expected.value != step:
            position = sequence.index(expected) + 1
            raise ValidationError(
                {
                    "step": _("Not yet: next is “%(step)s” (step %(position)d of %(count)d).")
                    % {"step": expected.label, "position": position, "count": len(sequence)}
                }
            )
        locked.steps = [*locked.steps, [step, now.isoformat()]]
        locked.save(update_fields=["steps"])
        _journal(user, locked, lambda: _("%(step)s done") % {"step": expected.label}, now)
    return _copy(cleaning, locked)


def cleaning_inspect(*, user: User, cleaning: CleaningRecord, inspection: str, answer: str) -> CleaningRecord:
    """Answer one of the inspections (an answer given again replaces it until the door is locked). "No
    documents to take back" is refused once documents were recorded from this cleaning; recording one answers
    that inspection by itself."""
    require_worker(user)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for_update(cleaning)
        inspections = cleaning_inspections(locked.office)
        if inspection not in [item.value for item in inspections]:
            raise ValidationError({"inspection": _("This is not an inspection of this office.")})
        answers = inspection_answers(inspection)
        if inspection == Inspection.DOCUMENTS and answer == DocumentsAnswer.TAKEN:
            raise ValidationError({"answer": _("Record each document taken back; that answers this by itself.")})
        if answer not in answers.values:
            raise ValidationError({"answer": _("Choose one of the answers offered.")})
        if locked.knocked_at is None:
            raise ValidationError({"inspection": _("Knock as the protocol says before going in.")})
        if inspection == Inspection.DOCUMENTS and locked.documents.exists():
            raise ValidationError(
                {"answer": _("Documents were already recorded from this office today: they were taken back.")}
            )
        locked.inspections = {**locked.inspections, inspection: answer}
        locked.save(update_fields=["inspections"])
        _journal(
            user,
            locked,
            lambda: (
                _("%(inspection)s: %(answer)s")
                % {"inspection": Inspection(inspection).label, "answer": answers(answer).label}
            ),
            now,
        )
    return _copy(cleaning, locked)


def cleaning_lock(*, user: User, cleaning: CleaningRecord) -> CleaningRecord:
    """The door is locked: the last act, once every step is done and every inspection answered. When it was
    the day's last office to clean, the routine's cleaning item is done."""
    require_worker(user)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for_update(cleaning)
        steps, inspections = cleaning_missing(locked)
        if locked.knocked_at is None:
            raise ValidationError({"lock": _("Knock as the protocol says before going in.")})
        if steps or inspections:
            missing = [str(step.label) for step in steps] + [str(item.label) for item in inspections]
            raise ValidationError(
                {"lock": _("Finish first: %(missing)s.") % {"missing": _(", ").join(missing)}}, code="unfinished"
            )
        locked.locked_at = now
        locked.save(update_fields=["locked_at"])
        _journal(user, locked, lambda: _("door locked"), now)
        if not cleaning_outstanding(locked.day):
            routine_item_complete(day=locked.day, code=RoutineItem.Code.CLEANING, user=user, at=now)
    return _copy(cleaning, locked)
