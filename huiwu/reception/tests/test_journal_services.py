"""The work journal's writes: journal_write (every action's line) and journal_entry_add (an entry by hand)."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huiwu.reception.models import JournalEntry
from huiwu.reception.services.journal import journal_entry_add, journal_write
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def at_ten():
    with time_machine.travel(at("2026-11-26 10:00"), tick=False):
        yield


def _messages(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])


def test_it_writes_the_line_of_an_action_on_the_shanghai_day_of_its_time(reception, at_ten):
    # 07:30 in Shanghai is 23:30 UTC the day before: the day is the Shanghai one.
    entry = journal_write(author=reception, source=JournalEntry.Source.ROUTINE, text="开门", at=at("2026-11-26 07:30"))
    assert entry.day.isoformat() == "2026-11-26"
    assert (entry.author, entry.source, entry.text) == (reception, "routine", "开门")


def test_it_cuts_an_action_line_to_the_column(reception, at_ten):
    entry = journal_write(author=reception, source=JournalEntry.Source.ROUTINE, text="字" * 600)
    assert len(entry.text) == 500


def test_it_adds_an_entry_by_hand_now(reception, at_ten):
    entry = journal_entry_add(user=reception, text="  总经办来电：下午三点临时会议。 ")
    assert entry.text == "总经办来电：下午三点临时会议。"
    assert entry.source == JournalEntry.Source.MANUAL
    assert entry.at == at("2026-11-26 10:00")
    assert entry.author == reception


def test_it_adds_an_entry_for_a_moment_earlier_today(reception, at_ten):
    entry = journal_entry_add(user=reception, text="早上送水", at=at("2026-11-26 08:50"))
    assert entry.at == at("2026-11-26 08:50")
    assert entry.day.isoformat() == "2026-11-26"


@pytest.mark.parametrize("text", ["", "   ", None])
def test_it_refuses_an_entry_without_text(reception, at_ten, text):
    with pytest.raises(ValidationError) as error:
        journal_entry_add(user=reception, text=text)
    assert "Write what happened" in _messages(error, "text")
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("text", ["a\x00b", "abc\u202edef", "响铃\x07"])
def test_it_refuses_control_and_direction_characters(reception, at_ten, text):
    with pytest.raises(ValidationError) as error:
        journal_entry_add(user=reception, text=text)
    assert "control or text-direction" in _messages(error, "text")
    assert not JournalEntry.objects.exists()


def test_it_keeps_line_breaks_of_an_entry(reception, at_ten):
    assert journal_entry_add(user=reception, text="第一行\n第二行").text == "第一行\n第二行"


def test_it_refuses_text_longer_than_the_column(reception, at_ten):
    journal_entry_add(user=reception, text="字" * 500)
    with pytest.raises(ValidationError) as error:
        journal_entry_add(user=reception, text="字" * 501)
    assert "At most 500 characters" in _messages(error, "text")
    assert JournalEntry.objects.count() == 1


def test_it_refuses_an_entry_in_the_future_beyond_a_minute_of_clock_skew(reception, at_ten):
    journal_entry_add(user=reception, text="时钟略快", at=at("2026-11-26 10:01"))
    with pytest.raises(ValidationError) as error:
        journal_entry_add(user=reception, text="将来", at=at("2026-11-26 10:02"))
    assert "cannot be in the future" in _messages(error, "at")
    assert JournalEntry.objects.count() == 1


def test_it_takes_entries_for_the_last_seven_days_only(reception, at_ten):
    journal_entry_add(user=reception, text="一周前", at=at("2026-11-19 00:00"))
    with pytest.raises(ValidationError) as error:
        journal_entry_add(user=reception, text="太久以前", at=at("2026-11-18 23:59"))
    assert "last 7 days only (from 2026-11-19)" in _messages(error, "at")
    assert JournalEntry.objects.count() == 1


def test_it_reads_a_time_without_offset_as_shanghai_time(reception, at_ten):
    from datetime import datetime

    entry = journal_entry_add(user=reception, text="无时区", at=datetime(2026, 11, 26, 9, 0))  # noqa: DTZ001
    assert entry.at == at("2026-11-26 09:00")


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_write_by_hand(request, persona, at_ten):
    with pytest.raises(PermissionDenied):
        journal_entry_add(user=request.getfixturevalue(persona), text="不该写入")
    assert not JournalEntry.objects.exists()
