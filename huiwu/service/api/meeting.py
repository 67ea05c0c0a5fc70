"""One meeting's whole service record: what the booking asked for, checks, assignments, checklists, refills,
requests and its leaders."""

from datetime import datetime

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory.access import can_see_people
from huiwu.lib.api import DateTime, UserRefOut, errors_answered, pdf_answered
from huiwu.meetings.api import MeetingArrangementOut, ServiceItemOut
from huiwu.meetings.models import Meeting
from huiwu.meetings.models import Status as MeetingStatus
from huiwu.service.api.types import (
    CheckAction,
    CheckState,
    Duty,
    EarlyReasonName,
    FactName,
    PhaseName,
    RequestKind,
    SeasonName,
    service_meeting,
)
from huiwu.service.exports import service_sheet_pdf, sign_in_sheet_pdf
from huiwu.service.facts import Fact, LevelState, level_states
from huiwu.service.models import LEVEL_ROLES, Assignment, CheckRecord, MeetingCheck, Refill, Season, ServiceLogEntry
from huiwu.service.selectors import ChecklistLine, ServedPerson, ServiceRecord, booked_tea, service_record
from huiwu.service.standards import level_items
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
        # Status by value: the board passes its rows' plain meetings, the other lists model objects.
        return str(MeetingStatus(meeting.status).label)


class FactOut(Schema):
    kind: FactName
    label: str = Field(description="What is verified, e.g. attendants assigned")
    holds: bool
    explanation: str = Field(description="What was seen: who is assigned, or what changed since level 1")


class WaitingOut(Schema):
    """The level a level waits for, and who confirms it."""

    level: int
    level_label: str
    role: Role
    role_label: str
    responsible: list[UserRefOut] = Field(description="The active people holding that role")

    @staticmethod
    def resolve_level(state: LevelState) -> int:
        return state.waiting_for.level

    @staticmethod
    def resolve_level_label(state: LevelState) -> str:
        return str(state.waiting_for.get_level_display())

    @staticmethod
    def resolve_role(state: LevelState) -> str:
        return LEVEL_ROLES[state.waiting_for.level].value

    @staticmethod
    def resolve_role_label(state: LevelState) -> str:
        return str(LEVEL_ROLES[state.waiting_for.level].label)


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
    items: list[str] = Field(description="The level's checklist: confirming answers each, passed or not")
    facts: list[FactOut] = Field(
        description="What the system verifies for this level now, never asked of the confirmer: a level whose "
        "fact does not hold cannot be passed, only reported as a problem (with notes)"
    )
    confirmable_from: DateTime = Field(
        description="A pass is accepted from this time: the standard's confirm_early_minutes before due_at. A "
        "problem may be reported earlier"
    )
    confirmable_now: bool = Field(
        description="The level is open, the one below is confirmed, its window has opened and its facts hold"
    )
    waiting_for: WaitingOut | None = Field(description="The level below, while it is not confirmed; else null")
    note: str = Field(
        description="What the page says of this level now: confirmed, what it waits for and who is responsible, "
        "when it can be confirmed, or its window"
    )

    @staticmethod
    def resolve_facts(check: MeetingCheck) -> list[Fact]:
        return check.level_state.facts

    @staticmethod
    def resolve_confirmable_from(check: MeetingCheck) -> datetime:
        return check.level_state.confirmable_from

    @staticmethod
    def resolve_confirmable_now(check: MeetingCheck) -> bool:
        return check.level_state.can_pass

    @staticmethod
    def resolve_waiting_for(check: MeetingCheck) -> LevelState | None:
        return check.level_state if check.level_state.waiting_for else None

    @staticmethod
    def resolve_note(check: MeetingCheck) -> str:
        return check.level_state.note

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


class CheckFactOut(Schema):
    fact: str = Field(description="What the system verified, in the site language")
    held: bool


