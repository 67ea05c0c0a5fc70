"""The tableware register for the demo's leaders, and today's lunch on the demo's clock: once 11:00 has passed
the menu is written, the dining room door opened and its hygiene checked, and the principal leader asked —
the tableware, knowing the menu and the other leaders are left to the attendant. Before 11:00 nothing is done
yet; on a day off there is no lunch. Written as it happened (the services record the present moment), with
the journal lines at their times."""

from datetime import date, time

from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.lib.i18n import site_language
from huiwu.reception.models import JournalEntry, LunchDay, LunchRequest, TablewareSet
from huiwu.reception.selectors.lunch import LunchCheck
from huiwu.reception.services.journal import journal_write
from huiwu.reception.workdays import at_local, is_workday

# (leader, number, place in the cabinet)
SETS = [
    ("周国庆", "01", "消毒柜上层左一"),
    ("吴晓峰", "02", "消毒柜上层左二"),
    ("宋家明", "03", "消毒柜上层左三"),
    ("郑思远", "04", "消毒柜下层左一"),
    ("韩立", "05", "消毒柜下层左二"),
]
MENU = "清蒸鲈鱼、西红柿炒鸡蛋、蒜蓉西兰花、冬瓜排骨汤；米饭、杂粮馒头；水果：苹果"
# From when the demo's morning reaches the lunch.
LUNCH_WORK_FROM = time(11, 0)
MENU_AT, DOOR_AT, HYGIENE_AT, ASKED_AT = time(10, 45), time(10, 50), time(10, 55), time(11, 0)
# (leader, eats, request) asked before the demo's now.
ASKED = ("周国庆", True, "米饭半碗，汤少盐")


def _sets() -> None:
    for name, number, place in SETS:
        leader = Person.objects.filter(name=name, kind=Person.Kind.LEADER).first()
        if leader is not None and not TablewareSet.objects.filter(number=number).exclude(leader=leader).exists():
            TablewareSet.objects.update_or_create(leader=leader, defaults={"number": number, "place": place})


def _journal(attendant: User, day: date, clock: time, text: str) -> None:
    journal_write(author=attendant, source=JournalEntry.Source.LUNCH, text=text, at=at_local(day, clock))


def _today(day: date, attendant: User) -> None:
    lunch, created = LunchDay.objects.get_or_create(
        day=day,
        defaults={
            "menu": MENU,
            "door_opened_at": at_local(day, DOOR_AT),
            "hygiene_checked_at": at_local(day, HYGIENE_AT),
            "checked_by": attendant,
        },
    )
    if not created:
        return
    name, eats, request = ASKED
    leader = Person.objects.filter(name=name, kind=Person.Kind.LEADER).first()
    if leader is not None:
        LunchRequest.objects.create(
            lunch=lunch,
            leader=leader,
            eats=eats,
            request=request,
            dietary_notes=leader.dietary_notes,
            taken_at=at_local(day, ASKED_AT),
            taken_by=attendant,
        )
    with site_language():
        _journal(attendant, day, MENU_AT, _("Today's lunch menu: %(menu)s") % {"menu": MENU})
        for clock, check in ((DOOR_AT, LunchCheck.DOOR), (HYGIENE_AT, LunchCheck.HYGIENE)):
            _journal(attendant, day, clock, _("Leaders' lunch: %(check)s") % {"check": check.label})
        if leader is not None:
            answer = _("Leaders' lunch: %(leader)s %(answer)s") % {"leader": name, "answer": _("eats today")}
            _journal(attendant, day, ASKED_AT, f"{answer} · {request}")


def demo_load() -> None:
    _sets()
    now = timezone.localtime()
    attendant = User.objects.filter(username="reception").first()
    if attendant is None or not is_workday(now.date()) or now.time() < LUNCH_WORK_FROM:
        return
    _today(now.date(), attendant)
