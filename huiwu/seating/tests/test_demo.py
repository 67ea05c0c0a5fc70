"""The demo seats its coming rostrums by protocol, once however often it loads."""

from django.utils import timezone

from huiwu.core.management.commands.demo import DEMO_LOADERS
from huiwu.seating.models import Seat, SeatingPlan
from huiwu.seating.selectors import plan_view


def _load() -> None:
    for load in DEMO_LOADERS:
        load()


def test_it_seats_the_coming_rostrums_once(db, frozen_now):
    _load()
    counts = (SeatingPlan.objects.count(), Seat.objects.count())
    _load()
    assert (SeatingPlan.objects.count(), Seat.objects.count()) == counts
    rostrum = SeatingPlan.objects.filter(arrangement="rostrum", meeting__end__gt=timezone.now()).first()
    # Seven leaders on one row, 7 5 3 1 2 4 6 as the audience sees it: the mayor in the middle.
    names = [seat.person.name for seat in plan_view(rostrum.meeting).rows[0].seats]
    assert len(names) == 7
    assert names[3] == "张建国"
    assert names[4] == "李明华"
