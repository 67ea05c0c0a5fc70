"""The newspapers over JSON: the publications, the leaders' subscription table of a year (cell by cell, as an
Excel workbook, or replaced whole from one), and the day's distribution list with its ticks and missing papers.
The same services and access as the pages: a leader, publication or office the caller may not see answers 404.
"""

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
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    xlsx_answered,
)
from huiwu.lib.params import MAX_ID
from huiwu.reception.access import (
    can_work,
    get_office_to_work,
    publications_visible_to,
    require_reader,
    require_worker,
)
from huiwu.reception.exports.newspapers import subscriptions_xlsx_response
from huiwu.reception.models import FIRST_YEAR, LAST_YEAR, Publication
from huiwu.reception.selectors.newspapers import (
    PUBLICATION_ORDER,
    DistributionList,
    OfficeRound,
    SubscriptionTable,
    distribution_list,
    office_round,
    subscribed_leaders,
    subscription_table,
)
from huiwu.reception.services import newspapers as services

router = Router(tags=["reception"])

_PATH_ERRORS = errors_answered(404, 422)
_BODY_ERRORS = errors_answered(400, 422)
_WRITE_ERRORS = errors_answered(400, 404, 422)


# --- output -------------------------------------------------------------------------------------------


class PublicationOut(Schema):
    id: int
    name: str
    is_active: bool


class LeaderRefOut(Schema):
    id: int
    name: str
    title: str


class TableRowOut(Schema):
    leader: LeaderRefOut
    copies: dict[str, int] = Field(description="Publication id → copies, for the publications this leader takes")


class SubscriptionTableOut(Schema):
    year: int
    editable: bool = Field(description="The caller may change this year's table (this year and the next only)")
    publications: list[PublicationOut] = Field(description="The columns: every active publication")
    rows: list[TableRowOut] = Field(description="Leaders in precedence order")
    totals: dict[str, int] = Field(description="Publication id → copies in all")


class CellOut(Schema):
    year: int
    leader: LeaderRefOut
    publication: PublicationOut
    copies: int = Field(description="0: not subscribed")


class PaperOut(Schema):
    publication: PublicationOut
    copies: int


class MissingOut(Schema):
    id: int
    publication: PublicationOut
    copies: int
    note: str
    recorded_by: UserRefOut
    recorded_at: DateTime


class DeliveryOut(Schema):
    delivered_at: DateTime
    delivered_by: UserRefOut
    timing: str = Field(description="early (before the window), on_time or late (after it), by the minute")


class OfficeRoundOut(Schema):
    office_id: int
    room: str
    leader: LeaderRefOut
    away: bool = Field(description="The leader is on a business trip: the papers go in all the same")
    papers: list[PaperOut]
    delivery: DeliveryOut | None
    missing: list[MissingOut]


class LeaderPapersOut(Schema):
    leader: LeaderRefOut
    papers: list[PaperOut]


class DistributionOut(Schema):
    day: Date
    is_workday: bool
    window_from: str = Field(description="HH:MM")
    window_until: str = Field(description="HH:MM")
    offices: list[OfficeRoundOut] = Field(description="In delivery order (floor, room)")
    without_office: list[LeaderPapersOut] = Field(description="Subscribed leaders with no active office recorded")
    totals: list[PaperOut] = Field(description="What to collect from the mail room")


class ImportOut(Schema):
    year: int
    leaders: int
    publications: int
    copies: int
    new_publications: list[str]


# --- input --------------------------------------------------------------------------------------------


class PublicationIn(InputSchema):
    name: str = Field(max_length=100, description="e.g. 人民日报")


class CellIn(InputSchema):
    copies: int = Field(ge=0, le=99, description="0 removes the subscription")


class DayIn(InputSchema):
    day: Date | None = Field(None, description="Omitted: today")


class MissingIn(InputSchema):
    publication_id: Id
    copies: int = Field(ge=1, le=99, description="At most the copies the office takes")
    note: str = Field("", max_length=200)


# --- helpers ------------------------------------------------------------------------------------------


