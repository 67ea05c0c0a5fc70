"""The working-day calendar (工作日历, DESIGN.md §4.4): a month with each day's kind — 工作日, 周末, the holiday's
name, 调休上班, or the override table's entry with its reason — where the calendar's data ends, and the warning
when that is near. Those who keep the calendar reach the admin's override table and years from here."""

import re
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import RoleRequired, roles_holding
from huiwu.reception import workdays
from huiwu.reception.access import KEEP_CALENDAR, READ, can_keep_calendar, can_read
from huiwu.reception.models import FIRST_YEAR, LAST_YEAR

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
# The official calendar's word for a plain weekend (workdays._official): any other reason of a day off is a
# holiday's name.
WEEKEND = _("Weekend")


def _month(text: str | None, today: date) -> date:
    """The first day of ?month=YYYY-MM, within the years the calendar may hold; this month otherwise."""
    match = _MONTH.fullmatch(text or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _kind(info: workdays.DayInfo) -> str:
    """How the day is shown: a working day, one worked in lieu (调休上班), a holiday, a weekend, or a day the
    override table gives off."""
    if info.is_workday:
        return "adjusted" if info.is_adjusted_workday else "workday"
    if info.source == workdays.Source.OVERRIDE:
        return "off"
    if info.source == workdays.Source.OFFICIAL and str(info.reason) != str(WEEKEND):
        return "holiday"
    return "weekend"


def _is_special(cell: dict) -> bool:
    return cell["kind"] in ("adjusted", "holiday") or cell["info"].source == workdays.Source.OVERRIDE


def _runs(days: list[workdays.DayInfo]) -> list[dict]:
    """Consecutive days of the same kind and reason as one line: 国庆节 is 10月1日 to 10月7日, not seven lines."""
    runs: list[dict] = []
    for info in days:
        last = runs[-1] if runs else None
        if (
            last is not None
            and last["last"] == info.day - timedelta(days=1)
            and (last["info"].is_workday, str(last["info"].reason), last["info"].source)
            == (info.is_workday, str(info.reason), info.source)
        ):
            last["last"] = info.day
        else:
            runs.append({"info": info, "first": info.day, "last": info.day})
    for run in runs:
        run["days"] = (run["last"] - run["first"]).days + 1
    return runs


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (can_read(user) or can_keep_calendar(user)):
        raise RoleRequired([*roles_holding(READ), *roles_holding(KEEP_CALENDAR)])
    today = timezone.localdate()
    first = _month(request.GET.get("month"), today)
    following = _next_month(first)
    last = following - timedelta(days=1)
    # Whole weeks, Monday first, as a wall calendar shows them.
    grid_first = first - timedelta(days=first.weekday())
    grid_last = last + timedelta(days=6 - last.weekday())
    days = workdays.workday_calendar(grid_first, grid_last)
    cells = [
        {"info": info, "kind": _kind(info), "in_month": info.day.month == first.month, "is_today": info.day == today}
        for info in days.values()
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    context = {
        "month": first,
        "weeks": [cells[index : index + 7] for index in range(0, len(cells), 7)],
        "special": _runs([cell["info"] for cell in cells if cell["in_month"] and _is_special(cell)]),
        "weekdays_only": any(cell["info"].source == workdays.Source.WEEKDAYS for cell in cells if cell["in_month"]),
        "previous_month": previous if previous.year >= FIRST_YEAR else None,
        "next_month": following if following.year <= LAST_YEAR else None,
        "data_ends_on": workdays.data_ends_on(),
        "warning": workdays.calendar_warning(today),
        "can_keep_calendar": can_keep_calendar(user),
        "can_open_admin": can_keep_calendar(user) and user.is_staff,
        "can_read_day": can_read(user),
        "nav_current": "reception:day",
    }
    return render(request, "reception/day/calendar.html", context)
