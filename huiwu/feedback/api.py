"""Complaints, the case library and follow-ups over JSON. Views stay thin: parse, fetch through access.py, call
the service; the same rules as the pages.

A complaint, case or follow-up the caller may not see answers 404 like one that does not exist. A client
contact reads their own complaints with the client-facing steps only (no findings, no acceptance record, no
root cause or lesson, no names of staff); who only reads the case library reads it without the
complainant's personal data ("（已隐去）"). Times are ISO 8601; one without an offset is Shanghai time, and
answers carry the +08:00 offset.
"""

from dataclasses import asdict
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from huiwu.accounts.models import User
from huiwu.delegations.access import tasks_visible_to
from huiwu.directory.models import Contact, Organization
from huiwu.feedback import services
from huiwu.feedback.access import (
    CLIENT_STEPS,
    HIDDEN,
    can_handle_complaints,
    can_see_complainant,
    complaints_visible_to,
    follow_ups_visible_to,
    get_case_for_user,
    get_complaint_for_user,
    get_complaint_to_handle,
    get_follow_up_for_user,
    get_follow_up_to_close,
    require_case_reader,
    require_complaint_reader,
    require_complaint_receiver,
    require_follow_up_reader,
)
from huiwu.feedback.forms import TEXT_MAX_LENGTH
from huiwu.feedback.models import COMPLAINT_STEPS, Complaint, FollowUp, RootCause
from huiwu.feedback.selectors import (
    SEARCH_MAX_LENGTH,
    State,
    cases_search,
    complaint_due,
    complaints_filtered,
    follow_up_due,
    follow_ups_filtered,
    root_causes_offered,
    step_label,
)
from huiwu.lib.api import (
    DateTime,
    Id,
    InputSchema,
    Page,
    PageIn,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    one_of,
)
from huiwu.meetings.access import meetings_visible_to
from huiwu.venues.api import RoomRefOut
from huiwu.venues.models import Room

router = Router(tags=["complaints"])

_READ_ERRORS = errors_answered(404, 422)
_WRITE_ERRORS = errors_answered(400, 404, 422)

StepName = Literal[COMPLAINT_STEPS]


# --- output -------------------------------------------------------------------------------------------


class RefOut(Schema):
    id: int
    name: str


class MeetingRefOut(Schema):
    id: int
    title: str
    start: DateTime
    end: DateTime


class StepOut(Schema):
    step: str = Field(description="apology, investigation, report, rectification, acceptance or return_visit")
    label: str = Field(description="The step's name in the caller's language, e.g. 致歉")
    at: DateTime | None = Field(description="null: not recorded yet")
    by: UserRefOut | None = Field(description="Who recorded it; null for clients and while not recorded")
    note: str


class NextStepOut(Schema):
    step: str = Field(description="The step the complaint waits for; close once the client's acceptance is in")
    label: str
    due_at: DateTime | None = Field(description="Its deadline; null for steps without a deadline of their own")
    late: bool


class ComplaintOut(Schema):
    id: int
    state: str = Field(description='"open" or "closed"')
    channel: str = Field(description="hotline, portal, on_site or wecom")
    complainant_name: str
    complainant_phone: str
    complainant_contact_id: int | None
    organization: RefOut | None
    meeting: MeetingRefOut | None
    room: RoomRefOut | None
    task_id: int | None
    summary: str
    statement: str
    received_at: DateTime
    received_by: UserRefOut | None = Field(description="null for clients")
    handler: UserRefOut | None = Field(description="null for clients")
    steps: list[StepOut] = Field(description="In order; a client reads apology, report and rectification only")
    next_step: NextStepOut | None = Field(description="null once closed, and for clients")
    closed_at: DateTime | None
    closed_by: UserRefOut | None = Field(description="null for clients")
    root_cause: RefOut | None = Field(description="null for clients")
    lesson: str = Field(description="Empty for clients")
    close_reason: str = Field(description="The manager's reason for closing without the client's acceptance")
    return_visit: StepOut | None = Field(description="After closing; null for clients")


class ComplaintPageOut(Page[ComplaintOut]):
    pass


class CaseOut(Schema):
    id: int
    summary: str
    statement: str
    channel: str
    complainant_hidden: bool = Field(
        description="true: the caller only reads cases; personal data reads （已隐去）, (hidden) in English"
    )
    complainant_name: str
    complainant_phone: str
    organization_name: str
    room: RoomRefOut | None
    root_cause: RefOut
    lesson: str
    close_reason: str
    received_at: DateTime
    closed_at: DateTime
    steps: list[StepOut] = Field(description="The whole procedure, without the names of who recorded each step")


class CasePageOut(Page[CaseOut]):
    pass


class FollowUpOut(Schema):
    id: int
    source: str = Field(description="low_score (a survey answer scored 2 or lower) or task_dispute (有异议)")
    state: str = Field(description='"open" or "closed"')
    summary: str
    client_note: str
    meeting: MeetingRefOut | None
    organization: RefOut | None
    task_id: int | None
    answer_id: int | None
    opened_at: DateTime
    due_at: DateTime = Field(description="The manager hears of it if it is still open then (FOLLOW_UP_HOURS)")
    late: bool
    closed_at: DateTime | None
    closed_by: UserRefOut | None
    resolution: str
    complaint_id: int | None = Field(description="The complaint opened from it, if it turned out to be one")


class FollowUpPageOut(Page[FollowUpOut]):
    pass


def _user(user: User | None) -> dict | None:
    return None if user is None else {"id": user.pk, "display_name": str(user)}


def _ref(thing) -> dict | None:
    return None if thing is None else {"id": thing.pk, "name": str(thing.name)}


def _meeting(meeting) -> dict | None:
    if meeting is None:
        return None
    return {"id": meeting.pk, "title": meeting.title, "start": meeting.start, "end": meeting.end}


def _step(complaint: Complaint, step: str, *, with_names: bool) -> dict:
    return {
        "step": step,
        "label": step_label(step),
        "at": getattr(complaint, f"{step}_at"),
        "by": _user(getattr(complaint, f"{step}_by")) if with_names else None,
        "note": getattr(complaint, f"{step}_note"),
    }


def complaint_out(user: User, complaint: Complaint) -> dict[str, Any]:
    """The complaint as this caller may read it (a client: the client-facing part)."""
    staff = can_handle_complaints(user)
    due = complaint_due(complaint) if staff else None
    return {
        "id": complaint.pk,
        "state": State.CLOSED if complaint.is_closed else State.OPEN,
        "channel": complaint.channel,
        "complainant_name": complaint.complainant_name,
        "complainant_phone": complaint.complainant_phone,
        "complainant_contact_id": complaint.complainant_contact_id,
        "organization": _ref(complaint.organization),
        "meeting": _meeting(complaint.meeting),
        "room": complaint.room,
        "task_id": complaint.task_id,
        "summary": complaint.summary,
        "statement": complaint.statement,
        "received_at": complaint.received_at,
        "received_by": _user(complaint.received_by) if staff else None,
        "handler": _user(complaint.handler) if staff else None,
        "steps": [_step(complaint, step, with_names=staff) for step in (COMPLAINT_STEPS if staff else CLIENT_STEPS)],
        "next_step": None if due is None else asdict(due),
        "closed_at": complaint.closed_at,
        "closed_by": _user(complaint.closed_by) if staff else None,
        "root_cause": _ref(complaint.root_cause) if staff else None,
        "lesson": complaint.lesson if staff else "",
        "close_reason": complaint.close_reason if staff else "",
        "return_visit": _step(complaint, "return_visit", with_names=True) if staff and complaint.is_closed else None,
    }


def case_out(user: User, case: Complaint) -> dict[str, Any]:
    shown = can_see_complainant(user)
    return {
        "id": case.pk,
        "summary": case.summary,
        "statement": case.statement,
        "channel": case.channel,
        "complainant_hidden": not shown,
        "complainant_name": case.complainant_name if shown else str(HIDDEN),
        "complainant_phone": case.complainant_phone if shown else str(HIDDEN),
        "organization_name": str(case.organization or "") if shown else str(HIDDEN),
        "room": case.room,
        "root_cause": _ref(case.root_cause),
        "lesson": case.lesson,
        "close_reason": case.close_reason,
        "received_at": case.received_at,
        "closed_at": case.closed_at,
        "steps": [_step(case, step, with_names=False) for step in COMPLAINT_STEPS],
    }


def follow_up_out(follow_up: FollowUp) -> dict[str, Any]:
    due_at = follow_up_due(follow_up)
    return {
        "id": follow_up.pk,
        "source": follow_up.source,
        "state": State.OPEN if follow_up.is_open else State.CLOSED,
        "summary": follow_up.summary,
        "client_note": follow_up.client_note,
        "meeting": _meeting(follow_up.meeting),
        "organization": _ref(follow_up.organization),
        "task_id": follow_up.task_id,
        "answer_id": follow_up.answer_id,
        "opened_at": follow_up.opened_at,
        "due_at": due_at,
        "late": follow_up.is_open and timezone.now() >= due_at,
        "closed_at": follow_up.closed_at,
        "closed_by": _user(follow_up.closed_by),
        "resolution": follow_up.resolution,
        "complaint_id": follow_up.complaint_id,
    }


# --- input --------------------------------------------------------------------------------------------


class ComplaintListIn(PageIn):
    state: one_of(State) = Field(State.OPEN, description="open (default), closed or all; open ones come first")
    q: str = Field("", max_length=SEARCH_MAX_LENGTH, description="Part of the subject or of what was said")


class ComplaintIn(InputSchema):
    """A client contact sends summary, statement and meeting_id at most: the rest is theirs (the portal,
    themselves, their organization, now)."""

    channel: one_of(Complaint.Channel) | None = Field(None, description="hotline, portal, on_site or wecom (staff)")
    complainant_name: str = Field("", max_length=50, description="Who complained (staff)")
    complainant_phone: str = Field("", max_length=30)
    complainant_contact_id: Id | None = Field(None, description="The complainant's client contact, if one")
    organization_id: Id | None = Field(None, description="Omitted: the contact's, or the meeting's organizer")
    meeting_id: Id | None = None
    room: str | None = Field(None, max_length=40, description="Room code; omitted: the meeting's room")
    task_id: Id | None = Field(None, description="The delegated task it is about, if one")
    summary: str = Field(max_length=200, description="In a few words, e.g. 会场水果不足")
    statement: str = Field(max_length=TEXT_MAX_LENGTH, description="What the client said")
    received_at: DateTime | None = Field(None, description="Omitted: now. Not in the future (staff)")


class StepIn(InputSchema):
    note: str = Field(max_length=TEXT_MAX_LENGTH, description="What was done or said")
    at: DateTime | None = Field(None, description="Omitted: now. Not in the future, not before the step before")


class CloseIn(InputSchema):
    root_cause_id: Id = Field(description="One of GET /root-causes")
    lesson: str = Field(max_length=TEXT_MAX_LENGTH, description="What the team does differently from now on")
    close_reason: str = Field(
        "",
        max_length=TEXT_MAX_LENGTH,
        description="Managers only, when the client's acceptance is not recorded: why it is closed without it",
    )


class CaseListIn(PageIn):
    q: str = Field(
        "", max_length=SEARCH_MAX_LENGTH, description="Part of the subject, statement, findings, action or lesson"
    )
    cause: Id | None = Field(None, description="A root cause id")
    room: str | None = Field(None, max_length=40, description="A room code")


class FollowUpListIn(PageIn):
    state: one_of(State) = Field(State.OPEN, description="open (default: oldest first), closed or all")


class FollowUpCloseIn(InputSchema):
    resolution: str = Field(max_length=TEXT_MAX_LENGTH, description="What the client was told and what was done")


# --- helpers ------------------------------------------------------------------------------------------

# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {
    "meeting": "meeting_id",
    "organization": "organization_id",
    "complainant_contact": "complainant_contact_id",
    "task": "task_id",
    "root_cause": "root_cause_id",
    "received_at": "received_at",
}


def _references(user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """Ids and codes of the request as the objects the services take, or field errors."""
    values = dict(payload)
    errors: dict[str, str] = {}
    lookups = {
        "meeting_id": ("meeting", meetings_visible_to(user), _("There is no meeting with this id.")),
        "organization_id": ("organization", Organization.objects.all(), _("There is no organization with this id.")),
        "complainant_contact_id": (
            "complainant_contact",
            Contact.objects.select_related("organization"),
            _("There is no contact with this id."),
        ),
        "task_id": ("task", tasks_visible_to(user), _("There is no delegated task with this id.")),
        "root_cause_id": ("root_cause", RootCause.objects.all(), _("There is no root cause with this id.")),
    }
    for field, (name, queryset, message) in lookups.items():
        if field in values:
            key = values.pop(field)
            values[name] = None if key is None else queryset.filter(pk=key).first()
            if key is not None and values[name] is None:
                errors[field] = message
    if values.get("room") is not None:
        values["room"] = Room.objects.select_related("floor__site").filter(code=values["room"]).first()
        if values["room"] is None:
            errors["room"] = _("There is no room with this code.")
    if errors:
        raise ValidationError(errors)
    return values


def _complaint_read(user: User, complaint_id: int) -> dict[str, Any]:
    return complaint_out(user, get_complaint_for_user(user, complaint_id))


# --- complaints ---------------------------------------------------------------------------------------


@router.get(
    "/complaints",
    response={200: ComplaintPageOut, **errors_answered(422)},
    summary="Complaints: open ones first, newest received first (a client contact: their own)",
)
def complaints(request: HttpRequest, filters: Query[ComplaintListIn]):
    require_complaint_reader(request.user)
    found = complaints_filtered(complaints_visible_to(request.user), state=filters.state, q=filters.q)
    people = [f"{step}_by" for step in (*COMPLAINT_STEPS, "return_visit")]
    page = found.select_related(*people, "received_by", "closed_by")[filters.offset : filters.offset + filters.limit]
    items = [complaint_out(request.user, complaint) for complaint in page]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.post(
    "/complaints",
    response={201: ComplaintOut, **errors_answered(400, 422)},
    summary="Record a complaint (staff), or file one through the portal (a client contact); the apology is due "
    "COMPLAINT_APOLOGY_MINUTES after it was received",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def complaint_create(request: HttpRequest, payload: ComplaintIn):
    require_complaint_receiver(request.user)
    values = _references(request.user, payload.model_dump())
    values["channel"] = values["channel"] or ""
    complaint = services.complaint_receive(user=request.user, **values)
    return Reply(201, _complaint_read(request.user, complaint.pk))


@router.get("/complaints/{complaint_id}", response={200: ComplaintOut, **_READ_ERRORS}, summary="One complaint")
def complaint_detail(request: HttpRequest, complaint_id: int):
    return _complaint_read(request.user, complaint_id)


@router.post(
    "/complaints/{complaint_id}/steps/{step}",
    response={200: ComplaintOut, **_WRITE_ERRORS},
    summary="Record the next step: apology → investigation → report → rectification → acceptance, in order, "
    "once each, before closing",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def complaint_step(request: HttpRequest, complaint_id: int, step: StepName, payload: StepIn):
    complaint = get_complaint_to_handle(request.user, complaint_id)
    services.complaint_step_record(user=request.user, complaint=complaint, step=step, **payload.model_dump())
    return _complaint_read(request.user, complaint.pk)


@router.post(
    "/complaints/{complaint_id}/close",
    response={200: ComplaintOut, **_WRITE_ERRORS},
    summary="Close with the root cause and the lesson: it enters the case library. Refused (422) without the "
    "client's acceptance recorded, unless a manager gives close_reason",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def complaint_close(request: HttpRequest, complaint_id: int, payload: CloseIn):
    complaint = get_complaint_to_handle(request.user, complaint_id)
    services.complaint_close(user=request.user, complaint=complaint, **_references(request.user, payload.model_dump()))
    return _complaint_read(request.user, complaint.pk)


@router.post(
    "/complaints/{complaint_id}/return-visit",
    response={200: ComplaintOut, **_WRITE_ERRORS},
    summary="Record the return visit (回访) after closing, once",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def complaint_return_visit(request: HttpRequest, complaint_id: int, payload: StepIn):
    complaint = get_complaint_to_handle(request.user, complaint_id)
    services.complaint_return_visit(user=request.user, complaint=complaint, **payload.model_dump())
    return _complaint_read(request.user, complaint.pk)


# --- the case library ---------------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: CasePageOut, **errors_answered(422)},
    summary="The case library (closed complaints), most recently closed first, by text, root cause and room; "
    "personal data hidden from who only reads cases",
)
@answers_validation_errors()
def cases(request: HttpRequest, filters: Query[CaseListIn]):
    require_case_reader(request.user)
    room = None
    if filters.room is not None:
        room = Room.objects.filter(code=filters.room).values_list("pk", flat=True).first()
        if room is None:
            raise ValidationError({"room": _("There is no room with this code.")})
    found = cases_search(request.user, q=filters.q, cause=filters.cause, room=room)
    page = found[filters.offset : filters.offset + filters.limit]
    items = [case_out(request.user, case) for case in page]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/cases/{complaint_id}", response={200: CaseOut, **_READ_ERRORS}, summary="One case of the library")
def case_detail(request: HttpRequest, complaint_id: int):
    return case_out(request.user, get_case_for_user(request.user, complaint_id))


@router.get(
    "/root-causes",
    response={200: list[RefOut], **errors_answered()},
    summary="The root causes a complaint may be closed under now (configured in Administration)",
)
def root_causes(request: HttpRequest):
    require_case_reader(request.user)
    return [_ref(cause) for cause in root_causes_offered()]


# --- follow-ups ---------------------------------------------------------------------------------------


@router.get(
    "/follow-ups",
    response={200: FollowUpPageOut, **errors_answered(422)},
    summary="Follow-ups the hotline owes clients (low survey scores, disputed tasks); open ones oldest first",
)
def follow_ups(request: HttpRequest, filters: Query[FollowUpListIn]):
    require_follow_up_reader(request.user)
    found = follow_ups_filtered(follow_ups_visible_to(request.user), state=filters.state)
    page = found[filters.offset : filters.offset + filters.limit]
    items = [follow_up_out(follow_up) for follow_up in page]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/follow-ups/{follow_up_id}", response={200: FollowUpOut, **_READ_ERRORS}, summary="One follow-up")
def follow_up_detail(request: HttpRequest, follow_up_id: int):
    return follow_up_out(get_follow_up_for_user(request.user, follow_up_id))


@router.post(
    "/follow-ups/{follow_up_id}/close",
    response={200: FollowUpOut, **_WRITE_ERRORS},
    summary="Close a follow-up with its outcome, once",
)
@answers_validation_errors()
def follow_up_close(request: HttpRequest, follow_up_id: int, payload: FollowUpCloseIn):
    follow_up = get_follow_up_to_close(request.user, follow_up_id)
    services.follow_up_close(user=request.user, follow_up=follow_up, resolution=payload.resolution)
    return follow_up_out(get_follow_up_for_user(request.user, follow_up.pk))