def _year(year: int) -> int:
    # A table exists for the years a subscription may be for; any other year has none, like a missing object.
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _leader(leader_id: int) -> Person:
    if not 1 <= leader_id <= MAX_ID:
        raise Http404
    leader = subscribed_leaders().filter(pk=leader_id).first()
    if leader is None:
        raise Http404
    return leader


def _publication(user, publication_id: int) -> Publication:
    if not 1 <= publication_id <= MAX_ID:
        raise Http404
    publication = publications_visible_to(user).filter(pk=publication_id).first()
    if publication is None:
        raise Http404
    return publication


def _office(user, office_id: int):
    if not 1 <= office_id <= MAX_ID:
        raise Http404
    return get_office_to_work(user, office_id)


def _leader_out(leader: Person) -> dict:
    return {"id": leader.pk, "name": leader.name, "title": leader.title}


def _papers(papers) -> list[dict]:
    return [{"publication": publication, "copies": copies} for publication, copies in papers]


def _table_out(user, table: SubscriptionTable) -> dict:
    first, last = services.editable_years()
    return {
        "year": table.year,
        "editable": can_work(user) and first <= table.year <= last,
        "publications": table.publications,
        "rows": [
            {
                "leader": _leader_out(leader),
                "copies": {str(publication.pk): copies for publication, copies in cells if copies},
            }
            for leader, cells in table.rows
        ],
        "totals": {str(publication_id): copies for publication_id, copies in table.totals.items()},
    }


def _office_out(entry: OfficeRound) -> dict:
    delivery = entry.delivery
    return {
        "office_id": entry.office.pk,
        "room": entry.office.room,
        "leader": _leader_out(entry.leader),
        "away": entry.is_away,
        "papers": _papers(entry.papers),
        "delivery": None
        if delivery is None
        else {"delivered_at": delivery.delivered_at, "delivered_by": delivery.delivered_by, "timing": entry.timing},
        "missing": entry.missing,
    }


def _todays_entry(office) -> dict:
    return _office_out(office_round(timezone.localdate(), office))


def _distribution_out(listed: DistributionList) -> dict:
    return {
        "day": listed.day,
        "is_workday": listed.is_workday,
        "window_from": f"{listed.window[0]:%H:%M}",
        "window_until": f"{listed.window[1]:%H:%M}",
        "offices": [_office_out(entry) for entry in listed.offices],
        "without_office": [
            {"leader": _leader_out(leader), "papers": _papers(papers)} for leader, papers in listed.without_office
        ],
        "totals": _papers(listed.totals),
    }


# --- publications and the table -----------------------------------------------------------------------


@router.get(
    "/reception/publications",
    response={200: list[PublicationOut], **errors_answered()},
    summary="The publications the leaders may subscribe to (inactive ones too, marked so)",
)
def publications(request: HttpRequest):
    require_reader(request.user)
    return list(publications_visible_to(request.user).order_by(*PUBLICATION_ORDER))


@router.post(
    "/reception/publications",
    response={201: PublicationOut, **_BODY_ERRORS},
    summary="Add a publication (a new column of the table); an inactive one of the same name comes back",
)
@answers_validation_errors()
def publication_create(request: HttpRequest, payload: PublicationIn):
    return Reply(201, services.publication_add(user=request.user, name=payload.name))


@router.get(
    "/reception/subscriptions/{year}",
    response={200: SubscriptionTableOut, **_PATH_ERRORS},
    summary="The leaders' subscription table of a year (局领导当年报刊订阅表)",
)
@answers_validation_errors()
def subscriptions(request: HttpRequest, year: int):
    require_reader(request.user)
    return _table_out(request.user, subscription_table(_year(year), all_publications=True))


@router.get(
    "/reception/subscriptions/{year}/export.xlsx",
    response=_PATH_ERRORS,
    openapi_extra=xlsx_answered("The year's table: leaders down column A, publications across row 1, a totals row"),
    summary="The year's subscription table as an Excel workbook, in the layout the import reads",
)
@answers_validation_errors()
def subscriptions_export_xlsx(request: HttpRequest, year: int):
    require_reader(request.user)
    return subscriptions_xlsx_response(subscription_table(_year(year), all_publications=True))