class CheckRecordOut(Schema):
    level: int
    action: CheckAction
    action_label: str
    by: UserRefOut
    at: DateTime
    results: list[CheckResultOut] = Field(description="Each item of the checklist, in its order")
    facts: list[CheckFactOut] = Field(description="What the system verified at that moment; empty for a re-opening")
    notes: str

    @staticmethod
    def resolve_action_label(record: CheckRecord) -> str:
        return str(record.get_action_display())

    @staticmethod
    def resolve_results(record: CheckRecord) -> list[dict]:
        return [{"item": item, "passed": passed} for item, passed in record.results]

    @staticmethod
    def resolve_facts(record: CheckRecord) -> list[dict]:
        return [{"fact": fact, "held": held} for fact, held in record.facts]


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
    early: bool = Field(description="Done before the window opened, with early_reason")
    early_reason: EarlyReasonName | None = Field(description="Why it was served early; null unless early")
    early_reason_label: str
    early_note: str = Field(description="The reason in words, for early_reason other")

    @staticmethod
    def resolve_late(refill: Refill) -> bool:
        return refill.is_late(timezone.now())

    @staticmethod
    def resolve_early(refill: Refill) -> bool:
        return refill.is_early

    @staticmethod
    def resolve_early_reason(refill: Refill) -> str | None:
        return refill.early_reason or None

    @staticmethod
    def resolve_early_reason_label(refill: Refill) -> str:
        return str(refill.get_early_reason_display()) if refill.early_reason else ""


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
    """A leader or guest in the order of service. The booking is the source of truth for the tea."""

    id: int
    name: str
    title: str
    precedence: int = Field(description="1 is the most senior")
    booked_tea: str = Field(description="The tea to serve: the booking's tea kind; empty when it names none")
    own_tea: str = Field(
        description="The directory's preference when it differs from booked_tea (shown beside it, never "
        "instead); empty when the same"
    )
    tea_preference: str = Field(description="The directory's preference as recorded")
    habits: str

    @staticmethod
    def resolve_id(line: ServedPerson) -> int:
        return line.person.pk

    @staticmethod
    def resolve_name(line: ServedPerson) -> str:
        return line.person.name

    @staticmethod
    def resolve_title(line: ServedPerson) -> str:
        return line.person.title

    @staticmethod
    def resolve_precedence(line: ServedPerson) -> int:
        return line.person.precedence

    @staticmethod
    def resolve_tea_preference(line: ServedPerson) -> str:
        return line.person.tea_preference

    @staticmethod
    def resolve_habits(line: ServedPerson) -> str:
        return line.person.habits


class RequirementsOut(MeetingArrangementOut):
    """What the booking asked for, as the attendant serves it: the arrangement, each service item, the tea."""

    service_items: list[ServiceItemOut] = Field(description="Each with its quantity and note, in booking order")
    tea_kind: str = Field(
        description="The booked tea kind (the tea item's note): it wins over each leader's own preference; "
        "empty when none is named"
    )

    @staticmethod
    def resolve_service_items(meeting: Meeting) -> list:
        return list(meeting.service_items.all())

    @staticmethod
    def resolve_tea_kind(meeting: Meeting) -> str:
        return booked_tea(meeting)


class ServiceRecordOut(Schema):
    meeting: ServiceMeetingOut
    requirements: RequirementsOut
    started_at: DateTime | None = Field(description="The actual start; null until recorded")
    started_by: UserRefOut | None
    ended_at: DateTime | None = Field(description="The actual end; null until recorded")
    ended_by: UserRefOut | None
    unchecked_levels: list[int] = Field(
        description="The check levels not confirmed when the start was recorded: the start's exception, of which "
        "the manager was alerted; empty when all were confirmed or before the start"
    )
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
        description="Leaders and guests in order of service (precedence); null for users who may not see them"
    )

    @staticmethod
    def resolve_meeting(record: ServiceRecord) -> Meeting:
        return record.meeting

    @staticmethod
    def resolve_requirements(record: ServiceRecord) -> Meeting:
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
    def resolve_unchecked_levels(record: ServiceRecord) -> list[int]:
        return record.meeting.service.unchecked_levels if record.started else []

    @staticmethod
    def resolve_ended_by(record: ServiceRecord) -> User | None:
        return record.meeting.service.ended_by if record.ended else None

    @staticmethod
    def resolve_season(record: ServiceRecord) -> str:
        return record.season

    @staticmethod
    def resolve_season_label(record: ServiceRecord) -> str:
        return str(Season(record.season).label)

    @staticmethod
    def resolve_refill_windows(record: ServiceRecord) -> list:
        return record.refill_windows

    @staticmethod
    def resolve_standard_id(record: ServiceRecord) -> int | None:
        return record.standard.pk

    @staticmethod
    def resolve_next_check_level(record: ServiceRecord) -> int | None:
        return record.next_check_level()

    @staticmethod
    def resolve_checks(record: ServiceRecord) -> list[MeetingCheck]:
        states = level_states(
            record.meeting, record.checks, record.standard, assignments=record.assignments, now=timezone.now()
        )
        for state in states:
            state.check.items = level_items(record.standard, state.level)
            state.check.level_state = state
        return [state.check for state in states]

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
        return record.order_of_service if can_see_people(context["request"].user) else None


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


@router.get(
    "/meetings/{meeting_id}/service-sheet.pdf",
    response=_READ_ERRORS,
    openapi_extra=pdf_answered("The service sheet (会务服务单), A4, with its CJK font embedded"),
    summary="The meeting's service sheet as a PDF: requirements, leaders in order of service, staff, checks, refills",
)
def meeting_service_sheet_pdf(request: HttpRequest, meeting_id: int):
    return service_sheet_pdf(request.user, service_meeting(request, meeting_id))


@router.get(
    "/meetings/{meeting_id}/sign-in-sheet.pdf",
    response=_READ_ERRORS,
    openapi_extra=pdf_answered("The sign-in sheet (签到表), A4, with its CJK font embedded"),
    summary="The meeting's sign-in sheet as a PDF: the expected leaders and guests, then lines up to the headcount",
)
def meeting_sign_in_sheet_pdf(request: HttpRequest, meeting_id: int):
    return sign_in_sheet_pdf(request.user, service_meeting(request, meeting_id))
