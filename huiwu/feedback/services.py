"""Writes to complaints and follow-ups: a complaint is received, walked through the seed's steps in order
(apology → findings → facts reported → corrective action → the client's acceptance), closed with its root
cause and lesson, and visited again after closing; a follow-up is opened by another app's rule and closed
with its outcome (or handled as a complaint).

Rules fail with ValidationError({field: message}) in the user's language and save nothing; a user without
the permission gets PermissionDenied (RoleRequired, naming the roles that have it). Pages and the API both
call these. Each step locks the complaint's row, so two taps (or two handlers) never record it twice.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from huiwu.accounts.models import User, phone_validator
from huiwu.accounts.roles import RoleRequired
from huiwu.delegations.access import tasks_visible_to
from huiwu.delegations.models import DelegatedTask
from huiwu.directory.models import Contact, Organization
from huiwu.feedback.access import (
    can_close_without_acceptance,
    can_receive_complaints,
    is_client_complainant,
    require_complaint_handler,
    require_complaint_receiver,
    require_follow_up_closer,
)
from huiwu.feedback.deadlines import complaint_deadlines_sync, follow_up_deadlines_sync
from huiwu.feedback.models import COMPLAINT_STEPS, Complaint, FollowUp, RootCause
from huiwu.feedback.selectors import step_label
from huiwu.lib.text import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.surveys.models import SurveyAnswer
from huiwu.venues.models import Room

# A phone or an API client whose clock runs a little fast is not recording the future.
CLOCK_SKEW = timedelta(minutes=1)


def _text(errors: dict[str, str], model, name: str, value: str | None, *, required: str = "") -> str:
    """`value` stripped; a message in `errors` when it is missing (and `required` says so) or does not fit."""
    value = (value or "").strip()
    limit = model._meta.get_field(name).max_length
    if has_unsafe_characters(value):
        errors[name] = str(UNSAFE_CHARACTERS_MESSAGE)
    elif required and not value:
        errors[name] = required
    elif limit and len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return value


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _shown(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def _when(errors: dict[str, str], name: str, value: datetime | None, now: datetime, *, after=None) -> datetime:
    """The moment a thing happened: now by default, never in the future, never before `after` (a pair of
    what came before and its time)."""
    value = now if value is None else _aware(value)
    if value > now + CLOCK_SKEW:
        errors[name] = _("This time cannot be in the future.")
    elif after is not None and value < after[1]:
        errors[name] = _("This time cannot be before %(what)s (%(when)s).") % {
            "what": after[0],
            "when": _shown(after[1]),
        }
    return value


# --- receiving a complaint ------------------------------------------------------------------------------


def _check_phone(errors: dict[str, str], phone: str) -> None:
    if phone and "complainant_phone" not in errors:
        try:
            phone_validator(phone)
        except ValidationError as error:
            errors["complainant_phone"] = " ".join(error.messages)


@transaction.atomic
def complaint_receive(
    *,
    user: User,
    channel: str,
    complainant_name: str,
    complainant_phone: str = "",
    complainant_contact: Contact | None = None,
    organization: Organization | None = None,
    meeting: Meeting | None = None,
    room: Room | None = None,
    task: DelegatedTask | None = None,
    summary: str,
    statement: str,
    received_at: datetime | None = None,
) -> Complaint:
    """Record a complaint received by `user` (staff, by any channel) or filed by a client contact through the
    portal. A client's complaint is theirs: the portal channel, themselves as the complainant, their own
    organization, one of its meetings at most, received now.

    The room defaults to the meeting's, the meeting to the task's, the organization to the contact's or the
    meeting's organizer. The apology is due from now on (deadlines.py)."""
    require_complaint_receiver(user)
    client = not can_receive_complaints(user) and is_client_complainant(user)
    now = timezone.now()
    errors: dict[str, str] = {}
    if client:
        channel = Complaint.Channel.PORTAL
        complainant_contact = Contact.objects.filter(user=user, organization_id=user.organization_id).first()
        complainant_name = complainant_contact.name if complainant_contact else str(user)
        complainant_phone = (complainant_contact.phone if complainant_contact else "") or user.phone
        organization = user.organization
        received_at = None
    elif channel not in Complaint.Channel.values:
        errors["channel"] = _("Choose how the complaint came in.")
    complainant_name = _text(errors, Complaint, "complainant_name", complainant_name, required=_("Say who complained."))
    complainant_phone = _text(errors, Complaint, "complainant_phone", complainant_phone)
    if not client:
        _check_phone(errors, complainant_phone)
    summary = _text(errors, Complaint, "summary", summary, required=_("Say in a few words what it is about."))
    statement = _text(errors, Complaint, "statement", statement, required=_("Write down what the client said."))
    if task is not None:
        if not tasks_visible_to(user).filter(pk=task.pk).exists():
            errors["task"] = _("There is no such delegated task.")
        elif meeting is not None and task.meeting_id not in (None, meeting.pk):
            errors["task"] = _("This delegated task belongs to another meeting.")
        elif meeting is None and task.meeting_id is not None:
            meeting = task.meeting
    if meeting is not None and not meetings_visible_to(user).filter(pk=meeting.pk).exists():
        errors["meeting"] = _("There is no such meeting.")
    if complainant_contact is not None:
        if organization is None:
            organization = complainant_contact.organization
        elif complainant_contact.organization_id != organization.pk:
            errors["complainant_contact"] = _("Choose a contact of the complainant's organization.")
    if organization is None and meeting is not None and "meeting" not in errors:
        organization = meeting.organizer
    received_at = _when(errors, "received_at", received_at, now)
    if errors:
        raise ValidationError(errors)
    if room is None and meeting is not None:
        room = meeting.room
    complaint = Complaint.objects.create(
        channel=channel,
        complainant_name=complainant_name,
        complainant_phone=complainant_phone,
        complainant_contact=complainant_contact,
        organization=organization,
        meeting=meeting,
        room=room,
        task=task,
        summary=summary,
        statement=statement,
        received_at=received_at,
        received_by=user,
        # Whoever takes the call handles it until a colleague records a step; a client's waits for the hotline.
        handler=None if client else user,
    )
    complaint_deadlines_sync(complaint)
    return complaint