_MULTIPART_IMPORT = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["upload"],
                    "properties": {
                        "upload": {
                            "type": "string",
                            "format": "binary",
                            "description": "An .xlsx laid out as the export, at most 1 MB",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/reception/subscriptions/{year}/import",
    response={200: ImportOut, **_WRITE_ERRORS},
    openapi_extra=_MULTIPART_IMPORT,
    summary="Replace the year's table with an Excel workbook's (multipart: upload). Every mistake is listed with "
    "its row and column, and a file with any mistake changes nothing",
)
@answers_validation_errors()
def subscriptions_import(request: HttpRequest, year: int):
    # Read from the multipart body here rather than by ninja's File parameter, so that a missing file is named
    # as the service names it ("upload"), as in every other answer.
    require_worker(request.user)
    unknown = sorted(set(request.POST) | (set(request.FILES) - {"upload"}))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field is not known.")))
    result = services.subscriptions_import(user=request.user, year=_year(year), upload=request.FILES.get("upload"))
    return result.__dict__


@router.put(
    "/reception/subscriptions/{year}/leaders/{leader_id}/publications/{publication_id}",
    response={200: CellOut, **_WRITE_ERRORS},
    summary="Set a cell of the year's table: the leader's copies of the publication (0 removes it)",
)
@answers_validation_errors()
def subscription_put(request: HttpRequest, year: int, leader_id: int, publication_id: int, payload: CellIn):
    require_reader(request.user)
    leader, publication = _leader(leader_id), _publication(request.user, publication_id)
    require_worker(request.user)
    services.subscription_set(
        user=request.user, year=_year(year), leader=leader, publication=publication, copies=payload.copies
    )
    return {"year": year, "leader": _leader_out(leader), "publication": publication, "copies": payload.copies}


@router.delete(
    "/reception/subscriptions/{year}/leaders/{leader_id}/publications/{publication_id}",
    response={204: None, **_PATH_ERRORS},
    summary="Remove a cell of the year's table (this year's or the next's: a plan, not a record)",
)
@answers_validation_errors()
def subscription_delete(request: HttpRequest, year: int, leader_id: int, publication_id: int):
    require_reader(request.user)
    leader, publication = _leader(leader_id), _publication(request.user, publication_id)
    require_worker(request.user)
    services.subscription_set(user=request.user, year=_year(year), leader=leader, publication=publication, copies=0)
    return Reply(204, None)


# --- the day's round ----------------------------------------------------------------------------------


@router.get(
    "/reception/newspapers",
    response={200: DistributionOut, **errors_answered(422)},
    summary="A working day's distribution list, read from the table of its year: each office in delivery order "
    "with its papers, whether delivered (and inside the window) and what was missing",
)
def newspapers(request: HttpRequest, filters: Query[DayIn]):
    require_reader(request.user)
    return _distribution_out(distribution_list(filters.day or timezone.localdate()))


@router.post(
    "/reception/newspapers/offices/{office_id}/delivered",
    response={201: OfficeRoundOut, **_PATH_ERRORS},
    summary="Tick an office as delivered on today's round, now; refused twice. Whether it was inside the window "
    "(10:30–11:00 by default) is answered with it",
)
@answers_validation_errors()
def newspaper_delivered(request: HttpRequest, office_id: int):
    office = _office(request.user, office_id)
    today = timezone.localdate()
    services.newspaper_delivered(user=request.user, office=office, day=today)
    return Reply(201, _todays_entry(office))


@router.post(
    "/reception/newspapers/offices/{office_id}/missing",
    response={201: OfficeRoundOut, **_WRITE_ERRORS},
    summary="Record a paper of today's round that did not come for an office (at most the copies it takes)",
)
@answers_validation_errors(fields={"publication": "publication_id"})
def newspaper_missing(request: HttpRequest, office_id: int, payload: MissingIn):
    office = _office(request.user, office_id)
    publication = publications_visible_to(request.user).filter(pk=payload.publication_id).first()
    if publication is None:
        raise ValidationError({"publication": _("There is no publication with this id.")})
    services.missing_paper_record(
        user=request.user, office=office, publication=publication, copies=payload.copies, note=payload.note
    )
    return Reply(201, _todays_entry(office))
