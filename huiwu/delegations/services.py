"""Writes to delegated tasks. Each records a history entry (DelegationEvent) and brings the task's deadlines
in step (deadlines.task_deadlines_sync); pages and the API both call these.

The states (models.DelegatedTask.State): requested (a client asked) → accepted → in progress → awaiting the
client (staff marked it done: it is not complete) → confirmed by the client, or notified (知会: a notice to the
client is recorded, with how it reached them). A client may dispute a done task (有异议): a follow-up opens for
the hotline and staff do it again. Refused and cancelled tasks say why.

Rules fail with ValidationError({field: message}) in the user's language and save nothing; a state change the
task's state does not allow fails with one message naming the state ("此事务已由客户确认，不能再标记完成。").
Each state change locks the task's row and checks its state again, so two taps never apply twice. A user
without the right gets PermissionDenied (RoleRequired, naming the roles that have it).
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.delegations.access import (
    can_manage,
    is_task_client,
    require_task_canceller,
    require_task_confirmer,
    require_task_doer,
    require_task_manager,
    require_task_requester,
)
from huiwu.delegations.deadlines import task_deadlines_sync, task_url
from huiwu.delegations.models import DelegatedTask, DelegationEvent, DelegationEvidence, DelegationNotice
from huiwu.delegations.selectors import task_doers
from huiwu.directory.models import Contact, Organization
from huiwu.feedback.models import FollowUp
from huiwu.feedback.services import follow_up_open
from huiwu.lib.i18n import site_language
from huiwu.lib.uploads import clean_upload
from huiwu.meetings.access import audit_meeting, meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import own_contact
from huiwu.notify.models import Kind
from huiwu.notify.services import notify_role, notify_users
from huiwu.security.models import AuditEntry

State = DelegatedTask.State
Action = DelegationEvent.Action

# A phone or an API client whose clock runs a little fast is not recording the future.
CLOCK_SKEW = timedelta(minutes=1)
# Amounts fit the columns: 10 digits, 2 of them decimals.
MAX_AMOUNT = Decimal("99999999.99")
# Text columns without a length of their own (details, plans, notes, reasons).
TEXT_LIMIT = 2000

# The order of the states, to tell "not yet" from "no longer" when an action is refused.
_STAGE = {
    State.REQUESTED: 0,
    State.ACCEPTED: 1,
    State.IN_PROGRESS: 2,
    State.AWAITING_CLIENT: 3,
    State.DISPUTED: 3,
    State.CONFIRMED: 4,
    State.NOTIFIED: 4,
    State.REFUSED: 5,
    State.CANCELLED: 5,
}
_STATE_SENTENCES = {
    State.REQUESTED: gettext_lazy("This task is still waiting to be accepted"),
    State.ACCEPTED: gettext_lazy("This task is accepted and not yet started"),
    State.IN_PROGRESS: gettext_lazy("This task is in progress"),
    State.AWAITING_CLIENT: gettext_lazy("This task is done and awaits the client's confirmation"),
    State.DISPUTED: gettext_lazy("The client disputed this task"),
    State.CONFIRMED: gettext_lazy("This task was already confirmed by the client"),
    State.NOTIFIED: gettext_lazy("The client was already notified of this task"),
    State.REFUSED: gettext_lazy("This task was refused"),
    State.CANCELLED: gettext_lazy("This task was cancelled"),
}
# What each action is called in a refusal ("…，不能再标记完成。"), and the states it starts from.
_ACTIONS = {
    "change": (pgettext_lazy("delegated task action", "changing it"), DelegatedTask.OPEN_STATES),
    "accept": (pgettext_lazy("delegated task action", "accepting it"), (State.REQUESTED,)),
    "start": (pgettext_lazy("delegated task action", "starting it"), (State.ACCEPTED, State.DISPUTED)),
    "done": (
        pgettext_lazy("delegated task action", "marking it done"),
        (State.ACCEPTED, State.IN_PROGRESS, State.DISPUTED),
    ),
    "confirm": (pgettext_lazy("delegated task action", "confirming it"), (State.AWAITING_CLIENT,)),
    "notice": (
        pgettext_lazy("delegated task action", "recording a notice to the client"),
        (State.AWAITING_CLIENT, State.DISPUTED),
    ),
    "dispute": (pgettext_lazy("delegated task action", "disputing it"), (State.AWAITING_CLIENT, State.NOTIFIED)),
    "refuse": (pgettext_lazy("delegated task action", "refusing it"), (State.REQUESTED, State.ACCEPTED)),
    "cancel": (
        pgettext_lazy("delegated task action", "cancelling it"),
        (State.REQUESTED, State.ACCEPTED, State.IN_PROGRESS),
    ),
    # Receipts often come after the client confirmed: cost and evidence stay open until the task is called off.
    "cost": (
        pgettext_lazy("delegated task action", "recording its cost"),
        tuple(state for state in State if state not in (State.REQUESTED, *DelegatedTask.CLOSED_STATES)),
    ),
    "evidence": (
        pgettext_lazy("delegated task action", "adding evidence"),
        tuple(state for state in State if state not in (State.REQUESTED, *DelegatedTask.CLOSED_STATES)),
    ),
}


def allowed_states(action: str) -> tuple[str, ...]:
    """The states in which `action` (a key of _ACTIONS) may be taken: what the pages offer as buttons."""
    return _ACTIONS[action][1]


def refusal_message(task: DelegatedTask, action: str) -> str:
    """Why `action` cannot be taken in the task's state: "此事务已由客户确认，不能再标记完成。"."""
    label, allowed = _ACTIONS[action]
    values = {"state": _STATE_SENTENCES[task.state], "action": label}
    if _STAGE[task.state] < min(_STAGE[state] for state in allowed):
        return _("%(state)s: %(action)s is not possible yet.") % values
    return _("%(state)s: %(action)s is no longer possible.") % values


