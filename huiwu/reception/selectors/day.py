"""Reads of the day's timeline (DESIGN.md §4.4, seed 篇3 (二)): each item's window from the routine standard,
its state at a given moment, what is still outstanding in the registers it stands for, and where it is done.

An item can be ticked from its window's start, or from its reminder when that comes first (the afternoon duty
starts when it is due); it is missed once its due time has passed undone — the worker escalates it to the team
leader at that moment — and can still be done late.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from huiwu.accounts.models import User
from huiwu.lib.today import Tone
from huiwu.reception.access import can_work
from huiwu.reception.models import DayPlan, RoutineItem, RoutineStandard
from huiwu.reception.selectors.documents import documents_outstanding
from huiwu.reception.selectors.lunch import lunch_outstanding
from huiwu.reception.selectors.newspapers import newspapers_outstanding
from huiwu.reception.selectors.offices import cleaning_outstanding
from huiwu.reception.selectors.team import grooming_outstanding
from huiwu.reception.workdays import at_local

Code = RoutineItem.Code
CODE_ORDER = {code: index for index, code in enumerate(Code.values)}


class State(TextChoices):
    TO_COME = "to_come", pgettext_lazy("routine item", "To come")
    NOW = "now", pgettext_lazy("routine item", "Now")
    DUE_SOON = "due_soon", pgettext_lazy("routine item", "Due soon")
    DONE = "done", pgettext_lazy("routine item", "Done")
    DONE_LATE = "done_late", pgettext_lazy("routine item", "Done late")
    MISSED = "missed", pgettext_lazy("routine item", "Missed")


TONES = {
    State.TO_COME: Tone.NEUTRAL,
    State.NOW: Tone.WAITING,
    State.DUE_SOON: Tone.WAITING,
    State.DONE: Tone.OK,
    State.DONE_LATE: Tone.OK,
    State.MISSED: Tone.ALERT,
}
OPEN_STATES = (State.TO_COME, State.NOW, State.DUE_SOON, State.MISSED)


# The items whose facts live in a register: the register says what is left, and a tick is refused until
# nothing is (verified, not asked). Grooming is each attendant's own self-check: the one ticking it. The reads
# are looked up by name at each call, so that a stand-in for a register (a test's) is the one asked.
OUTSTANDING: dict[str, Callable[[date, User], list[str]]] = {
    Code.GROOMING: lambda day, user: grooming_outstanding(day, user),
    Code.DOCUMENTS: lambda day, user: documents_outstanding(day),
    Code.NEWSPAPERS: lambda day, user: newspapers_outstanding(day),
    Code.LUNCH: lambda day, user: lunch_outstanding(day),
    Code.CLEANING: lambda day, user: cleaning_outstanding(day),
}

# Where an item's work is done when it is not the tap itself: (url name, the link's label).
LINKS: dict[str, tuple[str, Promise]] = {
    Code.GROOMING: ("reception:team", _("Grooming self-check")),
    Code.DOCUMENTS: ("reception:documents", _("Reviewed documents")),
    Code.NEWSPAPERS: ("reception:newspapers", _("Distribution list")),
    Code.LUNCH: ("reception:lunch", _("The five checks")),
    Code.CLEANING: ("reception:offices", _("Presence board and cleaning")),
    Code.REVIEW: ("reception:review", _("Journal and tomorrow")),
}

# What the tap says it records.
DONE_LABELS: dict[str, Promise] = {
    Code.GROOMING: _("Self-check done"),
    Code.DOOR: _("Door is open"),
    Code.HOT_WATER: _("Hot water ready"),
    Code.DOCUMENTS: _("All handed over"),
    Code.NEWSPAPERS: _("All delivered"),
    Code.LUNCH: _("Five checks done"),
    Code.AFTERNOON_DUTY: _("On duty"),
    Code.CLEANING: _("Cleaning done"),
    Code.REVIEW: _("Reviewed"),
}


def item_windows(day: date, standard: RoutineStandard) -> list[tuple[str, datetime, datetime]]:
    """(code, starts_at, due_at) of each item of `day` by `standard`, in Shanghai time, in the order of the day.
    A window that a standard from the settings gives backwards (due before it starts) opens at its due time."""
    s = standard
    windows = [
        (Code.GROOMING, s.door_open_from, s.door_open_by),
        (Code.DOOR, s.door_open_from, s.door_open_by),
        (Code.HOT_WATER, s.door_open_from, s.hot_water_by),
        (Code.DOCUMENTS, s.door_open_from, s.documents_by),
        (Code.NEWSPAPERS, s.newspapers_from, s.newspapers_until),
        # The five checks come after the newspapers' round, before the leaders sit down.
        (Code.LUNCH, s.newspapers_until, s.lunch_at),
        (Code.AFTERNOON_DUTY, s.afternoon_duty_at, s.afternoon_duty_at),
        (Code.CLEANING, s.cleaning_from, s.work_ends_at),
        (Code.REVIEW, s.cleaning_from, s.work_ends_at),
    ]
    return [(code, at_local(day, min(starts, due)), at_local(day, due)) for code, starts, due in windows]


def reminder_at(due_at: datetime, standard: RoutineStandard) -> datetime:
    return due_at - timedelta(minutes=standard.reminder_minutes)


def doable_from(starts_at: datetime, due_at: datetime, standard: RoutineStandard) -> datetime:
    """From when an item can be ticked: its window's start, or its reminder when that is earlier."""
    return min(starts_at, reminder_at(due_at, standard))


