"""Delegated tasks over JSON: the same services and access rules as the pages. Views stay thin: parse, fetch
through access.py, call the service, answer the task as it now is.

A task the caller may not see answers 404 like one that does not exist. Amounts are yuan with two decimals,
sent as numbers or strings and answered as strings ("268.50"). Times are ISO 8601; a time without an offset is
Shanghai time, and answers carry the +08:00 offset.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator, ConfigDict

from huiwu.accounts.models import User
from huiwu.delegations import services
from huiwu.delegations.access import (
    get_evidence_for_user,
    get_task_for_user,
    get_task_to_cancel,
    get_task_to_confirm,
    get_task_to_do,
    get_task_to_manage,
    require_task_reader,
    require_task_requester,
    tasks_visible_to,
)
from huiwu.delegations.describe import action_label, state_label
from huiwu.delegations.exports import confirmation_text, meeting_costs_export
from huiwu.delegations.models import DelegatedTask, DelegationEvent, DelegationEvidence, DelegationNotice
from huiwu.delegations.selectors import (
    STATE_FILTERS,
    TaskFilters,
    meeting_cost_list,
    task_doers,
    tasks_filtered,
    with_details,
)
from huiwu.directory.models import Contact, Organization
from huiwu.lib.api import (
    Date,
    DateTime,
    Id,
    InputSchema,
    Page,
    PageIn,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    one_of,
    without_defaults,
    xlsx_answered,
)
from huiwu.lib.params import MAX_ID
from huiwu.lib.uploads import private_file_response
from huiwu.meetings.access import get_meeting_for_user, meetings_visible_to

router = Router(tags=["delegated tasks"])

_READ_ERRORS = errors_answered(404, 422)
_WRITE_ERRORS = errors_answered(400, 404, 422)
# An action without a body: 422 when the task's state does not allow it.
_ACTION_ERRORS = errors_answered(404, 422)


def _not_boolean(value: Any) -> Any:
    # JSON's true is no amount, although Python's bool is a number.
    if isinstance(value, bool):
        raise ValueError(_("Enter an amount in yuan, e.g. 268.50."))
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_not_boolean),
    Field(ge=0, max_digits=10, decimal_places=2, description="Yuan, at most two decimals, e.g. 268.50"),
]


# --- output -------------------------------------------------------------------------------------------


class RefOut(Schema):
    id: int
    name: str


class MeetingRefOut(Schema):
    id: int
    title: str
    start: DateTime
    end: DateTime
    room: str = Field(description="The room's name")
    status: str

    @staticmethod
    def resolve_room(meeting) -> str:
        return meeting.room.name


class NoticeOut(Schema):
    id: int
    method: str = Field(description="phone, wecom, in_person or portal")
    method_label: str
    notified_at: DateTime
    notified_by: UserRefOut
    notified_person: str
    client_answer: str
    recorded_at: DateTime

    @staticmethod
    def resolve_method_label(notice: DelegationNotice) -> str:
        return str(notice.get_method_display())


class EvidenceOut(Schema):
    id: int
    kind: str = Field(description="receipt or photo")
    kind_label: str
    content_type: str = Field(description="image/jpeg, image/png or application/pdf")
    size: int = Field(description="Bytes")
    file_name: str
    url: str = Field(description="The file, through the task's access check (GET)")
    uploaded_by: UserRefOut
    uploaded_at: DateTime

    @staticmethod
    def resolve_kind_label(evidence: DelegationEvidence) -> str:
        return str(evidence.get_kind_display())

    @staticmethod
    def resolve_file_name(evidence: DelegationEvidence) -> str:
        return evidence.original_name

    @staticmethod
    def resolve_url(evidence: DelegationEvidence) -> str:
        return reverse("api:delegation_evidence_file", args=[evidence.task_id, evidence.pk])


class EventOut(Schema):
    action: str
    action_label: str
    actor: UserRefOut | None
    at: DateTime
    note: str

    @staticmethod
    def resolve_action_label(event: DelegationEvent) -> str:
        return action_label(event.action)


class TaskOut(Schema):
    id: int
    kind: str = Field(description="purchase or errand")
    kind_label: str
    title: str
    quantity: str
    details: str
    state: str = Field(
        description="requested, accepted, in_progress, awaiting_client, disputed, confirmed, notified, refused "
        "or cancelled"
    )
    state_label: str
    complete: bool = Field(description="Confirmed by the client, or a notice to the client recorded")
    awaiting_client: bool = Field(description="Done by staff, waiting for the client's confirmation or a notice")
    requester_contact: RefOut | None = Field(description="The client contact who asked, if one did")
    requester_name: str = Field(description="An internal office or leader who asked, or the client's name")
    organization: RefOut | None
    meeting: MeetingRefOut | None
    budget: Decimal | None
    actual_cost: Decimal | None
    due_at: DateTime
    assignee: UserRefOut | None
    service_plan: str = Field(description="Shown to the client")
    done_at: DateTime | None
    done_by: UserRefOut | None
    done_note: str
    confirmed_at: DateTime | None
    confirmed_by: UserRefOut | None
    closed_at: DateTime | None
    closed_by: UserRefOut | None
    closed_reason: str
    created_by: UserRefOut
    created_at: DateTime
    url: str = Field(description="The task's page")
    notices: list[NoticeOut]
    evidence: list[EvidenceOut]
    history: list[EventOut]

    @staticmethod
    def resolve_kind_label(task: DelegatedTask) -> str:
        return str(task.get_kind_display())

    @staticmethod
    def resolve_state_label(task: DelegatedTask) -> str:
        return state_label(task.state)

    @staticmethod
    def resolve_complete(task: DelegatedTask) -> bool:
        return task.is_complete

    @staticmethod
    def resolve_awaiting_client(task: DelegatedTask) -> bool:
        return task.state == DelegatedTask.State.AWAITING_CLIENT

    @staticmethod
    def resolve_requester_contact(task: DelegatedTask) -> dict | None:
        contact = task.requester_contact
        return None if contact is None else {"id": contact.pk, "name": contact.name}

    @staticmethod
    def resolve_url(task: DelegatedTask) -> str:
        return reverse("delegations:detail", args=[task.pk])

    @staticmethod
    def resolve_notices(task: DelegatedTask) -> list:
        return list(task.notices.all())

    @staticmethod
    def resolve_evidence(task: DelegatedTask) -> list:
        return list(task.evidence.all())

    @staticmethod
    def resolve_history(task: DelegatedTask) -> list:
        return list(task.events.all())


class TaskPageOut(Page[TaskOut]):
    pass


class CostRowOut(Schema):
    id: int
    title: str
    quantity: str
    budget: Decimal | None
    actual_cost: Decimal | None
    state: str
    state_label: str
    assignee: UserRefOut | None
    done_at: DateTime | None
    confirmation: str = Field(description="Who confirmed it and when, or how the client was notified")
    receipts: int = Field(description="Receipts uploaded")

    @staticmethod
    def resolve_state_label(task: DelegatedTask) -> str:
        return state_label(task.state)

    @staticmethod
    def resolve_confirmation(task: DelegatedTask) -> str:
        return confirmation_text(task)


class CostListOut(Schema):
    meeting: MeetingRefOut
    items: list[CostRowOut] = Field(description="The meeting's purchases, refused and cancelled ones left out")
    budget_total: Decimal
    actual_total: Decimal
    receipts_total: int

    @staticmethod
    def resolve_items(costs) -> list:
        return costs.tasks


# --- input --------------------------------------------------------------------------------------------

Kind = one_of(DelegatedTask.Kind)


class TaskListIn(PageIn):
    state: Literal[tuple(STATE_FILTERS)] = Field(
        "open", description="open (default: not complete and not called off), all, or one state"
    )
    awaiting_client: bool = Field(False, description="Only tasks done and waiting for the client")
    mine: bool = Field(False, description="Only tasks assigned to the caller")
    meeting: Id | None = Field(None, description="Only the tasks of this meeting")
    due_from: Date | None = None
    due_to: Date | None = None


class TaskIn(InputSchema):
    """A task staff record (accepted at once), or a client's request for their own organization (it waits to
    be accepted; a client gives no assignee, organization, contact or service plan)."""

    kind: Kind = Field(DelegatedTask.Kind.PURCHASE.value, description="purchase (default) or errand")
    title: str = Field(max_length=200, description="e.g. 代购水果")
    quantity: str = Field("", max_length=200, description="e.g. 时令水果 5 公斤")
    details: str = Field("", max_length=2000)
    budget: Money | None = None
    due_at: DateTime = Field(description="By when it is to be done; not in the past")
    meeting_id: Id | None = Field(None, description="The meeting it serves (optional)")
    organization_id: Id | None = Field(
        None, description="The client organization that confirms it; omitted: the contact's, or the meeting's organizer"
    )
    requester_contact_id: Id | None = Field(None, description="The client contact who asked")
    requester_name: str = Field("", max_length=100, description="Or the internal office or leader who asked")
    assignee_id: Id | None = Field(None, description="Who does it (staff who do delegated tasks)")
    service_plan: str = Field("", max_length=2000, description="Shown to the client")


class TaskPatchIn(InputSchema):
    """Only the fields sent change (staff, while the task is open); budget, meeting_id and assignee_id may be
    null (none)."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    kind: Kind = None
    title: str = Field(None, max_length=200)
    quantity: str = Field(None, max_length=200)
    details: str = Field(None, max_length=2000)
    budget: Money | None = None
    due_at: DateTime = None
    meeting_id: Id | None = None
    assignee_id: Id | None = None
    service_plan: str = Field(None, max_length=2000)


