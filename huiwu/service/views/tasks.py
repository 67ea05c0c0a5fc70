"""我的任务: the attendant's phone view. One card per meeting they serve today: its next action on top with
the time and a countdown and a one-tap button, the checklist of its phase as one row that opens to tick
items. Polled by htmx; each action answers the refreshed list with what happened.

Polled every 30 s on every attendant's phone, so each card is reduced here to its cells — strings and flags,
the times already formatted — and rendered once per content by lib/rows.py, as the board's rows are."""

from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from huiwu.lib.rows import WallClock, rows_html
from huiwu.meetings.access import meetings_visible_to
from huiwu.service.access import get_service_meeting_for_user, require_server
from huiwu.service.models import EarlyReason
from huiwu.service.selectors import ChecklistProgress, MeetingTasks, Task, countdown, tasks_for
from huiwu.service.views.actions import perform_action


class _TaskCell(NamedTuple):
    kind: str  # "start", "refill", "end"
    label: str  # the refill's number
    title: str
    window: str  # "09:30", or a refill's "09:30–09:45"
    countdown: str
    late: bool
    possible: bool
    needs_reason: bool


class _LineCell(NamedTuple):
    phase: str
    item: str
    done: str  # "09:12 张三" once ticked, else empty


class _ChecklistCell(NamedTuple):
    phase: str
    title: str
    done: int
    total: int
    due: str  # "09:30" while it is due by a time and not complete, else empty
    late: bool
    complete: bool
    lines: tuple[_LineCell, ...]


def _task(task: Task, clock: WallClock) -> _TaskCell:
    window = clock.hm(task.at)
    if task.kind == "refill":
        window = f"{window}–{clock.hm(task.late_after)}"
    return _TaskCell(
        kind=task.kind,
        label=task.label,
        title=task.title,
        window=window,
        countdown=countdown(task.at, task.now, task.late_after),
        late=task.late,
        possible=task.possible,
        needs_reason=task.needs_reason,
    )


def _checklist(checklist: ChecklistProgress, clock: WallClock) -> _ChecklistCell:
    lines = tuple(
        _LineCell(
            phase=line.phase,
            item=line.item,
            done=f"{clock.hm(line.tick.done_at)} {line.tick.done_by}" if line.tick else "",
        )
        for line in checklist.lines
    )
    return _ChecklistCell(
        phase=checklist.phase,
        title=checklist.title,
        done=checklist.done,
        total=checklist.total,
        due=clock.hm(checklist.due_at) if checklist.due_at and not checklist.complete else "",
        late=checklist.late,
        complete=checklist.complete,
        lines=lines,
    )


def _cells(entry: MeetingTasks, clock: WallClock, early_reasons: tuple) -> tuple:
    """One card's every cell, in a tuple: what the card shows, and its key among the cards already rendered."""
    meeting, next_task, checklist = entry.meeting, entry.next, entry.checklist
    ended_at = meeting.service.ended_at if entry.ended else None
    return (
        ("id", meeting.pk),
        ("url", reverse("service:meeting", args=[meeting.pk])),
        ("do_url", reverse("service:task_do", args=[meeting.pk])),
        ("title", meeting.title),
        ("place", f"{meeting.room.name} · {clock.hm(meeting.start)}–{clock.hm(meeting.end)}"),
        ("late", bool(next_task and next_task.late) or bool(checklist and checklist.late)),
        ("next", _task(next_task, clock) if next_task else None),
        ("start_from", clock.hm(meeting.blocked_from) if next_task and not next_task.possible else ""),
        ("early_reasons", early_reasons if next_task and next_task.needs_reason else ()),
        ("later", tuple(_task(task, clock) for task in entry.later)),
        ("ended_at", clock.hm(ended_at) if ended_at else ""),
        ("finished", entry.finished),
        ("checklist", _checklist(checklist, clock) if checklist else None),
        ("open", bool(checklist) and not next_task and not checklist.complete),
    )


def _cards(entries: list[MeetingTasks]) -> SafeString:
    clock = WallClock()
    early_reasons = tuple((value, str(label)) for value, label in EarlyReason.choices)
    return rows_html("service/_task_card.html", [_cells(entry, clock, early_reasons) for entry in entries])


def _render(request: HttpRequest, template: str, **extra) -> HttpResponse:
    entries = tasks_for(request.user, meetings_visible_to(request.user), timezone.now())
    return render(request, template, {"cards": _cards(entries), "any": bool(entries), **extra})


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
