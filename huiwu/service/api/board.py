"""The today board: the day's meetings with their checks, refills and attendants."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from huiwu.lib.api import Date, DateTime, InputSchema, UserRefOut, errors_answered
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.api import BusyOut
from huiwu.service.access import require_service_reader
from huiwu.service.api.meeting import ServiceMeetingOut
from huiwu.service.api.types import CheckState, Duty
from huiwu.service.models import Assignment, MeetingCheck, Refill
from huiwu.service.selectors import BoardRow, board_rows, busy_blocks

router = Router(tags=["service"])


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


class BoardIn(InputSchema):
    date: Date | None = Field(None, description="A Shanghai day; omitted: today")


@router.get(
    "/service/board",
    response={200: BoardOut, **errors_answered(422)},
    summary="The day's meetings with their checks, refills and attendants, those needing attention first",
)
def board(request: HttpRequest, filters: Query[BoardIn]):
    require_service_reader(request.user)
    now = timezone.now()
    day = filters.date or timezone.localdate(now)
    return {
        "date": day,
        "rows": board_rows(meetings_visible_to(request.user), day, now),
        "busy": busy_blocks(request.user, day),
    }
