"""The delegated tasks' sections of the today page (listed in core/today.py), each titled "委托事务":

- the hotline: the tasks done and awaiting the client's confirmation (red once their reminder time has come:
  someone has to ring the client now) and the clients' requests to accept;
- the team leader: open tasks nobody has been assigned to, and those escalated (a due time or the client's
  confirmation missed);
- whoever has tasks assigned (attendants mostly): their tasks still to do, red once overdue;
- the client contact: their organization's tasks waiting for their confirmation, and a link to delegate one.

Each list costs a fixed number of queries however many tasks there are (tests/test_today.py)."""

from datetime import datetime

from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.delegations.access import can_manage, is_task_client, is_task_staff, tasks_visible_to
from huiwu.delegations.deadlines import UNDONE_STATES, confirmation_times, task_url
from huiwu.delegations.describe import state_label
from huiwu.delegations.models import DelegatedTask, DelegatedTaskQuerySet
from huiwu.lib.today import TodayCount, TodayItem, TodayList, TodaySection, Tone, first_items
from huiwu.notify.models import Deadline

TITLE = _("Delegated tasks")
State = DelegatedTask.State
# Whose section "my delegated tasks" is, shown to whoever has open tasks assigned: the first of these roles
# they hold (those who do tasks as their daily work first).
SECTION_ROLES = (Role.ATTENDANT, Role.RECEPTION, Role.ENV_SUPERVISOR, Role.TEAM_LEADER, Role.HOTLINE, Role.MANAGER)


def _list_url(**query) -> str:
    url = reverse("delegations:list")
    return url + "?" + "&".join(f"{name}={value}" for name, value in query.items()) if query else url


def _detail(task: DelegatedTask) -> str:
    parts = [str(task.organization.name) if task.organization_id else task.requester_name]
    if task.meeting_id:
        parts.append(task.meeting.title)
    return " · ".join(part for part in parts if part)


def _place(task: DelegatedTask) -> str:
    return task.meeting.room.name if task.meeting_id else ""


def _listed(tasks: DelegatedTaskQuerySet, make_item, **fields) -> TodayList:
    shown, total = first_items(tasks)
    return TodayList(
        items=[make_item(task) for task in shown],
        total=total,
        **fields,
    )


def awaiting_confirmation(user: User, now: datetime) -> TodayList:
    """Done and waiting for the client, the longest waiting first; red from the hotline's reminder time."""
    tasks = tasks_visible_to(user).awaiting_client().order_by("done_at", "id")

    def item(task: DelegatedTask) -> TodayItem:
        remind, _escalate = confirmation_times(task)
        late = remind <= now
        return TodayItem(
            title=task.title,
            at=task.done_at,
            place=_place(task),
            status=_("Confirmation overdue") if late else _("Awaiting client"),
            tone=Tone.ALERT if late else Tone.WAITING,
            detail=_detail(task),
            url=task_url(task),
            action=_("Record a notice"),
        )

    return _listed(
        tasks,
        item,
        title=_("Awaiting the client's confirmation"),
        empty=_("No task is waiting for a client."),
        url=_list_url(state=State.AWAITING_CLIENT),
    )


def requests_to_accept(user: User) -> TodayList:
    tasks = tasks_visible_to(user).filter(state=State.REQUESTED).order_by("due_at", "id")

    def item(task: DelegatedTask) -> TodayItem:
        return TodayItem(
            title=task.title,
            at=task.due_at,
            place=_place(task),
            status=state_label(State.REQUESTED),
            tone=Tone.WAITING,
            detail=_detail(task),
            url=task_url(task),
            action=_("Accept or refuse"),
        )

    return _listed(
        tasks,
        item,
        title=_("Client requests to accept"),
        empty=_("No client request is waiting."),
        url=_list_url(state=State.REQUESTED),
    )


