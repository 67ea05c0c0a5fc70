"""The demo's newspapers and lunch on its clock: this year's table and tableware for the leaders there are,
the last working day's round all delivered, today's under way once 10:30 has passed with its last office left
to tick, today's lunch begun once 11:00 has passed — nothing ahead of the clock, the same on a second run."""

import time_machine

from huiwu.reception.demo import lunch as lunch_demo
from huiwu.reception.demo import newspapers as newspapers_demo
from huiwu.reception.models import LunchDay, LunchRequest, MissingPaper, NewspaperDelivery, Subscription, TablewareSet
from huiwu.reception.selectors.lunch import lunch_overview
from huiwu.reception.selectors.newspapers import newspapers_outstanding
from huiwu.testing import at


def _load(when):
    with time_machine.travel(at(when), tick=False):
        newspapers_demo.demo_load()
        lunch_demo.demo_load()
        newspapers_demo.demo_load()
        lunch_demo.demo_load()


def _delivered(day):
    return sorted(
        (delivery.office.room, delivery.delivered_at)
        for delivery in NewspaperDelivery.objects.filter(day=day).select_related("office")
    )


def test_it_has_a_round_and_a_lunch_under_way_late_in_the_morning(reception, principal_office, office):
    _load("2026-11-26 11:30")
    assert Subscription.objects.filter(year=2026).count() == 9
    assert set(TablewareSet.objects.values_list("number", flat=True)) == {"01", "02"}
    wednesday, thursday = at("2026-11-25 12:00").date(), at("2026-11-26 12:00").date()
    assert _delivered(wednesday) == [("7楼 705室", at("2026-11-25 10:34")), ("7楼 706室", at("2026-11-25 10:39"))]
    assert _delivered(thursday) == [("7楼 705室", at("2026-11-26 10:34"))]
    assert newspapers_outstanding(thursday) == [
        "7楼 706室 周国庆：人民日报×1、求是×1、参考消息×1、浙江日报×1、杭州日报×1"
    ]
    overview = lunch_overview(thursday)
    assert overview.menu
    assert [check.done for check in overview.checks] == [True, True, False, False]
    assert LunchRequest.objects.get().leader == principal_office.leader


def test_it_does_nothing_ahead_of_the_clock(reception, principal_office, office):
    _load("2026-11-26 10:20")
    assert _delivered(at("2026-11-26 12:00").date()) == []
    assert not MissingPaper.objects.exists()
    assert not LunchDay.objects.exists()
    assert TablewareSet.objects.count() == 2


def test_it_has_no_round_nor_lunch_on_a_day_off(reception, principal_office, office):
    _load("2026-10-01 12:00")
    assert _delivered(at("2026-10-01 12:00").date()) == []
    assert not LunchDay.objects.exists()
