"""The team's workload: who serves which meetings on a day, and how many meetings each serves that week."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from huiwu.lib.params import date_param
from huiwu.meetings.access import visible_meeting_ids
from huiwu.service.access import require_service_reader
from huiwu.service.selectors import workload
from huiwu.service.services import assignable_users


def _day(request: HttpRequest, today: date) -> date:
    """The day asked for; anything that is not a real date (2026-02-30, "tomorrow") is today."""
    return date_param(request.GET.get("date")) or today


@login_required
def workload_page(request: HttpRequest) -> HttpResponse:
    require_service_reader(request.user)
    today = timezone.localdate()
    day = _day(request, today)
    monday = day - timedelta(days=day.weekday())
    rows = workload(assignable_users(), day)
    # Who serves a confidential meeting shows; the meeting itself only to those who may see it.
    meetings = [assignment.meeting for row in rows for assignment in row.today]
    context = {
        "visible_ids": visible_meeting_ids(request.user, meetings),
        "day": day,
        "is_today": day == today,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "week_start": monday,
        "week_end": monday + timedelta(days=6),
        "rows": rows,
        "busy_count": sum(1 for row in rows if row.today),
        "nav_current": "service:board",
    }
    return render(request, "service/workload.html", context)
