"""A delegated task's timed rules, kept in step by `task_deadlines_sync` after every write to the task:

- due (key delegation:<id>:due): its doer — the assignee, or the team leaders while nobody is assigned — is
  reminded DELEGATION_DUE_REMINDER_MINUTES before `due_at`; not marked done by then, it is escalated to the
  team leaders. Marking it done completes it.
- confirmation (key delegation:<id>:confirm): once done and awaiting the client (seed 篇2: nobody had asked
  her to confirm), the hotline is reminded to get the client's confirmation DELEGATION_CONFIRM_MINUTES after
  it was done — earlier when the task serves a meeting that starts sooner, so the client hears of it before
  the meeting, but never before it was done — and it is escalated to the team leaders
  DELEGATION_ESCALATE_MINUTES after that reminder (by the meeting's start at the latest, when that is later
  than the reminder). The client's confirmation or a recorded notice completes it; a dispute cancels it (the
  follow-up the dispute opens has its own deadline).

A refused or cancelled task cancels both. A task of a cancelled meeting keeps them until staff cancel it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from huiwu.accounts.roles import Role
from huiwu.delegations.models import DelegatedTask
from huiwu.lib.i18n import site_language
from huiwu.notify.models import Deadline, Kind
from huiwu.notify.services import deadline_complete, deadline_upsert, deadlines_cancel

State = DelegatedTask.State
# Before it is marked done: the doer's due time is what matters.
UNDONE_STATES = (State.REQUESTED, State.ACCEPTED, State.IN_PROGRESS)


def due_key(task: DelegatedTask) -> str:
    return f"delegation:{task.pk}:due"


def confirm_key(task: DelegatedTask) -> str:
    return f"delegation:{task.pk}:confirm"


def task_url(task: DelegatedTask) -> str:
    return reverse("delegations:detail", args=[task.pk])


def due_reminder_at(task: DelegatedTask) -> datetime:
    """DELEGATION_DUE_REMINDER_MINUTES before the due time, but not before the task was recorded: a task due
    in ten minutes reminds at once instead of being recorded as a reminder missed long ago."""
    return max(task.due_at - timedelta(minutes=settings.DELEGATION_DUE_REMINDER_MINUTES), task.created_at)


def confirmation_times(task: DelegatedTask) -> tuple[datetime, datetime]:
    """(when the hotline is reminded to get the client's confirmation, when it is escalated) for a task done
    at `task.done_at`."""
    done = task.done_at
    remind = done + timedelta(minutes=settings.DELEGATION_CONFIRM_MINUTES)
    start = task.meeting.start if task.meeting_id else None
    if start is not None and start < remind:
        remind = max(start, done)
    escalate = remind + timedelta(minutes=settings.DELEGATION_ESCALATE_MINUTES)
    if start is not None and remind < start < escalate:
        escalate = start
    return remind, escalate


def _named(task: DelegatedTask) -> str:
    """“代购水果（市机关事务管理局）”: the task, and whose it is."""
    if task.organization_id is None:
        return task.title
    return _("%(text)s (%(note)s)") % {"text": task.title, "note": task.organization.name}


def task_deadlines_sync(task: DelegatedTask) -> None:
    """Bring the task's deadlines in line with the task as it now is."""
    deadlines = Deadline.objects.filter(key__in=[due_key(task), confirm_key(task)])
    if task.state in DelegatedTask.CLOSED_STATES:
        deadlines_cancel(deadlines)
        return
    with site_language():
        if task.state in UNDONE_STATES:
            assignee = [task.assignee] if task.assignee is not None and task.assignee.is_active else []
            deadline_upsert(
                key=due_key(task),
                kind=Kind.DELEGATION,
                title=_("Delegated task due: %(task)s") % {"task": _named(task)},
                url=task_url(task),
                opens_at=due_reminder_at(task),
                due_at=task.due_at,
                meeting=task.meeting,
                responsible_role="" if assignee else Role.TEAM_LEADER,
                responsible_users=assignee,
                awaits_completion=True,
                escalate_to_role=Role.TEAM_LEADER,
            )
        else:
            deadline_complete(key=due_key(task))
        if task.state == State.AWAITING_CLIENT:
            remind, escalate = confirmation_times(task)
            deadline_upsert(
                key=confirm_key(task),
                kind=Kind.DELEGATION,
                title=_("Get the client's confirmation: %(task)s") % {"task": _named(task)},
                url=task_url(task),
                opens_at=remind,
                due_at=escalate,
                meeting=task.meeting,
                responsible_role=Role.HOTLINE,
                awaits_completion=True,
                escalate_to_role=Role.TEAM_LEADER,
            )
        elif task.state in DelegatedTask.COMPLETE_STATES:
            deadline_complete(key=confirm_key(task))
        else:
            deadlines_cancel(deadlines.filter(key=confirm_key(task)))
