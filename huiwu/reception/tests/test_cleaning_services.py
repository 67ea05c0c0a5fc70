"""A leader's office cleaning (seed 篇3 (三)): knock first, the sequence in its order, every inspection answered,
a reviewed document recorded with one tap, the door locked last."""

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huiwu.reception.models import CleaningRecord, JournalEntry, LeaderOffice, ReviewedDocument, RoutineItem
from huiwu.reception.selectors.offices import OTHER_SEQUENCE, PRINCIPAL_SEQUENCE, cleaning_outstanding
from huiwu.reception.services import offices as services
from huiwu.reception.services.documents import document_record
from huiwu.reception.services.offices import office_presence_set
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at

Presence = LeaderOffice.Presence
THURSDAY = at("2026-11-26 16:40").date()
SUPPLIES = ("tissues", "bottled_water", "water_dispenser")


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def clock():
    with time_machine.travel(at("2026-11-26 16:40"), tick=False) as traveller:
        yield traveller


@pytest.fixture
def out(reception, clock):
    def mark(office, presence=Presence.OUT):
        return office_presence_set(user=reception, office=office, presence=presence)

    return mark


@pytest.fixture
def started(reception, out):
    def start(office):
        out(office)
        cleaning = services.cleaning_start(user=reception, office=office)
        return services.cleaning_knock(user=reception, cleaning=cleaning)

    return start


def _all_steps(user, cleaning):
    for step in PRINCIPAL_SEQUENCE if cleaning.office.is_principal else OTHER_SEQUENCE:
        cleaning = services.cleaning_step(user=user, cleaning=cleaning, step=step.value)
    return cleaning


def _all_inspections(user, cleaning):
    for inspection in SUPPLIES + (("bathroom_supplies",) if cleaning.office.is_principal else ()):
        cleaning = services.cleaning_inspect(user=user, cleaning=cleaning, inspection=inspection, answer="enough")
    return services.cleaning_inspect(user=user, cleaning=cleaning, inspection="documents", answer="none")


# --- which offices ------------------------------------------------------------------------------------


def test_it_refuses_to_clean_an_office_whose_leader_is_in(reception, office, out):
    out(office, Presence.IN)
    with pytest.raises(ValidationError) as error:
        services.cleaning_start(user=reception, office=office)
    assert "吴晓峰" in error.value.message_dict["office"][0]
    assert "in the office" in error.value.message_dict["office"][0]
    assert not CleaningRecord.objects.exists()


def test_it_refuses_an_office_marked_out_yesterday_only(reception, office):
    with time_machine.travel(at("2026-11-25 10:00"), tick=False):
        office_presence_set(user=reception, office=office, presence=Presence.OUT)
    with time_machine.travel(at("2026-11-26 16:40"), tick=False), pytest.raises(ValidationError) as error:
        services.cleaning_start(user=reception, office=office)
    assert "Nobody has set" in error.value.message_dict["office"][0]
    assert not CleaningRecord.objects.exists()


def test_it_cleans_an_office_whose_leader_is_away_since_an_earlier_day(reception, office):
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        office_presence_set(user=reception, office=office, presence=Presence.AWAY)
    with time_machine.travel(at("2026-11-26 16:40"), tick=False):
        cleaning = services.cleaning_start(user=reception, office=office)
    assert (cleaning.day, cleaning.cleaner, cleaning.started_at) == (THURSDAY, reception, at("2026-11-26 16:40"))


def test_it_allows_cleaning_before_the_routine_time_when_the_leader_is_out(reception, office):
    # 16:30 is the routine's plan, not a lock: a leader away all day lets the office be done earlier.
    with time_machine.travel(at("2026-11-26 14:00"), tick=False):
        office_presence_set(user=reception, office=office, presence=Presence.AWAY)
        assert services.cleaning_start(user=reception, office=office).pk


def test_it_keeps_one_cleaning_per_office_and_day(reception, office, started):
    first = started(office)
    assert services.cleaning_start(user=reception, office=office).pk == first.pk
    assert CleaningRecord.objects.count() == 1


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_clean(request, persona, office, out):
    out(office)
    with pytest.raises(PermissionDenied):
        services.cleaning_start(user=request.getfixturevalue(persona), office=office)
    assert not CleaningRecord.objects.exists()


# --- the knock and the sequence -----------------------------------------------------------------------


def test_it_wants_the_knock_before_any_step(reception, office, out):
    out(office)
    cleaning = services.cleaning_start(user=reception, office=office)
    with pytest.raises(ValidationError) as error:
        services.cleaning_step(user=reception, cleaning=cleaning, step="cups")
    assert "Knock" in error.value.message_dict["step"][0]
    cleaning = services.cleaning_knock(user=reception, cleaning=cleaning)
    assert cleaning.knocked_at == at("2026-11-26 16:40")
    assert services.cleaning_step(user=reception, cleaning=cleaning, step="cups").steps[0][0] == "cups"