class AcceptIn(InputSchema):
    assignee_id: Id | None = Field(None, description="Who does it; omitted: nobody yet")


class DoneIn(InputSchema):
    actual_cost: Money | None = Field(None, description="What it cost, if known")
    note: str = Field("", max_length=2000, description="How it was done, for the client")


class CostIn(InputSchema):
    actual_cost: Money


class DisputeIn(InputSchema):
    note: str = Field(max_length=2000, description="What is wrong (required)")


class NoticeIn(InputSchema):
    method: one_of(DelegationNotice.Method) = Field(description="phone, wecom, in_person or portal")
    notified_at: DateTime | None = Field(None, description="Omitted: now. Not in the future, not before done_at")
    notified_person: str = Field("", max_length=100, description="Whom it reached, if not the contact who asked")
    client_answer: str = Field("", max_length=2000)


class ReasonIn(InputSchema):
    reason: str = Field(max_length=2000, description="Required; kept in the task's history")


# --- helpers ------------------------------------------------------------------------------------------

# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {
    "meeting": "meeting_id",
    "organization": "organization_id",
    "requester_contact": "requester_contact_id",
    "assignee": "assignee_id",
}


def _references(user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """Ids of the request as the objects the services take, or field errors."""
    values = dict(payload)
    errors: dict[str, str] = {}
    lookups = {
        "meeting_id": ("meeting", meetings_visible_to(user), _("There is no meeting with this id.")),
        "organization_id": ("organization", Organization.objects.all(), _("There is no organization with this id.")),
        "requester_contact_id": (
            "requester_contact",
            Contact.objects.select_related("organization"),
            _("There is no contact with this id."),
        ),
        "assignee_id": ("assignee", task_doers(), _("Choose an active member of staff who does delegated tasks.")),
    }
    for field, (name, queryset, message) in lookups.items():
        if field not in values:
            continue
        key = values.pop(field)
        values[name] = None if key is None else queryset.filter(pk=key).first()
        if key is not None and values[name] is None:
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    return values


def _answer(user: User, task: DelegatedTask) -> DelegatedTask:
    """The task as it now is, with its notices, evidence and history."""
    return with_details(tasks_visible_to(user).filter(pk=task.pk)).get()


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/tasks",
    response={200: TaskPageOut, **errors_answered(422)},
    summary="Delegated tasks the caller may see: open ones by default, those awaiting the client first, then by "
    "due time (a client: their organization's)",
)
def task_list(request: HttpRequest, filters: Query[TaskListIn]):
    require_task_reader(request.user)
    chosen = TaskFilters(
        state=filters.state,
        awaiting_client=filters.awaiting_client,
        mine=filters.mine,
        meeting_id=filters.meeting,
        due_from=filters.due_from,
        due_to=filters.due_to,
    )
    found = tasks_filtered(tasks_visible_to(request.user), chosen, user=request.user)
    page = list(with_details(found[filters.offset : filters.offset + filters.limit]))
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": page}


