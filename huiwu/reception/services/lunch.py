"""Writes of the leaders' lunch (seed 篇3 (二) 6): the tableware register, and today's menu, checks and
requests. Only today's lunch is written, by the attendant doing it, with the time of each tap; past days are
read only. Once all five checks hold, the day's lunch item of the timeline is done.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.lib.i18n import site_language
from huiwu.lib.text import has_unsafe_characters
from huiwu.reception.access import require_worker
from huiwu.reception.models import JournalEntry, LunchDay, LunchRequest, RoutineItem, TablewareSet
from huiwu.reception.selectors.lunch import CHECK_FIELDS, LunchCheck, lunch_outstanding
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.routine import routine_item_complete
from huiwu.reception.workdays import is_workday

# A day's menu is a few dishes; a page of text is a paste gone wrong.
MENU_LIMIT = 1000


def _text(errors: dict[str, str], name: str, value: str | None, limit: int, *, required: str = "") -> str:
    text = (value or "").strip()
    if has_unsafe_characters(text):
        errors[name] = _("Remove the control or text-direction characters; they cannot be stored.")
    elif required and not text:
        errors[name] = required
    elif len(text) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return text


def _require_active_leader(errors: dict[str, str], leader: Person | None) -> None:
    if leader is None or leader.kind != Person.Kind.LEADER or not leader.is_active:
        errors["leader"] = _("Choose an active leader from the directory.")


def _journal(user: User, text: str) -> None:
    journal_write(author=user, source=JournalEntry.Source.LUNCH, text=text)


# --- the tableware register -----------------------------------------------------------------------------


def tableware_set_save(
    *,
    user: User,
    leader: Person,
    number: str,
    place: str = "",
    is_active: bool = True,
    tableware: TablewareSet | None = None,
) -> TablewareSet:
    """Add a leader's numbered set in the disinfection cabinet, or change `tableware`. A number belongs to one
    set, and a leader has one set."""
    require_worker(user)
    errors: dict[str, str] = {}
    _require_active_leader(errors, leader)
    number = _text(
        errors,
        "number",
        number,
        TablewareSet._meta.get_field("number").max_length,
        required=_("Enter the number on the set, e.g. 03."),
    )
    place = _text(errors, "place", place, TablewareSet._meta.get_field("place").max_length)
    if not isinstance(is_active, bool):
        errors["is_active"] = _("Say whether the set is in use.")
    others = TablewareSet.objects.exclude(pk=tableware.pk) if tableware is not None else TablewareSet.objects.all()
    if "number" not in errors and (taken := others.select_related("leader").filter(number=number).first()):
        errors["number"] = _("Number %(number)s is %(leader)s's set already.") % {
            "number": number,
            "leader": taken.leader.name,
        }
    if "leader" not in errors and (owned := others.filter(leader=leader).first()):
        errors["leader"] = _("%(leader)s has set %(number)s already; change that one.") % {
            "leader": leader.name,
            "number": owned.number,
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = tableware or TablewareSet()
        target.leader, target.number, target.place, target.is_active = leader, number, place, is_active
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError:
            # Taken by someone else between the check and the write.
            raise ValidationError(
                {"number": _("This number or this leader's set was just recorded; reload.")}
            ) from None
        with site_language():
            text = _("Tableware set %(number)s: %(leader)s%(place)s%(state)s") % {
                "number": number,
                "leader": leader.name,
                "place": f" · {place}" if place else "",
                "state": "" if is_active else f" · {_('not in use')}",
            }
        _journal(user, text)
    return target


# --- today's lunch ---------------------------------------------------------------------------------------


def _todays_lunch(day: date) -> LunchDay:
    """Today's LunchDay, locked for the write (created on the first one)."""
    if day != timezone.localdate():
        raise ValidationError({"day": _("Only today's lunch can be recorded; other days are read only.")})
    if not is_workday(day):
        raise ValidationError({"day": _("Today is not a working day: there is no leaders' lunch to prepare.")})
    # get_or_create copes with another attendant creating it at the same moment.
    LunchDay.objects.get_or_create(day=day)
    return LunchDay.objects.select_for_update().get(day=day)