@pytest.mark.parametrize(
    ("fixture", "sequence", "last"),
    [("principal_office", PRINCIPAL_SEQUENCE, "bathroom"), ("office", OTHER_SEQUENCE, "wash_basin")],
)
def test_it_holds_each_office_to_its_sequence_in_order(request, reception, started, clock, fixture, sequence, last):
    cleaning = started(request.getfixturevalue(fixture))
    assert [step.value for step in sequence] == [
        "cups",
        "ashtray",
        "waste_basket",
        "desk",
        "window_sill",
        "flower_pots",
        last,
    ]
    with pytest.raises(ValidationError) as error:
        services.cleaning_step(user=reception, cleaning=cleaning, step="ashtray")
    assert "Tea cups" in error.value.message_dict["step"][0]
    assert "step 1 of 7" in error.value.message_dict["step"][0]
    for index, step in enumerate(sequence):
        clock.shift(60)
        cleaning = services.cleaning_step(user=reception, cleaning=cleaning, step=step.value)
        if index + 2 < len(sequence):
            with pytest.raises(ValidationError) as error:
                services.cleaning_step(user=reception, cleaning=cleaning, step=sequence[index + 2].value)
            assert str(sequence[index + 1].label) in error.value.message_dict["step"][0]
    stored = CleaningRecord.objects.get()
    assert [code for code, _when in stored.steps] == [step.value for step in sequence]
    assert datetime.fromisoformat(stored.steps[0][1]) == at("2026-11-26 16:41")


def test_it_refuses_a_step_of_the_other_sequence(reception, office, principal_office, started):
    cleaning = _all_steps(reception, started(principal_office))
    with pytest.raises(ValidationError) as error:
        services.cleaning_step(user=reception, cleaning=cleaning, step="wash_basin")
    assert "not part" in error.value.message_dict["step"][0]
    other = started(office)
    for step in OTHER_SEQUENCE[:-1]:
        other = services.cleaning_step(user=reception, cleaning=other, step=step.value)
    with pytest.raises(ValidationError):
        services.cleaning_step(user=reception, cleaning=other, step="bathroom")


def test_it_takes_a_double_tap_of_the_step_just_done_as_one(reception, office, started):
    cleaning = services.cleaning_step(user=reception, cleaning=started(office), step="cups")
    cleaning = services.cleaning_step(user=reception, cleaning=cleaning, step="cups")
    assert CleaningRecord.objects.get().steps == cleaning.steps
    assert len(cleaning.steps) == 1


# --- inspections and the lock -------------------------------------------------------------------------


def test_it_locks_the_door_only_after_every_step_and_inspection(reception, principal_office, started):
    cleaning = started(principal_office)
    with pytest.raises(ValidationError) as error:
        services.cleaning_lock(user=reception, cleaning=cleaning)
    assert "Tea cups" in error.value.message_dict["lock"][0]
    cleaning = _all_steps(reception, cleaning)
    with pytest.raises(ValidationError) as error:
        services.cleaning_lock(user=reception, cleaning=cleaning)
    message = error.value.message_dict["lock"][0]
    assert "Tissues" in message
    assert "Bathroom supplies" in message
    assert "Tea cups" not in message
    for inspection in SUPPLIES:
        cleaning = services.cleaning_inspect(user=reception, cleaning=cleaning, inspection=inspection, answer="enough")
    cleaning = services.cleaning_inspect(user=reception, cleaning=cleaning, inspection="documents", answer="none")
    with pytest.raises(ValidationError) as error:
        services.cleaning_lock(user=reception, cleaning=cleaning)
    assert error.value.message_dict["lock"] == ["Finish first: Bathroom supplies (toilet paper, soap, towels)."]
    cleaning = services.cleaning_inspect(
        user=reception, cleaning=cleaning, inspection="bathroom_supplies", answer="restocked"
    )
    cleaning = services.cleaning_lock(user=reception, cleaning=cleaning)
    assert CleaningRecord.objects.get().locked_at == at("2026-11-26 16:40")


def test_it_asks_no_bathroom_supplies_of_an_other_leaders_office(reception, office, started):
    cleaning = _all_inspections(reception, _all_steps(reception, started(office)))
    with pytest.raises(ValidationError):
        services.cleaning_inspect(user=reception, cleaning=cleaning, inspection="bathroom_supplies", answer="enough")
    assert services.cleaning_lock(user=reception, cleaning=cleaning).locked_at is not None


@pytest.mark.parametrize(("inspection", "answer"), [("tissues", "none"), ("tissues", ""), ("documents", "enough")])
def test_it_refuses_an_answer_that_does_not_fit_the_inspection(reception, office, started, inspection, answer):
    cleaning = started(office)
    with pytest.raises(ValidationError) as error:
        services.cleaning_inspect(user=reception, cleaning=cleaning, inspection=inspection, answer=answer)
    assert "answer" in error.value.message_dict
    assert CleaningRecord.objects.get().inspections == {}


