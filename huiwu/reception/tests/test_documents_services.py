"""The reviewed-documents register (seed 篇3 (二) 4): recorded with its due time by the 09:30 rule, handed over
once with the clerk's confirmation, and its deadline reminding reception and escalating to the team leaders."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.directory.models import Person
from huiwu.notify.models import Deadline, Notification
from huiwu.notify.services import deadlines_process
from huiwu.reception.models import CalendarOverride, JournalEntry, ReviewedDocument, RoutineItem
from huiwu.reception.selectors.documents import documents_outstanding
from huiwu.reception.services.documents import document_hand_over, document_record
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at

SIGNED_BOOK = ReviewedDocument.Confirmation.SIGNED_BOOK


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def record(reception, leader):
    def make(when="2026-11-26 17:45", *, now=None, **overrides):
        values = {
            "title": "关于2026年度机关办公用房维修计划的请示",
            "document_number": "机管发〔2026〕45号",
            "reviewing_leader": leader,
        } | overrides
        with time_machine.travel(at(now or when), tick=False):
            return document_record(user=reception, retrieved_at=at(when) if now else None, **values)

    return make


def _hand_over(user, document, when, handed_to="李文静", confirmation=SIGNED_BOOK):
    with time_machine.travel(at(when), tick=False):
        return document_hand_over(user=user, document=document, handed_to=handed_to, confirmation=confirmation)


# --- the 09:30 rule, through the service ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("retrieved", "due"),
    [
        # Thursday evening → Friday 09:30.
        ("2026-11-26 17:45", "2026-11-27 09:30"),
        # Friday evening → Monday 09:30.
        ("2026-11-27 17:45", "2026-11-30 09:30"),
        # The evening before National Day → the first working day after the holiday (official 2026 schedule).
        ("2026-09-30 18:10", "2026-10-08 09:30"),
        # Friday 2026-10-09 evening → the 调休 Saturday 2026-10-10, a working day.
        ("2026-10-09 17:40", "2026-10-10 09:30"),
        # The 调休 Saturday's evening → Monday (Sunday 10-11 is off).
        ("2026-10-10 17:40", "2026-10-12 09:30"),
    ],
)
def test_it_makes_a_document_due_by_nine_thirty_on_the_next_working_day(record, reception, retrieved, due):
    document = record(retrieved)
    assert (document.retrieved_at, document.due_at, document.retrieved_by) == (at(retrieved), at(due), reception)
    assert ReviewedDocument.objects.get().due_at == at(due)


def test_it_follows_the_units_own_days_off(record, db):
    CalendarOverride.objects.create(day=at("2026-11-27 00:00").date(), is_workday=False, reason="单位调休")
    assert record("2026-11-26 17:45").due_at == at("2026-11-30 09:30")


def test_it_turns_a_calendar_without_working_days_into_a_field_error(record):
    day = at("2026-11-27 00:00").date()
    CalendarOverride.objects.bulk_create(
        CalendarOverride(day=day + timedelta(days=offset), is_workday=False, reason="x") for offset in range(370)
    )
    with pytest.raises(ValidationError) as error:
        record("2026-11-26 17:45")
    assert "retrieved_at" in error.value.message_dict
    assert not ReviewedDocument.objects.exists()


def test_it_records_a_document_taken_back_earlier_with_its_own_due_time(record):
    # Entered the next morning from the notebook: due by the rule of the evening it was taken back.
    document = record("2026-11-26 17:45", now="2026-11-27 08:50")
    assert (document.retrieved_at, document.due_at) == (at("2026-11-26 17:45"), at("2026-11-27 09:30"))
    assert document.created_at == at("2026-11-27 08:50")


@pytest.mark.parametrize(
    ("when", "now"),
    [
        ("2026-11-26 17:47", "2026-11-26 17:45"),  # two minutes ahead: the future
        ("2026-10-25 17:44", "2026-11-26 17:45"),  # more than 31 days ago
    ],
)
def test_it_refuses_a_retrieval_time_in_the_future_or_long_ago(record, when, now):
    with pytest.raises(ValidationError) as error:
        record(when, now=now)
    assert "retrieved_at" in error.value.message_dict
    assert not ReviewedDocument.objects.exists()


def test_it_accepts_a_phone_clock_a_minute_fast_and_a_retrieval_31_days_ago(record):
    assert record("2026-11-26 17:46", now="2026-11-26 17:45").pk
    assert record("2026-10-26 17:45", now="2026-11-26 17:45").pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"document_number": ""}, "document_number"),
        ({"title": "x" * 201}, "title"),
        ({"document_number": "1号\u202e"}, "document_number"),
        ({"notes": "x" * 201}, "notes"),
        ({"reviewing_leader": None}, "reviewing_leader"),
    ],
)
def test_it_refuses_a_document_without_what_the_register_needs(record, overrides, field):
    with pytest.raises(ValidationError) as error:
        record(**overrides)
    assert field in error.value.message_dict
    assert not ReviewedDocument.objects.exists()
    assert not JournalEntry.objects.exists()


def test_it_refuses_a_guest_as_the_reviewing_leader(record):
    guest = Person.objects.create(name="来宾", title="处长", kind=Person.Kind.GUEST)
    with pytest.raises(ValidationError) as error:
        record(reviewing_leader=guest)
    assert "reviewing_leader" in error.value.message_dict


@pytest.mark.parametrize("persona", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_record_and_hand_over(request, persona, record, leader):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        document_record(user=user, title="通知", document_number="1号", reviewing_leader=leader)
    document = record()
    with pytest.raises(PermissionDenied):
        _hand_over(user, document, "2026-11-27 09:00")
    document.refresh_from_db()
    assert document.handed_at is None


def test_it_writes_the_journal_line_of_the_retrieval(record, principal_office):
    document = record(office=principal_office)
    entry = JournalEntry.objects.get()
    assert (entry.source, entry.url) == (JournalEntry.Source.DOCUMENT, f"/reception/documents/{document.pk}/")
    assert "机管发〔2026〕45号" in entry.text
    assert "周国庆" in entry.text
    assert "7楼 706室" in entry.text


# --- handover -------------------------------------------------------------------------------------------


def test_it_hands_a_document_over_whole_once(record, reception):
    document = _hand_over(reception, record(), "2026-11-27 09:12")
    stored = ReviewedDocument.objects.get()
    assert (stored.handed_to, stored.handed_at, stored.handed_by, stored.clerk_confirmation) == (
        "李文静",
        at("2026-11-27 09:12"),
        reception,
        SIGNED_BOOK,
    )
    assert document.handed_at == stored.handed_at
    with pytest.raises(ValidationError) as error:
        _hand_over(reception, stored, "2026-11-27 09:20", handed_to="王明")
    assert "already handed to 李文静" in error.value.messages[0]
    assert ReviewedDocument.objects.get().handed_to == "李文静"


@pytest.mark.parametrize(
    ("handed_to", "confirmation", "field"),
    [("", SIGNED_BOOK, "handed_to"), ("李文静", "", "confirmation"), ("李文静", "nodded", "confirmation")],
)
def test_it_wants_the_clerk_and_their_confirmation(record, reception, handed_to, confirmation, field):
    with pytest.raises(ValidationError) as error:
        _hand_over(reception, record(), "2026-11-27 09:12", handed_to=handed_to, confirmation=confirmation)
    assert field in error.value.message_dict
    assert ReviewedDocument.objects.get().handed_at is None


def test_it_completes_the_days_documents_item_with_the_last_document_due(record, reception):
    friday = at("2026-11-27 09:00").date()
    day_plan_ensure(friday)
    first = record("2026-11-26 17:45")
    second = record("2026-11-26 17:50", document_number="京机管〔2026〕112号")
    # Retrieved on Friday morning, due on Monday: not what Friday's item waits for.
    later = record("2026-11-27 08:40", document_number="京机管〔2026〕113号")
    assert documents_outstanding(friday) == [
        "机管发〔2026〕45号 关于2026年度机关办公用房维修计划的请示",
        "京机管〔2026〕112号 关于2026年度机关办公用房维修计划的请示",
    ]
    item = RoutineItem.objects.get(plan__day=friday, code=RoutineItem.Code.DOCUMENTS)
    _hand_over(reception, first, "2026-11-27 09:10")
    item.refresh_from_db()
    assert item.done_at is None
    _hand_over(reception, second, "2026-11-27 09:20")
    item.refresh_from_db()
    assert (item.done_at, item.done_by) == (at("2026-11-27 09:20"), reception)
    assert documents_outstanding(friday) == []
    assert documents_outstanding(at("2026-11-30 09:00").date()) == [
        "京机管〔2026〕113号 关于2026年度机关办公用房维修计划的请示"
    ]
    assert later.handed_at is None


def test_it_counts_an_overdue_document_of_an_earlier_day_as_outstanding(record):
    record("2026-11-25 17:45")  # due Thursday 09:30, never handed over
    assert len(documents_outstanding(at("2026-11-27 09:00").date())) == 1


# --- the deadline ---------------------------------------------------------------------------------------


def _notified(user, event):
    return Notification.objects.filter(recipient=user, event=event).count()


def test_it_reminds_reception_ten_minutes_before_and_escalates_to_the_team_leader_at_nine_thirty(
    record, reception, team_leader
):
    document = record("2026-11-26 17:45")
    deadline = Deadline.objects.get(key=f"reception:document:{document.pk}")
    assert (deadline.opens_at, deadline.due_at) == (at("2026-11-27 09:20"), at("2026-11-27 09:30"))
    assert (deadline.responsible_role, deadline.escalate_to_role) == ("reception", "team_leader")
    assert "机管发〔2026〕45号" in deadline.title
    deadlines_process(now=at("2026-11-27 09:19"))
    assert _notified(reception, Notification.Event.REMINDER) == 0
    deadlines_process(now=at("2026-11-27 09:20"))
    assert _notified(reception, Notification.Event.REMINDER) == 1
    deadlines_process(now=at("2026-11-27 09:29"))
    assert _notified(team_leader, Notification.Event.ESCALATION) == 0
    deadlines_process(now=at("2026-11-27 09:30"))
    assert _notified(team_leader, Notification.Event.ESCALATION) == 1
    deadlines_process(now=at("2026-11-27 09:31"))
    assert _notified(team_leader, Notification.Event.ESCALATION) == 1


def test_it_escalates_nothing_once_handed_over(record, reception, team_leader):
    document = record("2026-11-26 17:45")
    deadlines_process(now=at("2026-11-27 09:20"))
    _hand_over(reception, document, "2026-11-27 09:29")
    deadlines_process(now=at("2026-11-27 09:30"))
    assert _notified(team_leader, Notification.Event.ESCALATION) == 0
    assert Deadline.objects.get(key=f"reception:document:{document.pk}").state == Deadline.State.DONE


def test_it_escalates_a_document_recorded_after_it_fell_due_at_once(record, team_leader):
    document = record("2026-11-25 17:45", now="2026-11-26 10:00")  # due 11-26 09:30, entered at 10:00
    deadline = Deadline.objects.get(key=f"reception:document:{document.pk}")
    assert deadline.opens_at == deadline.due_at == at("2026-11-26 09:30")
    deadlines_process(now=at("2026-11-26 10:00"))
    assert _notified(team_leader, Notification.Event.ESCALATION) == 1
