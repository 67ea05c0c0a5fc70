"""The today board (会务看板): every meeting of the day with its check lights and next refill, its
exceptions on top and counted at the head with the refills' punctuality, refreshed by htmx polling. Its
queries do not grow with the number of meetings (test_pages.py, bench/board.py)."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from huiwu.lib.params import date_param
from huiwu.meetings.access import meetings_visible_to
from huiwu.service.access import can_edit_standards, require_service_reader
from huiwu.service.exports import day_sheet_pdf
from huiwu.service.selectors import board_rows, busy_blocks, day_punctuality, exception_counts


def _day(request: HttpRequest) -> date:
    return date_param(request.GET.get("date")) or timezone.localdate()


def _context(request: HttpRequest) -> dict:
    require_service_reader(request.user)
    day = _day(request)
    now = timezone.now()
    meetings = meetings_visible_to(request.user)
    rows = board_rows(meetings, day, now)
    return {
        "day": day,
        "is_today": day == timezone.localdate(now),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "rows": rows,
        "exception_counts": exception_counts(rows),
        "punctuality": day_punctuality(meetings, day, now),
        "busy": busy_blocks(request.user, day),
        "now": now,
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