# --- checking input -----------------------------------------------------------------------------------

_TASK_FIELDS = {field.name for field in DelegatedTask._meta.get_fields()}


def _text(errors: dict[str, str], name: str, value: str | None, *, required: str = "") -> str:
    """`value` stripped; a message in `errors` when it is missing (and `required` says so) or does not fit."""
    value = (value or "").strip()
    field = DelegatedTask._meta.get_field(name) if name in _TASK_FIELDS else None
    limit = (field.max_length if field is not None else None) or TEXT_LIMIT
    if "\x00" in value:
        errors[name] = _("This text contains a character that is not allowed.")
    elif required and not value:
        errors[name] = required
    elif len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return value


def _amount(errors: dict[str, str], name: str, value) -> Decimal | None:
    """A sum of money in yuan: not negative, at most two decimals and eight digits before the point."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors[name] = _("Enter an amount in yuan, e.g. 268.50.")
        return None
    if not amount.is_finite():
        errors[name] = _("Enter an amount in yuan, e.g. 268.50.")
    elif amount < 0:
        errors[name] = _("The amount cannot be negative.")
    elif amount > MAX_AMOUNT:
        errors[name] = _("The amount can be at most %(limit)s yuan.") % {"limit": MAX_AMOUNT}
    elif amount != amount.quantize(Decimal("0.01")):
        errors[name] = _("Enter at most two decimal places (fen).")
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _shown(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def _check_meeting(errors: dict[str, str], user: User, meeting: Meeting | None, organization_id: int | None) -> None:
    """A task serves a meeting the user may see, that still takes place, of the task's organization."""
    if meeting is None:
        return
    if not meetings_visible_to(user).filter(pk=meeting.pk).exists():
        errors["meeting"] = _("There is no such meeting.")
    elif not meeting.is_active:
        errors["meeting"] = _("This meeting was cancelled or rejected; choose a meeting that takes place.")
    elif organization_id is not None and meeting.organizer_id != organization_id:
        errors["meeting"] = _("This meeting is another organization's; choose one of the task's organization.")


def _check_assignee(errors: dict[str, str], assignee: User | None, meeting: Meeting | None) -> None:
    """Whoever does a task is active staff who do tasks, and may see the meeting it serves."""
    if assignee is None:
        return
    if not task_doers().filter(pk=assignee.pk).exists():
        errors["assignee"] = _("Choose an active member of staff who does delegated tasks.")
    elif meeting is not None and not meetings_visible_to(assignee).filter(pk=meeting.pk).exists():
        errors["assignee"] = _("%(person)s may not see this confidential meeting; choose someone cleared for it.") % {
            "person": assignee
        }