@router.post(
    "/tasks",
    response={201: TaskOut, **errors_answered(400, 422)},
    summary="Record a task (staff: accepted at once) or request one (a client, for their organization: it waits "
    "to be accepted, and the hotline hears of it)",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def task_create(request: HttpRequest, payload: TaskIn):
    require_task_requester(request.user)
    task = services.task_create(user=request.user, **_references(request.user, payload.model_dump()))
    return Reply(201, _answer(request.user, task))


@router.get(
    "/tasks/{task_id}", response={200: TaskOut, **_READ_ERRORS}, summary="One task, with notices, evidence and history"
)
def task_detail(request: HttpRequest, task_id: int):
    return _answer(request.user, get_task_for_user(request.user, task_id))


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskOut, **_WRITE_ERRORS},
    summary="Change the fields sent (staff, while the task is open); a new assignee hears of it",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def task_change(request: HttpRequest, task_id: int, payload: TaskPatchIn):
    task = get_task_to_manage(request.user, task_id)
    changes = _references(request.user, payload.model_dump(exclude_unset=True))
    services.task_change(user=request.user, task=task, **changes)
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/accept",
    response={200: TaskOut, **_WRITE_ERRORS},
    summary="Accept a client's request (staff), optionally giving it to someone",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def task_accept(request: HttpRequest, task_id: int, payload: AcceptIn):
    task = get_task_to_manage(request.user, task_id)
    services.task_accept(user=request.user, task=task, **_references(request.user, payload.model_dump()))
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/start",
    response={200: TaskOut, **_ACTION_ERRORS},
    summary="Start the work (its assignee or booking staff), also again after the client disputed it",
)
@answers_validation_errors()
def task_start(request: HttpRequest, task_id: int):
    task = get_task_to_do(request.user, task_id)
    services.task_start(user=request.user, task=task)
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/done",
    response={200: TaskOut, **_WRITE_ERRORS},
    summary="Mark the work done: the task then awaits the client (it is not complete) and its client contacts "
    "are asked to confirm it",
)
@answers_validation_errors()
def task_done(request: HttpRequest, task_id: int, payload: DoneIn):
    task = get_task_to_do(request.user, task_id)
    services.task_done(user=request.user, task=task, actual_cost=payload.actual_cost, note=payload.note)
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/cost",
    response={200: TaskOut, **_WRITE_ERRORS},
    summary="Record what the task actually cost (its assignee or booking staff)",
)
@answers_validation_errors()
def task_cost(request: HttpRequest, task_id: int, payload: CostIn):
    task = get_task_to_do(request.user, task_id)
    services.task_cost_record(user=request.user, task=task, actual_cost=payload.actual_cost)
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/confirm",
    response={200: TaskOut, **_ACTION_ERRORS},
    summary="Confirm a done task (a client contact of its organization only; staff record a notice instead)",
)
@answers_validation_errors()
def task_confirm(request: HttpRequest, task_id: int):
    task = get_task_to_confirm(request.user, task_id)
    services.task_confirm(user=request.user, task=task)
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/dispute",
    response={200: TaskOut, **_WRITE_ERRORS},
    summary="Dispute a done task (有异议; a client contact of its organization), saying what is wrong: a follow-up "
    "opens for the hotline",
)
@answers_validation_errors()
def task_dispute(request: HttpRequest, task_id: int, payload: DisputeIn):
    task = get_task_to_confirm(request.user, task_id)
    services.task_dispute(user=request.user, task=task, note=payload.note)
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/notices",
    response={201: TaskOut, **_WRITE_ERRORS},
    summary="Record a notice to the client (知会: how, when, whom, their answer): it completes a task done and "
    "awaiting the client, or disputed by them",
)
@answers_validation_errors()
def task_notice(request: HttpRequest, task_id: int, payload: NoticeIn):
    task = get_task_to_manage(request.user, task_id)
    values = payload.model_dump()
    values["notified_at"] = values["notified_at"] or timezone.now()
    services.task_notice_record(user=request.user, task=task, **values)
    return Reply(201, _answer(request.user, task))


