"""The service team's papers as PDFs, with the CJK font embedded so that they print the same on any office PC:
a meeting's service sheet (会务服务单) the attendant carries, its sign-in sheet (签到表) for the door, and the
team's day sheet (会务日程表) of every meeting of a day. Callers fetch the meeting or the meetings through
access.py; a confidential meeting printed is audited as exported, since the paper leaves Huiwu."""

from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.directory.access import can_see_people
from huiwu.directory.models import Person
from huiwu.lib.pdf import pdf_response
from huiwu.meetings.access import audit_meeting, meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import attendees_in_precedence
from huiwu.security.models import AuditEntry
from huiwu.service.board import board_rows, busy_blocks
from huiwu.service.models import LEVEL_ROLES, MeetingCheck, Season
from huiwu.service.selectors import refill_schedule, service_record

STYLESHEET = "huiwu/pdf-service.css"
# A sign-in sheet has a line per expected attendee, and some spare ones; a meeting of thousands signs in
# on several sheets printed again.
MIN_SIGN_IN_LINES = 10
MAX_SIGN_IN_LINES = 300
SPARE_SIGN_IN_LINES = 3


def _audited(user: User, meeting: Meeting) -> None:
    if meeting.is_confidential:
        audit_meeting(user, meeting, AuditEntry.Action.EXPORT)


def _on(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.start):%Y%m%d}"


def service_sheet_pdf(user: User, meeting: Meeting) -> HttpResponse:
    """The whole service of one meeting on paper: what the booking asks for, the leaders and guests in order
    of service with their habits (for who may see the directory: a board account given the permission alone
    may not), who serves, the three-level check, the checklists as boxes to tick and the refill schedule to fill in."""
    record = service_record(meeting)
    _audited(user, meeting)
    checks = [(check, LEVEL_ROLES[check.level].label) for check in record.checks]
    context = {
        "meeting": meeting,
        "record": record,
        "checks": checks,
        "confirmed": MeetingCheck.State.CONFIRMED,
        "refills": refill_schedule(record),
        "season_label": Season(record.season).label,
        "people": record.order_of_service if can_see_people(user) else None,
        "printed_at": timezone.now(),
        "printed_by": user,
    }
    return pdf_response(
        "service/pdf/service_sheet.html",
        context,
        stylesheet=STYLESHEET,
        filename=f"会务服务单-{_on(meeting)}-{meeting.pk}.pdf",
    )


@dataclass(frozen=True)
class SignInLine:
    number: int
    person: Person | None = None  # a leader or guest expected; None for a line to fill in by hand


def sign_in_lines(user: User, meeting: Meeting) -> list[SignInLine]:
    """The leaders and guests expected, in precedence order (for who may see the directory), then blank lines
    up to the headcount and a few more, within MIN_/MAX_SIGN_IN_LINES."""
    people = attendees_in_precedence(meeting) if can_see_people(user) else []
    wanted = min(max(meeting.headcount + SPARE_SIGN_IN_LINES, len(people), MIN_SIGN_IN_LINES), MAX_SIGN_IN_LINES)
    lines = [SignInLine(number, person) for number, person in enumerate(people, start=1)]
    lines += [SignInLine(number) for number in range(len(lines) + 1, wanted + 1)]
    return lines


def sign_in_sheet_pdf(user: User, meeting: Meeting) -> HttpResponse:
    """The sheet at the door: the meeting, then a ruled line per attendee with name, organization, title,
    time and signature; the leaders and guests expected are printed on their lines already."""
    lines = sign_in_lines(user, meeting)
    _audited(user, meeting)
    context = {"meeting": meeting, "lines": lines, "printed_at": timezone.now()}
    return pdf_response(
        "service/pdf/sign_in_sheet.html",
        context,
        stylesheet=STYLESHEET,
        filename=f"签到表-{_on(meeting)}-{meeting.pk}.pdf",
    )


def day_sheet_pdf(user: User, day: date) -> HttpResponse:
    """The team's day on one sheet: every meeting of `day` the user may see by start and room, with who serves
    it and each check level's state; the confidential meetings they may not see as busy blocks."""
    now = timezone.now()
    rows = sorted(
        board_rows(meetings_visible_to(user), day, now), key=lambda row: (row.meeting.start, row.meeting.room.name)
    )
    for row in rows:
        _audited(user, row.meeting)
    context = {
        "day": day,
        "rows": rows,
        "busy": busy_blocks(user, day),
        "confirmed": MeetingCheck.State.CONFIRMED,
        "printed_at": now,
        "printed_by": user,
    }
    return pdf_response(
        "service/pdf/day_sheet.html", context, stylesheet=STYLESHEET, filename=f"会务日程-{day:%Y%m%d}.pdf"
    )
