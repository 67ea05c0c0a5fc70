"""The reception attendant's day (今日流程), their home on the phone: today's timeline in order, each item with
its window and state, one tap where the tap does it, a link where the work is done elsewhere (documents,
newspapers, lunch, cleaning, grooming, the review) with what is still outstanding. Another day (?day=) is
read-only: a past one as it was kept, a future working day as it will be planned. A day off says why and
when work resumes. The timeline polls itself, so states move on with the clock."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.lib.params import MAX_ID, date_param
from huiwu.reception import workdays
from huiwu.reception.access import can_keep_calendar, can_work, get_routine_item_to_do, require_reader
from huiwu.reception.deadlines.routine import day_url
from huiwu.reception.selectors.day import (
    State,
    day_counts,
    day_plan_for,
    day_timeline,
    item_entry,
    timeline_preview,
)
from huiwu.reception.services.routine import day_plan_ensure, routine_item_done
from huiwu.reception.services.standard import routine_standard_current


def _next_workday(day: date) -> date | None:
    # Only an override table closing a whole year has none; the page then simply does not name one.
    try:
        return workdays.next_workday_after(day)
    except ValueError:
        return None


def _context(request: HttpRequest) -> dict:
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    day = date_param(request.GET.get("day")) or today
    info = workdays.day_info(day)
    plan = day_plan_for(day)
    if plan is None and day == today and info.is_workday:
        plan = day_plan_ensure(day)
    if plan is not None:
        entries = day_timeline(plan, user=user, now=now)
    elif info.is_workday and day > today:
        entries = timeline_preview(day, routine_standard_current(), now=now)
    else:
        entries = []
    return {
        "day": day,
        "today": today,
        "is_today": day == today,
        "is_past": day < today,
        "info": info,
        "plan": plan,
        "entries": entries,
        "counts": {
            "done": sum(1 for entry in entries if entry.is_done),
            "missed": sum(1 for entry in entries if entry.state == State.MISSED),
            "total": len(entries),
        },
        "next_workday": None if info.is_workday else _next_workday(day),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "can_work": can_work(user),
        "can_keep_calendar": can_keep_calendar(user),
        "warning": workdays.calendar_warning(today) if can_keep_calendar(user) else "",
        "nav_current": "reception:day",
    }


@login_required
def day_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    context = _context(request)
    if request.htmx:
        return render(request, "reception/day/_timeline.html", context)
    return render(request, "reception/day/day.html", context)


@login_required
@require_POST
def item_done(request: HttpRequest, item_id: int) -> HttpResponse:
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= item_id <= MAX_ID:
        raise Http404
    item = get_routine_item_to_do(request.user, item_id)
    feedback, done = "", False
    try:
        item = routine_item_done(user=request.user, item=item, note=request.POST.get("note", ""))
    except ValidationError as error:
        feedback = " ".join(error.messages)
    else:
        feedback, done = _("Recorded: %(item)s.") % {"item": item.get_code_display()}, True
    if not request.htmx:
        (messages.success if done else messages.error)(request, feedback)
        return redirect(day_url(item.plan.day))
    item.refresh_from_db()
    now = timezone.now()
    context = {
        "entry": item_entry(item, user=request.user, now=now),
        # The day's counts at the head of the page move with the tap (an out-of-band swap).
        "counts": day_counts(item.plan, now),
        "is_today": item.plan.day == timezone.localdate(),
        "can_work": True,
        "feedback": feedback,
        "feedback_ok": done,
    }
    return render(request, "reception/day/_item_done.html", context)
