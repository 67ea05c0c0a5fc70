"""The today board: the day's meetings with their checks, refills and attendants, the exceptions on top and
counted, and the punctuality of the day's refills."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from huiwu.lib.api import Date, DateTime, InputSchema, UserRefOut, errors_answered, one_of, pdf_answered
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.api import BusyOut
from huiwu.service.access import require_service_reader
from huiwu.service.api.meeting import ServiceMeetingOut
from huiwu.service.api.types import CheckState, Duty
from huiwu.service.board import (
    BoardAssignee,
    BoardCheck,
    BoardRefill,
    BoardRow,
    ExceptionKind,
    RowException,
    board_rows,
    busy_blocks,
    day_punctuality,
    exception_counts,
)
from huiwu.service.exports import day_sheet_pdf
from huiwu.service.selectors import Punctuality

router = Router(tags=["service"])

ExceptionKindName = one_of(ExceptionKind)


class BoardCheckOut(Schema):
    level: int
    state: CheckState
    state_label: str
    due_at: DateTime
    urgent: bool

    @staticmethod
    def resolve_state_label(check: BoardCheck) -> str:
        return check.state_label


class AssigneeOut(Schema):
    attendant: UserRefOut
    duty: Duty
    duty_label: str

    @staticmethod
    def resolve_duty_label(assignment: BoardAssignee) -> str:
        return assignment.duty_label


class RefillWindowOut(Schema):
    number: int
    opens_at: DateTime
    closes_at: DateTime
    late: bool = Field(description="The window has closed")

    @staticmethod
    def resolve_late(refill: BoardRefill) -> bool:
        return refill.late


class ExceptionOut(Schema):
    kind: ExceptionKindName
    label: str
    text: str = Field(description="The exception in words, in the caller's language")
    serious: bool = Field(
        description="A departure from the procedure (the row is red): not an early refill or a request"
    )

    @staticmethod
    def resolve_label(exception: RowException) -> str:
        return str(exception.kind.label)


class ExceptionCountOut(Schema):
    kind: ExceptionKindName
    label: str
    count: int = Field(description="The day's meetings with this exception")
    serious: bool


class PunctualityOut(Schema):
    on_time: int = Field(description="Refills done in their window")
    early: int = Field(description="Done before the window opened (each with its reason)")
    late: int = Field(description="Done after the window closed, or not done and closed")
    counted: int = Field(description="on_time + early + late; a window still open or to come is not counted")
    rate: float | None = Field(description="on_time / counted, 0 to 1; null when nothing is counted yet")

    @staticmethod
    def resolve_counted(punctuality: Punctuality) -> int:
        return punctuality.counted

    @staticmethod
    def resolve_rate(punctuality: Punctuality) -> float | None:
        return punctuality.rate


class BoardRowOut(Schema):
    meeting: ServiceMeetingOut
    running: bool = Field(description="Started and not ended")
    ended: bool
    checks: list[BoardCheckOut]
    overdue_levels: list[int] = Field(description="Levels past due and not confirmed, before the start")
    next_refill: RefillWindowOut | None = Field(description="The open or coming window of a running meeting")
    assignees: list[AssigneeOut]
    urgent: bool = Field(description="Levels still open that were arranged too late for the normal times")
    unchecked_levels: list[int] = Field(description="Levels not confirmed when the start was recorded")
    exceptions: list[ExceptionOut] = Field(
        description="Started without checks, check overdue, refill late or early, running over time, request "
        "awaiting confirmation: each in words"
    )
    serious: bool = Field(description="Has a serious exception: listed first, red on the board")
    needs_attention: bool = Field(description="Urgent or with an exception: listed after the serious ones")

    @staticmethod
    def resolve_overdue_levels(row: BoardRow) -> list[int]:
        return [check.level for check in row.overdue_checks]

    @staticmethod
    def resolve_assignees(row: BoardRow) -> list[BoardAssignee]:
        return row.assignments

    @staticmethod
    def resolve_unchecked_levels(row: BoardRow) -> list[int]:
        return row.meeting.unchecked_levels


class BoardOut(Schema):
    date: date
    rows: list[BoardRowOut] = Field(
        description="The day's requested and confirmed meetings: serious exceptions first, then those needing "
        "attention, then the others, each group by time"
    )
    exception_counts: list[ExceptionCountOut] = Field(description="Every kind of exception, in a fixed order")
    punctuality: PunctualityOut = Field(description="How the day's refills kept their windows")
    busy: list[BusyOut] = Field(description="The day's confidential meetings the caller may not see")


class BoardIn(InputSchema):
    date: Date | None = Field(None, description="A Shanghai day; omitted: today")


@router.get(
    "/service/board",
    response={200: BoardOut, **errors_answered(422)},
    summary="The day's meetings with their checks, refills and attendants, exceptions first and counted",
)
def board(request: HttpRequest, filters: Query[BoardIn]):
    require_service_reader(request.user)
    now = timezone.now()
    day = filters.date or timezone.localdate(now)
    meetings = meetings_visible_to(request.user)
    rows = board_rows(meetings, day, now)
    return {
        "date": day,
        "rows": rows,
        "exception_counts": exception_counts(rows),
        "punctuality": day_punctuality(meetings, day, now),
        "busy": busy_blocks(request.user, day),
    }


@router.get(
    "/service/day-sheet.pdf",
    response=errors_answered(422),
    openapi_extra=pdf_answered("The team day sheet, A4 landscape, with its CJK font embedded"),
    summary="The team day sheet as a PDF: every meeting of the day with room, times, attendants and check states",
)
def board_day_sheet_pdf(request: HttpRequest, filters: Query[BoardIn]):
    require_service_reader(request.user)
    return day_sheet_pdf(request.user, filters.date or timezone.localdate())
