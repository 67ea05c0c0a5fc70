"""One meeting's whole service record: checks, assignments, checklists, refills, requests and its leaders."""

from datetime import datetime

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory.access import can_see_people
from huiwu.lib.api import DateTime, UserRefOut, errors_answered
from huiwu.meetings.models import Meeting
from huiwu.meetings.models import Status as MeetingStatus
from huiwu.service.api.types import CheckAction, CheckState, Duty, PhaseName, RequestKind, SeasonName, service_meeting
from huiwu.service.models import LEVEL_ROLES, Assignment, CheckRecord, MeetingCheck, Refill, Season, ServiceLogEntry
from huiwu.service.selectors import ChecklistLine, ServiceRecord, service_record
from huiwu.service.standards import level_items, season_on
from huiwu.venues.api import RoomRefOut

router = Router(tags=["service"])

_READ_ERRORS = errors_answered(404, 422)


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
    role: Role = Field(description="The role that confirms this level")
    role_label: str
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
    def resolve_role(check: MeetingCheck) -> str:
        return LEVEL_ROLES[check.level].value

    @staticmethod
    def resolve_role_label(check: MeetingCheck) -> str:
        return str(LEVEL_ROLES[check.level].label)

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
        return season_of(record)

    @staticmethod
    def resolve_season_label(record: ServiceRecord) -> str:
        return str(Season(season_of(record)).label)

    @staticmethod
    def resolve_refill_windows(record: ServiceRecord) -> list:
        standard = record.standard
        return standard.summer_refills if season_of(record) == Season.SUMMER else standard.winter_refills

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


def season_of(record: ServiceRecord) -> str:
    if record.started:
        return record.meeting.service.season
    meeting = record.meeting
    return season_on(record.standard, meeting.room.floor.site.code, timezone.localdate(meeting.start))


def record_of(meeting: Meeting) -> ServiceRecord:
    record = service_record(meeting)
    prefetch_related_objects(record.assignments, "assigned_by")
    return record


@router.get(
    "/meetings/{meeting_id}/service",
    response={200: ServiceRecordOut, **_READ_ERRORS},
    summary="A meeting's whole service record: checks, assignments, checklists, refills, requests, leaders",
)
def meeting_service(request: HttpRequest, meeting_id: int):
    return record_of(service_meeting(request, meeting_id))
