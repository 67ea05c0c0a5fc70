"""The service of meetings over JSON: the three-level check, assignments, checklists, the start, refills,
requests and the end of a meeting, the today board, an attendant's next actions and the standards.

Views stay thin: parse, call the service (services.py) or the read (selectors.py), serialize. Every meeting
is fetched through access.py, so what a user may not see answers 404 like what does not exist. Times are
ISO 8601 like the meetings API: a time without an offset is Shanghai time, answers carry +08:00.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Choices, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from huiwu.accounts.models import User
from huiwu.directory.access import can_see_people
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.api import (
    BusyOut,
    DateTime,
    Id,
    InvalidOut,
    SmallCount,
    UserRefOut,
    _In,
    _invalid,
    _without_defaults,
)
from huiwu.meetings.models import Meeting
from huiwu.meetings.models import Status as MeetingStatus
from huiwu.service import services
from huiwu.service.access import (
    can_assign,
    can_edit_standards,
    can_see_service,
    get_assignment_for_user,
    get_service_meeting_for_user,
)
from huiwu.service.models import (
    Assignment,
    CheckRecord,
    MeetingCheck,
    Phase,
    Refill,
    Season,
    ServiceLogEntry,
    ServiceStandard,
)
from huiwu.service.selectors import (
    BoardRow,
    ChecklistLine,
    ServiceRecord,
    board_rows,
    busy_blocks,
    service_record,
    tasks_for,
)
from huiwu.service.standards import level_items, season_on, standard_current, standard_values
from huiwu.venues.api import ErrorOut, RoomRefOut
from huiwu.venues.models import Site

router = Router(tags=["service"])

_READ_ERRORS = {403: ErrorOut, 404: ErrorOut}
_WRITE_ERRORS = {**_READ_ERRORS, 422: InvalidOut}

# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {"attendant": "attendant_id"}


def _answers_service_errors(view: Callable) -> Callable:
    """A broken rule answers 422 with field messages (the meetings API's shape); PermissionDenied and
    Http404 go on to the API's own handlers (403, 404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            body = _invalid(error)
            body["errors"] = {_REQUEST_FIELDS.get(name, name): messages for name, messages in body["errors"].items()}
            return Reply(422, body)

    return wrapper


def _one_of(choices: type[Choices]) -> Any:
    """The choices' values as an inline enum. The models' enums share their names ("Action", "Kind", "State")
    with other apps' enums, and the OpenAPI schema keeps one component per name: the last would win."""
    return Literal[tuple(choices.values)]


CheckState = _one_of(MeetingCheck.State)
CheckAction = _one_of(CheckRecord.Action)
Duty = _one_of(Assignment.Duty)
PhaseName = _one_of(Phase)
SeasonName = _one_of(Season)
RequestKind = _one_of(ServiceLogEntry.Kind)


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_service_meeting_for_user(request.user, meeting_id)


# --- output -------------------------------------------------------------------------------------------


class ServiceMeetingOut(Schema):
    """A meeting as the service lists it."""

    id: int
    title: str
    room: RoomRefOut
    start: DateTime
    end: DateTime
    headcount: int
    status: MeetingStatus
    status_label: str

    @staticmethod
    def resolve_status_label(meeting: Meeting) -> str:
        return str(meeting.get_status_display())


class CheckOut(Schema):
    level: int
    level_label: str
    state: CheckState
    state_label: str
    opens_at: DateTime = Field(description="When the level's role is reminded")
    due_at: DateTime
    urgent: bool = Field(description="Arranged too late for the normal times: due at once, levels still in order")
    confirmed_by: UserRefOut | None
    confirmed_at: DateTime | None
    items: list[str] = Field(description="The level's checklist: confirming gives a result for each")

    @staticmethod
    def resolve_level_label(check: MeetingCheck) -> str:
        return str(check.get_level_display())

    @staticmethod
    def resolve_state_label(check: MeetingCheck) -> str:
        return str(check.get_state_display())


class CheckResultOut(Schema):
    item: str
    passed: bool


class CheckRecordOut(Schema):
    level: int
    action: CheckAction
    action_label: str
    by: UserRefOut
    at: DateTime
    results: list[CheckResultOut] = Field(description="Each item of the checklist, in its order")
    notes: str

    @staticmethod
    def resolve_action_label(record: CheckRecord) -> str:
        return str(record.get_action_display())

    @staticmethod
    def resolve_results(record: CheckRecord) -> list[dict]:
        return [{"item": item, "passed": passed} for item, passed in record.results]


class AssignmentOut(Schema):
    id: int
    attendant: UserRefOut
    duty: Duty
    duty_label: str
    assigned_by: UserRefOut
    assigned_at: DateTime

    @staticmethod
    def resolve_duty_label(assignment: Assignment) -> str:
        return str(assignment.get_duty_display())


class ChecklistLineOut(Schema):
    item: str
    done: bool
    done_by: UserRefOut | None
    done_at: DateTime | None
    due_at: DateTime | None = Field(description="Before the meeting: when the room must be ready; else null")

    @staticmethod
    def resolve_done(line: ChecklistLine) -> bool:
        return line.tick is not None

    @staticmethod
    def resolve_done_by(line: ChecklistLine) -> User | None:
        return line.tick.done_by if line.tick else None

    @staticmethod
    def resolve_done_at(line: ChecklistLine) -> datetime | None:
        return line.tick.done_at if line.tick else None


class ChecklistsOut(Schema):
    before: list[ChecklistLineOut]
    during: list[ChecklistLineOut] = Field(description="The recess item, for a large meeting only")
    after: list[ChecklistLineOut]


class ChecklistTickOut(Schema):
    phase: PhaseName
    item: str
    done_by: UserRefOut
    done_at: DateTime


class RefillOut(Schema):
    number: int = Field(description="1 = the first refill after the start")
    opens_at: DateTime
    closes_at: DateTime
    done_at: DateTime | None
    done_by: UserRefOut | None
    late: bool = Field(description="Done after the window closed, or not done and the window has closed")

    @staticmethod
    def resolve_late(refill: Refill) -> bool:
        return refill.is_late(timezone.now())


class RefillRecordedOut(Schema):
    recorded: RefillOut
    next: RefillOut = Field(description="The next window, measured from the refill just recorded")


class ServiceLogOut(Schema):
    id: int
    kind: RequestKind
    kind_label: str
    note: str
    recorded_by: UserRefOut
    recorded_at: DateTime

    @staticmethod
    def resolve_kind_label(entry: ServiceLogEntry) -> str:
        return str(entry.get_kind_display())


class VipOut(Schema):
    id: int
    name: str
    title: str
    precedence: int = Field(description="1 is the most senior")
    tea_preference: str
    habits: str


class ServiceRecordOut(Schema):
    meeting: ServiceMeetingOut
    started_at: DateTime | None = Field(description="The actual start; null until recorded")
    started_by: UserRefOut | None
    ended_at: DateTime | None = Field(description="The actual end; null until recorded")
    ended_by: UserRefOut | None
    season: SeasonName = Field(description="Fixed at the start; before it, the season of the meeting's day")
    season_label: str
    refill_windows: list[list[int]] = Field(description="The season's [from, to] minutes: first, second, then repeated")
    standard_id: int | None = Field(
        description="The standards version served under (fixed at the start); null while the seed's defaults "
        "have never been saved"
    )
    next_check_level: int | None = Field(description="The lowest level not confirmed: the only one confirmable now")
    checks: list[CheckOut] = Field(description="Levels 1 to 3; empty until the meeting is confirmed")
    check_history: list[CheckRecordOut] = Field(description="Oldest first")
    assignments: list[AssignmentOut]
    checklists: ChecklistsOut
    refills: list[RefillOut]
    service_log: list[ServiceLogOut]
    attendees: list[VipOut] | None = Field(
        description="Leaders and guests in order of precedence; null for users who may not see them"
    )

    @staticmethod
    def resolve_meeting(record: ServiceRecord) -> Meeting:
        return record.meeting

    @staticmethod
    def resolve_started_at(record: ServiceRecord) -> datetime | None:
        return record.meeting.service.started_at if record.started else None

    @staticmethod
    def resolve_started_by(record: ServiceRecord) -> User | None:
        return record.meeting.service.started_by if record.started else None

    @staticmethod
    def resolve_ended_at(record: ServiceRecord) -> datetime | None:
        return record.meeting.service.ended_at if record.started else None

    @staticmethod
    def resolve_ended_by(record: ServiceRecord) -> User | None:
        return record.meeting.service.ended_by if record.ended else None

    @staticmethod
    def resolve_season(record: ServiceRecord) -> str:
        return _season(record)

    @staticmethod
    def resolve_season_label(record: ServiceRecord) -> str:
        return str(Season(_season(record)).label)

    @staticmethod
    def resolve_refill_windows(record: ServiceRecord) -> list:
        standard = record.standard
        return standard.summer_refills if _season(record) == Season.SUMMER else standard.winter_refills

    @staticmethod
    def resolve_standard_id(record: ServiceRecord) -> int | None:
        return record.standard.pk

    @staticmethod
    def resolve_next_check_level(record: ServiceRecord) -> int | None:
        return record.next_check_level()

    @staticmethod
    def resolve_checks(record: ServiceRecord) -> list[MeetingCheck]:
        for check in record.checks:
            check.items = level_items(record.standard, check.level)
        return record.checks

    @staticmethod
    def resolve_check_history(record: ServiceRecord) -> list[CheckRecord]:
        return record.check_records

    @staticmethod
    def resolve_checklists(record: ServiceRecord) -> dict:
        return {str(phase): lines for phase, lines in record.checklist.items()}

    @staticmethod
    def resolve_service_log(record: ServiceRecord) -> list[ServiceLogEntry]:
        return record.log

    @staticmethod
    def resolve_attendees(record: ServiceRecord, context) -> list | None:
        return record.attendees if can_see_people(context["request"].user) else None


def _season(record: ServiceRecord) -> str:
    if record.started:
        return record.meeting.service.season
    meeting = record.meeting
    return season_on(record.standard, meeting.room.floor.site.code, timezone.localdate(meeting.start))


def _record(meeting: Meeting) -> ServiceRecord:
    record = service_record(meeting)
    prefetch_related_objects(record.assignments, "assigned_by")
    return record


class BoardCheckOut(Schema):
    level: int
    state: CheckState
    state_label: str
    due_at: DateTime
    urgent: bool

    @staticmethod
    def resolve_state_label(check: MeetingCheck) -> str:
        return str(check.get_state_display())


class AssigneeOut(Schema):
    attendant: UserRefOut
    duty: Duty
    duty_label: str

    @staticmethod
    def resolve_duty_label(assignment: Assignment) -> str:
        return str(assignment.get_duty_display())


class RefillWindowOut(Schema):
    number: int
    opens_at: DateTime
    closes_at: DateTime
    late: bool = Field(description="The window has closed")

    @staticmethod
    def resolve_late(refill: Refill) -> bool:
        return refill.is_late(timezone.now())


class BoardRowOut(Schema):
    meeting: ServiceMeetingOut
    running: bool = Field(description="Started and not ended")
    ended: bool
    checks: list[BoardCheckOut]
    overdue_levels: list[int] = Field(description="Levels past due and not confirmed, before the start")
    next_refill: RefillWindowOut | None = Field(description="The open or coming window of a running meeting")
    assignees: list[AssigneeOut]
    urgent: bool = Field(description="Levels still open that were arranged too late for the normal times")
    needs_attention: bool = Field(description="Urgent, a level overdue or a refill late: listed first")

    @staticmethod
    def resolve_overdue_levels(row: BoardRow) -> list[int]:
        return [check.level for check in row.overdue_checks]

    @staticmethod
    def resolve_assignees(row: BoardRow) -> list[Assignment]:
        return row.assignments


class BoardOut(Schema):
    date: date
    rows: list[BoardRowOut] = Field(
        description="The day's requested and confirmed meetings, those needing attention first"
    )
    busy: list[BusyOut] = Field(description="The day's confidential meetings the caller may not see")


class TaskOut(Schema):
    at: DateTime = Field(description="When it is due, or when its window opens")
    kind: Literal["refill", "item", "start", "end"]
    meeting: ServiceMeetingOut
    label: str = Field(description="The checklist item; the refill's number; empty for start and end")
    phase: Literal["", "before", "during", "after"] = Field(description="Of a checklist item; else empty")
    late: bool


class StandardOut(Schema):
    id: int | None = Field(description="null: the seed's defaults, never changed")
    level1_minutes: int = Field(description="Level 1 check due this long before the start")
    level2_minutes: int
    level3_minutes: int
    summer_refills: list[list[int]] = Field(description="[from, to] minutes: first, second, then repeated")
    winter_refills: list[list[int]]
    summer_from: str = Field(description="MM-DD")
    summer_until: str = Field(description="MM-DD, inclusive")
    site_seasons: dict[str, list[str]] = Field(description='Site code → ["MM-DD", "MM-DD"], the summer there')
    recess_headcount: int = Field(
        description="A meeting from this headcount is large: tea cups are changed at the recess"
    )
    ready_minutes: int = Field(description="The room is ready this long before the start")
    ready_item: str
    recess_item: str
    level1_items: list[str]
    level2_items: list[str]
    level3_items: list[str]
    before_items: list[str]
    after_items: list[str]
    confidential_before_items: list[str] = Field(description="Joined to a confidential meeting's before list")
    confidential_after_items: list[str] = Field(description="Joined to a confidential meeting's after list")
    changed_by: UserRefOut | None
    changed_at: DateTime = Field(description="In force from")
    reason: str


# --- input --------------------------------------------------------------------------------------------


def _results(value: Any) -> Any:
    # Checked whole, so that an error names the field, not the item.
    if not isinstance(value, dict) or not all(type(passed) is bool for passed in value.values()):
        raise PydanticCustomError(
            "check_results", _("Give each item of the checklist with true (passed) or false (failed).")
        )
    return value


class CheckIn(_In):
    results: Annotated[dict[str, bool], BeforeValidator(_results)] = Field(
        max_length=100, description="Each item of the level's checklist → passed; any failed item reports a problem"
    )
    notes: str = Field("", max_length=2000, description="Required when an item failed: it goes to the manager")


class AssignmentIn(_In):
    attendant_id: Id
    duty: Duty = Assignment.Duty.HELPER.value


class ChecklistTickIn(_In):
    phase: PhaseName
    item: str = Field(max_length=200)


class MomentIn(_In):
    at: DateTime | None = Field(None, description="When it was done, if not now; never in the future")


class ServiceLogIn(_In):
    kind: RequestKind
    note: str = Field("", max_length=200, description="Required for another request")


MAX_REFILL_MINUTES = 240
MAX_REFILL_WINDOWS = 20
MAX_CHECKLIST_ITEMS = 50
ITEM_MAX_LENGTH = 200


def _is_window(window: Any) -> bool:
    # bool is an int in Python, and true is no number of minutes.
    if not (isinstance(window, list) and len(window) == 2 and all(type(minutes) is int for minutes in window)):
        return False
    return 0 < window[0] <= window[1] <= MAX_REFILL_MINUTES


def _refill_windows(value: Any) -> Any:
    if not (isinstance(value, list) and 0 < len(value) <= MAX_REFILL_WINDOWS and all(map(_is_window, value))):
        raise PydanticCustomError(
            "refill_windows",
            _("Give one to %(count)s windows as [from, to] in minutes, with 0 < from ≤ to ≤ %(max)s.")
            % {"count": MAX_REFILL_WINDOWS, "max": MAX_REFILL_MINUTES},
        )
    return value


def _is_month_day(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d\d-\d\d", value):
        return False
    try:
        date(2000, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a day of the year
    except ValueError:
        return False
    return True


def _month_day(value: Any) -> Any:
    if not _is_month_day(value):
        raise PydanticCustomError("month_day", _("Give a day of the year as MM-DD, e.g. 05-01."))
    return value


def _site_seasons(value: Any) -> Any:
    if not isinstance(value, dict) or not all(
        isinstance(code, str) and isinstance(days, list) and len(days) == 2 and all(_is_month_day(day) for day in days)
        for code, days in value.items()
    ):
        raise PydanticCustomError(
            "site_seasons", _("Give each site's summer under its code as two days, from and until, written MM-DD.")
        )
    return value


def _item(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > ITEM_MAX_LENGTH:
        raise PydanticCustomError(
            "checklist_item", _("Write each item out, in at most %(max)s characters.") % {"max": ITEM_MAX_LENGTH}
        )
    return value.strip()


def _items(value: Any) -> Any:
    if not isinstance(value, list) or len(value) > MAX_CHECKLIST_ITEMS:
        raise PydanticCustomError(
            "checklist", _("Give a list of at most %(count)s items.") % {"count": MAX_CHECKLIST_ITEMS}
        )
    items = [_item(item) for item in value]
    if len(set(items)) < len(items):
        twice = next(item for item in items if items.count(item) > 1)
        raise PydanticCustomError("checklist", _("“%(item)s” is listed twice.") % {"item": twice})
    return items


RefillWindows = Annotated[
    list[Annotated[list[Annotated[int, Field(ge=1, le=MAX_REFILL_MINUTES)]], Field(min_length=2, max_length=2)]],
    Field(min_length=1, max_length=MAX_REFILL_WINDOWS),
    BeforeValidator(_refill_windows),
]
MonthDay = Annotated[str, Field(pattern=r"^\d\d-\d\d$", examples=["05-01"]), BeforeValidator(_month_day)]
Item = Annotated[str, Field(min_length=1, max_length=ITEM_MAX_LENGTH), BeforeValidator(_item)]
Items = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=ITEM_MAX_LENGTH)]],
    Field(max_length=MAX_CHECKLIST_ITEMS),
    BeforeValidator(_items),
]
SiteSeasons = Annotated[
    dict[str, Annotated[list[Annotated[str, Field(pattern=r"^\d\d-\d\d$")]], Field(min_length=2, max_length=2)]],
    BeforeValidator(_site_seasons),
]


