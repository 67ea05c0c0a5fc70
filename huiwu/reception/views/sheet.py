"""The reception day sheet (礼仪接待日报): one day of the team on a printable A4 page."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from huiwu.lib.params import date_param
from huiwu.reception.access import require_reader
from huiwu.reception.exports.sheet import day_sheet_pdf
from huiwu.reception.selectors.sheet import day_sheet
from huiwu.reception.services.routine import day_plan_ensure


def _day(request: HttpRequest) -> date:
    """The day asked for (today if none or unreadable), today's timeline planned here when no worker has."""
    require_reader(request.user)
    today = timezone.localdate()
    day = date_param(request.GET.get("day")) or today
    if day == today:
        day_plan_ensure(today)
    return day


@login_required
def sheet_page(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    asked = request.GET.get("day")
    context = {
        "sheet": day_sheet(request.user, day),
        "printed_at": timezone.now(),
        "printed_by": request.user,
        # A day that is not a valid YYYY-MM-DD in the supported range: today's sheet, saying why.
        "bad_day": bool(asked) and date_param(asked) is None,
        # One day either way; a step out of the supported range reads as today, like any day out of range.
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }
    return render(request, "reception/sheet/sheet.html", context)


@login_required
def sheet_pdf(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get("day")
    if asked and date_param(asked) is None:
        # The page says why the day could not be read, and shows today's sheet.
        return redirect(f"{reverse('reception:sheet')}?{request.GET.urlencode()}")
    return day_sheet_pdf(request.user, _day(request))