def item_state(
    *, starts_at: datetime, due_at: datetime, done_at: datetime | None, standard: RoutineStandard, now: datetime
) -> str:
    if done_at is not None:
        return State.DONE if done_at <= due_at else State.DONE_LATE
    if now >= due_at:
        return State.MISSED
    if now >= reminder_at(due_at, standard):
        return State.DUE_SOON
    if now >= doable_from(starts_at, due_at, standard):
        return State.NOW
    return State.TO_COME


def _clock(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def window_text(starts_at: datetime, due_at: datetime) -> str:
    """ "08:40–08:45", or "13:00" for an item that starts when it is due."""
    if starts_at == due_at:
        return _clock(due_at)
    return f"{_clock(starts_at)}–{_clock(due_at)}"


def item_detail(code: str, standard: RoutineStandard) -> str:
    """What the item asks, in the seed's words, with the standard's numbers."""
    if code == Code.DOOR:
        return _("Open it between %(start)s and %(end)s and keep it open until %(until)s: we are at our posts.") % {
            "start": f"{standard.door_open_from:%H:%M}",
            "end": f"{standard.door_open_by:%H:%M}",
            "until": f"{standard.door_open_until:%H:%M}",
        }
    if code == Code.HOT_WATER:
        return ngettext(
            "%(count)d pot of hot water, meeting or not: for meetings called at short notice.",
            "%(count)d pots of hot water, meeting or not: for meetings called at short notice.",
            standard.hot_water_pots,
        ) % {"count": standard.hot_water_pots}
    texts = {
        Code.GROOMING: _("Uniform, scarf and badge; face clean, light make-up; no jewellery but a watch."),
        Code.DOCUMENTS: _(
            "Reviewed documents taken back from the leaders' offices go to the GM office's document clerk, recorded."
        ),
        Code.NEWSPAPERS: _("From the mail room, sorted by the leaders' subscription table, into each office."),
        Code.LUNCH: _(
            "2F small dining room: door open, hygiene checked, tableware names and numbers matched, the menu known, "
            "each leader told and their request taken."
        ),
        Code.AFTERNOON_DUTY: _(
            "Receive the meetings; without one, stay in the office for what the GM office, leaders or departments ask."
        ),
        Code.CLEANING: _("The offices of leaders who are out, by the presence board: knock, clean in order, lock."),
        Code.REVIEW: _("Before leaving: today's journal, tomorrow's meetings and important matters."),
    }
    return str(texts[code])


@dataclass
class TimelineEntry:
    """One item of a day's timeline as the page, the API and the today page show it. `item` is None in the
    preview of a day not planned yet."""

    code: str
    label: str
    starts_at: datetime
    due_at: datetime
    doable_from: datetime
    state: str
    detail: str
    item: RoutineItem | None = None
    outstanding: list[str] = field(default_factory=list)
    link_url: str = ""
    link_label: str = ""
    # The user may tick it now: today's, not done, its window open, nothing outstanding, and the user works.
    can_tap: bool = False
    done_label: str = ""

    @property
    def window(self) -> str:
        return window_text(self.starts_at, self.due_at)

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def tone(self) -> str:
        return TONES[self.state]

    @property
    def is_done(self) -> bool:
        return self.state in (State.DONE, State.DONE_LATE)


def _entry(
    code: str,
    starts_at: datetime,
    due_at: datetime,
    standard: RoutineStandard,
    now: datetime,
    item: RoutineItem | None = None,
) -> TimelineEntry:
    link = LINKS.get(code)
    return TimelineEntry(
        code=code,
        label=str(Code(code).label),
        starts_at=starts_at,
        due_at=due_at,
        doable_from=doable_from(starts_at, due_at, standard),
        state=item_state(
            starts_at=starts_at,
            due_at=due_at,
            done_at=item.done_at if item else None,
            standard=standard,
            now=now,
        ),
        detail=item_detail(code, standard),
        item=item,
        link_url=reverse(link[0]) if link else "",
        link_label=str(link[1]) if link else "",
        done_label=str(DONE_LABELS[code]),
    )


def _ordered(items):
    return sorted(items, key=lambda item: (item.due_at, CODE_ORDER.get(item.code, 0)))


def plan_items(plan: DayPlan) -> list[RoutineItem]:
    """The plan's items in the order of the day, with who did them (one query)."""
    return _ordered(plan.items.select_related("done_by"))


def item_entry(item: RoutineItem, *, user: User, now: datetime) -> TimelineEntry:
    """One planned item at `now` (its plan and standard read with it). Today's, not done: what its register
    still holds (one read), and whether `user` may tick it."""
    plan = item.plan
    entry = _entry(item.code, item.starts_at, item.due_at, plan.standard, now, item)
    if plan.day == timezone.localdate(now) and not entry.is_done:
        worker = can_work(user)
        check = OUTSTANDING.get(item.code)
        # The grooming self-check is the attendant's own: a reader has none to show.
        if check is not None and (worker or item.code != Code.GROOMING):
            entry.outstanding = check(plan.day, user)
        entry.can_tap = worker and now >= entry.doable_from and not entry.outstanding
    return entry


def day_timeline(plan: DayPlan, *, user: User, now: datetime | None = None) -> list[TimelineEntry]:
    """The planned day's items at `now`, in the order of the day (see item_entry)."""
    now = now or timezone.now()
    items = plan_items(plan)
    for item in items:
        item.plan = plan
    return [item_entry(item, user=user, now=now) for item in items]


def day_counts(plan: DayPlan, now: datetime) -> dict[str, int]:
    """How many of the plan's items are done, missed, and in all at `now` (one query)."""
    states = [
        item_state(starts_at=item.starts_at, due_at=item.due_at, done_at=item.done_at, standard=plan.standard, now=now)
        for item in plan.items.all()
    ]
    return {
        "done": sum(1 for state in states if state in (State.DONE, State.DONE_LATE)),
        "missed": states.count(State.MISSED),
        "total": len(states),
    }


def timeline_preview(day: date, standard: RoutineStandard, *, now: datetime | None = None) -> list[TimelineEntry]:
    """What a working day not planned yet will hold by `standard` (nothing can be ticked in it)."""
    now = now or timezone.now()
    return [_entry(code, starts, due, standard, now) for code, starts, due in item_windows(day, standard)]


def day_plan_for(day: date) -> DayPlan | None:
    return DayPlan.objects.select_related("standard").filter(day=day).first()


def missed_items(day: date, now: datetime) -> list[RoutineItem]:
    """The items of `day` past their due time and not done (one query)."""
    return _ordered(
        RoutineItem.objects.select_related("plan").filter(plan__day=day, done_at__isnull=True, due_at__lte=now)
    )
