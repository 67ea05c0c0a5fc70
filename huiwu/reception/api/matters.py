"""The team's ad-hoc matters (随机性事务) over JSON: today's and the open ones, recording one, and its steps
(given to a member, started, done, confirmed with whoever gave it), each written in the work journal. A
matter is a delegated task (kind errand): its history, cost, evidence, changes and cancelling are in the
delegations API (/tasks/{id}…)."""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from huiwu.delegations.deadlines import task_url
from huiwu.delegations.models import DelegatedTask, DelegationNotice
from huiwu.delegations.services import TEXT_LIMIT
from huiwu.lib.api import (
    Date,
    DateTime,
    Id,
    InputSchema,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
)
from huiwu.reception.access import require_reader, require_worker
from huiwu.reception.selectors.team import get_matter_for_user, matter_state_label, matters_of_day, reception_members
from huiwu.reception.services import matters as services

router = Router(tags=["reception"])

# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {"assignee": "assignee_id", "client_answer": "answer"}


# --- output -------------------------------------------------------------------------------------------


class ConfirmationOut(Schema):
    method: str
    method_label: str
    notified_at: DateTime
    notified_person: str
    answer: str
    notified_by: UserRefOut

    @staticmethod
    def resolve_method_label(notice: DelegationNotice) -> str:
        return str(notice.get_method_display())

    @staticmethod
    def resolve_answer(notice: DelegationNotice) -> str:
        return notice.client_answer


class MatterOut(Schema):
    id: int
    title: str
    details: str
    requester_name: str = Field(description="Who gave the matter, e.g. 总经办 王主任")
    due_at: DateTime
    assignee: UserRefOut | None
    state: str = Field(
        description="accepted, in_progress, awaiting_client (done, to confirm with whoever gave it), notified "
        "(confirmed with them: complete), cancelled…"
    )
    state_label: str
    done_at: DateTime | None
    done_by: UserRefOut | None
    done_note: str
    created_by: UserRefOut
    created_at: DateTime
    confirmation: ConfirmationOut | None = Field(description="The last confirmation with whoever gave it")
    url: str = Field(description="The task's page, with its history")

    @staticmethod
    def resolve_state_label(task: DelegatedTask) -> str:
        return matter_state_label(task.state)

    @staticmethod
    def resolve_confirmation(task: DelegatedTask) -> DelegationNotice | None:
        return getattr(task, "last_notice", None)

    @staticmethod
    def resolve_url(task: DelegatedTask) -> str:
        return task_url(task)


# --- input --------------------------------------------------------------------------------------------


class MattersIn(InputSchema):
    day: Date | None = Field(None, description="Omitted: today. The open matters, and those of that day")


class MatterIn(InputSchema):
    title: str = Field(max_length=DelegatedTask._meta.get_field("title").max_length)
    requester_name: str = Field(
        max_length=DelegatedTask._meta.get_field("requester_name").max_length,
        description="Who gave it: the GM office, a leader or a department, e.g. 总经办 王主任",
    )
    due_at: DateTime
    assignee_id: Id = Field(description="A member of the reception team (GET /reception/team lists them)")
    details: str = Field("", max_length=TEXT_LIMIT)


class AssignIn(InputSchema):
    assignee_id: Id


class DoneIn(InputSchema):
    note: str = Field("", max_length=TEXT_LIMIT, description="How it was done")


class ConfirmIn(InputSchema):
    method: Literal[tuple(method.value for method in services.CONFIRMATION_METHODS)] = Field(
        description="phone, wecom or in_person"
    )
    notified_at: DateTime | None = Field(None, description="Omitted: now. Not in the future, not before it was done")
    notified_person: str = Field(
        "",
        max_length=DelegationNotice._meta.get_field("notified_person").max_length,
        description="Empty: whoever gave the matter",
    )
    answer: str = Field("", max_length=TEXT_LIMIT, description="What they said")


# --- helpers ------------------------------------------------------------------------------------------


def _member(assignee_id: int) -> Any:
    member = reception_members().filter(pk=assignee_id).first()
    if member is None:
        raise ValidationError({"assignee": _("Choose an active member of the reception team.")})
    return member


def _fresh(user, task: DelegatedTask) -> DelegatedTask:
    """The matter as it is now, with its last confirmation."""
    fresh = get_matter_for_user(user, task.pk)
    notices = list(fresh.notices.all())
    fresh.last_notice = notices[-1] if notices else None
    return fresh


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/reception/matters",
    response={200: list[MatterOut], **errors_answered(422)},
    summary="The team's ad-hoc matters: the open ones and those of the day (recorded, due, done, confirmed)",
)
def matters_list(request: HttpRequest, filters: Query[MattersIn]):
    require_reader(request.user)
    return matters_of_day(request.user, filters.day or timezone.localdate())


@router.post(
    "/reception/matters",
    response={201: MatterOut, **errors_answered(400, 422)},
    summary="Record a matter given to the team, to be done by a member of the team by a time",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def matter_create(request: HttpRequest, payload: MatterIn):
    require_worker(request.user)
    values = payload.model_dump()
    values["assignee"] = _member(values.pop("assignee_id"))
    task = services.matter_record(user=request.user, **values)
    return Reply(201, _fresh(request.user, task))


def _matter(request: HttpRequest, task_id: int) -> DelegatedTask:
    task = get_matter_for_user(request.user, task_id)
    require_worker(request.user)
    return task


@router.post(
    "/reception/matters/{task_id}/assign",
    response={200: MatterOut, **errors_answered(400, 404, 422)},
    summary="Give a matter to another member of the team",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def matter_assign(request: HttpRequest, task_id: int, payload: AssignIn):
    task = _matter(request, task_id)
    services.matter_assign(user=request.user, task=task, assignee=_member(payload.assignee_id))
    return _fresh(request.user, task)


@router.post(
    "/reception/matters/{task_id}/start",
    response={200: MatterOut, **errors_answered(404, 422)},
    summary="The work on a matter begins",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def matter_start(request: HttpRequest, task_id: int):
    task = _matter(request, task_id)
    services.matter_start(user=request.user, task=task)
    return _fresh(request.user, task)


@router.post(
    "/reception/matters/{task_id}/done",
    response={200: MatterOut, **errors_answered(400, 404, 422)},
    summary="A matter is done: it now waits to be confirmed with whoever gave it",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def matter_done(request: HttpRequest, task_id: int, payload: DoneIn):
    task = _matter(request, task_id)
    services.matter_done(user=request.user, task=task, note=payload.note)
    return _fresh(request.user, task)


@router.post(
    "/reception/matters/{task_id}/confirm",
    response={200: MatterOut, **errors_answered(400, 404, 422)},
    summary="Whoever gave the matter was told it is done (phone, WeCom or in person): the matter is complete",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def matter_confirm(request: HttpRequest, task_id: int, payload: ConfirmIn):
    task = _matter(request, task_id)
    services.matter_confirm(user=request.user, task=task, **payload.model_dump())
    return _fresh(request.user, task)
