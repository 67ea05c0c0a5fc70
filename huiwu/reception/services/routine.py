"""The day's timeline (DESIGN.md §4.4, seed 篇3 (二)): planning a working day from the routine standard,
ticking its items, and new versions of the standard.

Planning is idempotent and safe with several workers at once: the unique DayPlan.day makes the second
planner's insert fail, and that planner then reads the first one's plan — one timeline, one set of deadlines.
A tick is refused, changing nothing, when the item is not today's, is done already, has not begun, or when
the register it stands for still holds something (verified, not asked). Every tick writes its journal line.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiwu.accounts.models import User
from huiwu.lib.i18n import site_language
from huiwu.lib.text import has_unsafe_characters
from huiwu.reception import workdays
from huiwu.reception.access import require_standard_changer, require_worker
from huiwu.reception.deadlines.routine import day_url, routine_deadline_complete, routine_deadlines_create
from huiwu.reception.models import DayPlan, JournalEntry, RoutineItem, RoutineStandard
from huiwu.reception.selectors.day import OUTSTANDING, doable_from, item_windows
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.standard import routine_standard_current

# The times of a standard, in the order of the day, each not before the one it names (strictly after when
# True): the seed's sequence, which the timeline's windows are cut from.
TIME_ORDER: list[tuple[str, str | None, bool]] = [
    ("door_open_from", None, False),
    ("door_open_by", "door_open_from", False),
    ("door_open_until", "door_open_by", False),
    ("hot_water_by", "door_open_from", False),
    ("documents_by", "door_open_from", False),
    ("newspapers_from", "door_open_from", False),
    ("newspapers_until", "newspapers_from", True),
    ("lunch_at", "newspapers_until", False),
    ("afternoon_duty_at", "lunch_at", False),
    ("cleaning_from", "afternoon_duty_at", False),
    ("work_ends_at", "cleaning_from", True),
]
TIME_FIELDS = [name for name, _after, _strict in TIME_ORDER]
COUNT_FIELDS = ["hot_water_pots", "reminder_minutes"]
STANDARD_FIELDS = [*TIME_FIELDS, *COUNT_FIELDS]
_NOTE_LIMIT = RoutineItem._meta.get_field("note").max_length
_REASON_LIMIT = RoutineStandard._meta.get_field("reason").max_length


def _clock(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _text(errors: dict[str, str], name: str, value: str | None, limit: int, *, required: str = "") -> str:
    value = (value or "").strip()
    if has_unsafe_characters(value):
        errors[name] = _("Remove the control or text-direction characters; they cannot be stored.")
    elif required and not value:
        errors[name] = required
    elif len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return value


# --- planning ------------------------------------------------------------------------------------------


def _plan(day: date) -> tuple[DayPlan | None, bool]:
    """(the day's plan, whether this call made it); (None, False) on a day off."""
    if not workdays.is_workday(day):
        return None, False
    plan = DayPlan.objects.select_related("standard").filter(day=day).first()
    if plan is not None:
        return plan, False
    standard = routine_standard_current()
    try:
        # A savepoint: the loser of a race gets the IntegrityError here and reads the winner's plan, also when
        # it was called inside a transaction of its own (the demo, a page).
        with transaction.atomic():
            plan = DayPlan.objects.create(day=day, standard=standard)
            items = [
                RoutineItem.objects.create(plan=plan, code=code, starts_at=starts_at, due_at=due_at)
                for code, starts_at, due_at in item_windows(day, standard)
            ]
            routine_deadlines_create(plan, items)
    except IntegrityError:
        return DayPlan.objects.select_related("standard").get(day=day), False
    return plan, True


def day_plan_ensure(day: date) -> DayPlan | None:
    """The timeline of `day`, planned now with the standard in force if it was not yet; None when `day` is not a
    working day (a 调休 Saturday is one; a holiday or a weekend is not)."""
    return _plan(day)[0]


def reception_days_plan(*, now: datetime | None = None) -> int:
    """The worker's share: plan today when it is a working day not planned yet (one indexed query when it is).
    Returns 1 when this call planned it."""
    today = timezone.localdate(now or timezone.now())
    if DayPlan.objects.filter(day=today).exists():
        return 0
    return int(_plan(today)[1])


# --- ticking -------------------------------------------------------------------------------------------


def already_done_message(item: RoutineItem) -> str:
    return _("Already done by %(person)s at %(time)s.") % {"person": item.done_by, "time": _clock(item.done_at)}


def _journal_text(item: RoutineItem, note: str = "") -> str:
    label = item.get_code_display()
    if item.done_at > item.due_at:
        text = _("%(item)s: done late (due %(time)s).") % {"item": label, "time": _clock(item.due_at)}
    else:
        text = _("%(item)s: done.") % {"item": label}
    return _("%(text)s Note: %(note)s") % {"text": text, "note": note} if note else text


def _refusal(item: RoutineItem, user: User, now: datetime) -> str:
    """Why `user` cannot tick `item` at `now`; empty when they can."""
    day = item.plan.day
    if day != timezone.localdate(now):
        shown = formats.date_format(day, "MONTH_DAY_FORMAT")
        if day < timezone.localdate(now):
            return _("This item is of %(day)s, a day gone by: only today's items can be ticked.") % {"day": shown}
        return _("This item is of %(day)s: it can be ticked on that day.") % {"day": shown}
    if item.done_at is not None:
        return already_done_message(item)
    start = doable_from(item.starts_at, item.due_at, item.plan.standard)
    if now < start:
        return _("Not yet: this can be done from %(time)s.") % {"time": _clock(start)}
    check = OUTSTANDING.get(item.code)
    outstanding = check(day, user) if check else []
    if outstanding:
        lines = pgettext("list separator", "; ").join(outstanding)
        return _("Not done yet, still outstanding: %(lines)s.") % {"lines": lines}
    return ""


def routine_item_done(*, user: User, item: RoutineItem, note: str = "") -> RoutineItem:
    """Tick `item` done by `user` now (one tap). Refused when it is not today's, is done already (naming who
    and when), has not begun, or when its register still holds something; an item missed is done late."""
    require_worker(user)
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, _NOTE_LIMIT)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        # Locked (PostgreSQL) or in an IMMEDIATE transaction (SQLite): two taps cannot both pass the check.
        locked = RoutineItem.objects.select_for_update(of=("self",)).select_related("plan__standard").get(pk=item.pk)
        refusal = _refusal(locked, user, now)
        if refusal:
            raise ValidationError(refusal, code="refused")
        locked.done_at = now
        locked.done_by = user
        locked.note = note
        locked.save(update_fields=["done_at", "done_by", "note"])
        routine_deadline_complete(locked)
        with site_language():
            text = _journal_text(locked, note)
        journal_write(author=user, source=JournalEntry.Source.ROUTINE, text=text, at=now, url=day_url(locked.plan.day))
    return locked


