"""What is done for a meeting: the three-level check, assignments, checklist ticks, the start, refills,
requests and the end. Every write goes through services.py; the start, refills, ticks, requests and the end
are for the meeting's assigned attendants, the team leader and the manager (403 for anybody else)."""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from huiwu.accounts.models import User
from huiwu.lib.api import DateTime, Id, InputSchema, answers_validation_errors, errors_answered
from huiwu.service import services
from huiwu.service.access import get_assignment_for_user, require_assigner
from huiwu.service.api.meeting import (
    AssignmentOut,
    ChecklistTickOut,
    CheckRecordOut,
    RefillOut,
    ServiceLogOut,
    ServiceMeetingOut,
    ServiceRecordOut,
    record_of,
)
from huiwu.service.api.types import REQUEST_FIELDS, Duty, EarlyReasonName, PhaseName, RequestKind, service_meeting
from huiwu.service.models import Assignment

router = Router(tags=["service"])

# Everything here is about a meeting or an assignment fetched by its id; most take a JSON body.
_READ_ERRORS = errors_answered(404, 422)
_WRITE_ERRORS = errors_answered(400, 404, 422)


class AssignmentDetailOut(AssignmentOut):
    meeting: ServiceMeetingOut


class RefillRecordedOut(Schema):
    recorded: RefillOut
    next: RefillOut = Field(description="The next window, measured from the refill just recorded")


def _results(value: Any) -> Any:
    # Checked whole, so that an error names the field, not the item.
    if not isinstance(value, dict) or not all(type(passed) is bool for passed in value.values()):
        raise PydanticCustomError(
            "check_results", _("Give each item of the checklist with true (passed) or false (failed).")
        )
    return value


class CheckIn(InputSchema):
    results: Annotated[dict[str, bool], BeforeValidator(_results)] = Field(
        max_length=100,
        description="Every item of the level's checklist → passed (true) or not (false), none left out; any "
        "failed item reports a problem",
    )
    notes: str = Field(
        "",
        max_length=2000,
        description="Required when an item failed or a fact does not hold (the level is then reported as a "
        "problem): it goes to the manager",
    )


class AssignmentIn(InputSchema):
    attendant_id: Id
    duty: Duty = Assignment.Duty.HELPER.value


class ChecklistTickIn(InputSchema):
    phase: PhaseName
    item: str = Field(max_length=200)


class MomentIn(InputSchema):
    at: DateTime | None = Field(None, description="When it was done, if not now; never in the future")


class RefillIn(MomentIn):
    early_reason: EarlyReasonName | None = Field(
        None,
        description="Required before the window opens: leader (a leader asked), recess, other (with early_note); "
        "ignored once it is open",
    )
    early_note: str = Field("", max_length=200, description="Why, for early_reason other")


class ServiceLogIn(InputSchema):
    kind: RequestKind
    note: str = Field("", max_length=200, description="Required for another request")


@router.post(
    "/meetings/{meeting_id}/checks/{level}",
    response={200: CheckRecordOut, **_WRITE_ERRORS},
    summary="Confirm a level of the three-level check (its own role, in order); a failed item reports a problem",
    description="A pass needs every item passed, the level's facts holding (see `checks[].facts` of the service "
    "record) and its window open (`checks[].confirmable_from`, confirm_early_minutes before it is due); "
    "otherwise 422 says why. A problem (an item failed, or a fact not holding, with notes) may be reported "
    "before the window.",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def check_confirm(request: HttpRequest, meeting_id: int, level: int, payload: CheckIn):
    meeting = service_meeting(request, meeting_id)
    return services.check_confirm(
        user=request.user, meeting=meeting, level=level, results=payload.results, notes=payload.notes
    )


@router.get(
    "/meetings/{meeting_id}/assignments",
    response={200: list[AssignmentOut], **_READ_ERRORS},
    summary="Who serves a meeting",
)
def assignments(request: HttpRequest, meeting_id: int):
    return list(service_meeting(request, meeting_id).assignments.select_related("attendant", "assigned_by"))


@router.post(
    "/meetings/{meeting_id}/assignments",
    response={201: AssignmentOut, **_WRITE_ERRORS},
    summary="Assign an attendant or team leader to a meeting (nobody serves two meetings at once)",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def assignment_add(request: HttpRequest, meeting_id: int, payload: AssignmentIn):
    meeting = service_meeting(request, meeting_id)
    require_assigner(request.user)
    attendant = User.objects.filter(pk=payload.attendant_id).first()
    if attendant is None:
        raise ValidationError({"attendant_id": _("There is no user with this id.")})
    assignment = services.assignment_add(user=request.user, meeting=meeting, attendant=attendant, duty=payload.duty)
    return Reply(201, assignment)


@router.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **_READ_ERRORS},
    summary="One assignment: who serves which meeting, in what duty",
)
def assignment(request: HttpRequest, assignment_id: Id):
    return get_assignment_for_user(request.user, assignment_id)


