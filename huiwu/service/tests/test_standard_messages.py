"""What each broken rule of a new version of the standards says (standards.standard_clean), word for word:
the page and the API show these messages to the manager who has to put the input right."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huiwu.service.standards import standard_clean, standard_default, standard_values

MINUTES = "Give a whole number of minutes from 1 to 240."
ITEM = "Write each item out, in at most 200 characters."


def _messages(**changes) -> dict[str, list[str]]:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        standard_clean(standard_values(standard_default()) | changes)
    return {
        field: [message for error in errors for message in error] for field, errors in refused.value.error_dict.items()
    }


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"level1_items": [f"项{n}" for n in range(51)]}, {"level1_items": ["Give a list of at most 50 items."]}),
        ({"level1_items": "单项"}, {"level1_items": ["Give a list of at most 50 items."]}),
        ({"level2_items": ["好", "  "]}, {"level2_items": [ITEM]}),
        (
            {"level2_items": ["好\u202e坏"]},
            {"level2_items": ["Remove the control or text-direction characters; they cannot be stored."]},
        ),
        (
            {"level3_items": ["长" * 25 + "x" * 180]},
            {"level3_items": ["This item is longer than 200 characters: " + "长" * 20 + "…"]},
        ),
        (
            {"after_items": ["清洁", " 清洁 ", "关灯", "关灯"]},
            {"after_items": ["Each item may appear only once: 清洁, 关灯"]},
        ),
        ({"ready_item": "  "}, {"ready_item": [ITEM]}),
        ({"ready_minutes": 0}, {"ready_minutes": [MINUTES]}),
        ({"confirm_early_minutes": 241}, {"confirm_early_minutes": [MINUTES]}),
        ({"level3_minutes": 0}, {"level3_minutes": ["Give a whole number of minutes from 1 to 1440."]}),
        ({"recess_headcount": 0}, {"recess_headcount": ["Give a headcount from 1 to 5000."]}),
        (
            {"summer_refills": []},
            {"summer_refills": ["Give one to 20 windows as [from, to] in minutes, with 0 < from ≤ to ≤ 240."]},
        ),
        ({"winter_refills": [[0, 5]]}, {"winter_refills": [MINUTES]}),
        ({"summer_from": "5-1"}, {"summer_from": ["Enter a real day of the year as MM-DD, for example 05-01."]}),
        (
            {"site_seasons": {"tower": ["05-01"]}},
            {"site_seasons": ["Give each site's summer under its code as two days, from and until, written MM-DD."]},
        ),
        (
            {"site_seasons": {"nowhere": ["05-01", "09-30"], "gone": ["05-01", "09-30"]}},
            {"site_seasons": ["There are no sites with these codes: gone, nowhere."]},
        ),
    ],
)
def test_it_says_which_rule_the_new_version_breaks(db, changes, messages):
    assert _messages(**changes) == messages


def test_it_accepts_a_single_refill_window_repeated_all_along(db):
    assert standard_clean(standard_values(standard_default()) | {"winter_refills": [[20, 25]]})["winter_refills"] == [
        [20, 25]
    ]
