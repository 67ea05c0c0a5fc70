"""Which checklist items a meeting gets (DESIGN §4.2, §4.6), and which version of the standards is in force."""

from datetime import timedelta

import pytest
from django.utils import timezone

from huiwu.service.models import Phase, ServiceStandard
from huiwu.service.standards import phase_items, standard_current, standard_default


@pytest.mark.parametrize(("headcount", "recess"), [(49, False), (50, True)])
def test_it_changes_the_cups_in_the_recess_from_the_large_meeting_headcount_on(
    book, other_room, manager, headcount, recess
):
    meeting = book(
        "2026-11-27 09:00",
        "11:00",
        headcount=headcount,
        room=other_room,
        user=manager,
        capacity_override_reason="全体会",
    )
    standard = standard_current()
    assert standard.recess_headcount == 50
    assert phase_items(standard, meeting, Phase.DURING) == ([standard.recess_item] if recess else [])


@pytest.mark.parametrize("confidentiality", [0, 1])
def test_it_adds_the_confidentiality_measures_only_to_a_confidential_meetings_lists(book, manager, confidentiality):
    meeting = book("2026-11-27 09:00", "11:00", confidentiality=confidentiality, user=manager)
    standard = standard_current()
    before = [*standard.before_items, standard.ready_item]
    after = list(standard.after_items)
    if confidentiality:
        before[-1:-1] = standard.confidential_before_items
        after += standard.confidential_after_items
    assert phase_items(standard, meeting, Phase.BEFORE) == before
    assert phase_items(standard, meeting, Phase.AFTER) == after


def _version(reason, changed_at):
    values = {name: getattr(standard_default(), name) for name in ("ready_item", "recess_item")}
    return ServiceStandard.objects.create(reason=reason, changed_at=changed_at, **values)


def test_it_puts_the_version_in_force_latest_first_and_the_later_of_two_at_the_same_moment(db):
    now = timezone.now()
    assert standard_current().pk is None  # the seed's defaults, until someone changes them
    _version("newest", now)
    _version("backdated, recorded later", now - timedelta(days=1))
    assert standard_current().reason == "newest"
    _version("same moment, recorded later", now)
    assert standard_current().reason == "same moment, recorded later"
