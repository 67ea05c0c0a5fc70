"""The reception team's day over JSON: the day's timeline and the one-tap tick, the working-day calendar, and
the routine standard's versions. The same access checks and services as the pages; a broken rule answers 422
with the service's message."""

import re
from datetime import date, time, timedelta
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema

from huiwu.accounts.roles import RoleRequired, roles_holding
from huiwu.lib.api import (
    Date,
    DateTime,
    InputSchema,
    SmallCount,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    one_of,
    without_defaults,
)
from huiwu.lib.params import MAX_ID
from huiwu.reception import workdays
from huiwu.reception.access import (
    KEEP_CALENDAR,
    READ,
    can_keep_calendar,
    can_read,
    get_routine_item_to_do,
    require_reader,
    require_standard_changer,
)
from huiwu.reception.models import RoutineItem, RoutineStandard
from huiwu.reception.selectors.day import State, TimelineEntry, day_plan_for, day_timeline, item_entry, timeline_preview
from huiwu.reception.services.routine import STANDARD_FIELDS, day_plan_ensure, routine_item_done, routine_standard_add
from huiwu.reception.services.standard import routine_standard_current

router = Router(tags=["reception"])

# A year and a day: a whole year's calendar in one call, whichever day it starts on.
MAX_CALENDAR_DAYS = 366
_CLOCK = re.compile(r"\d{2}:\d{2}")


# --- output -------------------------------------------------------------------------------------------


class RoutineItemOut(Schema):
    id: int | None = Field(description="null in the preview of a working day not planned yet")
    code: one_of(RoutineItem.Code)
    label: str
    starts_at: DateTime = Field(description="The window opens")
    due_at: DateTime = Field(description="Done by then, or escalated to the team leader")
    doable_from: DateTime = Field(description="From when it can be ticked: the window's start or its reminder")
    state: one_of(State) = Field(description="to_come, now, due_soon, done, done_late or missed")
    state_label: str
    detail: str = Field(description="What the item asks, with the standard's numbers")
    done_at: DateTime | None
    done_by: UserRefOut | None
    note: str
    outstanding: list[str] = Field(
        description="Today's items done in a register: what it still holds (the tick is refused until empty)"
    )
    link: str = Field(description="The page where the item's work is done, when it is not the tick itself")
    can_tick: bool = Field(description="The caller may tick it now")

    @staticmethod
    def resolve_id(entry: TimelineEntry) -> int | None:
        return entry.item.pk if entry.item else None

    @staticmethod
    def resolve_done_at(entry: TimelineEntry):
        return entry.item.done_at if entry.item else None

    @staticmethod
    def resolve_done_by(entry: TimelineEntry):
        return entry.item.done_by if entry.item else None

    @staticmethod
    def resolve_note(entry: TimelineEntry) -> str:
        return entry.item.note if entry.item else ""

    @staticmethod
    def resolve_link(entry: TimelineEntry) -> str:
        return entry.link_url

    @staticmethod
    def resolve_can_tick(entry: TimelineEntry) -> bool:
        return entry.can_tap


class DayKindOut(Schema):
    is_workday: bool
    adjusted: bool = Field(description="A weekend day worked in lieu of a holiday (调休上班)")
    source: one_of(workdays.Source) = Field(description="override (the unit's table), official or weekdays")
    reason: str = Field(description="The holiday's name, 调休, the override's reason; empty for a plain day")


class DayOut(Schema):
    day: date
    kind: DayKindOut
    planned: bool = Field(description="The day has its timeline (today's is planned on the first request)")
    standard_id: int | None = Field(description="The routine standard the day was planned with")
    next_workday: date | None = Field(description="On a day off: the first working day after it")
    items: list[RoutineItemOut] = Field(description="In the order of the day; empty on a day off")


class CalendarDayOut(DayKindOut):
    day: date


class CalendarOut(Schema):
    first: date
    last: date
    data_ends_on: date = Field(description="The official schedule (package and years entered by hand) ends here")
    warning: str = Field(description="Said when the data ends within WORKDAY_CALENDAR_WARNING_DAYS; else empty")
    days: list[CalendarDayOut]


class StandardOut(Schema):
    id: int
    door_open_from: time
    door_open_by: time
    door_open_until: time
    hot_water_by: time
    hot_water_pots: int
    documents_by: time
    newspapers_from: time
    newspapers_until: time
    lunch_at: time
    afternoon_duty_at: time
    cleaning_from: time
    work_ends_at: time
    reminder_minutes: int = Field(description="Each item reminds reception this long before it is due")
    changed_by: UserRefOut | None = Field(description="null: the settings' defaults")
    changed_at: DateTime = Field(description="In force from")
    reason: str


# --- input --------------------------------------------------------------------------------------------


def _clock_text(value: Any) -> Any:
    # A number would be read as seconds after midnight, and "8:40:00+08:00" as a time in some other zone.
    if not isinstance(value, str) or not _CLOCK.fullmatch(value.strip()):
        raise ValueError(_("Enter a time of day as HH:MM (Shanghai time)."))
    return value.strip()


Clock = Annotated[time, BeforeValidator(_clock_text), WithJsonSchema({"type": "string", "example": "08:40"})]


