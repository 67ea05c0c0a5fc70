"""This year's subscription table for the demo's leaders, and the round on the demo's clock: the last working
day's all delivered (the last office a few minutes after the window), today's under way once 10:30 has passed —
every office but the last ticked as the clock allows, and a paper the mail room did not have. Run before 10:30,
today's round has not begun; on a day off there is none.

The table was drawn up at the start of the year and the round happened at its times: both are written as they
were (the services record the present moment), with the journal lines the services write, at their times."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.lib.i18n import site_language
from huiwu.reception.models import JournalEntry, MissingPaper, NewspaperDelivery, Publication, Subscription
from huiwu.reception.selectors.newspapers import delivery_timing, distribution_list, timing_label
from huiwu.reception.services.journal import journal_write
from huiwu.reception.workdays import at_local, is_workday

PUBLICATIONS = ["人民日报", "光明日报", "经济日报", "求是", "参考消息", "浙江日报", "杭州日报"]
# leader → {publication: copies}
TABLE = {
    "周国庆": {"人民日报": 1, "求是": 1, "参考消息": 1, "浙江日报": 1, "杭州日报": 1},
    "吴晓峰": {"人民日报": 1, "光明日报": 1, "经济日报": 1, "浙江日报": 1},
    "宋家明": {"人民日报": 1, "经济日报": 1, "杭州日报": 1},
    "郑思远": {"人民日报": 2, "光明日报": 1, "参考消息": 1},
    "韩立": {"经济日报": 1, "杭州日报": 1, "参考消息": 1},
}
# Minutes after the window opens at which each office of the round, in delivery order, was ticked: the last
# one after the window closed.
ROUND_MINUTES = [4, 9, 13, 18, 34]
# (leader, publication, note): the paper the mail room did not have today, noticed at 10:25.
MISSING_TODAY = ("韩立", "杭州日报", "收发室今日未到此报，已电话询问邮局")


def _last_workday_before(day: date) -> date:
    day -= timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def _table(year: int) -> None:
    publications = {name: Publication.objects.get_or_create(name=name)[0] for name in PUBLICATIONS}
    for leader_name, cells in TABLE.items():
        leader = Person.objects.filter(name=leader_name, kind=Person.Kind.LEADER).first()
        if leader is None:
            continue
        for publication, copies in cells.items():
            Subscription.objects.update_or_create(
                year=year, leader=leader, publication=publications[publication], defaults={"copies": copies}
            )


def _round(day: date, attendant: User, *, until: datetime, leave_last: bool) -> None:
    listed = distribution_list(day)
    opens = at_local(day, listed.window[0])
    offices = listed.offices[:-1] if leave_last else listed.offices
    for entry, minutes in zip(offices, ROUND_MINUTES, strict=False):
        at = opens + timedelta(minutes=minutes)
        if at > until or entry.delivery is not None:
            continue
        NewspaperDelivery.objects.create(day=day, office=entry.office, delivered_at=at, delivered_by=attendant)
        with site_language():
            text = _("Newspapers delivered to %(office)s (%(papers)s), %(timing)s") % {
                "office": entry.office,
                "papers": entry.papers_text(),
                "timing": timing_label(delivery_timing(at, listed.window)),
            }
        journal_write(author=attendant, source=JournalEntry.Source.NEWSPAPER, text=text, at=at)


def _missing_today(day: date, attendant: User, *, until: datetime) -> None:
    leader_name, publication_name, note = MISSING_TODAY
    listed = distribution_list(day)
    entry = next((entry for entry in listed.offices if entry.leader.name == leader_name), None)
    at = at_local(day, listed.window[0]) - timedelta(minutes=5)
    if entry is None or at > until or entry.missing:
        return
    publication = Publication.objects.get(name=publication_name)
    missing = MissingPaper.objects.create(
        day=day,
        office=entry.office,
        publication=publication,
        copies=1,
        note=note,
        recorded_by=attendant,
        recorded_at=at,
    )
    with site_language():
        text = _("Missing paper for %(office)s: %(publication)s ×%(copies)d") % {
            "office": entry.office,
            "publication": publication.name,
            "copies": missing.copies,
        }
        text = f"{text}{pgettext('before a note', ': ')}{note}"
    journal_write(author=attendant, source=JournalEntry.Source.NEWSPAPER, text=text, at=at)


def demo_load() -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    _table(today.year)
    attendant = User.objects.filter(username="reception").first()
    if attendant is None:
        return
    last = _last_workday_before(today)
    if last.year == today.year:
        _round(last, attendant, until=now, leave_last=False)
    if is_workday(today):
        _missing_today(today, attendant, until=now)
        _round(today, attendant, until=now, leave_last=True)