# --- the steps ------------------------------------------------------------------------------------------


def _lock(complaint: Complaint) -> Complaint:
    # Locked (PostgreSQL) or in an IMMEDIATE transaction (SQLite): two recordings cannot both pass the checks.
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _refresh(complaint: Complaint, locked: Complaint, fields: list[str]) -> Complaint:
    for name in fields:
        setattr(complaint, name, getattr(locked, name))
    return complaint


def closed_message(complaint: Complaint) -> str:
    return _("This complaint was closed on %(when)s; nothing more can be recorded but the return visit.") % {
        "when": _shown(complaint.closed_at)
    }


def step_refusal(complaint: Complaint, step: str) -> str:
    """Why the step cannot be recorded now ("" when it can): out of order, twice, or after closing."""
    if complaint.is_closed:
        return closed_message(complaint)
    done_at = getattr(complaint, f"{step}_at")
    if done_at is not None:
        return capfirst(
            _("%(step)s was already recorded on %(when)s.") % {"step": step_label(step), "when": _shown(done_at)}
        )
    index = COMPLAINT_STEPS.index(step)
    if index and getattr(complaint, f"{COMPLAINT_STEPS[index - 1]}_at") is None:
        return _("Record the %(step)s first.") % {"step": step_label(COMPLAINT_STEPS[index - 1])}
    return ""


def _before(complaint: Complaint, step: str) -> tuple[str, datetime]:
    """What the step comes after, and when that happened."""
    index = COMPLAINT_STEPS.index(step)
    if index == 0:
        return _("the complaint was received"), complaint.received_at
    previous = COMPLAINT_STEPS[index - 1]
    return step_label(previous), getattr(complaint, f"{previous}_at")


@transaction.atomic
def complaint_step_record(
    *, user: User, complaint: Complaint, step: str, note: str, at: datetime | None = None
) -> Complaint:
    """Record one step of the procedure, by `user`, at `at` (default: now): only the step after the last one
    recorded, once, before the complaint is closed."""
    require_complaint_handler(user)
    if step not in COMPLAINT_STEPS:
        raise ValidationError({"step": _("There is no such step.")})
    now = timezone.now()
    locked = _lock(complaint)
    refusal = step_refusal(locked, step)
    if refusal:
        raise ValidationError({"step": refusal})
    errors: dict[str, str] = {}
    note = _text(errors, Complaint, f"{step}_note", note, required=_("Write down what was done."))
    at = _when(errors, "at", at, now, after=_before(locked, step))
    if errors:
        raise ValidationError({"note" if name.endswith("_note") else name: message for name, message in errors.items()})
    setattr(locked, f"{step}_at", at)
    setattr(locked, f"{step}_by", user)
    setattr(locked, f"{step}_note", note)
    fields = [f"{step}_at", f"{step}_by", f"{step}_note"]
    if locked.handler_id is None:
        locked.handler = user
        fields.append("handler")
    locked.save(update_fields=fields)
    complaint_deadlines_sync(locked)
    return _refresh(complaint, locked, [*fields, "handler"])


@transaction.atomic
def complaint_close(
    *, user: User, complaint: Complaint, root_cause: RootCause | None, lesson: str, close_reason: str = ""
) -> Complaint:
    """Close the complaint with its root cause and lesson: it enters the case library. Without the client's
    acceptance recorded, only a manager closes it, saying why (e.g. the client cannot be reached)."""
    require_complaint_handler(user)
    now = timezone.now()
    locked = _lock(complaint)
    if locked.is_closed:
        raise ValidationError(
            {"root_cause": _("This complaint was already closed on %(when)s.") % {"when": _shown(locked.closed_at)}}
        )
    errors: dict[str, str] = {}
    if root_cause is None or not root_cause.is_active:
        errors["root_cause"] = _("Choose the root cause.")
    lesson = _text(errors, Complaint, "lesson", lesson, required=_("Write down the lesson learned."))
    close_reason = _text(errors, Complaint, "close_reason", close_reason)
    if locked.acceptance_at is not None:
        # The client accepted: the reason for closing without acceptance does not apply.
        close_reason = ""
    elif not can_close_without_acceptance(user):
        if close_reason:
            raise RoleRequired.holding("feedback.close_without_acceptance")
        errors["acceptance"] = _(
            "Record the client's acceptance first; without it only the service centre manager may close "
            "the complaint, giving the reason."
        )
    elif not close_reason and "close_reason" not in errors:
        errors["close_reason"] = _("The client's acceptance is not recorded: give the reason for closing without it.")
    if errors:
        raise ValidationError(errors)
    locked.closed_at = now
    locked.closed_by = user
    locked.root_cause = root_cause
    locked.lesson = lesson
    locked.close_reason = close_reason
    fields = ["closed_at", "closed_by", "root_cause", "lesson", "close_reason"]
    locked.save(update_fields=fields)
    complaint_deadlines_sync(locked)
    return _refresh(complaint, locked, fields)


@transaction.atomic
def complaint_return_visit(*, user: User, complaint: Complaint, note: str, at: datetime | None = None) -> Complaint:
    """Record the return visit (回访) to the client after closing, once."""
    require_complaint_handler(user)
    now = timezone.now()
    locked = _lock(complaint)
    if not locked.is_closed:
        raise ValidationError({"note": _("The return visit comes after the complaint is closed.")})
    if locked.return_visit_at is not None:
        raise ValidationError(
            {"note": _("The return visit was already recorded on %(when)s.") % {"when": _shown(locked.return_visit_at)}}
        )
    errors: dict[str, str] = {}
    note = _text(errors, Complaint, "return_visit_note", note, required=_("Write down what the client said."))
    at = _when(errors, "at", at, now, after=(_("the closing"), locked.closed_at))
    if errors:
        raise ValidationError({"note" if name.endswith("_note") else name: message for name, message in errors.items()})
    locked.return_visit_at = at
    locked.return_visit_by = user
    locked.return_visit_note = note
    fields = ["return_visit_at", "return_visit_by", "return_visit_note"]
    locked.save(update_fields=fields)
    complaint_deadlines_sync(locked)
    return _refresh(complaint, locked, fields)


