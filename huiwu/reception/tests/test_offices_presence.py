"""The presence board (seed 篇3 (二) 8): 在 / 不在 / 出差 kept by reception, and which offices it lets be cleaned."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.directory.models import Person
from huiwu.reception.models import JournalEntry, LeaderOffice
from huiwu.reception.selectors.offices import (
    cleaning_outstanding,
    greeting_title,
    offices_to_clean,
    presence_on,
)
from huiwu.reception.services.offices import office_presence_set
from huiwu.testing import at

Presence = LeaderOffice.Presence


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


def _set(user, office, presence, when, note=""):
    with time_machine.travel(at(when), tick=False):
        return office_presence_set(user=user, office=office, presence=presence, note=note)


def test_it_records_the_presence_with_who_set_it_and_when_and_a_journal_line(reception, office):
    _set(reception, office, Presence.AWAY, "2026-11-26 08:50", note="出差至周五")
    office.refresh_from_db()
    assert (office.presence, office.presence_note, office.presence_set_by) == (Presence.AWAY, "出差至周五", reception)
    assert office.presence_set_at == at("2026-11-26 08:50")
    entry = JournalEntry.objects.get()
    assert (entry.source, entry.author, entry.day.isoformat()) == (
        JournalEntry.Source.PRESENCE,
        reception,
        "2026-11-26",
    )
    assert "7楼 705室 吴晓峰" in entry.text
    assert "出差至周五" in entry.text


def test_it_reads_an_office_never_set_as_unknown(office):
    assert presence_on(office, at("2026-11-26 09:00").date()) is None


def test_it_holds_out_and_in_for_the_day_they_were_set_on_only(reception, office, principal_office):
    _set(reception, office, Presence.OUT, "2026-11-26 23:59")
    _set(reception, principal_office, Presence.IN, "2026-11-26 08:00")
    thursday, friday = at("2026-11-26 12:00").date(), at("2026-11-27 12:00").date()
    assert presence_on(office, thursday) == Presence.OUT
    assert presence_on(principal_office, thursday) == Presence.IN
    assert presence_on(office, friday) is None
    assert presence_on(principal_office, friday) is None


def test_it_holds_a_business_trip_until_it_is_changed(reception, office):
    _set(reception, office, Presence.AWAY, "2026-11-26 09:00")
    assert presence_on(office, at("2026-11-30 09:00").date()) == Presence.AWAY
    # Not before it was set: the board cannot say the leader was away then.
    assert presence_on(office, at("2026-11-25 09:00").date()) is None
    _set(reception, office, Presence.IN, "2026-12-01 09:00")
    assert presence_on(office, at("2026-12-01 09:00").date()) == Presence.IN


def test_it_lets_clean_only_offices_whose_leader_is_out_today_or_away(reception, leader, office, principal_office):
    third = LeaderOffice.objects.create(
        leader=Person.objects.create(name="宋家明", title="副局长", kind=Person.Kind.LEADER, precedence=3),
        room="7楼 704室",
    )
    _set(reception, principal_office, Presence.IN, "2026-11-27 08:50")
    _set(reception, office, Presence.AWAY, "2026-11-25 09:00")
    # 不在 of yesterday does not count today.
    _set(reception, third, Presence.OUT, "2026-11-26 14:00")
    friday = at("2026-11-27 16:30").date()
    assert [o.room for o in offices_to_clean(friday)] == ["7楼 705室"]
    assert cleaning_outstanding(friday) == ["7楼 705室 吴晓峰"]
    assert sorted(cleaning_outstanding(at("2026-11-26 16:30").date())) == ["7楼 704室 宋家明", "7楼 705室 吴晓峰"]


def test_it_leaves_retired_offices_off_the_cleaning_list(reception, office):
    _set(reception, office, Presence.AWAY, "2026-11-26 09:00")
    LeaderOffice.objects.filter(pk=office.pk).update(is_active=False)
    assert offices_to_clean(at("2026-11-26 16:30").date()) == []
    office.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _set(reception, office, Presence.OUT, "2026-11-26 10:00")
    assert "office" in error.value.message_dict


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_set_the_presence(request, persona, office):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        _set(user, office, Presence.OUT, "2026-11-26 09:00")
    office.refresh_from_db()
    assert office.presence_set_at is None
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("presence", "note", "field"),
    [("home", "", "presence"), ("out", "x" * 101, "note"), ("out", "出差\x00", "note")],
)
def test_it_refuses_a_bad_presence_or_note_and_changes_nothing(reception, office, presence, note, field):
    with pytest.raises(ValidationError) as error:
        _set(reception, office, presence, "2026-11-26 09:00", note=note)
    assert field in error.value.message_dict
    office.refresh_from_db()
    assert office.presence_set_at is None
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("name", "title", "greeting"),
    [
        ("周国庆", "局长", "周局长"),
        ("吴晓峰", "市机关事务管理局副局长", "吴局长"),
        ("宋家明", "市机关事务管理局党组成员、副局长", "宋局长"),
        ("韩立", "第一物业公司总经理", "韩总"),
        ("欧阳明", "副主任", "欧阳主任"),
        ("郑思远", "顾问", "郑顾问"),
    ],
)
def test_it_greets_a_leader_by_surname_and_rank(db, name, title, greeting):
    assert greeting_title(Person(name=name, title=title)) == greeting