class StandardIn(_In):
    """A new version of the standards: the fields sent change, the others keep their current value."""

    model_config = ConfigDict(json_schema_extra=_without_defaults)

    level1_minutes: SmallCount = None
    level2_minutes: SmallCount = None
    level3_minutes: SmallCount = None
    summer_refills: RefillWindows = Field(None, description="[from, to] minutes, 0 < from ≤ to ≤ 240")
    winter_refills: RefillWindows = Field(None, description="[from, to] minutes, 0 < from ≤ to ≤ 240")
    summer_from: MonthDay = None
    summer_until: MonthDay = None
    site_seasons: SiteSeasons = Field(None, description='Site code → ["MM-DD", "MM-DD"]')
    recess_headcount: SmallCount = None
    ready_minutes: SmallCount = None
    ready_item: Item = None
    recess_item: Item = None
    level1_items: Items = None
    level2_items: Items = None
    level3_items: Items = None
    before_items: Items = None
    after_items: Items = None
    confidential_before_items: Items = None
    confidential_after_items: Items = None
    reason: str = Field("", max_length=200, description="Why the standards change; kept with the version")


# --- one meeting's service ----------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/service",
    response={200: ServiceRecordOut, **_READ_ERRORS},
    summary="A meeting's whole service record: checks, assignments, checklists, refills, requests, leaders",
)
def meeting_service(request: HttpRequest, meeting_id: int):
    return _record(_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/checks/{level}",
    response={200: CheckRecordOut, **_WRITE_ERRORS},
    summary="Confirm a level of the three-level check (its own role, in order); a failed item reports a problem",
)
@_answers_service_errors
def check_confirm(request: HttpRequest, meeting_id: int, level: int, payload: CheckIn):
    meeting = _meeting(request, meeting_id)
    return services.check_confirm(
        user=request.user, meeting=meeting, level=level, results=payload.results, notes=payload.notes
    )