def _check_due(errors: dict[str, str], due_at: datetime | None) -> datetime | None:
    if due_at is None:
        errors["due_at"] = _("Say by when it is to be done.")
        return None
    due_at = _aware(due_at)
    if due_at < timezone.now() - CLOCK_SKEW:
        errors["due_at"] = _("The due time has already passed; give a time to come.")
    return due_at


# --- writing ------------------------------------------------------------------------------------------


def _locked(task: DelegatedTask, action: str, authorize=None) -> DelegatedTask:
    """The task's row, locked until the transaction ends (on SQLite the IMMEDIATE transaction already holds
    every writer back), refused when its current state does not allow `action`. `authorize(locked)` checks
    again, on the row as it now is, a right that depends on the task (its assignee, its state)."""
    locked = (
        DelegatedTask.objects.select_for_update(of=("self",))
        .select_related("meeting", "organization", "assignee", "done_by")
        .get(pk=task.pk)
    )
    if authorize is not None:
        authorize(locked)
    if locked.state not in _ACTIONS[action][1]:
        raise ValidationError(refusal_message(locked, action), code="state")
    return locked


def _event(task: DelegatedTask, action: str, user: User | None, note: str = "") -> None:
    DelegationEvent.objects.create(task=task, action=action, actor=user, note=note)
    if task.meeting_id is not None and task.meeting.is_confidential and user is not None:
        audit_meeting(user, task.meeting, AuditEntry.Action.CHANGE)


def _refresh(task: DelegatedTask, locked: DelegatedTask, fields: list[str]) -> DelegatedTask:
    for name in fields:
        setattr(task, name, getattr(locked, name))
    return task


def _client_users(task: DelegatedTask) -> list[User]:
    """Who confirms the task: the organization's client contacts and the requesting contact's account."""
    if task.organization_id is None and task.requester_contact_id is None:
        return []
    clients = User.objects.filter(is_active=True, groups__name=Role.CLIENT.value)
    accounts = Q(organization_id=task.organization_id) if task.organization_id else Q(pk__in=[])
    if task.requester_contact_id is not None:
        accounts |= Q(directory_contact__pk=task.requester_contact_id)
    return list(clients.filter(accounts).distinct())


def _tell(recipients, *, user: User, task: DelegatedTask, title: str, body: str = "") -> None:
    notify_users(
        recipients=[person for person in recipients if person is not None and person.pk != user.pk],
        kind=Kind.DELEGATION,
        title=title,
        body=body,
        url=task_url(task),
        meeting=task.meeting,
    )


def _tell_assignee(task: DelegatedTask, user: User) -> None:
    if task.assignee is None:
        return
    with site_language():
        title = _("Delegated task for you: %(task)s") % {"task": task.title}
        body = _("Due %(when)s.") % {"when": _shown(task.due_at)}
    _tell([task.assignee], user=user, task=task, title=title, body=body)


def _change_note(changes: dict[str, tuple[str, str]]) -> str:
    with site_language():
        return _("; ").join(
            _("%(field)s: %(before)s → %(after)s")
            % {
                "field": capfirst(DelegatedTask._meta.get_field(name).verbose_name),
                "before": before or "—",
                "after": after or "—",
            }
            for name, (before, after) in changes.items()
        )


