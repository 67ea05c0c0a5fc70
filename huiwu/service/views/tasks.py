"""我的任务: the attendant's phone view. One card per meeting they serve today: its next action on top with
the time and a countdown and a one-tap button, the checklist of its phase as one row that opens to tick
items. Polled by htmx; each action answers the refreshed list with what happened."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huiwu.meetings.access import meetings_visible_to
from huiwu.service.access import get_service_meeting_for_user, require_server
from huiwu.service.models import EarlyReason
from huiwu.service.selectors import tasks_for
from huiwu.service.views.actions import perform_action


def _render(request: HttpRequest, template: str, **extra) -> HttpResponse:
    now = timezone.now()
    context = {
        "meetings": tasks_for(request.user, meetings_visible_to(request.user), now),
        "early_reasons": EarlyReason.choices,
        "now": now,
        **extra,
    }
    return render(request, template, context)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    require_server(request.user)
    if request.htmx:
        return _render(request, "service/_tasks.html")
    return _render(request, "service/my_tasks.html", nav_current="service:my_tasks")


@login_required
@require_POST
def task_do(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_service_meeting_for_user(request.user, meeting_id)
    done, message = perform_action(request, meeting)
    return _render(request, "service/_tasks.html", feedback=message, feedback_ok=done)