@router.get(
    "/meetings/{meeting_id}/assignments",
    response={200: list[AssignmentOut], **_READ_ERRORS},
    summary="Who serves a meeting",
)
def assignments(request: HttpRequest, meeting_id: int):
    return list(_meeting(request, meeting_id).assignments.select_related("attendant", "assigned_by"))


@router.post(
    "/meetings/{meeting_id}/assignments",
    response={201: AssignmentOut, **_WRITE_ERRORS},
    summary="Assign an attendant or team leader to a meeting (nobody serves two meetings at once)",
)
@_answers_service_errors
def assignment_add(request: HttpRequest, meeting_id: int, payload: AssignmentIn):
    meeting = _meeting(request, meeting_id)
    if not can_assign(request.user):
        raise PermissionDenied
    attendant = User.objects.filter(pk=payload.attendant_id).first()
    if attendant is None:
        raise ValidationError({"attendant_id": _("There is no user with this id.")})
    assignment = services.assignment_add(user=request.user, meeting=meeting, attendant=attendant, duty=payload.duty)
    return Reply(201, assignment)


@router.delete(
    "/assignments/{assignment_id}",
    response={204: None, **_READ_ERRORS},
    summary="Take someone off a meeting",
)
def assignment_remove(request: HttpRequest, assignment_id: int):
    assignment = get_assignment_for_user(request.user, assignment_id)
    services.assignment_remove(user=request.user, assignment=assignment)
    return Reply(204, None)


