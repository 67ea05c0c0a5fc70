"""Reads of the team: who is in the reception team, their grooming self-checks, where they are (the seed's
留言条), and the ad-hoc matters (随机性事务) the team was given, which are delegated tasks of kind errand."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from huiwu.accounts.models import User
from huiwu.accounts.roles import roles_holding
from huiwu.delegations.access import get_task_for_user, tasks_visible_to
from huiwu.delegations.models import DelegatedTask, DelegatedTaskQuerySet, DelegationNotice
from huiwu.meetings.selectors import day_bounds
from huiwu.reception.access import READ, WORK, require_reader
from huiwu.reception.models import GroomingCheck, Whereabouts


def grooming_outstanding(day: date, user: User) -> list[str]:
    """What keeps `user`'s grooming item open on `day`: their self-check, when not recorded yet. Empty: done."""
    if GroomingCheck.objects.filter(user=user, day=day).exists():
        return []
    return [gettext("%(name)s: grooming self-check not recorded yet") % {"name": user}]


def reception_members() -> QuerySet[User]:
    """The reception team: active users holding a role that does the reception routines (roles.py decides)."""
    roles = [role.value for role in roles_holding(READ, WORK)]
    return User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("display_name", "username")


def grooming_check_of(user: User, day: date) -> GroomingCheck | None:
    return GroomingCheck.objects.filter(user=user, day=day).first()


def open_note_of(user: User) -> Whereabouts | None:
    return Whereabouts.objects.filter(user=user, back_at__isnull=True).first()


# --- the team's status ----------------------------------------------------------------------------------


class Presence:
    IN = "in"  # self-checked today and no open note: at their desk
    OUT = "out"  # an open note says where they went
    NOT_IN_YET = "not_in_yet"  # no self-check today and no note: not at work yet, or off today


@dataclass(frozen=True)
class MemberStatus:
    user: User
    presence: str
    checked_at: datetime | None
    note: Whereabouts | None

    @property
    def note_is_old(self) -> bool:
        """A note left on an earlier day and never taken back: shown with its day, it may be forgotten."""
        return self.note is not None and timezone.localtime(self.note.left_at).date() != timezone.localdate()


@dataclass(frozen=True)
class TeamStatus:
    day: date
    members: list[MemberStatus]

    @property
    def out(self) -> list[MemberStatus]:
        return [member for member in self.members if member.presence == Presence.OUT]

    @property
    def in_office(self) -> list[MemberStatus]:
        return [member for member in self.members if member.presence == Presence.IN]

    @property
    def nobody_in(self) -> bool:
        """Nobody of the team at their desk: a visitor at the door needs the notes and the numbers."""
        return not self.in_office


def team_status(user: User) -> TeamStatus:
    """Each member of the team, in or where they went and since when, with their number (three queries).
    RoleRequired (403) for who may not read the reception team's day."""
    require_reader(user)
    today = timezone.localdate()
    members = list(reception_members())
    ids = [member.pk for member in members]
    checked = dict(GroomingCheck.objects.filter(day=today, user_id__in=ids).values_list("user_id", "checked_at"))
    notes = {note.user_id: note for note in Whereabouts.objects.filter(user_id__in=ids, back_at__isnull=True)}
    rows = []
    for member in members:
        note = notes.get(member.pk)
        if note is not None:
            presence = Presence.OUT
        elif member.pk in checked:
            presence = Presence.IN
        else:
            presence = Presence.NOT_IN_YET
        rows.append(MemberStatus(user=member, presence=presence, checked_at=checked.get(member.pk), note=note))
    return TeamStatus(day=today, members=rows)


def grooming_of_day(day: date) -> list[tuple[User, GroomingCheck | None]]:
    """Each member of the team with their self-check of `day` (None: not recorded), members first, then
    anyone else who checked that day (e.g. since left the team). Two queries."""
    checks = {check.user_id: check for check in GroomingCheck.objects.filter(day=day).select_related("user")}
    rows = [(member, checks.pop(member.pk, None)) for member in reception_members()]
    rows.extend((check.user, check) for check in sorted(checks.values(), key=lambda check: check.checked_at))
    return rows


# --- the team's ad-hoc matters --------------------------------------------------------------------------


# A matter's states as the team says them: whoever gave it is no client, so "awaiting the client" is a
# confirmation still to get from them, and "client notified" is the matter confirmed.
MATTER_STATE_LABELS = {
    DelegatedTask.State.AWAITING_CLIENT: pgettext_lazy("ad-hoc matter", "Done, to confirm"),
    DelegatedTask.State.NOTIFIED: pgettext_lazy("ad-hoc matter", "Confirmed"),
    DelegatedTask.State.DISPUTED: pgettext_lazy("ad-hoc matter", "Disputed"),
}


def matter_state_label(state: str) -> str:
    return str(MATTER_STATE_LABELS.get(state) or DelegatedTask.State(state).label)


def team_matters(user: User) -> DelegatedTaskQuerySet:
    """The ad-hoc matters of the team the user may see: errands asked by an internal office or leader (no
    client organization), recorded by or given to a member of the team."""
    members = reception_members().values("pk")
    return (
        tasks_visible_to(user)
        .filter(kind=DelegatedTask.Kind.ERRAND, organization__isnull=True, requester_contact__isnull=True)
        .filter(Q(created_by__in=members) | Q(assignee__in=members))
    )


def matters_of_day(user: User, day: date) -> list[DelegatedTask]:
    """The team's matters open now, and those recorded, due, done, confirmed or closed on `day`: open ones
        first by due time, then the rest. Each carries its last notice (`last_notice`) and its state as the team
    says it (`state_text`). Three queries."""
    start, end = day_bounds(day)
    told_that_day = DelegationNotice.objects.filter(task=OuterRef("pk"), notified_at__gte=start, notified_at__lt=end)
    matters = team_matters(user).filter(
        Q(state__in=DelegatedTask.OPEN_STATES)
        | Q(created_at__gte=start, created_at__lt=end)
        | Q(due_at__gte=start, due_at__lt=end)
        | Q(done_at__gte=start, done_at__lt=end)
        | Q(confirmed_at__gte=start, confirmed_at__lt=end)
        | Q(closed_at__gte=start, closed_at__lt=end)
        | Exists(told_that_day)
    )
    rows = list(matters.prefetch_related("notices").order_by("due_at", "id"))
    for task in rows:
        notices = list(task.notices.all())
        task.last_notice = notices[-1] if notices else None
        task.state_text = matter_state_label(task.state)
    return sorted(rows, key=lambda task: not task.is_open)


def open_matters(user: User) -> list[DelegatedTask]:
    """The team's matters still open, by due time, each with `state_text`."""
    rows = list(team_matters(user).open().order_by("due_at", "id"))
    for task in rows:
        task.state_text = matter_state_label(task.state)
    return rows


def get_matter_for_user(user: User, task_id: int) -> DelegatedTask:
    """One of the team's matters: 404 for a task the user may not see, and for one that is not the team's."""
    task = get_task_for_user(user, task_id)
    if not team_matters(user).filter(pk=task.pk).exists():
        raise Http404
    return task
