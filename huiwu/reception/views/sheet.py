"""The reception day sheet (礼仪接待日报): one day of the team on a printable A4 page."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from huiwu.lib.params import date_param
from huiwu.reception.access import require_reader
from huiwu.reception.selectors.sheet import day_sheet
from huiwu.reception.services.routine import day_plan_ensure


@login_required
def sheet_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    today = timezone.localdate()
    asked = request.GET.get("day")
    day = date_param(asked) or today
    if day == today:
        # Today's timeline, planned here when no worker has planned the day yet.
        day_plan_ensure(today)
    context = {
        "sheet": day_sheet(request.user, day),
        "printed_at": timezone.now(),
        # A day that is not a valid YYYY-MM-DD in the supported range: today's sheet, saying why.
        "bad_day": bool(asked) and date_param(asked) is None,
        # One day either way; a step out of the supported range reads as today, like any day out of range.
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }
    return render(request, "reception/sheet/sheet.html", context)
