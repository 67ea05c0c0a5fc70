"""The work journal, the end-of-day review and the reception day sheet over JSON: the same access checks, reads
and services as the pages; a broken rule answers 422 with the service's message."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

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
    pdf_answered,
)
from huiwu.reception.access import journal_visible_to, require_reader, require_worker
from huiwu.reception.exports.sheet import day_sheet_pdf
from huiwu.reception.models import JournalEntry
from huiwu.reception.selectors.journal import (
    SEARCH_MAX_LENGTH,
    JournalFilters,
    MeetingLine,
    end_of_day_review,
    journal_filtered,
)
from huiwu.reception.selectors.sheet import DaySheet, day_sheet
from huiwu.reception.selectors.team import matter_state_label
from huiwu.reception.services.journal import journal_entry_add
from huiwu.reception.services.routine import day_plan_ensure

router = Router(tags=["reception"])


# --- output -------------------------------------------------------------------------------------------


class JournalEntryOut(Schema):
    id: int
    day: Date
    at: DateTime
    author: UserRefOut
    source: one_of(JournalEntry.Source) = Field(description="Which action wrote it; manual: written by hand")
    source_label: str
    text: str
    url: str = Field(description="The page of what the entry is about, when there is one")

    @staticmethod
    def resolve_source_label(entry: JournalEntry) -> str:
        return str(entry.get_source_display())


class JournalPageOut(Page[JournalEntryOut]):
    pass


class MeetingLineOut(Schema):
    id: int | None = Field(description="null for a confidential meeting the caller may not see (a busy block)")
    title: str = Field(description='"Confidential meeting" (in the caller\'s language) for a busy block')
    start: DateTime
    end: DateTime
    room: str
    organizer: str
    headcount: int | None

    @staticmethod
    def resolve_id(line: MeetingLine) -> int | None:
        return line.meeting_id


class RefOut(Schema):
    id: int
    name: str


class MatterLineOut(Schema):
    id: int
    title: str
    requester_name: str
    due_at: DateTime
    state: str
    state_label: str
    assignee: UserRefOut | None

    @staticmethod
    def resolve_state_label(task) -> str:
        return matter_state_label(task.state)


class WaitingDocumentOut(Schema):
    id: int
    document_number: str
    title: str
    reviewing_leader: RefOut
    retrieved_at: DateTime
    due_at: DateTime


class ReviewItemOut(Schema):
    id: int
    due_at: DateTime
    done_at: DateTime | None
    done_by: UserRefOut | None


class ReviewOut(Schema):
    day: Date
    next_day: Date | None = Field(description="The next working day; null when the calendar has none within a year")
    calendar_problem: str = Field(description="Why there is no next working day, when there is none")
    meetings: list[MeetingLineOut] = Field(description="The next working day's meetings, by start")
    matters: list[MatterLineOut] = Field(description="The team's open ad-hoc matters, by due time")
    documents: list[WaitingDocumentOut] = Field(description="Reviewed documents not handed over yet, by due time")
    journal: list[JournalEntryOut] = Field(description="Today's journal, in the order written")
    item: ReviewItemOut | None = Field(
        description="Today's review item (tick it with POST /reception/items/{id}/done); null without a timeline"
    )


class DayKindOut(Schema):
    is_workday: bool
    adjusted: bool = Field(description="A weekend day worked in lieu of a holiday (调休)")
    reason: str


class SheetItemOut(Schema):
    code: str
    label: str
    starts_at: DateTime
    due_at: DateTime
    done_at: DateTime | None
    done_by: UserRefOut | None
    note: str


class HandedDocumentOut(Schema):
    id: int
    document_number: str
    title: str
    reviewing_leader: RefOut
    handed_to: str
    handed_at: DateTime
    clerk_confirmation: str
    due_at: DateTime


class PaperOut(Schema):
    publication: str
    copies: int


class MissingOut(PaperOut):
    note: str


class NewspaperOfficeOut(Schema):
    office_id: int
    room: str
    leader: str
    papers: list[PaperOut]
    delivered_at: DateTime | None
    delivered_by: UserRefOut | None
    missing: list[MissingOut]


class NewspapersOut(Schema):
    window_from: str = Field(description="HH:MM")
    window_until: str = Field(description="HH:MM")
    offices: list[NewspaperOfficeOut]


class LunchCheckOut(Schema):
    code: str
    label: str
    done_at: DateTime | None
    late: bool


class LunchLeaderOut(Schema):
    leader: str
    tableware: str = Field(description="The number of the leader's set, empty without one")
    expected: bool = Field(description="Expected at lunch (an active set, not on a business trip)")
    eats: bool | None = Field(description="null: not asked yet")
    request: str
    dietary_notes: str
    taken_at: DateTime | None


class LunchOut(Schema):
    lunch_at: str = Field(description="HH:MM")
    menu: str
    checks: list[LunchCheckOut]
    requests_done: bool = Field(description="The fifth check: every expected leader told the menu and asked")
    leaders: list[LunchLeaderOut]


class InspectionOut(Schema):
    inspection: str
    answer: str


class CleaningOut(Schema):
    id: int
    office_id: int
    room: str
    leader: str
    cleaner: UserRefOut
    started_at: DateTime
    steps_done: int
    steps_total: int
    inspections: list[InspectionOut] = Field(description="The answered inspections, in the readers' language")
    documents_taken: int
    locked_at: DateTime | None


class GroomingLineOut(Schema):
    user: UserRefOut
    checked_at: DateTime | None = Field(description="null: no self-check recorded that day")


class DaySheetOut(Schema):
    day: Date
    kind: DayKindOut
    timeline: list[SheetItemOut] = Field(description="Empty on a day off or a day not planned")
    documents_handed: list[HandedDocumentOut] = Field(description="Handed over to the GM office that day")
    documents_waiting: list[WaitingDocumentOut] = Field(description="Retrieved and not handed over by the day's end")
    newspapers: NewspapersOut
    lunch: LunchOut
    cleanings: list[CleaningOut]
    grooming: list[GroomingLineOut]
    journal: list[JournalEntryOut]
    next_day: Date | None
    calendar_problem: str
    meetings: list[MeetingLineOut] = Field(description="The next working day's meetings")


# --- input --------------------------------------------------------------------------------------------


class JournalSearchIn(PageIn):
    day_from: Date | None = Field(None, description="From this day (inclusive)")
    day_to: Date | None = Field(None, description="Up to this day (inclusive)")
    author_id: Id | None = Field(None, description="Entries by this person")
    q: str = Field("", max_length=SEARCH_MAX_LENGTH, description="Part of the entry's text")


class JournalEntryIn(InputSchema):
    text: str = Field(max_length=JournalEntry._meta.get_field("text").max_length)
    at: DateTime | None = Field(None, description="Omitted: now. Not in the future, at most 7 days back")


class SheetIn(InputSchema):
    day: Date | None = Field(None, description="Omitted: today")


# --- helpers ------------------------------------------------------------------------------------------


def _ref(person) -> dict:
    return {"id": person.pk, "name": person.name}


def _user(user) -> dict | None:
    return None if user is None else {"id": user.pk, "display_name": user.display_name}


def _waiting(document) -> dict:
    return {
        "id": document.pk,
        "document_number": document.document_number,
        "title": document.title,
        "reviewing_leader": _ref(document.reviewing_leader),
        "retrieved_at": document.retrieved_at,
        "due_at": document.due_at,
    }


def _sheet(sheet: DaySheet) -> dict:
    newspapers, lunch = sheet.newspapers, sheet.lunch
    return {
        "day": sheet.day,
        "kind": {
            "is_workday": sheet.info.is_workday,
            "adjusted": sheet.info.is_adjusted_workday,
            "reason": str(sheet.info.reason),
        },
        "timeline": [
            {
                "code": item.code,
                "label": str(item.get_code_display()),
                "starts_at": item.starts_at,
                "due_at": item.due_at,
                "done_at": item.done_at,
                "done_by": _user(item.done_by),
                "note": item.note,
            }
            for item in sheet.items
        ],
        "documents_handed": [
            {
                "id": document.pk,
                "document_number": document.document_number,
                "title": document.title,
                "reviewing_leader": _ref(document.reviewing_leader),
                "handed_to": document.handed_to,
                "handed_at": document.handed_at,
                "clerk_confirmation": document.clerk_confirmation,
                "due_at": document.due_at,
            }
            for document in sheet.documents_handed
        ],
        "documents_waiting": [_waiting(document) for document in sheet.documents_waiting],
        "newspapers": {
            "window_from": f"{newspapers.window[0]:%H:%M}",
            "window_until": f"{newspapers.window[1]:%H:%M}",
            "offices": [
                {
                    "office_id": entry.office.pk,
                    "room": entry.office.room,
                    "leader": entry.leader.name,
                    "papers": [{"publication": paper.name, "copies": copies} for paper, copies in entry.papers],
                    "delivered_at": entry.delivery.delivered_at if entry.delivery else None,
                    "delivered_by": _user(entry.delivery.delivered_by) if entry.delivery else None,
                    "missing": [
                        {"publication": missing.publication.name, "copies": missing.copies, "note": missing.note}
                        for missing in entry.missing
                    ],
                }
                for entry in newspapers.offices
            ],
        },
        "lunch": {
            "lunch_at": f"{lunch.lunch_at:%H:%M}",
            "menu": lunch.menu,
            "checks": [
                {"code": check.code, "label": check.label, "done_at": check.done_at, "late": check.late}
                for check in lunch.checks
            ],
            "requests_done": lunch.requests_done,
            "leaders": [
                {
                    "leader": entry.leader.name,
                    "tableware": entry.tableware.number if entry.tableware else "",
                    "expected": entry.expected,
                    "eats": entry.request.eats if entry.request else None,
                    "request": entry.request.request if entry.request else "",
                    "dietary_notes": entry.dietary_notes,
                    "taken_at": entry.request.taken_at if entry.request else None,
                }
                for entry in lunch.leaders
            ],
        },
        "cleanings": [
            {
                "id": line.cleaning.pk,
                "office_id": line.cleaning.office_id,
                "room": line.cleaning.office.room,
                "leader": line.cleaning.office.leader.name,
                "cleaner": _user(line.cleaning.cleaner),
                "started_at": line.cleaning.started_at,
                "steps_done": line.steps_done,
                "steps_total": line.steps_total,
                "inspections": [
                    {"inspection": inspection, "answer": answer} for inspection, answer in line.inspections
                ],
                "documents_taken": line.documents,
                "locked_at": line.cleaning.locked_at,
            }
            for line in sheet.cleanings
        ],
        "grooming": [
            {"user": _user(member), "checked_at": check.checked_at if check else None}
            for member, check in sheet.grooming
        ],
        "journal": sheet.journal,
        "next_day": sheet.next_day,
        "calendar_problem": sheet.calendar_problem,
        "meetings": sheet.meetings,
    }


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/reception/journal",
    response={200: JournalPageOut, **errors_answered(422)},
    summary="The work journal, newest first: searched by days, person and text",
)
@answers_validation_errors()
def journal_search(request: HttpRequest, filters: Query[JournalSearchIn]):
    require_reader(request.user)
    found = journal_filtered(
        journal_visible_to(request.user),
        JournalFilters(day_from=filters.day_from, day_to=filters.day_to, author_id=filters.author_id, q=filters.q),
    )
    page = found[filters.offset : filters.offset + filters.limit]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": list(page)}


@router.post(
    "/reception/journal",
    response={201: JournalEntryOut, **errors_answered(400, 422)},
    summary="Write an entry in the journal by hand (now, or a moment of the last 7 days)",
)
@answers_validation_errors()
def journal_add(request: HttpRequest, payload: JournalEntryIn):
    require_worker(request.user)
    entry = journal_entry_add(user=request.user, text=payload.text, at=payload.at)
    return Reply(201, journal_visible_to(request.user).get(pk=entry.pk))


@router.get(
    "/reception/review",
    response={200: ReviewOut, **errors_answered()},
    summary="The end-of-day review: today's journal, the next working day's meetings, the team's open matters "
    "and the documents still to hand over, with today's review item",
)
def review_get(request: HttpRequest):
    require_reader(request.user)
    today = timezone.localdate()
    day_plan_ensure(today)
    return end_of_day_review(request.user, today)


@router.get(
    "/reception/sheet",
    response={200: DaySheetOut, **errors_answered(422)},
    summary="The reception day sheet of a day: timeline, documents, newspapers, lunch, cleanings, grooming, "
    "journal and the next working day's meetings",
)
def sheet_get(request: HttpRequest, filters: Query[SheetIn]):
    return _sheet(day_sheet(request.user, _sheet_day(request, filters)))


def _sheet_day(request: HttpRequest, filters: SheetIn) -> date:
    require_reader(request.user)
    today = timezone.localdate()
    day = filters.day or today
    if day == today:
        day_plan_ensure(today)
    return day


@router.get(
    "/reception/sheet.pdf",
    response=errors_answered(422),
    openapi_extra=pdf_answered("The reception day sheet, A4, with its CJK font embedded"),
    summary="The reception day sheet of a day as a PDF",
)
def sheet_pdf(request: HttpRequest, filters: Query[SheetIn]):
    return day_sheet_pdf(request.user, _sheet_day(request, filters))