@router.post(
    "/tasks/{task_id}/refuse",
    response={200: TaskOut, **_WRITE_ERRORS},
    summary="Refuse a task (staff, before work starts), with the reason",
)
@answers_validation_errors()
def task_refuse(request: HttpRequest, task_id: int, payload: ReasonIn):
    task = get_task_to_manage(request.user, task_id)
    services.task_refuse(user=request.user, task=task, reason=payload.reason)
    return _answer(request.user, task)


@router.post(
    "/tasks/{task_id}/cancel",
    response={200: TaskOut, **_WRITE_ERRORS},
    summary="Cancel a task, with the reason: staff until it is done, a client their request until it is accepted",
)
@answers_validation_errors()
def task_cancel(request: HttpRequest, task_id: int, payload: ReasonIn):
    task = get_task_to_cancel(request.user, task_id)
    services.task_cancel(user=request.user, task=task, reason=payload.reason)
    return _answer(request.user, task)


_MULTIPART_EVIDENCE = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {
                            "type": "string",
                            "enum": DelegationEvidence.Kind.values,
                            "description": "receipt or photo",
                        },
                        "file": {"type": "string", "format": "binary", "description": "JPEG, PNG or PDF"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/tasks/{task_id}/evidence",
    response={201: TaskOut, **_WRITE_ERRORS},
    openapi_extra=_MULTIPART_EVIDENCE,
    summary="Upload a receipt or a photo (multipart: kind, file; JPEG, PNG or PDF up to EVIDENCE_MAX_MEGABYTES); "
    "images are re-encoded without their metadata",
)
@answers_validation_errors()
def evidence_upload(request: HttpRequest, task_id: int):
    # Read from the multipart body here rather than by ninja's Form and File parameters, so that a missing or
    # bad field is named as the service names it ("kind", "file"), as in every other answer.
    task = get_task_to_do(request.user, task_id)
    unknown = sorted(set(request.POST) - {"kind"} | set(request.FILES) - {"file"})
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field is not known.")))
    services.evidence_add(
        user=request.user, task=task, kind=request.POST.get("kind", ""), upload=request.FILES.get("file")
    )
    return Reply(201, _answer(request.user, task))


