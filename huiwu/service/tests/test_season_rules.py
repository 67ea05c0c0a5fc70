"""The season a meeting is served in, on the boundaries of summer (DESIGN §4.2): the default summer runs from
05-01 to 09-30 inclusive, and a site may have its own, even one running across the new year."""

import pytest

from huiwu.service.models import Season
from huiwu.service.services import meeting_start, standard_create
from huiwu.service.standards import standard_current, standard_values
from huiwu.testing import at


def _season_of_a_meeting_on(day, book, frozen_now, team_leader):
    # The team leader records it: they may start any meeting, assigned or not.
    frozen_now.move_to(at(f"{day} 08:00"))
    meeting = book(f"{day} 09:00", "10:00")
    frozen_now.move_to(at(f"{day} 09:00"))
    return meeting_start(user=team_leader, meeting=meeting).season


@pytest.mark.parametrize(
    ("day", "season"),
    [
        ("2027-04-30", Season.WINTER),
        ("2027-05-01", Season.SUMMER),
        ("2027-09-30", Season.SUMMER),
        ("2027-10-01", Season.WINTER),
    ],
)
def test_it_counts_both_ends_of_the_default_summer_as_summer(book, frozen_now, team_leader, day, season):
    assert _season_of_a_meeting_on(day, book, frozen_now, team_leader) == season


@pytest.mark.parametrize(
    ("day", "season"),
    [
        ("2027-10-31", Season.WINTER),
        ("2027-11-01", Season.SUMMER),
        ("2026-12-31", Season.SUMMER),
        ("2027-01-01", Season.SUMMER),
        ("2027-03-31", Season.SUMMER),
        ("2027-04-01", Season.WINTER),
        ("2027-07-01", Season.WINTER),
    ],
)
def test_it_follows_a_site_whose_summer_runs_across_the_new_year(
    book, frozen_now, team_leader, manager, site, day, season
):
    values = standard_values(standard_current())
    standard_create(user=manager, values=values | {"site_seasons": {site.code: ["11-01", "03-31"]}})
    assert _season_of_a_meeting_on(day, book, frozen_now, team_leader) == season


def test_it_keeps_the_default_summer_for_the_sites_not_named(book, frozen_now, team_leader, manager, site):
    from huiwu.venues.models import Site

    Site.objects.create(name="南方园区", code="south")  # the rules accept the summers of real sites only
    values = standard_values(standard_current())
    standard_create(user=manager, values=values | {"site_seasons": {"south": ["11-01", "03-31"]}})
    assert _season_of_a_meeting_on("2027-05-01", book, frozen_now, team_leader) == Season.SUMMER
    assert _season_of_a_meeting_on("2027-11-01", book, frozen_now, team_leader) == Season.WINTER


def test_it_follows_a_site_whose_summer_is_a_single_day(book, frozen_now, team_leader, manager, site):
    values = standard_values(standard_current())
    standard_create(user=manager, values=values | {"site_seasons": {site.code: ["07-01", "07-01"]}})
    assert _season_of_a_meeting_on("2027-06-30", book, frozen_now, team_leader) == Season.WINTER
    assert _season_of_a_meeting_on("2027-07-01", book, frozen_now, team_leader) == Season.SUMMER
    assert _season_of_a_meeting_on("2027-07-02", book, frozen_now, team_leader) == Season.WINTER