@router.post(
    "/meetings/{meeting_id}/checklist",
    response={200: ChecklistTickOut, **_WRITE_ERRORS},
    summary="Tick an item of the meeting's checklist before, during or after it",
)
@_answers_service_errors
def checklist_tick(request: HttpRequest, meeting_id: int, payload: ChecklistTickIn):
    meeting = _meeting(request, meeting_id)
    return services.checklist_tick(user=request.user, meeting=meeting, phase=payload.phase, item=payload.item)


@router.post(
    "/meetings/{meeting_id}/start",
    response={200: ServiceRecordOut, **_WRITE_ERRORS},
    summary="Record the actual start (now, or `at`): the standards are fixed and the first refill window opens",
)
@_answers_service_errors
def meeting_start(request: HttpRequest, meeting_id: int, payload: MomentIn = None):
    meeting = _meeting(request, meeting_id)
    services.meeting_start(user=request.user, meeting=meeting, at=payload.at if payload else None)
    return _record(_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/end",
    response={200: ServiceRecordOut, **_WRITE_ERRORS},
    summary="Record the actual end (now, or `at`); a refill window still to come is dropped",
)
@_answers_service_errors
def meeting_end(request: HttpRequest, meeting_id: int, payload: MomentIn = None):
    meeting = _meeting(request, meeting_id)
    services.meeting_end(user=request.user, meeting=meeting, at=payload.at if payload else None)
    return _record(_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/refills",
    response={200: RefillRecordedOut, **_WRITE_ERRORS},
    summary="Record the refill whose window is open or coming (now, or `at`); the next window is measured from it",
)
@_answers_service_errors
def refill_record(request: HttpRequest, meeting_id: int, payload: MomentIn = None):
    meeting = _meeting(request, meeting_id)
    refill = services.refill_record(user=request.user, meeting=meeting, at=payload.at if payload else None)
    following = meeting.refills.select_related("done_by").get(done_at__isnull=True)
    return {"recorded": refill, "next": following}


