"""Reads of the subscription table (局领导当年报刊订阅表) and each working day's distribution list.

The distribution list is not stored: it is read from the table of the day's year every time, so a change of
the table shows on the next look at the list. What is stored is the round itself: an office ticked as
delivered (NewspaperDelivery) and a paper that did not come (MissingPaper).

Only active publications and active leaders count: a publication made inactive is no longer subscribed, and
its cells drop out of the table and the lists with it.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiwu.directory.models import Person
from huiwu.reception.models import (
    DayPlan,
    LeaderOffice,
    MissingPaper,
    NewspaperDelivery,
    Publication,
    RoutineStandard,
    Subscription,
)
from huiwu.reception.selectors.offices import presence_on
from huiwu.reception.workdays import is_workday

# Publications in the order they were added: the order of the paper table they came from (人民日报 first, as
# the unit lists them), which neither the characters' code points nor their pinyin would give.
PUBLICATION_ORDER = ("pk",)


class Timing:
    """Where a delivery's time falls against the day's 10:30–11:00 window."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


# --- the subscription table ----------------------------------------------------------------------------


def counted_subscriptions() -> QuerySet[Subscription]:
    """The cells that count: an active publication for an active leader."""
    return Subscription.objects.filter(publication__is_active=True, leader__is_active=True, leader__kind="leader")


@dataclass
class SubscriptionTable:
    year: int
    leaders: list[Person]
    publications: list[Publication]
    # (leader id, publication id) → copies
    copies: dict[tuple[int, int], int]
    totals: dict[int, int]  # publication id → copies of the year in all

    @property
    def rows(self) -> list[tuple[Person, list[tuple[Publication, int | None]]]]:
        """Each leader with each publication and its copies, in the columns' order (None: not subscribed)."""
        return [
            (leader, [(publication, self.copies.get((leader.pk, publication.pk))) for publication in self.publications])
            for leader in self.leaders
        ]

    @property
    def total_row(self) -> list[int]:
        return [self.totals.get(publication.pk, 0) for publication in self.publications]

    @property
    def grand_total(self) -> int:
        return sum(self.totals.values())

    def is_empty(self) -> bool:
        return not self.copies


def subscription_table(year: int, *, all_publications: bool = False) -> SubscriptionTable:
    """The year's table: leaders in precedence order (those with an active office, and any other leader with a
    cell that year), publications as columns — those with a cell that year, or every active one when
    `all_publications` (the page offers empty columns to fill). Three queries."""
    cells = list(counted_subscriptions().filter(year=year).values_list("leader_id", "publication_id", "copies"))
    copies = {(leader_id, publication_id): number for leader_id, publication_id, number in cells}
    leader_ids = {leader_id for leader_id, _publication_id, _number in cells}
    leaders = list(
        Person.objects.filter(kind=Person.Kind.LEADER, is_active=True)
        .filter(Q(office__is_active=True) | Q(pk__in=leader_ids))
        .distinct()
        .order_by("precedence", "name_pinyin", "pk")
    )
    publications = Publication.objects.filter(is_active=True)
    if not all_publications:
        publications = publications.filter(pk__in={publication_id for _leader, publication_id, _n in cells})
    totals: dict[int, int] = {}
    for (_leader_id, publication_id), number in copies.items():
        totals[publication_id] = totals.get(publication_id, 0) + number
    return SubscriptionTable(
        year=year,
        leaders=leaders,
        publications=list(publications.order_by(*PUBLICATION_ORDER)),
        copies=copies,
        totals=totals,
    )


def total_label() -> str:
    """The first cell of the table's totals row (page and workbook)."""
    return pgettext("subscription table", "Total")


def leader_column_label() -> str:
    return pgettext("subscription table", "Leader")


def subscribed_leaders() -> QuerySet[Person]:
    """Who a cell may be for: the directory's active leaders."""
    return Person.objects.filter(kind=Person.Kind.LEADER, is_active=True).order_by("precedence", "name_pinyin")


# --- the day's delivery window --------------------------------------------------------------------------


def standard_of_day(day: date) -> RoutineStandard | None:
    """The routine standard the day keeps: the one its timeline was planned with, else the one in force (None
    before any exists: then the settings' defaults hold)."""
    plan = DayPlan.objects.filter(day=day).select_related("standard").first()
    if plan is not None:
        return plan.standard
    return RoutineStandard.objects.order_by("-changed_at", "-id").first()


def newspaper_window(day: date) -> tuple[time, time]:
    standard = standard_of_day(day)
    if standard is None:
        return settings.RECEPTION_NEWSPAPERS_FROM, settings.RECEPTION_NEWSPAPERS_UNTIL
    return standard.newspapers_from, standard.newspapers_until


def timing_label(timing: str) -> str:
    return {
        Timing.EARLY: pgettext("newspapers", "before the window"),
        Timing.ON_TIME: pgettext("newspapers", "on time"),
        Timing.LATE: pgettext("newspapers", "after the window"),
    }[timing]