@router.delete(
    "/assignments/{assignment_id}",
    response={204: None, **_READ_ERRORS},
    summary="Take someone off a meeting",
)
def assignment_remove(request: HttpRequest, assignment_id: Id):
    assignment = get_assignment_for_user(request.user, assignment_id)
    services.assignment_remove(user=request.user, assignment=assignment)
    return Reply(204, None)


@router.post(
    "/meetings/{meeting_id}/checklist",
    response={200: ChecklistTickOut, **_WRITE_ERRORS},
    summary="Tick an item of the meeting's checklist before, during or after it",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def checklist_tick(request: HttpRequest, meeting_id: int, payload: ChecklistTickIn):
    meeting = service_meeting(request, meeting_id)
    return services.checklist_tick(user=request.user, meeting=meeting, phase=payload.phase, item=payload.item)


@router.post(
    "/meetings/{meeting_id}/start",
    response={200: ServiceRecordOut, **_WRITE_ERRORS},
    summary="Record the actual start (now, or `at`): the standards are fixed and the first refill window opens",
    description="Levels of the three-level check still unconfirmed do not stop the start: they are recorded in "
    "`unchecked_levels`, the manager is alerted and the board lists the meeting as an exception.",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def meeting_start(request: HttpRequest, meeting_id: int, payload: MomentIn = None):
    meeting = service_meeting(request, meeting_id)
    services.meeting_start(user=request.user, meeting=meeting, at=payload.at if payload else None)
    return record_of(service_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/end",
    response={200: ServiceRecordOut, **_WRITE_ERRORS},
    summary="Record the actual end (now, or `at`); a refill window still to come is dropped",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def meeting_end(request: HttpRequest, meeting_id: int, payload: MomentIn = None):
    meeting = service_meeting(request, meeting_id)
    services.meeting_end(user=request.user, meeting=meeting, at=payload.at if payload else None)
    return record_of(service_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/refills",
    response={200: RefillRecordedOut, **_WRITE_ERRORS},
    summary="Record the refill whose window is open or coming (now, or `at`); the next window is measured from it",
    description="Before its window opens a refill needs `early_reason` (and `early_note` for other); it is then "
    "marked early. A second refill within two minutes of the last is refused as a double tap.",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def refill_record(request: HttpRequest, meeting_id: int, payload: RefillIn = None):
    meeting = service_meeting(request, meeting_id)
    payload = payload or RefillIn()
    refill = services.refill_record(
        user=request.user,
        meeting=meeting,
        at=payload.at,
        early_reason=payload.early_reason or "",
        early_note=payload.early_note,
    )
    following = meeting.refills.select_related("done_by").get(done_at__isnull=True)
    return {"recorded": refill, "next": following}


@router.get(
    "/meetings/{meeting_id}/service-log",
    response={200: list[ServiceLogOut], **_READ_ERRORS},
    summary="The requests served during a meeting, oldest first",
)
def service_log(request: HttpRequest, meeting_id: int):
    return list(service_meeting(request, meeting_id).service_log.select_related("recorded_by"))


@router.post(
    "/meetings/{meeting_id}/service-log",
    response={201: ServiceLogOut, **_WRITE_ERRORS},
    summary="Record a request served during a running meeting",
)
@answers_validation_errors(fields=REQUEST_FIELDS)
def service_log_add(request: HttpRequest, meeting_id: int, payload: ServiceLogIn):
    meeting = service_meeting(request, meeting_id)
    entry = services.service_log_add(user=request.user, meeting=meeting, kind=payload.kind, note=payload.note)
    return Reply(201, entry)
