"""What the system knows about each level of a meeting's three-level check by itself (DESIGN §4.1), so that
nobody is asked to tick it: the facts it verifies (an attendant is assigned; the arrangement has not changed
since level 1 was confirmed), the time from which a level may be confirmed, and what a level still waits for.
The confirmation (services.check_confirm), the service page and the API all read them from here."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiwu.accounts.models import User
from huiwu.meetings.models import Meeting, MeetingChange
from huiwu.service.models import LEVEL_ROLES, Assignment, Level, MeetingCheck, ServiceStandard
from huiwu.service.standards import confirmable_from

# What a level-1 check confirms has not changed (DESIGN §4.1): a change to any of these after a
# confirmation re-opens it, and the levels above, which confirm the ones below.
CHECKED_FIELDS = frozenset(
    {
        "room",
        "start",
        "end",
        "headcount",
        "layout",
        "table_count",
        "chair_count",
        "attendees",
        "service_items",
        "restroom_arrangement",
        "smoking_arrangement",
        "notes",
        "nature",
        "tone",
    }
)
# A waiting level names at most this many of the people who hold the role it waits for.
NAMED_PEOPLE = 3


class FactKind(models.TextChoices):
    STAFF_ASSIGNED = "staff_assigned", gettext_lazy("Attendants assigned")
    ARRANGEMENT_UNCHANGED = "arrangement_unchanged", gettext_lazy("Arrangement unchanged since level 1")


# Level 1 confirms the arrangement and that the meeting is staffed; the levels above build on level 1.
LEVEL_FACTS = {
    Level.ONE: [FactKind.STAFF_ASSIGNED],
    Level.TWO: [FactKind.ARRANGEMENT_UNCHANGED],
    Level.THREE: [FactKind.ARRANGEMENT_UNCHANGED],
}


def clock(moment: datetime) -> str:
    """HH:MM, with the day when it is not today (a level-1 window of an early meeting opens the day before)."""
    local = timezone.localtime(moment)
    return local.strftime("%H:%M" if local.date() == timezone.localdate() else "%m-%d %H:%M")


def change_labels(fields: Iterable[str]) -> str:
    """The meeting's fields as people know them ("参会人数、备注"), by field name so that a change always
    reads the same (the history stores model field names)."""
    labels = {f.name: f.verbose_name for f in Meeting._meta.get_fields() if hasattr(f, "verbose_name")}
    labels["service_items"] = _("Service items")
    return _(", ").join(str(labels.get(name, name)) for name in sorted(fields))


@dataclass(frozen=True)
class Fact:
    """One thing verified for a level, with what was seen; the texts are in the language active when read."""

    kind: FactKind
    holds: bool
    assignments: Sequence[Assignment] = ()
    # For the arrangement: level 1's confirmation (None: not confirmed) and the changes made after it.
    level1_confirmed_at: datetime | None = None
    changes: Sequence[MeetingChange] = ()

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def explanation(self) -> str:
        if self.kind == FactKind.STAFF_ASSIGNED:
            if not self.holds:
                return _("Nobody assigned yet")
            people = [
                _("%(person)s (%(duty)s)") % {"person": a.attendant, "duty": a.get_duty_display()}
                for a in self.assignments
            ]
            return _("Assigned: %(people)s") % {"people": _(", ").join(people)}
        if self.level1_confirmed_at is None:
            return _("%(lower)s must be confirmed first.") % {"lower": Level.ONE.label}
        if self.holds:
            return _("No change since level 1 was confirmed at %(time)s") % {"time": clock(self.level1_confirmed_at)}
        last = self.changes[-1]
        fields = {name for change in self.changes for name in change.changes} & CHECKED_FIELDS
        return _("Changed after level 1 was confirmed: %(fields)s (%(time)s, %(user)s)") % {
            "fields": change_labels(fields),
            "time": clock(last.changed_at),
            "user": last.changed_by,
        }


def staff_fact(assignments: Iterable[Assignment]) -> Fact:
    """True only when someone is assigned to serve the meeting, lead or helper: a meeting with helpers only is
    staffed (the team leader may lead it), one whose only assignee left the company is not."""
    serving = tuple(a for a in assignments if a.attendant.is_active)
    return Fact(kind=FactKind.STAFF_ASSIGNED, holds=bool(serving), assignments=serving)


def arrangement_fact(meeting: Meeting, level1: MeetingCheck) -> Fact:
    """True when level 1 is confirmed and the meeting's history shows no change of what it confirmed since.
    A change normally re-opens level 1 itself (services.checks_reopen); this reads the history, so that a
    change made any other way is caught as well."""
    if level1.state != MeetingCheck.State.CONFIRMED or level1.confirmed_at is None:
        return Fact(kind=FactKind.ARRANGEMENT_UNCHANGED, holds=False)
    later = meeting.changes.filter(action=MeetingChange.Action.UPDATED, changed_at__gt=level1.confirmed_at)
    changes = tuple(
        change
        for change in later.select_related("changed_by").order_by("changed_at", "id")
        if set(change.changes) & CHECKED_FIELDS
    )
    return Fact(
        kind=FactKind.ARRANGEMENT_UNCHANGED,
        holds=not changes,
        level1_confirmed_at=level1.confirmed_at,
        changes=changes,
    )


def level_facts(meeting: Meeting, level: int, *, checks: dict[int, MeetingCheck], assignments=None) -> list[Fact]:
    """The facts of one level, as they are now. `assignments` saves a query when the caller has them."""
    facts = []
    for kind in LEVEL_FACTS[level]:
        if kind == FactKind.STAFF_ASSIGNED:
            staff = meeting.assignments.select_related("attendant") if assignments is None else assignments
            facts.append(staff_fact(staff))
        else:
            facts.append(arrangement_fact(meeting, checks[Level.ONE]))
    return facts


# --- each level as its confirmer sees it ----------------------------------------------------------------


@dataclass
class LevelState:
    """A level at `now`: its facts, from when it may be confirmed, and the level below it still waits for,
    with the people who hold that level's role."""

    check: MeetingCheck
    facts: list[Fact]
    confirmable_from: datetime
    now: datetime
    waiting_for: MeetingCheck | None = None
    responsible: list[User] = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.check.level

    @property
    def label(self) -> str:
        return str(Level(self.check.level).label)

    @property
    def role_label(self) -> str:
        return str(LEVEL_ROLES[self.check.level].label)

    @property
    def confirmed(self) -> bool:
        return self.check.state == MeetingCheck.State.CONFIRMED

    @property
    def untrue_facts(self) -> list[Fact]:
        return [fact for fact in self.facts if not fact.holds]

    @property
    def window_open(self) -> bool:
        return self.now >= self.confirmable_from

    @property
    def can_pass(self) -> bool:
        """Everything the system knows lets this level be confirmed now (the answers are the confirmer's)."""
        return not self.confirmed and self.waiting_for is None and self.window_open and not self.untrue_facts

    @property
    def window(self) -> str:
        return _("Confirm from %(opens)s, before %(due)s") % {
            "opens": clock(self.confirmable_from),
            "due": clock(self.check.due_at),
        }

    @property
    def note(self) -> str:
        """Why this level cannot be confirmed now, or when it can: what its confirmer reads."""
        if self.confirmed:
            return _("Confirmed")
        if self.waiting_for is not None:
            role = LEVEL_ROLES[self.waiting_for.level]
            people = _(", ").join(str(person) for person in self.responsible[:NAMED_PEOPLE])
            if len(self.responsible) > NAMED_PEOPLE:
                people = _("%(people)s and others") % {"people": people}
            values = {"level": Level(self.waiting_for.level).label, "role": role.label, "people": people}
            if people:
                return _("Waiting for the %(level)s check (responsible: %(role)s %(people)s)") % values
            return _("Waiting for the %(level)s check (responsible: %(role)s)") % values
        if not self.window_open:
            return _("Not yet time to confirm: from %(time)s") % {"time": clock(self.confirmable_from)}
        return self.window