def _missed(suffix: str) -> Exists:
    key = Concat(Value("delegation:"), Cast(OuterRef("pk"), CharField()), Value(f":{suffix}"), output_field=CharField())
    return Exists(Deadline.objects.filter(key=key, state=Deadline.State.MISSED))


def unassigned(user: User, now: datetime) -> TodayList:
    tasks = tasks_visible_to(user).filter(state__in=UNDONE_STATES, assignee__isnull=True).order_by("due_at", "id")

    def item(task: DelegatedTask) -> TodayItem:
        return TodayItem(
            title=task.title,
            at=task.due_at,
            place=_place(task),
            status=_("Nobody assigned"),
            tone=Tone.ALERT if task.due_at <= now else Tone.WAITING,
            detail=_detail(task),
            url=task_url(task),
            action=_("Assign"),
        )

    return _listed(
        tasks,
        item,
        title=_("Tasks nobody is assigned to"),
        empty=_("Every open task has someone to do it."),
        url=_list_url(),
    )


def escalated(user: User) -> TodayList:
    """Tasks whose due time passed undone, or whose client was not asked for the confirmation in time: the
    deadlines the worker escalated to the team leader."""
    tasks = tasks_visible_to(user).annotate(due_missed=_missed("due"), confirmation_missed=_missed("confirm"))
    tasks = tasks.filter(
        Q(state__in=UNDONE_STATES, due_missed=True) | Q(state=State.AWAITING_CLIENT, confirmation_missed=True)
    ).order_by("due_at", "id")

    def item(task: DelegatedTask) -> TodayItem:
        overdue = task.state in UNDONE_STATES
        return TodayItem(
            title=task.title,
            at=task.due_at if overdue else task.done_at,
            place=_place(task),
            status=_("Overdue") if overdue else _("Confirmation overdue"),
            tone=Tone.ALERT,
            detail=" · ".join(part for part in (str(task.assignee or ""), _detail(task)) if part),
            url=task_url(task),
            action=_("Details"),
        )

    return _listed(tasks, item, title=_("Escalated to you"), empty=_("Nothing was escalated."), url=_list_url())


def my_tasks(user: User, now: datetime) -> TodayList:
    """The user's tasks still to do (or to do again, once disputed), soonest due first; red once overdue."""
    tasks = (
        tasks_visible_to(user)
        .filter(assignee=user, state__in=(*UNDONE_STATES, State.DISPUTED))
        .order_by("due_at", "id")
    )

    def item(task: DelegatedTask) -> TodayItem:
        late = task.due_at <= now and task.state != State.DISPUTED
        return TodayItem(
            title=task.title,
            at=task.due_at,
            place=_place(task),
            status=_("Overdue") if late else state_label(task.state),
            tone=Tone.ALERT if late or task.state == State.DISPUTED else Tone.WAITING,
            detail=" · ".join(part for part in (task.quantity, _detail(task)) if part),
            url=task_url(task),
            action=_("Mark done"),
        )

    return _listed(
        tasks,
        item,
        title=_("My delegated tasks"),
        empty=_("No delegated task of yours is open."),
        url=_list_url(mine="on"),
    )


def _waiting(count: int) -> str:
    return ngettext("%(count)d task to see to", "%(count)d tasks to see to", count) % {"count": count} if count else ""


def _hotline_section(user: User, now: datetime) -> TodaySection:
    awaiting = awaiting_confirmation(user, now)
    requests = requests_to_accept(user)
    late = sum(1 for item in awaiting.items if item.tone == Tone.ALERT)
    return TodaySection(
        role=Role.HOTLINE,
        title=TITLE,
        hint=_(
            "A task done by staff is complete only once the client confirms it or a notice to the client is "
            "recorded: ring the client and record how they were told."
        ),
        waiting=_waiting(awaiting.total + requests.total),
        link_url=reverse("delegations:new"),
        link_label=_("Record a task"),
        counts=[
            TodayCount(
                label=_("Awaiting client"),
                value=awaiting.total,
                tone=Tone.ALERT if late else (Tone.WAITING if awaiting.total else Tone.NEUTRAL),
                url=awaiting.url,
            ),
            TodayCount(
                label=_("Requests to accept"),
                value=requests.total,
                tone=Tone.WAITING if requests.total else Tone.NEUTRAL,
                url=requests.url,
            ),
        ],
        lists=[awaiting, requests],
    )