def delivery_timing(delivered_at: datetime, window: tuple[time, time]) -> str:
    """By the minute, as the clock on the wall reads: 10:30 and 11:00 are inside the window, 10:29 and 11:01
    are not."""
    minute = timezone.localtime(delivered_at).time().replace(second=0, microsecond=0)
    opens, closes = window
    if minute < opens:
        return Timing.EARLY
    if minute > closes:
        return Timing.LATE
    return Timing.ON_TIME


# --- the day's distribution list ------------------------------------------------------------------------


def delivery_order(room: str) -> tuple:
    """Floor, then room, by their numbers ("6楼 608室" before "7楼 702室", "9楼" before "10楼")."""
    return (*(int(number) for number in re.findall(r"\d+", room)), room)


@dataclass
class OfficeRound:
    """One office on the day's round: what goes in, and whether it went."""

    office: LeaderOffice
    papers: list[tuple[Publication, int]]
    presence: str | None = None  # on the day: in, out, away, or None when not set
    delivery: NewspaperDelivery | None = None
    timing: str | None = None
    missing: list[MissingPaper] = field(default_factory=list)

    @property
    def leader(self) -> Person:
        return self.office.leader

    @property
    def is_away(self) -> bool:
        # 出差: the papers still go in and wait on the desk, the office being locked and kept by reception.
        return self.presence == LeaderOffice.Presence.AWAY

    @property
    def copies(self) -> int:
        return sum(number for _publication, number in self.papers)

    def papers_text(self) -> str:
        return pgettext("list separator", ", ").join(
            f"{publication.name}×{number}" for publication, number in self.papers
        )


@dataclass
class DistributionList:
    day: date
    is_workday: bool
    window: tuple[time, time]
    offices: list[OfficeRound]
    # Leaders with a cell in the table but no active office: nowhere to deliver until reception adds one.
    without_office: list[tuple[Person, list[tuple[Publication, int]]]]

    @property
    def delivered_count(self) -> int:
        return sum(1 for office in self.offices if office.delivery is not None)

    @property
    def outstanding(self) -> list[OfficeRound]:
        return [office for office in self.offices if office.delivery is None]

    @property
    def totals(self) -> list[tuple[Publication, int]]:
        """What to collect from the mail room: each publication's copies for the whole round."""
        counted: dict[int, list] = {}
        for office in self.offices:
            for publication, number in office.papers:
                counted.setdefault(publication.pk, [publication, 0])[1] += number
        return [(publication, number) for publication, number in sorted(counted.values(), key=lambda c: c[0].pk)]


def distribution_list(day: date) -> DistributionList:
    """The day's round from the table of its year, in delivery order; empty on a day off. A bounded number of
    queries whatever the number of offices."""
    window = newspaper_window(day)
    if not is_workday(day):
        return DistributionList(day=day, is_workday=False, window=window, offices=[], without_office=[])
    cells = (
        counted_subscriptions()
        .filter(year=day.year)
        .select_related("leader__office", "publication")
        .order_by("leader__precedence", "leader_id", "publication_id")
    )
    rounds: dict[int, OfficeRound] = {}
    homeless: dict[int, tuple[Person, list]] = {}
    for cell in cells:
        office = getattr(cell.leader, "office", None)
        if office is None or not office.is_active:
            homeless.setdefault(cell.leader_id, (cell.leader, []))[1].append((cell.publication, cell.copies))
            continue
        if office.pk not in rounds:
            rounds[office.pk] = OfficeRound(office=office, papers=[], presence=presence_on(office, day))
        rounds[office.pk].papers.append((cell.publication, cell.copies))
    for delivery in NewspaperDelivery.objects.filter(day=day, office__in=rounds.keys()).select_related("delivered_by"):
        rounds[delivery.office_id].delivery = delivery
        rounds[delivery.office_id].timing = delivery_timing(delivery.delivered_at, window)
    for missing in MissingPaper.objects.filter(day=day, office__in=rounds.keys()).select_related("publication"):
        rounds[missing.office_id].missing.append(missing)
    offices = sorted(rounds.values(), key=lambda office_round: delivery_order(office_round.office.room))
    return DistributionList(
        day=day, is_workday=True, window=window, offices=offices, without_office=list(homeless.values())
    )


def office_round(day: date, office: LeaderOffice) -> OfficeRound | None:
    """The office's part of the day's list; None when nothing goes to it that day."""
    return next((entry for entry in distribution_list(day).offices if entry.office.pk == office.pk), None)


def newspapers_outstanding(day: date) -> list[str]:
    """What keeps the day's newspapers item open: the offices on the day's distribution list not ticked as
    delivered, one line each (e.g. "7楼 705室 吴晓峰：人民日报×1"). Empty: every office is done."""
    return [
        _("%(room)s %(leader)s: %(papers)s")
        % {"room": entry.office.room, "leader": entry.leader.name, "papers": entry.papers_text()}
        for entry in distribution_list(day).outstanding
    ]