def _complete_if_done(user: User, day: date) -> None:
    if not lunch_outstanding(day):
        routine_item_complete(day=day, code=RoutineItem.Code.LUNCH, user=user, at=timezone.now())


def lunch_menu_set(*, user: User, day: date, menu: str) -> LunchDay:
    """Write (or correct) today's menu (熟知当天午餐饭菜花样 needs it written)."""
    require_worker(user)
    errors: dict[str, str] = {}
    menu = _text(errors, "menu", menu, MENU_LIMIT, required=_("Write today's dishes."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lunch = _todays_lunch(day)
        if lunch.menu == menu:
            return lunch
        lunch.menu = menu
        lunch.save(update_fields=["menu"])
        with site_language():
            _journal(user, _("Today's lunch menu: %(menu)s") % {"menu": " ".join(menu.split())})
    return lunch


def already_checked_message(lunch: LunchDay, check: str) -> str:
    return _("“%(check)s” was done at %(time)s.") % {
        "check": LunchCheck(check).label,
        "time": f"{timezone.localtime(getattr(lunch, CHECK_FIELDS[check])):%H:%M}",
    }


def lunch_check(*, user: User, day: date, check: str) -> LunchDay:
    """One of the first four checks done, now. Each is done once; knowing the menu needs it written first."""
    require_worker(user)
    if check not in LunchCheck.values:
        choices = ", ".join(LunchCheck.values)
        raise ValidationError({"check": _("Choose one of the checks: %(checks)s.") % {"checks": choices}})
    check = LunchCheck(check)
    with transaction.atomic():
        lunch = _todays_lunch(day)
        field = CHECK_FIELDS[check]
        if getattr(lunch, field) is not None:
            raise ValidationError({"check": already_checked_message(lunch, check)}, code="already_done")
        if check == LunchCheck.MENU and not lunch.menu:
            raise ValidationError({"check": _("Write today's menu first: knowing it means it is written down.")})
        now = timezone.now()
        setattr(lunch, field, now)
        lunch.checked_by = user
        lunch.save(update_fields=[field, "checked_by"])
        with site_language():
            _journal(user, _("Leaders' lunch: %(check)s") % {"check": check.label})
        _complete_if_done(user, day)
    return lunch


def lunch_request_record(
    *, user: User, day: date, leader: Person, eats: bool | None, request: str = ""
) -> LunchRequest:
    """A leader told today's menu, and their answer: eats today or not, and what they asked for. The
    directory's dietary notes are kept with it as they read now. Asked again, the newer answer replaces it."""
    require_worker(user)
    errors: dict[str, str] = {}
    _require_active_leader(errors, leader)
    if not isinstance(eats, bool):
        errors["eats"] = _("Say whether the leader eats today.")
    request = _text(errors, "request", request, LunchRequest._meta.get_field("request").max_length)
    if errors:
        raise ValidationError(errors)
    notes_limit = LunchRequest._meta.get_field("dietary_notes").max_length
    with transaction.atomic():
        lunch = _todays_lunch(day)
        answer, _created = LunchRequest.objects.update_or_create(
            lunch=lunch,
            leader=leader,
            defaults={
                "eats": eats,
                "request": request,
                "dietary_notes": leader.dietary_notes[:notes_limit],
                "taken_at": timezone.now(),
                "taken_by": user,
            },
        )
        with site_language():
            said = _("eats today") if eats else _("not today")
            text = _("Leaders' lunch: %(leader)s %(answer)s") % {"leader": leader.name, "answer": said}
            if request:
                text = f"{text} · {request}"
        _journal(user, text)
        _complete_if_done(user, day)
    return answer