class DayIn(InputSchema):
    day: Date | None = Field(None, description="A Shanghai day; omitted: today")


class ItemDoneIn(InputSchema):
    note: str = Field("", max_length=200, description="e.g. why it was done late")


class CalendarIn(InputSchema):
    first: Date | None = Field(None, description="Omitted: the first day of this month")
    last: Date | None = Field(None, description=f"Omitted: the end of first's month; at most {MAX_CALENDAR_DAYS} days")


class StandardIn(InputSchema):
    """A new version: the times sent change, the others keep the value of the version in force."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    door_open_from: Clock = None
    door_open_by: Clock = None
    door_open_until: Clock = None
    hot_water_by: Clock = None
    hot_water_pots: SmallCount = Field(None, description="1 to 20")
    documents_by: Clock = None
    newspapers_from: Clock = None
    newspapers_until: Clock = None
    lunch_at: Clock = None
    afternoon_duty_at: Clock = None
    cleaning_from: Clock = None
    work_ends_at: Clock = None
    reminder_minutes: SmallCount = Field(None, description="0 to 240")
    reason: str = Field(max_length=200, description="Why the routine changes; kept with the version")


# --- helpers ------------------------------------------------------------------------------------------


def _kind(info: workdays.DayInfo) -> dict:
    return {
        "is_workday": info.is_workday,
        "adjusted": info.is_adjusted_workday,
        "source": info.source,
        "reason": str(info.reason),
    }


def _require_calendar_reader(user) -> None:
    if not (can_read(user) or can_keep_calendar(user)):
        raise RoleRequired([*roles_holding(READ), *roles_holding(KEEP_CALENDAR)])


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/reception/day",
    response={200: DayOut, **errors_answered(422)},
    summary="A day's timeline: each routine item with its window, state and who did it; a day off says why",
)
def day_get(request: HttpRequest, filters: Query[DayIn]):
    require_reader(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    day = filters.day or today
    info = workdays.day_info(day)
    plan = day_plan_for(day)
    if plan is None and day == today and info.is_workday:
        plan = day_plan_ensure(day)
    if plan is not None:
        items = day_timeline(plan, user=request.user, now=now)
    elif info.is_workday and day > today:
        items = timeline_preview(day, routine_standard_current(), now=now)
    else:
        items = []
    next_workday = None
    if not info.is_workday:
        try:
            next_workday = workdays.next_workday_after(day)
        except ValueError:
            next_workday = None  # only an override table closing a whole year has none
    return {
        "day": day,
        "kind": _kind(info),
        "planned": plan is not None,
        "standard_id": plan.standard_id if plan else None,
        "next_workday": next_workday,
        "items": items,
    }


@router.post(
    "/reception/items/{item_id}/done",
    response={200: RoutineItemOut, **errors_answered(400, 404, 422)},
    summary="Tick a routine item done (today's only, once; refused while its register holds something)",
)
@answers_validation_errors()
def item_done(request: HttpRequest, item_id: int, payload: ItemDoneIn):
    if not 1 <= item_id <= MAX_ID:
        raise Http404
    item = get_routine_item_to_do(request.user, item_id)
    done = routine_item_done(user=request.user, item=item, note=payload.note)
    return item_entry(done, user=request.user, now=timezone.now())


@router.get(
    "/reception/calendar",
    response={200: CalendarOut, **errors_answered(422)},
    summary="The working-day calendar of a span of days (at most 366): each day's kind, source and reason",
)
@answers_validation_errors()
def calendar_get(request: HttpRequest, filters: Query[CalendarIn]):
    _require_calendar_reader(request.user)
    today = timezone.localdate()
    first = filters.first or today.replace(day=1)
    last = filters.last or ((first.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    if last < first:
        raise ValidationError({"last": _("The last day cannot be before the first.")})
    if (last - first).days >= MAX_CALENDAR_DAYS:
        raise ValidationError({"last": _("At most %(count)d days at a time.") % {"count": MAX_CALENDAR_DAYS}})
    days = workdays.workday_calendar(first, last)
    return {
        "first": first,
        "last": last,
        "data_ends_on": workdays.data_ends_on(),
        "warning": workdays.calendar_warning(today),
        "days": [{"day": day, **_kind(info)} for day, info in days.items()],
    }


@router.get(
    "/reception/standards",
    response={200: list[StandardOut], **errors_answered()},
    summary="The routine standard's versions, the one in force first",
)
def standards_list(request: HttpRequest):
    require_reader(request.user)
    routine_standard_current()
    return list(RoutineStandard.objects.select_related("changed_by").order_by("-changed_at", "-id"))


@router.post(
    "/reception/standards",
    response={201: StandardOut, **errors_answered(400, 422)},
    summary="A new version of the routine standard (managers): days planned from now on follow it",
)
@answers_validation_errors()
def standard_create(request: HttpRequest, payload: StandardIn):
    require_standard_changer(request.user)
    current = routine_standard_current()
    values = {name: getattr(current, name) for name in STANDARD_FIELDS}
    values |= payload.model_dump(exclude_unset=True, exclude={"reason"})
    created = routine_standard_add(user=request.user, reason=payload.reason, **values)
    return Reply(201, created)
