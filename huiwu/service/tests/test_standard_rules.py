"""The rules a new version of the standards keeps, written once (standards.standard_clean) and enforced by
services.standard_create for the page and the API alike: each bound tested on both sides."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huiwu.service.models import ServiceStandard
from huiwu.service.services import standard_create
from huiwu.service.standards import standard_clean, standard_default, standard_values
from huiwu.testing import login_as


def _values(**changes) -> dict:
    return standard_values(standard_default()) | changes


def _refused(**changes) -> dict[str, list[ValidationError]]:
    with pytest.raises(ValidationError) as caught:
        standard_clean(_values(**changes))
    return caught.value.error_dict


def _messages(language: str = "en", **changes) -> dict[str, list[str]]:
    with translation.override(language):
        refused = _refused(**changes)
        return {field: [message for error in errors for message in error] for field, errors in refused.items()}


def test_it_accepts_the_seed_defaults(db):
    assert standard_clean(_values()) == _values()


@pytest.mark.parametrize(
    ("levels", "field"),
    [
        ((60, 60, 30), "level1_minutes"),
        ((59, 60, 30), "level1_minutes"),
        ((120, 30, 30), "level2_minutes"),
        ((120, 29, 30), "level2_minutes"),
    ],
)
def test_it_refuses_levels_out_of_order(db, levels, field):
    changes = dict(zip(("level1_minutes", "level2_minutes", "level3_minutes"), levels, strict=True))
    assert list(_refused(**changes)) == [field]


def test_it_accepts_levels_one_minute_apart_up_to_a_day(db):
    assert standard_clean(_values(level1_minutes=1440, level2_minutes=2, level3_minutes=1))["level1_minutes"] == 1440


@pytest.mark.parametrize("minutes", [0, 1441, -1, True, "60", 60.0, None])
def test_it_refuses_a_level_that_is_not_a_whole_number_of_minutes_in_a_day(db, minutes):
    assert "level1_minutes" in _refused(level1_minutes=minutes)


def test_it_accepts_a_window_that_opens_and_closes_at_once_at_the_bounds(db):
    windows = [[1, 1], [240, 240]]
    assert standard_clean(_values(summer_refills=windows))["summer_refills"] == windows


@pytest.mark.parametrize(
    ("window", "end"),
    [([0, 10], "from"), ([10, 241], "to"), ([True, 10], "from"), ([11, 10], "to")],
)
def test_it_names_the_window_and_end_that_breaks_a_rule(db, window, end):
    (error,) = _refused(winter_refills=[[15, 20], window])["winter_refills"]
    assert error.params == {"window": 2, "end": end}


@pytest.mark.parametrize("windows", [[], [[10]], [[10, 15, 20]], "10-15", None, [[10, 15]] * 21])
def test_it_refuses_refills_that_are_not_one_to_twenty_windows(db, windows):
    (error,) = _refused(summer_refills=windows)["summer_refills"]
    assert error.params is None


def test_it_accepts_twenty_windows(db):
    assert len(standard_clean(_values(summer_refills=[[10, 15]] * 20))["summer_refills"]) == 20


@pytest.mark.parametrize("day", ["02-30", "13-01", "5-1", "0501", 501, None])
def test_it_refuses_a_season_day_that_is_not_a_real_mm_dd(db, day):
    assert list(_refused(summer_from=day)) == ["summer_from"]


def test_it_accepts_the_leap_day_and_a_summer_across_the_new_year(db):
    cleaned = standard_clean(_values(summer_from="11-01", summer_until="02-29"))
    assert (cleaned["summer_from"], cleaned["summer_until"]) == ("11-01", "02-29")


def test_it_refuses_seasons_of_sites_that_do_not_exist(site):
    assert standard_clean(_values(site_seasons={site.code: ["06-01", "09-15"]}))["site_seasons"]
    assert _messages(site_seasons={site.code: ["06-01", "09-15"], "nowhere": ["05-01", "09-30"]}) == {
        "site_seasons": ["There are no sites with these codes: nowhere."]
    }
    assert "site_seasons" in _refused(site_seasons={site.code: ["06-01"]})


def test_it_keeps_the_summer_of_a_site_removed_since_the_version_in_force(manager, frozen_now):
    from huiwu.venues.models import Site

    old = Site.objects.create(name="老园区", code="old")
    standard_create(user=manager, values=_values(site_seasons={"old": ["06-01", "09-15"]}))
    old.delete()
    assert standard_clean(_values(site_seasons={"old": ["06-01", "09-15"]}))["site_seasons"] == {
        "old": ["06-01", "09-15"]
    }


@pytest.mark.parametrize(("headcount", "accepted"), [(1, True), (5000, True), (0, False), (5001, False)])
def test_it_bounds_the_large_meeting_headcount(db, headcount, accepted):
    if accepted:
        assert standard_clean(_values(recess_headcount=headcount))["recess_headcount"] == headcount
    else:
        assert list(_refused(recess_headcount=headcount)) == ["recess_headcount"]


@pytest.mark.parametrize(("minutes", "accepted"), [(1, True), (240, True), (0, False), (241, False)])
def test_it_bounds_the_room_ready_minutes(db, minutes, accepted):
    if accepted:
        assert standard_clean(_values(ready_minutes=minutes))["ready_minutes"] == minutes
    else:
        assert list(_refused(ready_minutes=minutes)) == ["ready_minutes"]


@pytest.mark.parametrize(
    ("minutes", "accepted"), [(1, True), (240, True), (0, False), (241, False), (True, False), ("30", False)]
)
def test_it_bounds_the_minutes_a_check_can_be_confirmed_before_it_is_due(db, minutes, accepted):
    if accepted:
        assert standard_clean(_values(confirm_early_minutes=minutes))["confirm_early_minutes"] == minutes
    else:
        assert list(_refused(confirm_early_minutes=minutes)) == ["confirm_early_minutes"]


def test_it_defaults_to_confirming_from_thirty_minutes_before_and_no_attendants_item(db):
    default = standard_default()
    assert default.confirm_early_minutes == 30
    # Whether someone is assigned is verified by the system (facts.py), never ticked.
    assert "服务人员已安排" not in default.level1_items


def test_it_tidies_the_spaces_of_items(db):
    cleaned = standard_clean(_values(after_items=["  关灯  ", "锁\t门"], recess_item=" 换 茶杯 "))
    assert (cleaned["after_items"], cleaned["recess_item"]) == (["关灯", "锁 门"], "换 茶杯")


def test_it_accepts_items_of_two_hundred_characters_and_lists_of_fifty(db):
    cleaned = standard_clean(_values(after_items=[f"{n:03d}" + "长" * 197 for n in range(50)]))
    assert len(cleaned["after_items"]) == 50


@pytest.mark.parametrize(
    "items",
    [
        ["长" * 201],
        ["关灯", " 关灯 "],
        [""],
        ["  "],
        [1],
        "关灯",
        [f"项{n}" for n in range(51)],
        ["关\u202e灯"],
        ["关\x00灯"],
        [],
    ],
)
def test_it_refuses_bad_checklists(db, items):
    assert list(_refused(level2_items=items)) == ["level2_items"]


def test_it_lets_the_confidential_measures_be_empty_but_no_other_list(db):
    cleaned = standard_clean(_values(confidential_before_items=[], confidential_after_items=[]))
    assert cleaned["confidential_before_items"] == []
    assert set(_refused(before_items=[], after_items=[], level1_items=[])) == {
        "before_items",
        "after_items",
        "level1_items",
    }


def test_it_keeps_the_room_ready_item_out_of_the_list_it_closes(db):
    assert _messages(ready_item=" 开门开灯 ", before_items=["会场清洁", "开门开灯"]) == {
        "before_items": ["The room-ready item closes this list by itself: remove “开门开灯” here."]
    }


@pytest.mark.parametrize("item", ["", "关\x07灯", "长" * 201])
def test_it_refuses_a_bad_ready_or_recess_item(db, item):
    assert set(_refused(ready_item=item, recess_item=item)) == {"ready_item", "recess_item"}


def test_it_names_every_broken_rule_at_once(db):
    assert set(_refused(level1_minutes=0, summer_from="x", after_items=[])) == {
        "level1_minutes",
        "summer_from",
        "after_items",
    }


def test_it_saves_nothing_when_the_service_refuses(manager):
    with pytest.raises(ValidationError):
        standard_create(user=manager, values=_values(level3_minutes=200), reason="试试")
    assert not ServiceStandard.objects.exists()


def test_it_gives_the_page_and_the_api_the_same_message_for_the_same_rule(client, api, manager, frozen_now):
    from huiwu.service.tests.test_standards_page import URL, _form_data

    login_as(client, manager)
    page = client.post(URL, _form_data(before_items="会场清洁\n会场清洁"))
    answer = api(manager, "post", "/service/standards", {"before_items": ["会场清洁", "会场清洁"]})
    assert answer.status_code == 422
    expected = _messages("zh-hans", before_items=["会场清洁", "会场清洁"])["before_items"]
    assert page.context["form"].errors["before_items"] == expected
    assert answer.json()["errors"]["before_items"] == expected
    assert not ServiceStandard.objects.exists()
