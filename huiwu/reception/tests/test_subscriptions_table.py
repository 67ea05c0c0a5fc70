"""The leaders' annual subscription table (局领导当年报刊订阅表): leader × publication × copies for a year, edited
cell by cell by reception; this year's and next year's tables change, past years' are kept as delivered."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.directory.models import Person
from huiwu.reception.models import JournalEntry, LeaderOffice, Publication, Subscription
from huiwu.reception.selectors.newspapers import subscription_table
from huiwu.reception.services.newspapers import publication_add, subscription_set
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _in_2026(db):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        yield


@pytest.fixture
def renmin(db):
    return Publication.objects.create(name="人民日报")


@pytest.fixture
def guangming(db):
    return Publication.objects.create(name="光明日报")


def _cells(year=2026):
    return {
        (cell.leader.name, cell.publication.name): cell.copies
        for cell in Subscription.objects.filter(year=year).select_related("leader", "publication")
    }


def test_it_adds_changes_and_removes_a_cell_each_with_a_journal_line(reception, leader, renmin):
    cell = subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=2)
    assert (cell.year, cell.copies) == (2026, 2)
    subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=3)
    assert _cells() == {("周国庆", "人民日报"): 3}
    assert subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=0) is None
    assert _cells() == {}
    lines = list(JournalEntry.objects.filter(source=JournalEntry.Source.NEWSPAPER).order_by("id"))
    assert [line.text.split(": ", 1)[1] for line in lines] == [
        "周国庆, 人民日报 0 → 2 copies",
        "周国庆, 人民日报 2 → 3 copies",
        "周国庆, 人民日报 3 → 0 copies",
    ]


def test_it_writes_nothing_when_a_cell_keeps_its_value(reception, leader, renmin):
    subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=0)
    subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=1)
    subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=1)
    assert JournalEntry.objects.count() == 1


def test_it_plans_next_years_table_but_keeps_past_years_and_refuses_later_ones(reception, leader, renmin):
    subscription_set(user=reception, year=2027, leader=leader, publication=renmin, copies=1)
    assert _cells(2027) == {("周国庆", "人民日报"): 1}
    Subscription.objects.create(year=2025, leader=leader, publication=renmin, copies=1)
    for year, words in ((2025, "kept as it was delivered"), (2028, "cannot be planned yet"), (20260, "Enter a year")):
        with pytest.raises(ValidationError) as refused:
            subscription_set(user=reception, year=year, leader=leader, publication=renmin, copies=2)
        assert words in refused.value.message_dict["year"][0]
    assert _cells(2025) == {("周国庆", "人民日报"): 1}


@pytest.mark.parametrize("copies", [-1, 100, True, "2", 1.5])
def test_it_refuses_copies_that_are_not_a_whole_number_from_0_to_99(reception, leader, renmin, copies):
    with pytest.raises(ValidationError) as refused:
        subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=copies)
    assert "copies" in refused.value.message_dict
    assert not Subscription.objects.exists()


def test_it_refuses_a_guest_an_inactive_leader_or_an_inactive_publication(reception, leader, renmin):
    guest = Person.objects.create(name="来宾", title="处长", kind=Person.Kind.GUEST)
    with pytest.raises(ValidationError) as refused:
        subscription_set(user=reception, year=2026, leader=guest, publication=renmin, copies=1)
    assert "leader" in refused.value.message_dict
    leader.is_active = False
    leader.save()
    with pytest.raises(ValidationError):
        subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=1)
    renmin.is_active = False
    renmin.save()
    other = Person.objects.create(name="吴晓峰", title="副局长", kind=Person.Kind.LEADER)
    with pytest.raises(ValidationError) as refused:
        subscription_set(user=reception, year=2026, leader=other, publication=renmin, copies=1)
    assert "publication" in refused.value.message_dict
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_change_the_table(make_persona, leader, renmin, persona):
    with pytest.raises(PermissionDenied):
        subscription_set(user=make_persona(persona), year=2026, leader=leader, publication=renmin, copies=1)
    with pytest.raises(PermissionDenied):
        publication_add(user=make_persona(persona), name="求是")
    assert not Subscription.objects.exists()
    assert not Publication.objects.filter(name="求是").exists()


def test_it_adds_a_publication_and_brings_an_inactive_one_back(reception, renmin):
    qiushi = publication_add(user=reception, name="  求是 ")
    assert (qiushi.name, qiushi.is_active) == ("求是", True)
    renmin.is_active = False
    renmin.save()
    assert publication_add(user=reception, name="人民日报") == renmin
    renmin.refresh_from_db()
    assert renmin.is_active
    assert JournalEntry.objects.filter(source=JournalEntry.Source.NEWSPAPER).count() == 2


@pytest.mark.parametrize(
    ("name", "words"), [("人民日报", "already"), ("", "Enter"), ("报\x00", "control"), ("报" * 101, "100")]
)
def test_it_refuses_a_publication_named_twice_empty_or_unsafe(reception, renmin, name, words):
    with pytest.raises(ValidationError) as refused:
        publication_add(user=reception, name=name)
    assert words in refused.value.message_dict["name"][0]
    assert Publication.objects.count() == 1


# --- reading the table --------------------------------------------------------------------------------


def test_it_reads_leaders_in_precedence_order_with_totals(reception, leader, other_leader, office, renmin, guangming):
    subscription_set(user=reception, year=2026, leader=other_leader, publication=renmin, copies=2)
    subscription_set(user=reception, year=2026, leader=leader, publication=renmin, copies=1)
    subscription_set(user=reception, year=2026, leader=leader, publication=guangming, copies=1)
    table = subscription_table(2026)
    assert [publication.name for publication in table.publications] == ["人民日报", "光明日报"]
    assert [(who.name, [n for _p, n in cells]) for who, cells in table.rows] == [
        ("周国庆", [1, 1]),
        ("吴晓峰", [2, None]),
    ]
    assert (table.total_row, table.grand_total) == ([3, 1], 4)


def test_it_shows_every_active_publication_and_leaders_with_an_office_on_the_page(leader, office, renmin, guangming):
    guangming.is_active = False
    guangming.save()
    table = subscription_table(2026, all_publications=True)
    assert [publication.name for publication in table.publications] == ["人民日报"]
    # 吴晓峰 has an office; 周国庆 has none and no cell, so he is not a row yet.
    assert [who.name for who in table.leaders] == ["吴晓峰"]
    assert table.is_empty()


def test_it_reads_the_table_in_three_queries(reception, renmin, django_assert_max_num_queries):
    for number in range(30):
        person = Person.objects.create(name=f"领导{number}", title="处长", kind=Person.Kind.LEADER, precedence=number)
        LeaderOffice.objects.create(leader=person, room=f"5楼 5{number:02d}室")
        Subscription.objects.create(year=2026, leader=person, publication=renmin, copies=1)
    with django_assert_max_num_queries(3):
        table = subscription_table(2026, all_publications=True)
        assert len(table.rows) == 30
