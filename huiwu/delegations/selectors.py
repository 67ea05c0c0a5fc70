"""Reads shared by the pages, the API, the exports and the today page. Callers pass tasks already limited by
access.py (tasks_visible_to); each read costs a fixed number of queries however many tasks there are."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.models import User
from huiwu.accounts.roles import ROLE_PERMISSIONS
from huiwu.delegations.access import DO, can_confirm, tasks_visible_to
from huiwu.delegations.models import (
    DelegatedTask,
    DelegatedTaskQuerySet,
    DelegationEvent,
    DelegationEvidence,
    DelegationNotice,
)
from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import day_bounds

State = DelegatedTask.State


class StateFilter(TextChoices):
    """The list's state filter: the open tasks (default), every task, or one state."""

    OPEN = "open", pgettext_lazy("delegated tasks", "Open")
    ALL = "all", _("All")


STATE_FILTERS = [*StateFilter.values, *State.values]


@dataclass(frozen=True)
class TaskFilters:
    state: str = StateFilter.OPEN
    awaiting_client: bool = False
    mine: bool = False
    meeting_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None


def tasks_filtered(tasks: DelegatedTaskQuerySet, filters: TaskFilters, *, user: User) -> DelegatedTaskQuerySet:
    """The tasks matching `filters`; those awaiting the client's confirmation first (someone has to get it),
    then the other open ones, then the rest, each by due time."""
    if filters.state == StateFilter.OPEN:
        tasks = tasks.open()
    elif filters.state != StateFilter.ALL:
        tasks = tasks.filter(state=filters.state)
    if filters.awaiting_client:
        tasks = tasks.awaiting_client()
    if filters.mine:
        tasks = tasks.filter(assignee=user)
    if filters.meeting_id is not None:
        tasks = tasks.filter(meeting_id=filters.meeting_id)
    if filters.due_from is not None:
        tasks = tasks.filter(due_at__gte=day_bounds(filters.due_from)[0])
    if filters.due_to is not None:
        tasks = tasks.filter(due_at__lt=day_bounds(filters.due_to)[1])
    rank = Case(
        When(state=State.AWAITING_CLIENT, then=Value(0)),
        When(state__in=DelegatedTask.OPEN_STATES, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return tasks.annotate(rank=rank).order_by("rank", "due_at", "id")


def with_details(tasks: DelegatedTaskQuerySet) -> DelegatedTaskQuerySet:
    """What the detail page and the API show of each task: its notices, evidence and history."""
    return tasks.prefetch_related(
        Prefetch("notices", queryset=DelegationNotice.objects.select_related("notified_by")),
        Prefetch("evidence", queryset=DelegationEvidence.objects.select_related("uploaded_by")),
        Prefetch("events", queryset=DelegationEvent.objects.select_related("actor")),
    )


def meeting_tasks_for(user: User, meeting: Meeting) -> list[DelegatedTask]:
    """The meeting's tasks the user may see, by due time: what the meeting's pages show of them. Each carries
    its notices, its receipts counted (`receipts`), and whether the user may confirm it (`can_confirm`) or
    dispute it (`can_dispute`) right there."""
    tasks = list(
        tasks_visible_to(user)
        .filter(meeting=meeting)
        .annotate(receipts=Count("evidence", filter=Q(evidence__kind=DelegationEvidence.Kind.RECEIPT)))
        .prefetch_related(Prefetch("notices", queryset=DelegationNotice.objects.select_related("notified_by")))
        .order_by("due_at", "id")
    )
    for task in tasks:
        client = can_confirm(user, task)
        task.can_confirm = client and task.state == State.AWAITING_CLIENT
        task.can_dispute = client and task.state in (State.AWAITING_CLIENT, State.NOTIFIED)
    return tasks


@dataclass
class CostList:
    """会议费用清单: a meeting's delegated purchases for reimbursement, with their totals."""

    meeting: Meeting
    tasks: list[DelegatedTask]
    budget_total: Decimal
    actual_total: Decimal
    receipts_total: int


def meeting_cost_list(user: User, meeting: Meeting) -> CostList:
    """The meeting's purchases the user may see, refused and cancelled ones left out (nothing was bought),
    by due time; each with its receipts counted (`receipts`) and its last notice (`last_notice`)."""
    tasks = (
        tasks_visible_to(user)
        .filter(meeting=meeting, kind=DelegatedTask.Kind.PURCHASE)
        .exclude(state__in=DelegatedTask.CLOSED_STATES)
        .annotate(receipts=Count("evidence", filter=Q(evidence__kind=DelegationEvidence.Kind.RECEIPT)))
        .prefetch_related(Prefetch("notices", queryset=DelegationNotice.objects.select_related("notified_by")))
        .order_by("due_at", "id")
    )
    rows = list(tasks)
    for task in rows:
        notices = list(task.notices.all())
        task.last_notice = notices[-1] if notices else None
    return CostList(
        meeting=meeting,
        tasks=rows,
        budget_total=sum((task.budget for task in rows if task.budget is not None), Decimal("0.00")),
        actual_total=sum((task.actual_cost for task in rows if task.actual_cost is not None), Decimal("0.00")),
        receipts_total=sum(task.receipts for task in rows),
    )


def task_doers() -> QuerySet[User]:
    """Who a task may be assigned to: active users holding a role that does tasks (roles.py decides)."""
    roles = [role.value for role, codes in ROLE_PERMISSIONS.items() if DO in codes]
    return User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("display_name", "username")
