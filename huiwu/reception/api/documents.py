"""The reviewed-documents register over JSON: the list (waiting ones or the register, filtered as the page),
one document, recording one, its handover to the GM office's document clerk, and the Excel export. There is
no edit and no delete. A document the caller may not see answers 404 like one that does not exist."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from huiwu.directory.models import Person
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
    xlsx_answered,
)
from huiwu.lib.params import MAX_ID
from huiwu.reception.access import (
    documents_visible_to,
    get_document_for_user,
    get_document_to_hand_over,
    offices_visible_to,
    require_reader,
    require_worker,
)
from huiwu.reception.api.offices import LeaderRefOut, OfficeRefOut, cleaning_for
from huiwu.reception.exports.documents import documents_export
from huiwu.reception.models import ReviewedDocument
from huiwu.reception.selectors.documents import SEARCH_MAX_LENGTH, documents_filtered, documents_waiting
from huiwu.reception.services import documents as services

router = Router(tags=["reception"])

_REQUEST_FIELDS = {"reviewing_leader": "reviewing_leader_id", "office": "office_id"}


# --- output -------------------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    title: str
    document_number: str
    reviewing_leader: LeaderRefOut
    office: OfficeRefOut | None = Field(description="The leader's office it was taken back from")
    cleaning_id: int | None = Field(description="The office cleaning it was taken back during")
    retrieved_at: DateTime
    retrieved_by: UserRefOut
    due_at: DateTime = Field(description="09:30 (the routine's time) on the next working day after retrieval")
    overdue: bool = Field(description="Not handed over and due_at has passed")
    handed_to: str = Field(description="The GM office's document clerk; empty until handed over")
    handed_at: DateTime | None
    handed_by: UserRefOut | None
    clerk_confirmation: str = Field(description="signed_here or signed_book; empty until handed over")
    notes: str
    created_at: DateTime

    @staticmethod
    def resolve_overdue(document: ReviewedDocument) -> bool:
        return document.handed_at is None and document.due_at <= timezone.now()


class DocumentPageOut(Page[DocumentOut]):
    pass


# --- input --------------------------------------------------------------------------------------------


class DocumentFiltersIn(InputSchema):
    """The filters of the register, its page and its export alike."""

    since: Date | None = Field(None, description="Taken back on this day or later")
    until: Date | None = Field(None, description="Taken back on this day or earlier")
    leader_id: Id | None = Field(None, description="Reviewed by this leader")
    q: str = Field("", max_length=SEARCH_MAX_LENGTH, description="Part of the title or the document number")


class DocumentListIn(PageIn, DocumentFiltersIn):
    waiting: bool = Field(False, description="Only the documents not handed over yet, the soonest due first")


class DocumentIn(InputSchema):
    title: str = Field(max_length=200)
    document_number: str = Field(max_length=60, description="文件字号, e.g. 京政办发〔2026〕12号")
    reviewing_leader_id: Id
    office_id: Id | None = Field(None, description="The leader's office it was taken back from")
    retrieved_at: DateTime | None = Field(None, description="Omitted: now. Not in the future, at most 31 days ago")
    notes: str = Field("", max_length=200)


class CleaningDocumentIn(InputSchema):
    title: str = Field(max_length=200)
    document_number: str = Field(max_length=60, description="文件字号, e.g. 京政办发〔2026〕12号")
    reviewing_leader_id: Id | None = Field(None, description="Omitted: the office's leader")


class HandOverIn(InputSchema):
    handed_to: str = Field(max_length=50, description="Name of the GM office's document clerk who took it")
    confirmation: one_of(ReviewedDocument.Confirmation) = Field(
        description="How the clerk confirmed: signed_here (on this device) or signed_book (the paper book)"
    )


# --- helpers ------------------------------------------------------------------------------------------


def _document(user, document_id: int, *, hand_over: bool = False) -> ReviewedDocument:
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= document_id <= MAX_ID:
        raise Http404
    return (get_document_to_hand_over if hand_over else get_document_for_user)(user, document_id)


def _leader(leader_id: int) -> Person | None:
    return Person.objects.filter(pk=leader_id, kind=Person.Kind.LEADER).first()


def _references(user, payload: DocumentIn) -> dict:
    errors: dict[str, str] = {}
    leader = _leader(payload.reviewing_leader_id)
    if leader is None:
        errors["reviewing_leader_id"] = _("There is no leader with this id.")
    office = None
    if payload.office_id is not None:
        office = offices_visible_to(user).filter(pk=payload.office_id).first()
        if office is None:
            errors["office_id"] = _("There is no leader's office with this id.")
    if errors:
        raise ValidationError(errors)
    return {"reviewing_leader": leader, "office": office}


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/reception/documents",
    response={200: DocumentPageOut, **errors_answered(422)},
    summary="The reviewed-documents register, the latest taken back first (or only those waiting, soonest due first)",
)
def documents(request: HttpRequest, filters: Query[DocumentListIn]):
    require_reader(request.user)
    found = documents_filtered(
        documents_visible_to(request.user),
        since=filters.since,
        until=filters.until,
        leader_id=filters.leader_id,
        q=filters.q,
    )
    if filters.waiting:
        found = documents_waiting(found)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": list(page)}


@router.post(
    "/reception/documents",
    response={201: DocumentOut, **errors_answered(400, 422)},
    summary="Record a reviewed document taken back; due by 09:30 on the next working day",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def document_create(request: HttpRequest, payload: DocumentIn):
    require_worker(request.user)
    document = services.document_record(
        user=request.user,
        title=payload.title,
        document_number=payload.document_number,
        retrieved_at=payload.retrieved_at,
        notes=payload.notes,
        **_references(request.user, payload),
    )
    return Reply(201, get_document_for_user(request.user, document.pk))


@router.get(
    "/reception/documents/export.xlsx",
    response=errors_answered(422),
    openapi_extra=xlsx_answered("The register as an Excel workbook, in the caller's language"),
    summary="The register as an Excel workbook, filtered as the list is",
)
def documents_export_xlsx(request: HttpRequest, filters: Query[DocumentFiltersIn]):
    require_reader(request.user)
    return documents_export(
        request.user, since=filters.since, until=filters.until, leader_id=filters.leader_id, q=filters.q.strip()
    )


@router.get(
    "/reception/documents/{document_id}",
    response={200: DocumentOut, **errors_answered(404, 422)},
    summary="One document of the register",
)
def document_detail(request: HttpRequest, document_id: int):
    return _document(request.user, document_id)


@router.post(
    "/reception/documents/{document_id}/hand-over",
    response={200: DocumentOut, **errors_answered(400, 404, 422)},
    summary="Record the handover to the GM office's document clerk, now, with the clerk's confirmation; once",
)
@answers_validation_errors()
def document_hand_over(request: HttpRequest, document_id: int, payload: HandOverIn):
    document = _document(request.user, document_id, hand_over=True)
    services.document_hand_over(
        user=request.user, document=document, handed_to=payload.handed_to, confirmation=payload.confirmation
    )
    return get_document_for_user(request.user, document.pk)


@router.post(
    "/reception/cleanings/{cleaning_id}/documents",
    response={201: DocumentOut, **errors_answered(400, 404, 422)},
    summary="A reviewed document taken back during an office cleaning: recorded with the office and the cleaning, "
    "which answers its documents inspection",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def cleaning_document(request: HttpRequest, cleaning_id: int, payload: CleaningDocumentIn):
    cleaning = cleaning_for(request.user, cleaning_id, work=True)
    leader = cleaning.office.leader
    if payload.reviewing_leader_id is not None:
        leader = _leader(payload.reviewing_leader_id)
        if leader is None:
            raise ValidationError({"reviewing_leader_id": _("There is no leader with this id.")})
    document = services.document_record(
        user=request.user,
        title=payload.title,
        document_number=payload.document_number,
        reviewing_leader=leader,
        cleaning=cleaning,
    )
    return Reply(201, get_document_for_user(request.user, document.pk))