@transaction.atomic
def task_create(
    *,
    user: User,
    title: str,
    due_at: datetime | None,
    kind: str = DelegatedTask.Kind.PURCHASE,
    quantity: str = "",
    details: str = "",
    budget: Decimal | None = None,
    meeting: Meeting | None = None,
    organization: Organization | None = None,
    requester_contact: Contact | None = None,
    requester_name: str = "",
    assignee: User | None = None,
    service_plan: str = "",
) -> DelegatedTask:
    """Record a task. Staff record it accepted (recording it is taking it on), for a client contact or an
    internal office or leader named in words; its organization is the contact's, or the meeting's organizer.
    A client contact requests it for their own organization (and one of its meetings): it waits to be
    accepted, and the hotline hears of it. Staff alone assign it and write its service plan."""
    require_task_requester(user)
    client = is_task_client(user)
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, required=_("Say what is to be done, e.g. 代购水果."))
    quantity = _text(errors, "quantity", quantity)
    details = _text(errors, "details", details)
    service_plan = _text(errors, "service_plan", service_plan)
    requester_name = _text(errors, "requester_name", requester_name)
    budget = _amount(errors, "budget", budget)
    due_at = _check_due(errors, due_at)
    if kind not in DelegatedTask.Kind.values:
        errors["kind"] = _("Choose a purchase or another errand.")
    if client:
        if assignee is not None:
            errors["assignee"] = _("The service team assigns the task.")
        if service_plan:
            errors["service_plan"] = _("The service team writes the service plan.")
        if organization is not None and organization.pk != user.organization_id:
            errors["organization"] = _("You delegate tasks for your own organization only.")
        for name, given in (("requester_contact", requester_contact is not None), ("requester_name", requester_name)):
            if given:
                errors[name] = _("A task you delegate is recorded as asked by you.")
        organization = user.organization
        requester_contact = own_contact(user)
        if requester_contact is None:
            requester_name = str(user)
    else:
        if requester_contact is not None:
            if organization is not None and organization.pk != requester_contact.organization_id:
                errors["requester_contact"] = _("This contact is of another organization than the task's.")
            organization = requester_contact.organization
        elif not requester_name:
            errors["requester_name"] = _("Say who asked: a client contact, or an internal office or leader.")
        if organization is None and meeting is not None:
            organization = meeting.organizer
    _check_meeting(errors, user, meeting, organization.pk if organization else None)
    _check_assignee(errors, assignee, meeting)
    if errors:
        raise ValidationError(errors)
    task = DelegatedTask.objects.create(
        kind=kind,
        title=title,
        quantity=quantity,
        details=details,
        requester_contact=requester_contact,
        requester_name=requester_name,
        organization=organization,
        meeting=meeting,
        budget=budget,
        due_at=due_at,
        assignee=assignee,
        service_plan=service_plan,
        state=State.REQUESTED if client else State.ACCEPTED,
        created_by=user,
    )
    _event(task, Action.REQUESTED if client else Action.RECORDED, user)
    task_deadlines_sync(task)
    if client:
        with site_language():
            title_text = _("Delegated task requested: %(task)s") % {"task": task.title}
            body = _("By %(user)s, %(organization)s; due %(when)s.") % {
                "user": user,
                "organization": organization.name,
                "when": _shown(task.due_at),
            }
        notify_role(
            role=Role.HOTLINE,
            kind=Kind.DELEGATION,
            title=title_text,
            body=body,
            url=task_url(task),
            exclude=user,
            meeting=meeting,
        )
    else:
        _tell_assignee(task, user)
    return task


# What task_change may change, and how each value reads in the history.
CHANGEABLE = ("kind", "title", "quantity", "details", "budget", "due_at", "assignee", "service_plan", "meeting")


def _readable(task: DelegatedTask, name: str) -> str:
    value = getattr(task, name)
    if value is None:
        return ""
    if name == "due_at":
        return _shown(value)
    if name == "kind":
        with site_language():
            return str(task.get_kind_display())
    return str(value)