def _role_holders(levels: Iterable[int]) -> dict[str, list[User]]:
    """The active people holding each level's role, by role code, in one query."""
    codes = [LEVEL_ROLES[level].value for level in levels]
    holders: dict[str, list[User]] = {code: [] for code in codes}
    if not codes:
        return holders
    people = (
        User.objects.filter(is_active=True, groups__name__in=codes)
        .annotate(role_code=F("groups__name"))
        .order_by("display_name", "username", "pk")
    )
    for person in people:
        holders[person.role_code].append(person)
    return holders


def level_states(
    meeting: Meeting, checks: Sequence[MeetingCheck], standard: ServiceStandard, *, assignments, now: datetime
) -> list[LevelState]:
    """Every level of the meeting at `now`, lowest first. A level waits for the one below until that is
    confirmed."""
    by_level = {check.level: check for check in checks}
    waiting = {
        check.level: by_level[check.level - 1]
        for check in checks
        if check.level > Level.ONE and by_level[check.level - 1].state != MeetingCheck.State.CONFIRMED
    }
    holders = _role_holders({lower.level for lower in waiting.values()})

    def responsible(level: int) -> list[User]:
        return holders[LEVEL_ROLES[waiting[level].level].value] if level in waiting else []

    return [
        LevelState(
            check=check,
            facts=level_facts(meeting, check.level, checks=by_level, assignments=assignments),
            confirmable_from=confirmable_from(standard, check),
            now=now,
            waiting_for=waiting.get(check.level),
            responsible=responsible(check.level),
        )
        for check in sorted(checks, key=lambda check: check.level)
    ]
