"""Writes of the reviewed-documents register (已批阅文件, seed 篇3 (二) 4): a document is recorded when it is
taken back from a leader's office — by hand, or with one tap during the office's cleaning — and handed over
once to the GM office's document clerk, who confirms it. Nothing is edited or deleted afterwards: the
register is the proof of where each document went.

A document is due by the routine's handover time (09:30) on the next working day after the day it was
retrieved; its deadline reminds reception before and escalates to the team leaders when it is not handed
over by then.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.lib.i18n import site_language
from huiwu.reception.access import require_worker
from huiwu.reception.deadlines.documents import document_deadline_handed_over, document_deadline_sync, document_url
from huiwu.reception.models import CleaningRecord, JournalEntry, LeaderOffice, ReviewedDocument, RoutineItem
from huiwu.reception.selectors.documents import document_line, documents_outstanding
from huiwu.reception.selectors.offices import DocumentsAnswer, Inspection, office_line
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.offices import clean_text
from huiwu.reception.services.routine import routine_item_complete
from huiwu.reception.services.standard import routine_standard_current
from huiwu.reception.workdays import document_due_at

# A phone or an API client whose clock runs a little fast is not recording the future.
CLOCK_SKEW = timedelta(minutes=1)
# How long after the fact a document may still be entered (say, from the paper notebook): a retrieval
# older than this is a typing mistake.
RETRIEVED_MAX_AGE = timedelta(days=31)


def _field(name: str):
    return ReviewedDocument._meta.get_field(name)


def _shown(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def already_handed_over_message(document: ReviewedDocument) -> str:
    return _("This document was already handed to %(person)s on %(when)s.") % {
        "person": document.handed_to,
        "when": _shown(document.handed_at),
    }


def _leader_error(leader: Person | None) -> str:
    if leader is None:
        return _("Say which leader reviewed the document.")
    if leader.kind != Person.Kind.LEADER:
        return _("Choose a leader from the directory.")
    return ""


def document_record(
    *,
    user: User,
    title: str,
    document_number: str,
    reviewing_leader: Person | None,
    office: LeaderOffice | None = None,
    retrieved_at: datetime | None = None,
    cleaning: CleaningRecord | None = None,
    notes: str = "",
) -> ReviewedDocument:
    """Record a reviewed document `user` took back at `retrieved_at` (now), from `office` — the cleaning's
    office when it was taken during `cleaning`, which then counts its documents inspection as answered."""
    require_worker(user)
    now = timezone.now()
    errors: dict[str, str] = {}
    title = clean_text(errors, _field("title"), "title", title, required=_("Give the document's title."))
    document_number = clean_text(
        errors,
        _field("document_number"),
        "document_number",
        document_number,
        required=_("Give the document number (文件字号)."),
    )
    notes = clean_text(errors, _field("notes"), "notes", notes)
    if leader_error := _leader_error(reviewing_leader):
        errors["reviewing_leader"] = leader_error
    if cleaning is not None:
        if office is not None and office.pk != cleaning.office_id:
            errors["office"] = _("The document comes from the office being cleaned.")
        office = cleaning.office
    if retrieved_at is None:
        retrieved_at = now
    elif timezone.is_naive(retrieved_at):
        retrieved_at = timezone.make_aware(retrieved_at)
    if retrieved_at > now + CLOCK_SKEW:
        errors["retrieved_at"] = _("The time it was taken back cannot be in the future.")
    elif retrieved_at < now - RETRIEVED_MAX_AGE:
        errors["retrieved_at"] = _("A document taken back more than %(days)d days ago cannot be entered.") % {
            "days": RETRIEVED_MAX_AGE.days
        }
    standard = routine_standard_current()
    due_at = None
    if "retrieved_at" not in errors:
        try:
            due_at = document_due_at(retrieved_at, standard.documents_by)
        except ValueError:
            errors["retrieved_at"] = _(
                "The working-day calendar has no working day within a year of this day: check its override table."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if cleaning is not None:
            locked = CleaningRecord.objects.select_for_update().get(pk=cleaning.pk)
            if locked.locked_at is not None:
                raise ValidationError({"cleaning": _("The office's door is locked: this cleaning is finished.")})
            if locked.knocked_at is None:
                raise ValidationError({"cleaning": _("Knock as the protocol says before going in.")})
            locked.inspections = {**locked.inspections, Inspection.DOCUMENTS.value: DocumentsAnswer.TAKEN.value}
            locked.save(update_fields=["inspections"])
            cleaning.inspections = locked.inspections
        document = ReviewedDocument.objects.create(
            title=title,
            document_number=document_number,
            reviewing_leader=reviewing_leader,
            office=office,
            retrieved_at=retrieved_at,
            retrieved_by=user,
            cleaning=cleaning,
            due_at=due_at,
            notes=notes,
            created_at=now,
        )
        with site_language():
            text = _("Reviewed document taken back: %(document)s (reviewed by %(leader)s), due by %(due)s") % {
                "document": document_line(document),
                "leader": reviewing_leader.name,
                "due": _shown(due_at),
            }
            if office is not None:
                text = _("%(text)s (%(note)s)") % {"text": text, "note": office_line(office)}
        journal_write(author=user, source=JournalEntry.Source.DOCUMENT, text=text, at=now, url=document_url(document))
        document_deadline_sync(document, reminder_minutes=standard.reminder_minutes)
    return document


def document_hand_over(
    *, user: User, document: ReviewedDocument, handed_to: str, confirmation: str
) -> ReviewedDocument:
    """Record that `user` handed `document` to the GM office's document clerk `handed_to` now, and how the clerk
    confirmed it. A document is handed over once."""
    require_worker(user)
    now = timezone.now()
    errors: dict[str, str] = {}
    handed_to = clean_text(
        errors, _field("handed_to"), "handed_to", handed_to, required=_("Give the name of the clerk who took it.")
    )
    if confirmation not in ReviewedDocument.Confirmation.values:
        errors["confirmation"] = _("Say how the clerk confirmed receiving it.")
    with transaction.atomic():
        # Locked (PostgreSQL) or in an IMMEDIATE transaction (SQLite): two handovers cannot both pass the check.
        locked = ReviewedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.handed_at is not None:
            raise ValidationError(already_handed_over_message(locked), code="already_handed_over")
        if errors:
            raise ValidationError(errors)
        locked.handed_to = handed_to
        locked.handed_at = now
        locked.handed_by = user
        locked.clerk_confirmation = confirmation
        locked.save(update_fields=["handed_to", "handed_at", "handed_by", "clerk_confirmation"])
        with site_language():
            text = _("Reviewed document handed to %(person)s (%(confirmation)s): %(document)s") % {
                "person": handed_to,
                "confirmation": ReviewedDocument.Confirmation(confirmation).label,
                "document": document_line(locked),
            }
        journal_write(author=user, source=JournalEntry.Source.DOCUMENT, text=text, at=now, url=document_url(locked))
        document_deadline_handed_over(locked)
        today = timezone.localtime(now).date()
        if timezone.localtime(locked.due_at).date() <= today and not documents_outstanding(today):
            routine_item_complete(day=today, code=RoutineItem.Code.DOCUMENTS, user=user, at=now)
    for name in ("handed_to", "handed_at", "handed_by", "clerk_confirmation"):
        setattr(document, name, getattr(locked, name))
    return document
