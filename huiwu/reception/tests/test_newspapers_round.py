"""The day's newspaper round (seed 篇3 (二) 5): generated from the subscription table of the day's year, in
delivery order, ticked per office inside the 10:30–11:00 window, a missing paper recorded."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.directory.models import Person
from huiwu.reception.models import (
    JournalEntry,
    LeaderOffice,
    MissingPaper,
    NewspaperDelivery,
    Publication,
    RoutineItem,
    RoutineStandard,
    Subscription,
)
from huiwu.reception.selectors.newspapers import Timing, distribution_list, newspapers_outstanding
from huiwu.reception.services.newspapers import missing_paper_record, newspaper_delivered, subscription_set
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at

THURSDAY = date(2026, 11, 26)
SATURDAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def papers(db):
    return {name: Publication.objects.create(name=name) for name in ("人民日报", "光明日报", "求是")}


@pytest.fixture
def table(papers, leader, other_leader, principal_office, office):
    """周国庆 (7楼 706室): 人民日报×1 求是×1; 吴晓峰 (7楼 705室): 人民日报×2 光明日报×1."""
    for person, name, copies in (
        (leader, "人民日报", 1),
        (leader, "求是", 1),
        (other_leader, "人民日报", 2),
        (other_leader, "光明日报", 1),
    ):
        Subscription.objects.create(year=2026, leader=person, publication=papers[name], copies=copies)
    return papers


def _deliver(user, office, when, day=THURSDAY):
    with time_machine.travel(at(when), tick=False):
        return newspaper_delivered(user=user, office=office, day=day)


def _offices(day=THURSDAY):
    return [(entry.office.room, [(p.name, n) for p, n in entry.papers]) for entry in distribution_list(day).offices]


def test_it_lists_each_office_with_its_papers_in_delivery_order(table):
    assert _offices() == [
        ("7楼 705室", [("人民日报", 2), ("光明日报", 1)]),
        ("7楼 706室", [("人民日报", 1), ("求是", 1)]),
    ]


def test_it_orders_the_round_by_floor_then_room_by_their_numbers(table, db):
    for number, room in enumerate(["10楼 1001室", "6楼 608室", "9楼 901室"], start=10):
        person = Person.objects.create(name=f"领导{number}", title="总经理", kind=Person.Kind.LEADER, precedence=number)
        LeaderOffice.objects.create(leader=person, room=room)
        Subscription.objects.create(year=2026, leader=person, publication=table["人民日报"], copies=1)
    assert [room for room, _papers in _offices()] == [
        "6楼 608室",
        "7楼 705室",
        "7楼 706室",
        "9楼 901室",
        "10楼 1001室",
    ]


def test_it_follows_the_table_a_change_shows_on_the_next_look(table, reception, office, other_leader):
    assert _offices()[0] == ("7楼 705室", [("人民日报", 2), ("光明日报", 1)])
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        subscription_set(user=reception, year=2026, leader=other_leader, publication=table["光明日报"], copies=0)
        subscription_set(user=reception, year=2026, leader=other_leader, publication=table["求是"], copies=3)
    assert _offices()[0] == ("7楼 705室", [("人民日报", 2), ("求是", 3)])
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        subscription_set(user=reception, year=2026, leader=other_leader, publication=table["人民日报"], copies=0)
        subscription_set(user=reception, year=2026, leader=other_leader, publication=table["求是"], copies=0)
    assert [room for room, _papers in _offices()] == ["7楼 706室"]


def test_it_reads_the_table_of_the_days_year(table, leader):
    Subscription.objects.create(year=2027, leader=leader, publication=table["光明日报"], copies=4)
    assert _offices(date(2027, 1, 4)) == [("7楼 706室", [("光明日报", 4)])]


def test_it_has_no_round_on_a_day_off(table):
    listed = distribution_list(SATURDAY)
    assert (listed.is_workday, listed.offices) == (False, [])
    assert newspapers_outstanding(SATURDAY) == []
    assert distribution_list(date(2026, 10, 1)).offices == []  # National Day


def test_it_leaves_out_inactive_publications_and_leaders(table, leader, office):
    table["求是"].is_active = False
    table["求是"].save()
    office.leader.is_active = False
    office.leader.save()
    assert _offices() == [("7楼 706室", [("人民日报", 1)])]


def test_it_lists_a_subscribed_leader_without_an_office_apart(table, db):
    person = Person.objects.create(name="韩立", title="总经理", kind=Person.Kind.LEADER, precedence=30)
    Subscription.objects.create(year=2026, leader=person, publication=table["人民日报"], copies=1)
    listed = distribution_list(THURSDAY)
    assert [(who.name, [(p.name, n) for p, n in papers]) for who, papers in listed.without_office] == [
        ("韩立", [("人民日报", 1)])
    ]
    assert "韩立" not in " ".join(newspapers_outstanding(THURSDAY))


def test_it_still_delivers_to_an_office_whose_leader_is_on_a_business_trip(table, office):
    office.presence = LeaderOffice.Presence.AWAY
    office.presence_set_at = at("2026-11-25 09:00")
    office.save()
    entry = distribution_list(THURSDAY).offices[0]
    assert (entry.office, entry.is_away) == (office, True)


def test_it_totals_what_to_collect_from_the_mail_room(table):
    assert [(p.name, n) for p, n in distribution_list(THURSDAY).totals] == [
        ("人民日报", 3),
        ("光明日报", 1),
        ("求是", 1),
    ]


def test_it_reads_the_round_in_a_bounded_number_of_queries(table, django_assert_max_num_queries, reception):
    for number in range(20):
        person = Person.objects.create(name=f"领导{number}", title="处长", kind=Person.Kind.LEADER, precedence=50)
        room = LeaderOffice.objects.create(leader=person, room=f"5楼 5{number:02d}室")
        for publication in table.values():
            Subscription.objects.create(year=2026, leader=person, publication=publication, copies=1)
        NewspaperDelivery.objects.create(
            day=THURSDAY, office=room, delivered_at=at("2026-11-26 10:40"), delivered_by=reception
        )
    with django_assert_max_num_queries(7):
        listed = distribution_list(THURSDAY)
        assert len(listed.offices) == 22
        assert [entry.delivery.delivered_by.username for entry in listed.offices if entry.delivery] == [
            "reception"
        ] * 20


# --- ticking the round ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "timing"),
    [
        ("2026-11-26 10:29", Timing.EARLY),
        ("2026-11-26 10:30", Timing.ON_TIME),
        ("2026-11-26 11:00", Timing.ON_TIME),
        ("2026-11-26 11:01", Timing.LATE),
    ],
)
def test_it_marks_a_tick_against_the_window_by_the_minute(table, reception, office, when, timing):
    delivery = _deliver(reception, office, when)
    assert (delivery.delivered_at, delivery.delivered_by) == (at(when), reception)
    assert distribution_list(THURSDAY).offices[0].timing == timing


def test_it_keeps_the_whole_minute_of_11_00_inside_the_window(table, reception, office):
    with time_machine.travel("2026-11-26 11:00:59 +0800", tick=False):
        newspaper_delivered(user=reception, office=office, day=THURSDAY)
    assert distribution_list(THURSDAY).offices[0].timing == Timing.ON_TIME


def test_it_reads_the_window_of_the_standard_the_day_was_planned_with(table, reception, office):
    with time_machine.travel(at("2026-11-26 08:00"), tick=False):
        planned_with = day_plan_ensure(THURSDAY).standard
    later = RoutineStandard.objects.get(pk=planned_with.pk)
    later.pk = None
    later.newspapers_from, later.newspapers_until = time(9, 30), time(10, 0)
    later.changed_at = at("2026-11-26 09:00")
    later.save()
    _deliver(reception, office, "2026-11-26 10:45")
    assert distribution_list(THURSDAY).window == (time(10, 30), time(11, 0))
    assert distribution_list(THURSDAY).offices[0].timing == Timing.ON_TIME
    # A day not planned yet reads the standard in force.
    assert distribution_list(date(2026, 11, 27)).window == (time(9, 30), time(10, 0))


def test_it_writes_a_journal_line_with_the_papers_and_the_timing(table, reception, office):
    _deliver(reception, office, "2026-11-26 11:05")
    entry = JournalEntry.objects.get(source=JournalEntry.Source.NEWSPAPER)
    assert entry.author == reception
    assert entry.at == at("2026-11-26 11:05")
    assert "7楼 705室 吴晓峰" in entry.text
    assert "人民日报×2, 光明日报×1" in entry.text
    assert "after the window" in entry.text


def test_it_refuses_a_second_tick_and_says_who_ticked_it(table, reception, office):
    _deliver(reception, office, "2026-11-26 10:40")
    with pytest.raises(ValidationError) as refused:
        _deliver(reception, office, "2026-11-26 10:45")
    assert "10:40" in refused.value.messages[0]
    assert str(reception) in refused.value.messages[0]
    assert NewspaperDelivery.objects.count() == 1


def test_it_ticks_only_todays_round(table, reception, office):
    with pytest.raises(ValidationError) as refused:
        _deliver(reception, office, "2026-11-27 10:40", day=THURSDAY)
    assert "day" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _deliver(reception, office, "2026-11-26 10:40", day=date(2026, 11, 27))
    assert not NewspaperDelivery.objects.exists()


def test_it_refuses_a_tick_on_a_day_off_and_for_an_office_with_no_paper(table, reception, office, db):
    with pytest.raises(ValidationError) as refused:
        _deliver(reception, office, "2026-11-28 10:40", day=SATURDAY)
    assert "not a working day" in refused.value.message_dict["day"][0]
    person = Person.objects.create(name="郑思远", title="主任", kind=Person.Kind.LEADER, precedence=20)
    empty = LeaderOffice.objects.create(leader=person, room="7楼 702室")
    with pytest.raises(ValidationError) as refused:
        _deliver(reception, empty, "2026-11-26 10:40")
    assert "office" in refused.value.message_dict
    assert not NewspaperDelivery.objects.exists()


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant"])
def test_it_lets_only_reception_tick(table, office, persona, make_persona):
    with pytest.raises(PermissionDenied):
        _deliver(make_persona(persona), office, "2026-11-26 10:40")
    assert not NewspaperDelivery.objects.exists()


def test_it_names_the_offices_not_yet_delivered(table, reception, office):
    assert newspapers_outstanding(THURSDAY) == [
        "7楼 705室 吴晓峰: 人民日报×2, 光明日报×1",
        "7楼 706室 周国庆: 人民日报×1, 求是×1",
    ]
    _deliver(reception, office, "2026-11-26 10:40")
    assert newspapers_outstanding(THURSDAY) == ["7楼 706室 周国庆: 人民日报×1, 求是×1"]


def test_it_completes_the_days_newspapers_item_when_the_last_office_is_ticked(
    table, reception, office, principal_office
):
    with time_machine.travel(at("2026-11-26 08:00"), tick=False):
        plan = day_plan_ensure(THURSDAY)
    item = plan.items.get(code=RoutineItem.Code.NEWSPAPERS)
    _deliver(reception, office, "2026-11-26 10:40")
    item.refresh_from_db()
    assert item.done_at is None
    _deliver(reception, principal_office, "2026-11-26 10:52")
    item.refresh_from_db()
    assert (item.done_at, item.done_by) == (at("2026-11-26 10:52"), reception)


# --- missing papers ---------------------------------------------------------------------------------


def _missing(user, office, publication, copies, note="", when="2026-11-26 10:35"):
    with time_machine.travel(at(when), tick=False):
        return missing_paper_record(user=user, office=office, publication=publication, copies=copies, note=note)


def test_it_records_a_missing_paper_with_a_journal_line(table, reception, office):
    missing = _missing(reception, office, table["人民日报"], 2, note="收发室未到")
    assert (missing.day, missing.copies, missing.note, missing.recorded_by) == (THURSDAY, 2, "收发室未到", reception)
    assert distribution_list(THURSDAY).offices[0].missing == [missing]
    entry = JournalEntry.objects.get(source=JournalEntry.Source.NEWSPAPER)
    assert "人民日报 ×2" in entry.text
    assert "收发室未到" in entry.text


def test_it_refuses_more_missing_copies_than_the_office_takes(table, reception, office):
    with pytest.raises(ValidationError) as refused:
        _missing(reception, office, table["光明日报"], 2)
    assert "1" in refused.value.message_dict["copies"][0]
    with pytest.raises(ValidationError):
        _missing(reception, office, table["光明日报"], 0)
    assert not MissingPaper.objects.exists()


def test_it_refuses_a_paper_the_office_does_not_take_or_one_already_recorded(table, reception, office):
    with pytest.raises(ValidationError) as refused:
        _missing(reception, office, table["求是"], 1)
    assert "does not take" in refused.value.message_dict["publication"][0]
    _missing(reception, office, table["光明日报"], 1)
    with pytest.raises(ValidationError) as refused:
        _missing(reception, office, table["光明日报"], 1)
    assert "already" in refused.value.message_dict["publication"][0]
    assert MissingPaper.objects.count() == 1


def test_it_refuses_a_note_with_control_characters_or_too_long(table, reception, office):
    for note in ("收发\x00室", "字" * 201):
        with pytest.raises(ValidationError) as refused:
            _missing(reception, office, table["光明日报"], 1, note=note)
        assert "note" in refused.value.message_dict
    assert not MissingPaper.objects.exists()


def test_it_records_missing_papers_for_today_only_on_a_working_day(table, reception, office):
    with pytest.raises(ValidationError):
        _missing(reception, office, table["光明日报"], 1, when="2026-11-28 10:35")
    with pytest.raises(PermissionDenied):
        _missing(reception.__class__.objects.create(username="nobody"), office, table["光明日报"], 1)
    assert not MissingPaper.objects.exists()