def routine_item_complete(*, day: date, code: str, user: User, at: datetime | None = None) -> RoutineItem | None:
    """Mark the `code` item of `day` done by `user` because the facts it stands for now hold (called by the
    service whose write completed them, e.g. the last office's newspapers ticked, after it checked `user` may
    act). No-op when the day has no timeline or the item is done already."""
    at = at or timezone.now()
    with transaction.atomic():
        item = (
            RoutineItem.objects.select_for_update(of=("self",))
            .select_related("plan")
            .filter(plan__day=day, code=code, done_at__isnull=True)
            .first()
        )
        if item is None:
            return None
        item.done_at = at
        item.done_by = user
        item.save(update_fields=["done_at", "done_by"])
        routine_deadline_complete(item)
        with site_language():
            text = _journal_text(item)
        journal_write(author=user, source=JournalEntry.Source.ROUTINE, text=text, at=at, url=day_url(day))
    return item


# --- the standard --------------------------------------------------------------------------------------


def _label(name: str) -> str:
    return str(RoutineStandard._meta.get_field(name).verbose_name)


def _times(errors: dict[str, str], times: dict) -> dict:
    values = {}
    for name in TIME_FIELDS:
        value = times.get(name)
        if value is None:
            errors[name] = _("This field is required.")
        elif not isinstance(value, time) or value.tzinfo is not None or value.second or value.microsecond:
            errors[name] = _("Enter a time of day as HH:MM (Shanghai time).")
        else:
            values[name] = value
    for name, after, strict in TIME_ORDER:
        if after is None or name not in values or after not in values:
            continue
        if values[name] < values[after] or (strict and values[name] == values[after]):
            message = (
                _("Must be after %(other)s (%(time)s).") if strict else _("Cannot be before %(other)s (%(time)s).")
            )
            errors.setdefault(name, message % {"other": _label(after), "time": f"{values[after]:%H:%M}"})
    return values


def _counts(errors: dict[str, str], times: dict) -> dict:
    bounds = {"hot_water_pots": (1, 20), "reminder_minutes": (0, 240)}
    values = {}
    for name in COUNT_FIELDS:
        value, (low, high) = times.get(name), bounds[name]
        if value is None:
            errors[name] = _("This field is required.")
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        else:
            values[name] = value
    return values


def routine_standard_add(*, user: User, reason: str, **times) -> RoutineStandard:
    """A new version of the routine standard (managers), in force from now: days planned from now on follow
    it; days already planned keep the version they were planned with. `times` holds every time of the day
    (datetime.time, HH:MM) in the seed's order, `hot_water_pots` (1–20) and `reminder_minutes` (0–240)."""
    require_standard_changer(user)
    errors: dict[str, str] = {}
    unknown = sorted(set(times) - set(STANDARD_FIELDS))
    for name in unknown:
        errors[name] = _("This field is not known.")
    reason = _text(errors, "reason", reason, _REASON_LIMIT, required=_("Say why the routine changes."))
    values = _times(errors, times) | _counts(errors, times)
    if errors:
        raise ValidationError(errors)
    return RoutineStandard.objects.create(**values, reason=reason, changed_by=user, changed_at=timezone.now())
