"""Writes of the ad-hoc matters (随机性事务, seed 篇3 (五)) the GM office (总经办), leaders and departments give
the reception team: recorded, assigned within the team, done, and confirmed with whoever asked.

A matter is a delegated task of kind errand asked by an internal office or leader in words (requester_name),
with no client organization: these functions put the reception team's rules around the delegations services
(which hold the task's states, history and reminders) and write each step in the work journal. Cost,
evidence, changes and cancelling stay on the task's own page and API.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.delegations import services as delegations
from huiwu.delegations.deadlines import task_url
from huiwu.delegations.models import DelegatedTask, DelegationNotice
from huiwu.lib.i18n import site_language
from huiwu.reception.access import require_worker
from huiwu.reception.models import JournalEntry
from huiwu.reception.selectors.team import reception_members, team_matters
from huiwu.reception.services.journal import journal_write

# The requester has no account: they are told by phone, on WeCom or in person, never through the portal.
CONFIRMATION_METHODS = (
    DelegationNotice.Method.PHONE,
    DelegationNotice.Method.WECOM,
    DelegationNotice.Method.IN_PERSON,
)


def _when(value: datetime) -> str:
    return f"{timezone.localtime(value):%m-%d %H:%M}"


def _journal(user: User, task: DelegatedTask, text: str) -> None:
    journal_write(author=user, source=JournalEntry.Source.MATTER, text=text, url=task_url(task))


def _require_matter(user: User, task: DelegatedTask) -> None:
    """The steps here are for the team's matters: a client's purchase is done on the task's own page."""
    require_worker(user)
    if not team_matters(user).filter(pk=task.pk).exists():
        raise ValidationError(_("This task is not one of the reception team's ad-hoc matters."), code="not_a_matter")


def _check_member(errors: dict[str, str], assignee: User | None) -> None:
    if assignee is None:
        errors["assignee"] = _("Choose who of the team does it.")
    elif not reception_members().filter(pk=assignee.pk).exists():
        errors["assignee"] = _("Choose an active member of the reception team.")


@transaction.atomic
def matter_record(
    *,
    user: User,
    title: str,
    requester_name: str,
    due_at: datetime | None,
    assignee: User | None,
    details: str = "",
) -> DelegatedTask:
    """Record a matter given to the team by `requester_name` (e.g. 总经办 王主任), to be done by `assignee` (a
    member of the team, chosen) by `due_at`. Recording it is taking it on: it starts accepted."""
    require_worker(user)
    errors: dict[str, str] = {}
    if not (requester_name or "").strip():
        errors["requester_name"] = _("Say who gave the matter, e.g. 总经办 王主任.")
    _check_member(errors, assignee)
    try:
        task = delegations.task_create(
            user=user,
            kind=DelegatedTask.Kind.ERRAND,
            title=title,
            details=details,
            requester_name=requester_name,
            due_at=due_at,
            assignee=assignee if "assignee" not in errors else None,
        )
    except ValidationError as error:
        # Every message at once: ours and the task's (what, by when), on their fields.
        raise ValidationError(error.message_dict | errors) from None
    if errors:
        # The task's own rules held, ours did not: the atomic block takes the task back.
        raise ValidationError(errors)
    with site_language():
        text = _("Ad-hoc matter recorded: %(title)s (from %(requester)s, by %(due)s), given to %(assignee)s.") % {
            "title": task.title,
            "requester": task.requester_name,
            "due": _when(task.due_at),
            "assignee": assignee,
        }
    _journal(user, task, text)
    return task


@transaction.atomic
def matter_assign(*, user: User, task: DelegatedTask, assignee: User | None) -> DelegatedTask:
    """Give the matter to another member of the team."""
    _require_matter(user, task)
    errors: dict[str, str] = {}
    _check_member(errors, assignee)
    if errors:
        raise ValidationError(errors)
    if assignee.pk == task.assignee_id:
        return task
    task = delegations.task_change(user=user, task=task, assignee=assignee)
    with site_language():
        text = _("Ad-hoc matter %(title)s given to %(assignee)s.") % {"title": task.title, "assignee": assignee}
    _journal(user, task, text)
    return task


@transaction.atomic
def matter_start(*, user: User, task: DelegatedTask) -> DelegatedTask:
    _require_matter(user, task)
    task = delegations.task_start(user=user, task=task)
    with site_language():
        text = _("Ad-hoc matter started: %(title)s.") % {"title": task.title}
    _journal(user, task, text)
    return task


@transaction.atomic
def matter_done(*, user: User, task: DelegatedTask, note: str = "") -> DelegatedTask:
    """The work is done: the matter now waits for the requester's confirmation."""
    _require_matter(user, task)
    task = delegations.task_done(user=user, task=task, note=note)
    with site_language():
        text = _("Ad-hoc matter done: %(title)s.") % {"title": task.title}
        if task.done_note:
            text = f"{text} {task.done_note}"
    _journal(user, task, text)
    return task


@transaction.atomic
def matter_confirm(
    *,
    user: User,
    task: DelegatedTask,
    method: str,
    notified_at: datetime | None = None,
    notified_person: str = "",
    answer: str = "",
) -> DelegationNotice:
    """The requester was told the matter is done (by phone, WeCom or in person; at `notified_at`, now by
    default; `notified_person` when not the requester themselves) and what they answered: the matter is
    complete."""
    _require_matter(user, task)
    if method not in CONFIRMATION_METHODS:
        raise ValidationError(
            {"method": _("Choose how the requester was told: by phone, on WeCom or in person.")}, code="method"
        )
    notice = delegations.task_notice_record(
        user=user,
        task=task,
        method=method,
        notified_at=notified_at or timezone.now(),
        notified_person=notified_person,
        client_answer=answer,
    )
    with site_language():
        text = _("Ad-hoc matter confirmed with %(person)s (%(method)s): %(title)s.") % {
            "person": notice.notified_person or task.requester_name,
            "method": notice.get_method_display(),
            "title": task.title,
        }
        if notice.client_answer:
            text = f"{text} {notice.client_answer}"
    _journal(user, task, text)
    return notice