@router.get(
    "/meetings/{meeting_id}/service-log",
    response={200: list[ServiceLogOut], **_READ_ERRORS},
    summary="The requests served during a meeting, oldest first",
)
def service_log(request: HttpRequest, meeting_id: int):
    return list(_meeting(request, meeting_id).service_log.select_related("recorded_by"))


@router.post(
    "/meetings/{meeting_id}/service-log",
    response={201: ServiceLogOut, **_WRITE_ERRORS},
    summary="Record a request served during a running meeting",
)
@_answers_service_errors
def service_log_add(request: HttpRequest, meeting_id: int, payload: ServiceLogIn):
    meeting = _meeting(request, meeting_id)
    entry = services.service_log_add(user=request.user, meeting=meeting, kind=payload.kind, note=payload.note)
    return Reply(201, entry)


# --- the team -----------------------------------------------------------------------------------------


@router.get(
    "/service/board",
    response={200: BoardOut, 403: ErrorOut, 422: InvalidOut},
    summary="The day's meetings with their checks, refills and attendants, those needing attention first",
)
def board(request: HttpRequest, date: date | None = None):
    if not can_see_service(request.user):
        raise PermissionDenied
    now = timezone.now()
    day = date or timezone.localdate(now)
    return {
        "date": day,
        "rows": board_rows(meetings_visible_to(request.user), day, now),
        "busy": busy_blocks(request.user, day),
    }


