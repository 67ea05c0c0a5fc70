"""Today's leaders' lunch (seed 篇3 (二) 6): the menu, the five checks before 11:40 — four answered with a tap
and their time, none pre-ticked, the fifth computed from each expected leader's answer — and the answers kept
with the directory's dietary notes."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.directory.models import Person
from huiwu.reception.models import JournalEntry, LeaderOffice, LunchDay, LunchRequest, RoutineItem, TablewareSet
from huiwu.reception.selectors.lunch import LunchCheck, lunch_outstanding, lunch_overview
from huiwu.reception.services.lunch import lunch_check, lunch_menu_set, lunch_request_record
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at

THURSDAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def sets(leader, other_leader, principal_office, office):
    """周国庆 (principal, 不吃辣) set 01, 吴晓峰 set 02."""
    return {
        "周国庆": TablewareSet.objects.create(leader=leader, number="01", place="上层左一"),
        "吴晓峰": TablewareSet.objects.create(leader=other_leader, number="02", place="上层左二"),
    }


def _at(when):
    return time_machine.travel(at(when), tick=False)


def _check(user, check, when="2026-11-26 11:10", day=THURSDAY):
    with _at(when):
        return lunch_check(user=user, day=day, check=check)


def _menu(user, menu="清蒸鲈鱼、米饭", when="2026-11-26 10:50", day=THURSDAY):
    with _at(when):
        return lunch_menu_set(user=user, day=day, menu=menu)


def _answer(user, leader, eats, request="", when="2026-11-26 11:15", day=THURSDAY):
    with _at(when):
        return lunch_request_record(user=user, day=day, leader=leader, eats=eats, request=request)


def _state(day=THURSDAY):
    overview = lunch_overview(day)
    return [check.done for check in overview.checks] + [overview.requests_done]


def test_it_starts_with_none_of_the_five_done(sets):
    assert _state() == [False, False, False, False, False]
    assert lunch_outstanding(THURSDAY) == [
        "Open the small dining room door",
        "Check the small dining room's hygiene",
        "Match the tableware in the disinfection cabinet to names and numbers",
        "Know today's menu",
        "Tell the menu and take the request of: 周国庆, 吴晓峰",
    ]
    assert not LunchDay.objects.exists()


def test_it_records_each_check_with_its_time_and_who_with_a_journal_line(reception, sets):
    _check(reception, LunchCheck.DOOR, "2026-11-26 11:05")
    _check(reception, LunchCheck.HYGIENE, "2026-11-26 11:08")
    lunch = LunchDay.objects.get()
    assert (lunch.door_opened_at, lunch.hygiene_checked_at, lunch.checked_by) == (
        at("2026-11-26 11:05"),
        at("2026-11-26 11:08"),
        reception,
    )
    assert _state() == [True, True, False, False, False]
    texts = list(JournalEntry.objects.filter(source=JournalEntry.Source.LUNCH).values_list("text", flat=True))
    assert sorted(texts) == [
        "Leaders' lunch: Check the small dining room's hygiene",
        "Leaders' lunch: Open the small dining room door",
    ]


def test_it_refuses_a_check_done_twice_and_says_when(reception, sets):
    _check(reception, LunchCheck.DOOR, "2026-11-26 11:05")
    with pytest.raises(ValidationError) as refused:
        _check(reception, LunchCheck.DOOR, "2026-11-26 11:20")
    assert "11:05" in refused.value.message_dict["check"][0]
    assert LunchDay.objects.get().door_opened_at == at("2026-11-26 11:05")


def test_it_refuses_an_unknown_check(reception, sets):
    with pytest.raises(ValidationError) as refused:
        _check(reception, "requests")
    assert "check" in refused.value.message_dict


def test_it_needs_the_menu_written_before_it_is_known(reception, sets):
    with pytest.raises(ValidationError) as refused:
        _check(reception, LunchCheck.MENU)
    assert "menu first" in refused.value.message_dict["check"][0]
    _menu(reception, "  清蒸鲈鱼\n番茄炒蛋  ")
    _check(reception, LunchCheck.MENU)
    lunch = LunchDay.objects.get()
    assert (lunch.menu, lunch.menu_known_at) == ("清蒸鲈鱼\n番茄炒蛋", at("2026-11-26 11:10"))


@pytest.mark.parametrize(
    ("menu", "words"), [("   ", "Write today's dishes"), ("菜\x00", "control"), ("菜" * 1001, "1000")]
)
def test_it_refuses_an_empty_or_bad_menu(reception, sets, menu, words):
    with pytest.raises(ValidationError) as refused:
        _menu(reception, menu)
    assert words in refused.value.message_dict["menu"][0]
    assert not LunchDay.objects.filter(menu__gt="").exists()


def test_it_lets_the_menu_be_corrected_with_a_journal_line_each_time(reception, sets):
    _menu(reception, "清蒸鲈鱼")
    _menu(reception, "红烧鲈鱼")
    _menu(reception, "红烧鲈鱼")
    assert LunchDay.objects.get().menu == "红烧鲈鱼"
    assert JournalEntry.objects.filter(source=JournalEntry.Source.LUNCH).count() == 2


def test_it_marks_a_check_done_after_the_lunch_time(reception, sets):
    _check(reception, LunchCheck.DOOR, "2026-11-26 11:40")
    _check(reception, LunchCheck.HYGIENE, "2026-11-26 11:41")
    late = [check.late for check in lunch_overview(THURSDAY).checks[:2]]
    assert late == [False, True]


# --- the fifth: every expected leader told the menu and asked ------------------------------------------


def test_it_keeps_the_answer_with_the_dietary_notes_as_they_read_then(reception, leader, sets):
    answer = _answer(reception, leader, True, "米饭半碗")
    leader.dietary_notes = "少油"
    leader.save()
    answer.refresh_from_db()
    assert (answer.eats, answer.request, answer.dietary_notes, answer.taken_by) == (
        True,
        "米饭半碗",
        "不吃辣",
        reception,
    )
    entry = next(entry for entry in lunch_overview(THURSDAY).leaders if entry.leader == leader)
    assert entry.dietary_notes == "不吃辣"
    assert "周国庆 eats today · 米饭半碗" in JournalEntry.objects.get(source=JournalEntry.Source.LUNCH).text


def test_it_shows_the_directorys_notes_before_the_leader_is_asked(reception, leader, sets):
    entry = next(entry for entry in lunch_overview(THURSDAY).leaders if entry.leader == leader)
    assert (entry.request, entry.dietary_notes) == (None, "不吃辣")


def test_it_completes_the_fifth_when_every_expected_leader_has_answered(reception, leader, other_leader, sets):
    _answer(reception, leader, True)
    assert _state()[4] is False
    assert lunch_outstanding(THURSDAY)[-1] == "Tell the menu and take the request of: 吴晓峰"
    _answer(reception, other_leader, False)
    assert _state()[4] is True
    assert lunch_overview(THURSDAY).eating == 1


def test_it_takes_a_newer_answer_over_the_first(reception, leader, sets):
    _answer(reception, leader, False, when="2026-11-26 11:00")
    _answer(reception, leader, True, "少盐", when="2026-11-26 11:20")
    answer = LunchRequest.objects.get()
    assert (answer.eats, answer.request, answer.taken_at) == (True, "少盐", at("2026-11-26 11:20"))


def test_it_asks_for_an_answer_never_guesses_one(reception, leader, sets):
    with pytest.raises(ValidationError) as refused:
        _answer(reception, leader, None)
    assert "eats" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _answer(reception, leader, "yes")
    assert not LunchRequest.objects.exists()


def test_it_refuses_an_answer_for_a_guest_or_an_inactive_leader(reception, leader, sets):
    guest = Person.objects.create(name="来宾", title="处长", kind=Person.Kind.GUEST)
    with pytest.raises(ValidationError) as refused:
        _answer(reception, guest, True)
    assert "leader" in refused.value.message_dict
    leader.is_active = False
    leader.save()
    with pytest.raises(ValidationError):
        _answer(reception, leader, True)
    assert not LunchRequest.objects.exists()


def test_it_does_not_expect_a_leader_on_a_business_trip_but_does_one_who_is_out(reception, leader, office, sets):
    office.presence, office.presence_set_at = LeaderOffice.Presence.AWAY, at("2026-11-24 09:00")
    office.save()
    leader.office.presence, leader.office.presence_set_at = LeaderOffice.Presence.OUT, at("2026-11-26 09:00")
    leader.office.save()
    overview = lunch_overview(THURSDAY)
    assert [(entry.leader.name, entry.presence) for entry in overview.leaders] == [("周国庆", "out")]
    assert [tableware.number for tableware in overview.away] == ["02"]
    _answer(reception, leader, False)
    assert lunch_overview(THURSDAY).requests_done


def test_it_does_not_expect_a_set_out_of_use_nor_a_leader_without_a_set(reception, sets, db):
    sets["吴晓峰"].is_active = False
    sets["吴晓峰"].save()
    Person.objects.create(name="韩立", title="总经理", kind=Person.Kind.LEADER, precedence=30)
    assert [entry.leader.name for entry in lunch_overview(THURSDAY).leaders] == ["周国庆"]


def test_it_keeps_showing_an_answer_taken_before_the_leader_left(reception, other_leader, office, sets):
    _answer(reception, other_leader, True)
    office.presence, office.presence_set_at = LeaderOffice.Presence.AWAY, at("2026-11-26 11:30")
    office.save()
    entries = lunch_overview(THURSDAY).leaders
    assert [(entry.leader.name, entry.expected, entry.request is not None) for entry in entries] == [
        ("周国庆", True, False),
        ("吴晓峰", False, True),
    ]


def test_it_reads_the_lunch_in_a_bounded_number_of_queries(reception, sets, django_assert_max_num_queries):
    for number in range(20):
        person = Person.objects.create(
            name=f"领导{number}", title="处长", kind=Person.Kind.LEADER, precedence=40 + number
        )
        LeaderOffice.objects.create(leader=person, room=f"5楼 5{number:02d}室")
        TablewareSet.objects.create(leader=person, number=f"{number + 10}")
        _answer(reception, person, True, "少盐")
    with django_assert_max_num_queries(6):
        overview = lunch_overview(THURSDAY)
        assert [entry.request.taken_by.username for entry in overview.leaders if entry.request] == ["reception"] * 20


# --- today only, reception only, and the day's item -----------------------------------------------------


def test_it_writes_only_todays_lunch(reception, leader, sets):
    with pytest.raises(ValidationError) as refused:
        _check(reception, LunchCheck.DOOR, "2026-11-27 11:00", day=THURSDAY)
    assert "day" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _menu(reception, when="2026-11-25 11:00", day=THURSDAY)
    with pytest.raises(ValidationError):
        _answer(reception, leader, True, when="2026-11-26 11:00", day=date(2026, 11, 27))
    assert not LunchDay.objects.exists()


def test_it_has_no_lunch_to_write_on_a_day_off(reception, sets):
    with pytest.raises(ValidationError) as refused:
        _check(reception, LunchCheck.DOOR, "2026-11-28 11:00", day=date(2026, 11, 28))
    assert "not a working day" in refused.value.message_dict["day"][0]


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_write_the_lunch(make_persona, leader, sets, persona):
    user = make_persona(persona)
    with pytest.raises(PermissionDenied):
        _check(user, LunchCheck.DOOR)
    with pytest.raises(PermissionDenied):
        _menu(user)
    with pytest.raises(PermissionDenied):
        _answer(user, leader, True)
    assert not LunchDay.objects.exists()


def test_it_completes_the_days_lunch_item_when_all_five_hold_in_any_order(reception, leader, other_leader, sets):
    with _at("2026-11-26 08:00"):
        item = day_plan_ensure(THURSDAY).items.get(code=RoutineItem.Code.LUNCH)
    _answer(reception, leader, True, when="2026-11-26 11:00")
    _answer(reception, other_leader, True, when="2026-11-26 11:01")
    _menu(reception, when="2026-11-26 11:02")
    for minute, check in enumerate(LunchCheck, start=3):
        item.refresh_from_db()
        assert item.done_at is None
        _check(reception, check, f"2026-11-26 11:{minute:02d}")
    item.refresh_from_db()
    assert (item.done_at, item.done_by) == (at("2026-11-26 11:06"), reception)
    assert lunch_outstanding(THURSDAY) == []


def test_it_completes_the_item_with_the_last_answer_when_the_checks_came_first(reception, leader, other_leader, sets):
    with _at("2026-11-26 08:00"):
        item = day_plan_ensure(THURSDAY).items.get(code=RoutineItem.Code.LUNCH)
    _menu(reception, when="2026-11-26 11:00")
    for check in LunchCheck:
        _check(reception, check, "2026-11-26 11:05")
    _answer(reception, leader, True, when="2026-11-26 11:10")
    item.refresh_from_db()
    assert item.done_at is None
    _answer(reception, other_leader, False, when="2026-11-26 11:30")
    item.refresh_from_db()
    assert item.done_at == at("2026-11-26 11:30")