@transaction.atomic
def task_change(*, user: User, task: DelegatedTask, **changes) -> DelegatedTask:
    """Change what the task is (staff, while it is open): any of CHANGEABLE, by name. A new assignee hears of
    it; a new due time moves the reminder."""
    require_task_manager(user)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise TypeError(f"task_change() cannot change {sorted(unknown)}")
    locked = _locked(task, "change")
    errors: dict[str, str] = {}
    values = {}
    for name, value in changes.items():
        if name in ("title", "quantity", "details", "service_plan"):
            required = _("Say what is to be done, e.g. 代购水果.") if name == "title" else ""
            values[name] = _text(errors, name, value, required=required)
        elif name == "budget":
            values[name] = _amount(errors, name, value)
        elif name == "due_at":
            if value is not None and locked.due_at == _aware(value):
                values[name] = locked.due_at
            else:
                values[name] = _check_due(errors, value)
        elif name == "kind" and value not in DelegatedTask.Kind.values:
            errors["kind"] = _("Choose a purchase or another errand.")
        else:
            values[name] = value
    meeting = values.get("meeting", locked.meeting)
    if "meeting" in values and meeting is not None and meeting.pk != locked.meeting_id:
        _check_meeting(errors, user, meeting, locked.organization_id)
    assignee = values.get("assignee", locked.assignee)
    if assignee != locked.assignee or meeting != locked.meeting:
        _check_assignee(errors, assignee, meeting)
    if errors:
        raise ValidationError(errors)
    before = {name: _readable(locked, name) for name in values}
    assignee_before = locked.assignee_id
    for name, value in values.items():
        setattr(locked, name, value)
    difference = {name: (before[name], _readable(locked, name)) for name in values}
    difference = {name: pair for name, pair in difference.items() if pair[0] != pair[1]}
    if not difference:
        return task
    locked.save(update_fields=list(values))
    _event(locked, Action.CHANGED, user, _change_note(difference))
    task_deadlines_sync(locked)
    if locked.assignee_id != assignee_before:
        _tell_assignee(locked, user)
    return _refresh(task, locked, list(values))


@transaction.atomic
def task_accept(*, user: User, task: DelegatedTask, assignee: User | None = None) -> DelegatedTask:
    """Take on a client's request, and give it to `assignee` when named."""
    require_task_manager(user)
    locked = _locked(task, "accept")
    errors: dict[str, str] = {}
    _check_assignee(errors, assignee, locked.meeting)
    if errors:
        raise ValidationError(errors)
    locked.state = State.ACCEPTED
    fields = ["state"]
    if assignee is not None:
        locked.assignee = assignee
        fields.append("assignee")
    locked.save(update_fields=fields)
    _event(locked, Action.ACCEPTED, user)
    task_deadlines_sync(locked)
    if assignee is not None:
        _tell_assignee(locked, user)
    return _refresh(task, locked, fields)


@transaction.atomic
def task_start(*, user: User, task: DelegatedTask) -> DelegatedTask:
    """The work begins (again, after the client disputed it). Nobody assigned: whoever starts it does it."""
    require_task_doer(user, task)
    locked = _locked(task, "start", lambda row: require_task_doer(user, row))
    locked.state = State.IN_PROGRESS
    if locked.assignee_id is None:
        locked.assignee = user
    locked.save(update_fields=["state", "assignee"])
    _event(locked, Action.STARTED, user)
    task_deadlines_sync(locked)
    return _refresh(task, locked, ["state", "assignee"])


@transaction.atomic
def task_done(*, user: User, task: DelegatedTask, actual_cost: Decimal | None = None, note: str = "") -> DelegatedTask:
    """Staff did the work: the task now awaits the client (it is not complete until they confirm it or a
    notice to them is recorded). The client contacts are asked to confirm it, with the service plan."""
    require_task_doer(user, task)
    errors: dict[str, str] = {}
    note = _text(errors, "done_note", note)
    actual_cost = _amount(errors, "actual_cost", actual_cost)
    locked = _locked(task, "done", lambda row: require_task_doer(user, row))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    locked.state = State.AWAITING_CLIENT
    locked.done_at = now
    locked.done_by = user
    locked.done_note = note
    fields = ["state", "done_at", "done_by", "done_note"]
    if locked.assignee_id is None:
        locked.assignee = user
        fields.append("assignee")
    if actual_cost is not None:
        locked.actual_cost = actual_cost
        fields.append("actual_cost")
    locked.save(update_fields=fields)
    _event(locked, Action.DONE, user, note)
    if actual_cost is not None:
        _event(locked, Action.COST, user, f"{actual_cost}")
    task_deadlines_sync(locked)
    with site_language():
        title = _("Please confirm: %(task)s is done") % {"task": locked.title}
        body = _("Service plan: %(plan)s") % {"plan": locked.service_plan} if locked.service_plan else ""
    _tell(_client_users(locked), user=user, task=locked, title=title, body=body)
    return _refresh(task, locked, fields)


