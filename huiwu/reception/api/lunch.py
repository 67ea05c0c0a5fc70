"""The leaders' lunch over JSON: the tableware register, and a day's lunch — the menu, the five checks (four
answered with a tap, the fifth computed from the leaders' answers) and each expected leader's answer with the
dietary notes. Only today's lunch is written. The same services and access as the pages."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import ConfigDict, StrictBool

from huiwu.lib.api import (
    Date,
    DateTime,
    Id,
    InputSchema,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    one_of,
    without_defaults,
)
from huiwu.lib.params import MAX_ID
from huiwu.reception.access import get_tableware_for_user, require_reader, require_worker, tableware_visible_to
from huiwu.reception.models import TablewareSet
from huiwu.reception.selectors.lunch import LunchCheck, LunchOverview, lunch_overview, tableware_leaders
from huiwu.reception.services import lunch as services

router = Router(tags=["reception"])

_BODY_ERRORS = errors_answered(400, 422)
_WRITE_ERRORS = errors_answered(400, 404, 422)
# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {"leader": "leader_id"}


# --- output -------------------------------------------------------------------------------------------


class LeaderRefOut(Schema):
    id: int
    name: str
    title: str


class TablewareOut(Schema):
    id: int
    leader: LeaderRefOut
    number: str
    place: str
    is_active: bool


class CheckOut(Schema):
    check: str = Field(description="door, hygiene, tableware or menu")
    label: str
    done_at: DateTime | None
    late: bool = Field(description="Done after the lunch time (11:40 by default)")


class RequestOut(Schema):
    eats: bool
    request: str
    dietary_notes: str = Field(description="The directory's notes as they read when the answer was taken")
    taken_at: DateTime
    taken_by: UserRefOut


class LeaderLunchOut(Schema):
    leader: LeaderRefOut
    tableware_number: str | None
    expected: bool = Field(description="Has an active set and is not on a business trip: must be asked")
    dietary_notes: str
    answer: RequestOut | None


class LunchOut(Schema):
    day: Date
    lunch_at: str = Field(description="HH:MM: the checks are done before it")
    menu: str
    checks: list[CheckOut]
    requests_done: bool = Field(description="The fifth check: every expected leader told the menu and asked")
    done_count: int = Field(description="Of the five checks")
    leaders: list[LeaderLunchOut]


# --- input --------------------------------------------------------------------------------------------


class TablewareIn(InputSchema):
    leader_id: Id
    number: str = Field(max_length=20, description="The number on the set, e.g. 03")
    place: str = Field("", max_length=50, description="e.g. 消毒柜上层左二")
    is_active: bool = True


class TablewarePatchIn(InputSchema):
    model_config = ConfigDict(json_schema_extra=without_defaults)

    leader_id: Id | None = None
    number: str | None = Field(None, max_length=20)
    place: str | None = Field(None, max_length=50)
    is_active: bool | None = None


class DayIn(InputSchema):
    day: Date | None = Field(None, description="Omitted: today")


class MenuIn(InputSchema):
    menu: str = Field(max_length=services.MENU_LIMIT)


class CheckIn(InputSchema):
    check: one_of(LunchCheck)


class RequestIn(InputSchema):
    leader_id: Id
    # true or false only: an answer, not a number read as one.
    eats: StrictBool = Field(description="The leader's answer: eats today or not")
    request: str = Field("", max_length=200, description="e.g. 少盐, 米饭半碗")


# --- helpers ------------------------------------------------------------------------------------------


def _leader_out(leader) -> dict:
    return {"id": leader.pk, "name": leader.name, "title": leader.title}


def _tableware_out(tableware: TablewareSet) -> dict:
    return {
        "id": tableware.pk,
        "leader": _leader_out(tableware.leader),
        "number": tableware.number,
        "place": tableware.place,
        "is_active": tableware.is_active,
    }


def _lunch_out(overview: LunchOverview) -> dict:
    return {
        "day": overview.day,
        "lunch_at": f"{overview.lunch_at:%H:%M}",
        "menu": overview.menu,
        "checks": [
            {"check": check.code, "label": check.label, "done_at": check.done_at, "late": check.late}
            for check in overview.checks
        ],
        "requests_done": overview.requests_done,
        "done_count": overview.done_count,
        "leaders": [
            {
                "leader": _leader_out(entry.leader),
                "tableware_number": entry.tableware.number if entry.tableware else None,
                "expected": entry.expected,
                "dietary_notes": entry.dietary_notes,
                "answer": entry.request,
            }
            for entry in overview.leaders
        ],
    }


def _leader(leader_id: int | None, field: str = "leader_id"):
    leader = tableware_leaders().filter(pk=leader_id).first() if leader_id is not None else None
    if leader is None:
        raise ValidationError({field: _("There is no active leader with this id.")})
    return leader


def _tableware(user, tableware_id: int) -> TablewareSet:
    if not 1 <= tableware_id <= MAX_ID:
        raise Http404
    return get_tableware_for_user(user, tableware_id)


def _today_out() -> dict:
    return _lunch_out(lunch_overview(timezone.localdate()))


# --- the tableware register ---------------------------------------------------------------------------


@router.get(
    "/reception/tableware",
    response={200: list[TablewareOut], **errors_answered()},
    summary="The tableware register: each leader's numbered set in the disinfection cabinet",
)
def tableware_list(request: HttpRequest):
    require_reader(request.user)
    return [_tableware_out(tableware) for tableware in tableware_visible_to(request.user).order_by("number")]


@router.post(
    "/reception/tableware",
    response={201: TablewareOut, **_BODY_ERRORS},
    summary="Add a leader's set: a number is one set's, a leader has one set",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def tableware_create(request: HttpRequest, payload: TablewareIn):
    require_worker(request.user)
    values = payload.model_dump()
    leader = _leader(values.pop("leader_id"))
    tableware = services.tableware_set_save(user=request.user, leader=leader, **values)
    return Reply(201, _tableware_out(tableware))


@router.patch(
    "/reception/tableware/{tableware_id}",
    response={200: TablewareOut, **_WRITE_ERRORS},
    summary="Change a set: its leader, number, place, or whether it is in use; omitted fields keep their value",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def tableware_update(request: HttpRequest, tableware_id: int, payload: TablewarePatchIn):
    tableware = _tableware(request.user, tableware_id)
    require_worker(request.user)
    values = payload.model_dump(exclude_unset=True)
    for name, value in values.items():
        if value is None:
            raise ValidationError({name: _("This field cannot be null.")})
    leader = _leader(values.pop("leader_id")) if "leader_id" in values else tableware.leader
    current = {"number": tableware.number, "place": tableware.place, "is_active": tableware.is_active}
    services.tableware_set_save(user=request.user, tableware=tableware, leader=leader, **(current | values))
    return _tableware_out(get_tableware_for_user(request.user, tableware.pk))


# --- the day's lunch ----------------------------------------------------------------------------------


@router.get(
    "/reception/lunch",
    response={200: LunchOut, **errors_answered(422)},
    summary="A day's leaders' lunch: the menu, the five checks with their times, each leader's answer",
)
def lunch_get(request: HttpRequest, filters: Query[DayIn]):
    require_reader(request.user)
    return _lunch_out(lunch_overview(filters.day or timezone.localdate()))


@router.post(
    "/reception/lunch/menu",
    response={200: LunchOut, **_BODY_ERRORS},
    summary="Write (or correct) today's menu",
)
@answers_validation_errors()
def lunch_menu(request: HttpRequest, payload: MenuIn):
    services.lunch_menu_set(user=request.user, day=timezone.localdate(), menu=payload.menu)
    return _today_out()


@router.post(
    "/reception/lunch/checks",
    response={200: LunchOut, **_BODY_ERRORS},
    summary="One of today's first four checks done, now (once each; knowing the menu needs it written)",
)
@answers_validation_errors()
def lunch_check(request: HttpRequest, payload: CheckIn):
    services.lunch_check(user=request.user, day=timezone.localdate(), check=payload.check)
    return _today_out()


@router.post(
    "/reception/lunch/requests",
    response={200: LunchOut, **_BODY_ERRORS},
    summary="A leader's answer to today's menu: eats or not, and their request; asked again, the newer replaces it",
)
@answers_validation_errors(fields=_REQUEST_FIELDS)
def lunch_request(request: HttpRequest, payload: RequestIn):
    require_worker(request.user)
    services.lunch_request_record(
        user=request.user,
        day=timezone.localdate(),
        leader=_leader(payload.leader_id),
        eats=payload.eats,
        request=payload.request,
    )
    return _today_out()