def _team_leader_section(user: User, now: datetime) -> TodaySection:
    nobody = unassigned(user, now)
    late = escalated(user)
    return TodaySection(
        role=Role.TEAM_LEADER,
        title=TITLE,
        hint=_("Give every task someone to do it; an escalated task was not done, or not confirmed, in time."),
        waiting=_waiting(nobody.total + late.total),
        link_url=reverse("delegations:list"),
        link_label=_("All open tasks"),
        counts=[
            TodayCount(
                label=_("Nobody assigned"),
                value=nobody.total,
                tone=Tone.WAITING if nobody.total else Tone.NEUTRAL,
                url=nobody.url,
            ),
            TodayCount(label=_("Escalated"), value=late.total, tone=Tone.ALERT if late.total else Tone.NEUTRAL),
        ],
        lists=[nobody, late],
    )


def _doer_section(role: Role, mine: TodayList) -> TodaySection:
    return TodaySection(
        role=role,
        title=_("My delegated tasks"),
        hint=_("Mark a task done when it is: the client is then asked to confirm it."),
        waiting=_waiting(mine.total),
        link_url=mine.url,
        link_label=_("My delegated tasks"),
        lists=[mine],
    )


def _client_section(user: User) -> TodaySection:
    visible = tasks_visible_to(user)
    to_confirm = visible.awaiting_client().order_by("done_at", "id")

    def item(task: DelegatedTask) -> TodayItem:
        return TodayItem(
            title=task.title,
            at=task.done_at,
            place=_place(task),
            status=_("Awaiting your confirmation"),
            tone=Tone.WAITING,
            detail=task.service_plan or _detail(task),
            url=task_url(task),
            action=_("Confirm"),
        )

    waiting = _listed(
        to_confirm,
        item,
        title=_("Waiting for your confirmation"),
        empty=_("Nothing waits for your confirmation."),
        url=_list_url(state=State.AWAITING_CLIENT),
    )
    in_hand = visible.filter(state__in=(*UNDONE_STATES, State.DISPUTED)).aggregate(count=Count("pk"))["count"]
    return TodaySection(
        role=Role.CLIENT,
        title=TITLE,
        hint=_("What you asked the service team to do. Confirm each task once it is done, or tell us what is wrong."),
        waiting=ngettext(
            "%(count)d task awaits your confirmation", "%(count)d tasks await your confirmation", waiting.total
        )
        % {"count": waiting.total}
        if waiting.total
        else "",
        link_url=reverse("delegations:new"),
        link_label=_("Delegate a task"),
        counts=[
            TodayCount(
                label=_("Awaiting your confirmation"),
                value=waiting.total,
                tone=Tone.WAITING if waiting.total else Tone.NEUTRAL,
                url=waiting.url,
            ),
            TodayCount(label=_("In hand"), value=in_hand, url=_list_url(state="open")),
        ],
        lists=[waiting],
    )


def today_sections(user: User) -> list[TodaySection]:
    now = timezone.now()
    sections = []
    if is_task_client(user):
        return [_client_section(user)]
    if not is_task_staff(user):
        return []
    if user.has_role(Role.HOTLINE) and can_manage(user):
        sections.append(_hotline_section(user, now))
    if user.has_role(Role.TEAM_LEADER) and can_manage(user):
        sections.append(_team_leader_section(user, now))
    role = next((role for role in SECTION_ROLES if user.has_role(role)), None)
    if role is not None:
        mine = my_tasks(user, now)
        if mine.total:
            sections.append(_doer_section(role, mine))
    return sections