@router.get(
    "/service/my-tasks",
    response={200: list[TaskOut], 403: ErrorOut},
    summary="What the user has to do next in the meetings they serve today, in time order",
)
def my_tasks(request: HttpRequest):
    if not can_see_service(request.user):
        raise PermissionDenied
    return tasks_for(request.user, meetings_visible_to(request.user), timezone.now())


# --- standards ----------------------------------------------------------------------------------------


@router.get(
    "/service/standard",
    response={200: StandardOut, 403: ErrorOut},
    summary="The service standards in force for every meeting that has not started",
)
def standard(request: HttpRequest):
    if not can_see_service(request.user):
        raise PermissionDenied
    return standard_current()


@router.get(
    "/service/standards",
    response={200: list[StandardOut], 403: ErrorOut},
    summary="Every saved version of the standards, the one in force first",
)
def standards(request: HttpRequest):
    if not can_see_service(request.user):
        raise PermissionDenied
    return list(ServiceStandard.objects.select_related("changed_by").order_by("-changed_at", "-id"))


@router.post(
    "/service/standards",
    response={201: StandardOut, 403: ErrorOut, 422: InvalidOut},
    summary="A new version of the standards (managers); it applies at once to every meeting not yet started",
)
@_answers_service_errors
def standard_create(request: HttpRequest, payload: StandardIn):
    if not can_edit_standards(request.user):
        raise PermissionDenied
    changes = payload.model_dump(exclude_unset=True, exclude={"reason"})
    codes = set(changes.get("site_seasons") or {})
    if unknown := sorted(codes - set(Site.objects.filter(code__in=codes).values_list("code", flat=True))):
        raise ValidationError(
            {"site_seasons": _("There are no sites with these codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    values = standard_values(standard_current()) | changes
    created = services.standard_create(user=request.user, values=values, reason=payload.reason)
    return Reply(201, created)
