"""Who may see and do what with delegated tasks. Every page, API call, export, file download and notification
link goes through these.

Service staff who read tasks see every task but those of a confidential meeting they may not see; a client
contact sees their own organization's tasks only. A task the user may not see is indistinguishable from one
that does not exist (404). Among those who see a task:

- booking staff (manager, team leader, hotline) manage it: record, accept, assign, refuse, cancel, record the
  notices to the client;
- its assignee, or booking staff, do it: start, mark done, record the cost, add evidence;
- a client contact of its organization confirms it or disputes it (staff record a notice instead: they cannot
  confirm in the client's name), and cancels their own organization's request while it is not yet accepted.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, RoleRequired, roles_holding
from huiwu.delegations.models import DelegatedTask, DelegatedTaskQuerySet, DelegationEvidence
from huiwu.lib.params import MAX_ID
from huiwu.meetings.access import audit_meeting, meetings_visible_to
from huiwu.security.models import AuditEntry

VIEW = "delegations.view_delegatedtask"
DO = "delegations.change_delegatedtask"
RUN = "delegations.add_delegatedtask"


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def is_task_staff(user: User) -> bool:
    """Staff who read every task (their confidential meetings aside)."""
    return _active(user) and user.has_perm(VIEW)


def is_task_client(user: User) -> bool:
    """A client contact with an organization: they follow their organization's tasks."""
    return _active(user) and not is_task_staff(user) and user.has_role(Role.CLIENT) and user.organization_id is not None


def can_read_tasks(user: User) -> bool:
    return is_task_staff(user) or is_task_client(user)


def can_manage(user: User) -> bool:
    """Booking staff: record, accept, assign, refuse and cancel tasks, and record notices to the client."""
    return is_task_staff(user) and user.has_perm(RUN)


def can_request(user: User) -> bool:
    """Who may record a new task: booking staff, or a client contact for their own organization."""
    return can_manage(user) or (is_task_client(user) and user.has_perm(RUN))


def require_task_reader(user: User) -> None:
    if not can_read_tasks(user):
        raise RoleRequired([*roles_holding(VIEW), Role.CLIENT])


def require_task_requester(user: User) -> None:
    if not can_request(user):
        raise RoleRequired([*roles_holding(VIEW, RUN), Role.CLIENT])


def require_task_manager(user: User) -> None:
    if not can_manage(user):
        raise RoleRequired.holding(VIEW, RUN)


def can_do(user: User, task: DelegatedTask) -> bool:
    return can_manage(user) or (is_task_staff(user) and user.has_perm(DO) and task.assignee_id == user.pk)


def require_task_doer(user: User, task: DelegatedTask) -> None:
    if not can_do(user, task):
        raise RoleRequired(
            roles_holding(VIEW, RUN),
            _(
                "Only the person the task is assigned to, or the service centre manager, team leader or hotline, "
                "may do this."
            ),
        )


def can_confirm(user: User, task: DelegatedTask) -> bool:
    return is_task_client(user) and task.organization_id == user.organization_id


def require_task_confirmer(user: User, task: DelegatedTask) -> None:
    if not can_confirm(user, task):
        raise RoleRequired(
            [Role.CLIENT],
            _(
                "Only a client contact of the task's organization confirms it or disputes it; "
                "staff record a notice to the client instead."
            ),
        )


def can_cancel(user: User, task: DelegatedTask) -> bool:
    """Booking staff cancel any task; a client cancels their organization's request until it is accepted."""
    return can_manage(user) or (can_confirm(user, task) and task.state == DelegatedTask.State.REQUESTED)


def require_task_canceller(user: User, task: DelegatedTask) -> None:
    if not can_cancel(user, task):
        raise RoleRequired(
            roles_holding(VIEW, RUN),
            _("A client cancels their request only until it is accepted; after that, ask the service hotline."),
        )


def tasks_visible_to(user: User) -> DelegatedTaskQuerySet:
    tasks = DelegatedTask.objects.select_related(
        "meeting__room",
        "assignee",
        "organization",
        "requester_contact",
        "done_by",
        "confirmed_by",
        "closed_by",
        "created_by",
    )
    if is_task_staff(user):
        visible = tasks
    elif is_task_client(user):
        visible = tasks.filter(organization_id=user.organization_id)
    else:
        return tasks.none()
    # What hangs on a confidential meeting is as hidden as the meeting itself.
    shown = meetings_visible_to(user).filter(pk=OuterRef("meeting_id"))
    return visible.filter(Q(meeting__isnull=True) | Exists(shown))


def get_task_for_user(user: User, task_id: int) -> DelegatedTask:
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= task_id <= MAX_ID:
        raise Http404
    try:
        task = tasks_visible_to(user).get(pk=task_id)
    except DelegatedTask.DoesNotExist:
        raise Http404 from None
    if task.meeting is not None and task.meeting.is_confidential:
        audit_meeting(user, task.meeting, AuditEntry.Action.VIEW)
    return task


def get_task_to_manage(user: User, task_id: int) -> DelegatedTask:
    """404 as get_task_for_user, then 403 for who may see the task but not manage it."""
    task = get_task_for_user(user, task_id)
    require_task_manager(user)
    return task


def get_task_to_do(user: User, task_id: int) -> DelegatedTask:
    task = get_task_for_user(user, task_id)
    require_task_doer(user, task)
    return task


def get_task_to_confirm(user: User, task_id: int) -> DelegatedTask:
    task = get_task_for_user(user, task_id)
    require_task_confirmer(user, task)
    return task


def get_task_to_cancel(user: User, task_id: int) -> DelegatedTask:
    task = get_task_for_user(user, task_id)
    require_task_canceller(user, task)
    return task


def get_evidence_for_user(user: User, task_id: int, evidence_id: int) -> DelegationEvidence:
    """A receipt or photo of a task the user may see (404 otherwise, and for another task's evidence)."""
    task = get_task_for_user(user, task_id)
    if not 1 <= evidence_id <= MAX_ID:
        raise Http404
    try:
        return task.evidence.get(pk=evidence_id)
    except DelegationEvidence.DoesNotExist:
        raise Http404 from None