def test_it_lets_an_answer_be_changed_until_the_door_is_locked(reception, office, started):
    cleaning = services.cleaning_inspect(
        user=reception, cleaning=started(office), inspection="tissues", answer="needed"
    )
    cleaning = services.cleaning_inspect(user=reception, cleaning=cleaning, inspection="tissues", answer="restocked")
    assert CleaningRecord.objects.get().inspections == {"tissues": "restocked"}


def test_it_records_nothing_more_once_the_door_is_locked(reception, office, started):
    cleaning = services.cleaning_lock(
        user=reception, cleaning=_all_inspections(reception, _all_steps(reception, started(office)))
    )
    for call in (
        lambda: services.cleaning_knock(user=reception, cleaning=cleaning),
        lambda: services.cleaning_step(user=reception, cleaning=cleaning, step="cups"),
        lambda: services.cleaning_inspect(user=reception, cleaning=cleaning, inspection="tissues", answer="needed"),
        lambda: services.cleaning_lock(user=reception, cleaning=cleaning),
        lambda: services.cleaning_start(user=reception, office=office),
        lambda: document_record(
            user=reception, title="通知", document_number="1号", reviewing_leader=office.leader, cleaning=cleaning
        ),
    ):
        with pytest.raises(ValidationError):
            call()
    assert CleaningRecord.objects.get().inspections["tissues"] == "enough"
    assert not ReviewedDocument.objects.exists()


# --- the document taken back with one tap -------------------------------------------------------------


def test_it_records_a_document_from_the_cleaning_with_its_office_and_cleaning(reception, leader, office, started):
    cleaning = started(office)
    first = document_record(
        user=reception,
        title="关于办公用房维修的请示",
        document_number="机管发〔2026〕45号",
        reviewing_leader=office.leader,
        cleaning=cleaning,
    )
    second = document_record(
        user=reception,
        title="关于年末检查的通知",
        document_number="京机管〔2026〕112号",
        reviewing_leader=leader,
        cleaning=cleaning,
    )
    assert [(d.office, d.cleaning, d.retrieved_by) for d in (first, second)] == [(office, cleaning, reception)] * 2
    assert (first.retrieved_at, first.due_at) == (at("2026-11-26 16:40"), at("2026-11-27 09:30"))
    assert CleaningRecord.objects.get().inspections == {"documents": "taken"}
    # Taken back: "none to take back" is no longer an answer.
    with pytest.raises(ValidationError):
        services.cleaning_inspect(user=reception, cleaning=cleaning, inspection="documents", answer="none")


def test_it_wants_the_knock_before_a_document_is_taken_back(reception, office, out):
    out(office)
    cleaning = services.cleaning_start(user=reception, office=office)
    with pytest.raises(ValidationError):
        document_record(
            user=reception, title="通知", document_number="1号", reviewing_leader=office.leader, cleaning=cleaning
        )
    assert not ReviewedDocument.objects.exists()


# --- the day's item and the journal -------------------------------------------------------------------


def test_it_completes_the_days_cleaning_item_with_the_last_office_locked(reception, office, principal_office, started):
    day_plan_ensure(THURSDAY)
    first = started(office)
    second = started(principal_office)
    services.cleaning_lock(user=reception, cleaning=_all_inspections(reception, _all_steps(reception, first)))
    item = RoutineItem.objects.get(plan__day=THURSDAY, code=RoutineItem.Code.CLEANING)
    assert item.done_at is None
    assert cleaning_outstanding(THURSDAY) == ["7楼 706室 周国庆"]
    services.cleaning_lock(user=reception, cleaning=_all_inspections(reception, _all_steps(reception, second)))
    item.refresh_from_db()
    assert (item.done_at, item.done_by) == (at("2026-11-26 16:40"), reception)
    assert cleaning_outstanding(THURSDAY) == []


def test_it_writes_a_journal_line_for_every_action(reception, office, started):
    cleaning = _all_inspections(reception, _all_steps(reception, started(office)))
    services.cleaning_lock(user=reception, cleaning=cleaning)
    lines = list(JournalEntry.objects.filter(source=JournalEntry.Source.CLEANING).order_by("id"))
    # begun, knocked, seven steps, four inspections, locked
    assert len(lines) == 1 + 1 + 7 + 4 + 1
    assert all("7楼 705室 吴晓峰" in line.text and line.url == f"/reception/cleanings/{cleaning.pk}/" for line in lines)
    assert "locked" in lines[-1].text or "锁" in lines[-1].text


def test_it_writes_the_journal_in_the_site_language_whatever_the_users(reception, office, started, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("en"):
        cleaning = started(office)
        services.cleaning_step(user=reception, cleaning=cleaning, step="cups")
        services.cleaning_inspect(user=reception, cleaning=cleaning, inspection="tissues", answer="restocked")
    texts = list(
        JournalEntry.objects.filter(source=JournalEntry.Source.CLEANING).order_by("id").values_list("text", flat=True)
    )
    assert texts[-2:] == ["清洁 7楼 705室 吴晓峰：茶杯 已完成", "清洁 7楼 705室 吴晓峰：抽纸：已补充"]