@transaction.atomic
def task_confirm(*, user: User, task: DelegatedTask) -> DelegatedTask:
    """The client confirms the work was done (one tap): the task is complete."""
    require_task_confirmer(user, task)
    locked = _locked(task, "confirm")
    locked.state = State.CONFIRMED
    locked.confirmed_at = timezone.now()
    locked.confirmed_by = user
    fields = ["state", "confirmed_at", "confirmed_by"]
    locked.save(update_fields=fields)
    _event(locked, Action.CONFIRMED, user)
    task_deadlines_sync(locked)
    with site_language():
        title = _("The client confirmed: %(task)s") % {"task": locked.title}
    _tell([locked.done_by], user=user, task=locked, title=title)
    return _refresh(task, locked, fields)


@transaction.atomic
def task_notice_record(
    *,
    user: User,
    task: DelegatedTask,
    method: str,
    notified_at: datetime | None,
    notified_person: str = "",
    client_answer: str = "",
) -> DelegationNotice:
    """A notice to the client (知会) that the task was done: how it reached them, when, whom, what they said.
    It completes a task done and awaiting the client, or disputed by them (the facts explained)."""
    require_task_manager(user)
    errors: dict[str, str] = {}
    if method not in DelegationNotice.Method.values:
        errors["method"] = _("Choose how the client was notified: phone, WeCom, in person or the client portal.")
    limit = DelegationNotice._meta.get_field("notified_person").max_length
    notified_person = (notified_person or "").strip()
    if len(notified_person) > limit:
        errors["notified_person"] = _("At most %(limit)d characters.") % {"limit": limit}
    client_answer = _text(errors, "client_answer", client_answer)
    locked = _locked(task, "notice")
    if notified_at is None:
        errors["notified_at"] = _("Say when the client was notified.")
    else:
        notified_at = _aware(notified_at)
        if notified_at > timezone.now() + CLOCK_SKEW:
            errors["notified_at"] = _("The time of the notice cannot be in the future.")
        # Forms give the time to the minute: a notice in the minute the task was done is not before it.
        elif notified_at < locked.done_at.replace(second=0, microsecond=0):
            errors["notified_at"] = _("The client cannot have been notified before the task was done (%(when)s).") % {
                "when": _shown(locked.done_at)
            }
    if errors:
        raise ValidationError(errors)
    notice = DelegationNotice.objects.create(
        task=locked,
        method=method,
        notified_at=notified_at,
        notified_by=user,
        notified_person=notified_person,
        client_answer=client_answer,
    )
    locked.state = State.NOTIFIED
    locked.save(update_fields=["state"])
    with site_language():
        how = str(notice.get_method_display())
        parts = [_("%(method)s, %(when)s") % {"method": how, "when": _shown(notified_at)}]
        if notified_person:
            parts.append(_("To %(person)s") % {"person": notified_person})
        if client_answer:
            parts.append(_("Answer: %(answer)s") % {"answer": client_answer})
        note = _("; ").join(parts)
    _event(locked, Action.NOTIFIED, user, note)
    task_deadlines_sync(locked)
    _refresh(task, locked, ["state"])
    return notice


@transaction.atomic
def task_dispute(*, user: User, task: DelegatedTask, note: str) -> DelegatedTask:
    """The client disputes the work (有异议), saying why: a follow-up opens for the hotline (which it reminds),
    whoever did it hears of it, and staff do it again."""
    require_task_confirmer(user, task)
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, required=_("Say what is wrong, so that the team can put it right."))
    locked = _locked(task, "dispute")
    if errors:
        raise ValidationError(errors)
    locked.state = State.DISPUTED
    locked.save(update_fields=["state"])
    _event(locked, Action.DISPUTED, user, note)
    task_deadlines_sync(locked)
    with site_language():
        summary = _("Disputed by %(user)s: %(task)s") % {"user": user, "task": locked.title}
        title = _("The client disputed: %(task)s") % {"task": locked.title}
    follow_up_open(
        source=FollowUp.Source.TASK_DISPUTE,
        summary=summary,
        client_note=note,
        task=locked,
        meeting=locked.meeting,
        organization=locked.organization,
    )
    _tell([locked.assignee, locked.done_by], user=user, task=locked, title=title, body=note)
    return _refresh(task, locked, ["state"])