# --- follow-ups -----------------------------------------------------------------------------------------


@transaction.atomic
def follow_up_open(
    *,
    source: str,
    summary: str,
    client_note: str = "",
    meeting: Meeting | None = None,
    organization: Organization | None = None,
    answer: SurveyAnswer | None = None,
    task: DelegatedTask | None = None,
) -> FollowUp:
    """Open a follow-up the hotline owes a client, from another app's rule (a survey scored 2 or lower: `answer`;
    a delegated task the client disputed: `task`). The hotline is reminded at once and the manager hears of it
    if it is not closed in settings.FOLLOW_UP_HOURS. Runs in the caller's transaction when it has one.

    The meeting and organization default to the answer's or the task's."""
    if source == FollowUp.Source.LOW_SCORE and answer is None:
        raise ValueError("a low-score follow-up needs the survey answer")
    if source == FollowUp.Source.TASK_DISPUTE and task is None:
        raise ValueError("a disputed-task follow-up needs the task")
    if source not in FollowUp.Source.values:
        raise ValueError(f"unknown follow-up source: {source!r}")
    origin_meeting = answer.meeting if answer is not None else task.meeting
    meeting = meeting or origin_meeting
    if organization is None:
        if task is not None and task.organization_id is not None:
            organization = task.organization
        elif meeting is not None:
            organization = meeting.organizer
    limit = FollowUp._meta.get_field("summary").max_length
    follow_up = FollowUp.objects.create(
        source=source,
        summary=summary.strip()[:limit],
        client_note=client_note.strip(),
        meeting=meeting,
        organization=organization,
        answer=answer,
        task=task,
    )
    follow_up_deadlines_sync(follow_up)
    return follow_up


@transaction.atomic
def follow_up_close(*, user: User, follow_up: FollowUp, resolution: str) -> FollowUp:
    """Close the follow-up with its outcome (what the client was told, what was done), once."""
    require_follow_up_closer(user)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not locked.is_open:
        raise ValidationError(
            {"resolution": _("This follow-up was already closed on %(when)s.") % {"when": _shown(locked.closed_at)}}
        )
    errors: dict[str, str] = {}
    resolution = _text(errors, FollowUp, "resolution", resolution, required=_("Write down the outcome."))
    if errors:
        raise ValidationError(errors)
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.resolution = resolution
    fields = ["closed_at", "closed_by", "resolution"]
    locked.save(update_fields=fields)
    follow_up_deadlines_sync(locked)
    return _refresh(follow_up, locked, fields)


def follow_up_complainant(follow_up: FollowUp) -> Contact | None:
    """The client contact behind the follow-up: who answered the survey, or who delegated the task."""
    if follow_up.answer_id is not None:
        return follow_up.answer.invitation.contact
    return follow_up.task.requester_contact


@transaction.atomic
def follow_up_escalate_to_complaint(*, user: User, follow_up: FollowUp, channel: str, statement: str = "") -> Complaint:
    """The follow-up turned out to be a complaint: open one from it (the client behind it as the complainant,
    its meeting and task), link both, and close the follow-up as handled by the complaint."""
    require_follow_up_closer(user)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not locked.is_open:
        raise ValidationError(
            {"channel": _("This follow-up was already closed on %(when)s.") % {"when": _shown(locked.closed_at)}}
        )
    contact = follow_up_complainant(locked)
    complaint = complaint_receive(
        user=user,
        channel=channel,
        complainant_name=contact.name if contact else (str(locked.organization or "") or _("Client contact")),
        complainant_phone=contact.phone if contact else "",
        complainant_contact=contact,
        organization=locked.organization,
        meeting=locked.meeting,
        task=locked.task,
        summary=locked.summary,
        statement=statement.strip() or locked.client_note or locked.summary,
    )
    locked.complaint = complaint
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.resolution = _("Handled as a complaint: %(summary)s") % {"summary": complaint.summary}
    fields = ["complaint", "closed_at", "closed_by", "resolution"]
    locked.save(update_fields=fields)
    follow_up_deadlines_sync(locked)
    _refresh(follow_up, locked, fields)
    return complaint
