"""The today board (会务看板): every meeting of the day with its check lights and next refill, its
exceptions on top and counted at the head with the refills' punctuality, refreshed by htmx polling. Its
queries do not grow with the number of meetings (test_pages.py, bench/pages.py).

Every screen in the service centre polls the rows every 30 s, so each row is reduced here to its cells —
strings and flags, the lights and the attendants already as markup — and rendered once per content by
lib/rows.py; and the whole of the rows, with the counts at their head, is kept as a snapshot (lib/snapshots.py)
that the polls that follow serve again while the day's data is unchanged and the clock has not moved anything
on (bench/pages.py prints what a render costs, built and served again)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape  # the standard library's: Django's wraps it for lazy strings, at thrice the cost
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from huiwu.lib.params import date_param
from huiwu.lib.rows import rows_html
from huiwu.lib.snapshots import Snapshots
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import Meeting, MeetingQuerySet, Status
from huiwu.service.access import can_edit_standards, require_service_reader
from huiwu.service.board import (
    BoardCheck,
    BoardRow,
    ExceptionCount,
    board_kept,
    busy_blocks,
    day_punctuality,
    exception_counts,
)
from huiwu.service.exports import day_sheet_pdf
from huiwu.service.models import MeetingCheck
from huiwu.service.selectors import Punctuality

_LIGHT_TONES = {MeetingCheck.State.CONFIRMED: "text-bg-success", MeetingCheck.State.FAILED: "text-bg-danger"}
_LIGHT_MARKS = {MeetingCheck.State.CONFIRMED: "✓", MeetingCheck.State.FAILED: "✗"}


class _ExceptionCell(NamedTuple):
    serious: bool
    kind: str
    text: str


def _day(request: HttpRequest) -> date:
    return date_param(request.GET.get("date")) or timezone.localdate()


def _lights(checks: list[BoardCheck]) -> SafeString:
    """The check levels' lights: green confirmed, red failed, amber overdue, else the time each is due."""
    lights = []
    for check in checks:
        tone = _LIGHT_TONES.get(check.state) or ("text-bg-warning" if check.overdue else "text-bg-light border")
        hint = escape(f"{check.level_label} · {check.state_label} · {check.due_hm}")
        mark = _LIGHT_MARKS.get(check.state, check.due_hm)
        lights.append(
            f'<span class="badge {tone}" title="{hint}" data-testid="light-{check.level}">L{check.level} {mark}</span>'
        )
    return mark_safe("".join(lights))  # noqa: S308 -- every part above is a constant, a number or escaped


def _cells(row: BoardRow, lead: str, nobody: str) -> tuple:
    """One row's every cell as a string or a flag, in a tuple: what the row shows, and its key among the rows
    already rendered."""
    meeting = row.meeting
    if row.serious:
        css = " border-danger hw-row-serious"
    else:
        css = " border-warning hw-row-warn" if row.needs_attention else ""
    names = [escape(a.attendant.name) + (lead if a.duty == "lead" else "") for a in row.assignments]
    return (
        ("id", str(meeting.id)),
        ("css", css),
        ("serious", row.serious),
        ("times", meeting.times),
        ("room", meeting.room.name),
        ("url", row.url),
        ("title", meeting.title),
        ("urgent", row.urgent),
        ("requested", meeting.status == Status.REQUESTED),
        ("lights", _lights(row.checks)),
        ("exceptions", tuple(_ExceptionCell(e.serious, e.kind.value, e.text) for e in row.exceptions)),
        ("running", row.running_text),
        ("next_refill", row.next_refill_text),
        ("refill_late", row.refill_late),
        ("last_refill", row.last_refill_text),
        ("last_refill_early", row.last_refill is not None and row.last_refill.early),
        ("ended", row.ended_text),
        ("assignees", mark_safe("、".join(names)) if names else nobody),  # noqa: S308 -- names escaped above
    )


def _rows_html(rows: list[BoardRow]) -> SafeString:
    lead = format_html('<span class="badge text-bg-light border ms-1">{}</span>', _("lead"))
    nobody = _("Nobody assigned")
    return rows_html("service/_board_row.html", [_cells(row, lead, nobody) for row in rows])


@dataclass(frozen=True, slots=True)
class _Rows:
    """The rows of a board and the counts at their head, as the reader's screen shows them."""

    html: SafeString
    any: bool
    exception_counts: list[ExceptionCount]
    punctuality: Punctuality


# A few days in both languages for each set of meetings readers may see (a manager's, an attendant's, …).
_SNAPSHOTS = Snapshots(size=64)


def _board(meetings: MeetingQuerySet, day: date, now: datetime) -> _Rows:
    """The board of the meetings the reader may see, from its snapshot while that holds (board_kept)."""

    def make(shown: list[BoardRow], ids: tuple) -> _Rows:
        return _Rows(
            html=_rows_html(shown),
            any=bool(shown),
            exception_counts=exception_counts(shown),
            punctuality=day_punctuality(Meeting.objects.filter(pk__in=ids), day, now),
        )

    return board_kept(_SNAPSHOTS, meetings, day, now, make)


def _context(request: HttpRequest) -> dict:
    require_service_reader(request.user)
    day = _day(request)
    now = timezone.now()
    rows = _board(meetings_visible_to(request.user), day, now)
    return {
        "day": day,
        "is_today": day == timezone.localdate(now),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "rows": rows,
        "busy": busy_blocks(request.user, day),
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    context = _context(request) | {
        "nav_current": "service:board",
        "can_edit_standards": can_edit_standards(request.user),
    }
    return render(request, "service/board.html", context)


@login_required
def board_rows_fragment(request: HttpRequest) -> HttpResponse:
    return render(request, "service/_board_rows.html", _context(request))


@login_required
def day_sheet(request: HttpRequest) -> HttpResponse:
    require_service_reader(request.user)
    return day_sheet_pdf(request.user, _day(request))