@router.get(
    "/tasks/{task_id}/evidence/{evidence_id}",
    response=_READ_ERRORS,
    url_name="delegation_evidence_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file (inline), only to who may see the task",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in ("image/jpeg", "image/png", "application/pdf")
                },
            }
        }
    },
    summary="A receipt or photo of the task",
)
def evidence_file(request: HttpRequest, task_id: int, evidence_id: int):
    evidence = get_evidence_for_user(request.user, task_id, evidence_id)
    return private_file_response(evidence.file, content_type=evidence.content_type, filename=evidence.original_name)


@router.get(
    "/meetings/{meeting_id}/costs",
    response={200: CostListOut, **_READ_ERRORS},
    summary="The meeting's cost list (会议费用清单): its delegated purchases with budget, actual cost, state and "
    "receipts, and the totals",
)
def meeting_costs(request: HttpRequest, meeting_id: int):
    require_task_reader(request.user)
    return meeting_cost_list(request.user, _meeting(request.user, meeting_id))


@router.get(
    "/meetings/{meeting_id}/costs.xlsx",
    response=_READ_ERRORS,
    openapi_extra=xlsx_answered("The meeting's cost list as an Excel workbook, in the caller's language"),
    summary="The meeting's cost list as an Excel workbook for reimbursement, with a total row",
)
def meeting_costs_xlsx(request: HttpRequest, meeting_id: int):
    require_task_reader(request.user)
    return meeting_costs_export(request.user, _meeting(request.user, meeting_id))


def _meeting(user: User, meeting_id: int):
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= meeting_id <= MAX_ID:
        raise Http404
    return get_meeting_for_user(user, meeting_id)