def _close(*, user: User, task: DelegatedTask, action: str, reason: str, authorize=None) -> DelegatedTask:
    errors: dict[str, str] = {}
    reason = _text(errors, "closed_reason", reason, required=_("Give a reason; it is kept in the task's history."))
    locked = _locked(task, action, authorize)
    if errors:
        raise ValidationError({"reason": errors["closed_reason"]})
    locked.state = State.REFUSED if action == "refuse" else State.CANCELLED
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.closed_reason = reason
    fields = ["state", "closed_at", "closed_by", "closed_reason"]
    locked.save(update_fields=fields)
    _event(locked, Action.REFUSED if action == "refuse" else Action.CANCELLED, user, reason)
    task_deadlines_sync(locked)
    with site_language():
        values = {"task": locked.title}
        title = _("Refused: %(task)s") % values if action == "refuse" else _("Cancelled: %(task)s") % values
        body = _("Reason: %(reason)s") % {"reason": reason}
    if can_manage(user):
        _tell([*_client_users(locked), locked.assignee], user=user, task=locked, title=title, body=body)
    else:
        notify_role(
            role=Role.HOTLINE,
            kind=Kind.DELEGATION,
            title=title,
            body=body,
            url=task_url(locked),
            exclude=user,
            meeting=locked.meeting,
        )
    return _refresh(task, locked, fields)


@transaction.atomic
def task_refuse(*, user: User, task: DelegatedTask, reason: str) -> DelegatedTask:
    """The team will not do it (staff, until work starts), saying why; the client hears of it."""
    require_task_manager(user)
    return _close(user=user, task=task, action="refuse", reason=reason)


@transaction.atomic
def task_cancel(*, user: User, task: DelegatedTask, reason: str) -> DelegatedTask:
    """Call it off, saying why: staff until it is done, a client their own request until it is accepted."""
    require_task_canceller(user, task)
    return _close(
        user=user, task=task, action="cancel", reason=reason, authorize=lambda row: require_task_canceller(user, row)
    )


@transaction.atomic
def task_cost_record(*, user: User, task: DelegatedTask, actual_cost: Decimal | None) -> DelegatedTask:
    """What it actually cost, in yuan (the receipt is added as evidence)."""
    require_task_doer(user, task)
    errors: dict[str, str] = {}
    actual_cost = _amount(errors, "actual_cost", actual_cost)
    if actual_cost is None and not errors:
        errors["actual_cost"] = _("Enter an amount in yuan, e.g. 268.50.")
    locked = _locked(task, "cost", lambda row: require_task_doer(user, row))
    if errors:
        raise ValidationError(errors)
    locked.actual_cost = actual_cost
    locked.save(update_fields=["actual_cost"])
    _event(locked, Action.COST, user, f"{actual_cost}")
    return _refresh(task, locked, ["actual_cost"])


@transaction.atomic
def evidence_add(*, user: User, task: DelegatedTask, kind: str, upload: UploadedFile | None) -> DelegationEvidence:
    """A receipt or a photo of the work, stored privately: images re-encoded without their metadata, size and
    type limited (huiwu.lib.uploads)."""
    require_task_doer(user, task)
    errors: dict[str, str] = {}
    if kind not in DelegationEvidence.Kind.values:
        errors["kind"] = _("Choose a receipt or a photo.")
    clean = None
    if upload is None:
        errors["file"] = _("Choose a file to upload.")
    else:
        try:
            clean = clean_upload(upload)
        except ValidationError as error:
            errors["file"] = " ".join(error.messages)
    locked = _locked(task, "evidence", lambda row: require_task_doer(user, row))
    if errors:
        raise ValidationError(errors)
    evidence = DelegationEvidence(
        task=locked,
        kind=kind,
        content_type=clean.content_type,
        size=clean.size,
        original_name=clean.name,
        uploaded_by=user,
    )
    evidence.file.save(clean.name, clean.content, save=False)
    # The file is written before the row: if the row cannot be written, the file must not stay behind.
    try:
        evidence.save()
        with site_language():
            note = f"{evidence.get_kind_display()} · {clean.name}"
        _event(locked, Action.EVIDENCE, user, note)
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence
