"""The leaders' offices over JSON: the presence board, and each office's cleaning step by step (the knock,
the sequence in its order, the inspections, the door locked; a reviewed document taken back is recorded
through api/documents.py). The same
services and access as the pages: an office or cleaning the caller may not see answers 404."""

from datetime import date

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from huiwu.accounts.models import User
from huiwu.lib.api import (
    Date,
    DateTime,
    InputSchema,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    one_of,
)
from huiwu.lib.params import MAX_ID
from huiwu.reception.access import (
    cleanings_visible_to,
    get_cleaning_for_user,
    get_cleaning_to_work,
    get_office_for_user,
    get_office_to_work,
    offices_visible_to,
    require_reader,
)
from huiwu.reception.models import CleaningRecord, LeaderOffice
from huiwu.reception.selectors.offices import (
    CleaningStep,
    Inspection,
    can_be_cleaned,
    cleaning_inspections,
    cleaning_missing,
    cleaning_step_rows,
    cleaning_today,
    inspection_answers,
    next_step,
    presence_board,
    presence_on,
)
from huiwu.reception.services import offices as services

router = Router(tags=["reception"])

# --- output -------------------------------------------------------------------------------------------


class LeaderRefOut(Schema):
    id: int
    name: str
    title: str


class OfficeRefOut(Schema):
    id: int
    room: str
    leader: LeaderRefOut
    is_principal: bool


class OfficeOut(OfficeRefOut):
    is_active: bool
    presence: str | None = Field(
        description="Today's: in, out or away; null when not set for today (in and out hold for the day they are "
        "set on, away until changed)"
    )
    presence_note: str
    presence_set_at: DateTime | None
    presence_set_by: UserRefOut | None
    can_be_cleaned: bool = Field(description="The leader is out today or away, so the office may be cleaned")
    cleaning_id: int | None = Field(description="Today's cleaning of the office, once begun")


class StepOut(Schema):
    step: str
    label: str
    done_at: DateTime | None


class InspectionOut(Schema):
    inspection: str
    label: str
    answer: str | None = Field(description="null until answered")
    answers: list[str] = Field(description="The answers it takes (documents: none; recording one answers taken)")


class CleaningDocumentRefOut(Schema):
    id: int
    document_number: str
    title: str


class CleaningOut(Schema):
    id: int
    office: OfficeRefOut
    day: date
    cleaner: UserRefOut
    started_at: DateTime
    knocked_at: DateTime | None
    steps: list[StepOut] = Field(description="The office's sequence in its order, each with when it was done")
    next_step: str | None = Field(description="The step to do next; null when all are done")
    inspections: list[InspectionOut]
    documents: list[CleaningDocumentRefOut] = Field(description="Reviewed documents taken back during it")
    missing: list[str] = Field(description="Steps and inspections still to do before the door can be locked")
    locked_at: DateTime | None


# --- input --------------------------------------------------------------------------------------------


class PresenceIn(InputSchema):
    presence: one_of(LeaderOffice.Presence) = Field(description="in, out (both for today) or away (until changed)")
    note: str = Field("", max_length=100, description="e.g. 出差至周五")


class CleaningListIn(InputSchema):
    day: Date | None = Field(None, description="Omitted: today")


class StepIn(InputSchema):
    step: one_of(CleaningStep) = Field(description="Must be the next step of the office's sequence")


class InspectIn(InputSchema):
    inspection: one_of(Inspection)
    answer: str = Field(max_length=20, description="documents: none; the others: enough, restocked or needed")


# --- helpers ------------------------------------------------------------------------------------------


def _in_range(object_id: int) -> None:
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= object_id <= MAX_ID:
        raise Http404


def _office_out(office: LeaderOffice, presence: str | None, cleaning: CleaningRecord | None, cleanable: bool) -> dict:
    return {
        "id": office.pk,
        "room": office.room,
        "leader": office.leader,
        "is_principal": office.is_principal,
        "is_active": office.is_active,
        "presence": presence,
        "presence_note": office.presence_note if presence else "",
        "presence_set_at": office.presence_set_at,
        "presence_set_by": office.presence_set_by,
        "can_be_cleaned": cleanable,
        "cleaning_id": cleaning.pk if cleaning else None,
    }


def _office_today(user: User, office: LeaderOffice) -> dict:
    today = timezone.localdate()
    cleaning = cleaning_today(user, office)
    return _office_out(office, presence_on(office, today), cleaning, can_be_cleaned(office, today))


def cleaning_out(cleaning: CleaningRecord) -> dict:
    steps, inspections = cleaning_missing(cleaning)
    nxt = next_step(cleaning)
    return {
        "id": cleaning.pk,
        "office": cleaning.office,
        "day": cleaning.day,
        "cleaner": cleaning.cleaner,
        "started_at": cleaning.started_at,
        "knocked_at": cleaning.knocked_at,
        "steps": [
            {"step": row.step.value, "label": str(row.step.label), "done_at": row.done_at}
            for row in cleaning_step_rows(cleaning)
        ],
        "next_step": nxt.value if nxt else None,
        "inspections": [
            {
                "inspection": item.value,
                "label": str(item.label),
                "answer": cleaning.inspections.get(item.value),
                "answers": [value for value in inspection_answers(item).values if value != "taken"],
            }
            for item in cleaning_inspections(cleaning.office)
        ],
        # Sorted here: the list of a day's cleanings has prefetched them.
        "documents": sorted(cleaning.documents.all(), key=lambda document: (document.retrieved_at, document.pk)),
        "missing": [str(step.label) for step in steps] + [str(item.label) for item in inspections],
        "locked_at": cleaning.locked_at,
    }


def cleaning_for(user, cleaning_id: int, *, work: bool = False) -> CleaningRecord:
    _in_range(cleaning_id)
    return (get_cleaning_to_work if work else get_cleaning_for_user)(user, cleaning_id)


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/reception/offices",
    response={200: list[OfficeOut], **errors_answered()},
    summary="The presence board: every active leader's office with today's presence and cleaning",
)
def offices(request: HttpRequest):
    require_reader(request.user)
    today = timezone.localdate()
    return [
        _office_out(row.office, row.presence, row.cleaning, row.can_be_cleaned)
        for row in presence_board(today, offices_visible_to(request.user))
    ]


@router.post(
    "/reception/offices/{office_id}/presence",
    response={200: OfficeOut, **errors_answered(400, 404, 422)},
    summary="Set where an office's leader is: in or out for today, away until changed",
)
@answers_validation_errors()
def office_presence(request: HttpRequest, office_id: int, payload: PresenceIn):
    _in_range(office_id)
    office = get_office_to_work(request.user, office_id)
    services.office_presence_set(user=request.user, office=office, presence=payload.presence, note=payload.note)
    return _office_today(request.user, get_office_for_user(request.user, office.pk))


@router.get(
    "/reception/cleanings",
    response={200: list[CleaningOut], **errors_answered(422)},
    summary="The cleanings of a day (today unless asked)",
)
def cleanings(request: HttpRequest, filters: Query[CleaningListIn]):
    require_reader(request.user)
    day = filters.day or timezone.localdate()
    found = cleanings_visible_to(request.user).filter(day=day).prefetch_related("documents")
    return [cleaning_out(cleaning) for cleaning in found.order_by("office__leader__precedence", "office__room")]


@router.post(
    "/reception/offices/{office_id}/cleaning",
    response={201: CleaningOut, **errors_answered(404, 422)},
    summary="Begin today's cleaning of an office (or get the one begun today); refused while its leader is in",
)
@answers_validation_errors()
def cleaning_start(request: HttpRequest, office_id: int):
    _in_range(office_id)
    office = get_office_to_work(request.user, office_id)
    cleaning = services.cleaning_start(user=request.user, office=office)
    return Reply(201, cleaning_out(get_cleaning_for_user(request.user, cleaning.pk)))


@router.get(
    "/reception/cleanings/{cleaning_id}",
    response={200: CleaningOut, **errors_answered(404, 422)},
    summary="One cleaning: its knock, steps, inspections, documents and lock",
)
def cleaning_detail(request: HttpRequest, cleaning_id: int):
    return cleaning_out(cleaning_for(request.user, cleaning_id))


@router.post(
    "/reception/cleanings/{cleaning_id}/knock",
    response={200: CleaningOut, **errors_answered(404, 422)},
    summary="Knocked as the protocol says and nobody answered: the cleaning may go in",
)
@answers_validation_errors()
def cleaning_knock(request: HttpRequest, cleaning_id: int):
    cleaning = services.cleaning_knock(user=request.user, cleaning=cleaning_for(request.user, cleaning_id, work=True))
    return cleaning_out(cleaning)


@router.post(
    "/reception/cleanings/{cleaning_id}/step",
    response={200: CleaningOut, **errors_answered(400, 404, 422)},
    summary="The next step of the sequence done; a step out of order is refused with the one expected",
)
@answers_validation_errors()
def cleaning_step(request: HttpRequest, cleaning_id: int, payload: StepIn):
    cleaning = cleaning_for(request.user, cleaning_id, work=True)
    return cleaning_out(services.cleaning_step(user=request.user, cleaning=cleaning, step=payload.step))


@router.post(
    "/reception/cleanings/{cleaning_id}/inspect",
    response={200: CleaningOut, **errors_answered(400, 404, 422)},
    summary="Answer one inspection (until the door is locked, a new answer replaces the last)",
)
@answers_validation_errors()
def cleaning_inspect(request: HttpRequest, cleaning_id: int, payload: InspectIn):
    cleaning = cleaning_for(request.user, cleaning_id, work=True)
    cleaning = services.cleaning_inspect(
        user=request.user, cleaning=cleaning, inspection=payload.inspection, answer=payload.answer
    )
    return cleaning_out(cleaning)


@router.post(
    "/reception/cleanings/{cleaning_id}/lock",
    response={200: CleaningOut, **errors_answered(404, 422)},
    summary="The door locked: refused until every step is done and every inspection answered",
)
@answers_validation_errors()
def cleaning_lock(request: HttpRequest, cleaning_id: int):
    cleaning = cleaning_for(request.user, cleaning_id, work=True)
    return cleaning_out(services.cleaning_lock(user=request.user, cleaning=cleaning))
