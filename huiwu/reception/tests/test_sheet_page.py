"""The reception day sheet (礼仪接待日报): one day on a printable page and in the API — its title with the date,
the weekday and the kind of day, the timeline with done times and who, the documents handed over and waiting,
the newspaper round, the lunch, the cleanings, the team's grooming, the day's journal and the next working
day's meetings."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from huiwu.reception.models import (
    CleaningRecord,
    JournalEntry,
    LunchDay,
    LunchRequest,
    MissingPaper,
    NewspaperDelivery,
    Publication,
    ReviewedDocument,
    RoutineItem,
    Subscription,
    TablewareSet,
)
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.routine import day_plan_ensure, routine_item_complete
from huiwu.reception.services.team import grooming_check_record
from huiwu.security.models import AuditEntry
from huiwu.testing import ReadPdf, at, login_as

URL = "/reception/sheet/"
THURSDAY = date(2026, 11, 26)
ALL = {"uniform": True, "scarf_and_badge": True, "light_make_up": True, "no_jewellery": True}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def day(reception, leader, other_leader, principal_office, office, book, frozen_now):
    """Thursday as kept by reception, seen at 17:00: the morning items done, a document handed over and one
    waiting, the round with a missing paper, the lunch, a cleaning, the self-check, the journal, and Friday's
    meetings (one confidential)."""
    book("2026-11-27 09:00", "10:00", title="周例会")
    book("2026-11-27 14:00", "15:00", title="绝密专题会", confidentiality=2)
    frozen_now.move_to(at("2026-11-26 08:41"))
    day_plan_ensure(THURSDAY)
    grooming_check_record(user=reception, **ALL)
    routine_item_complete(day=THURSDAY, code=RoutineItem.Code.DOOR, user=reception, at=at("2026-11-26 08:42"))
    ReviewedDocument.objects.create(
        title="关于预算的请示",
        document_number="机管发〔2026〕45号",
        reviewing_leader=leader,
        office=principal_office,
        retrieved_at=at("2026-11-25 17:10"),
        retrieved_by=reception,
        due_at=at("2026-11-26 09:30"),
        handed_to="李文静",
        handed_at=at("2026-11-26 09:20"),
        handed_by=reception,
        clerk_confirmation=ReviewedDocument.Confirmation.SIGNED_BOOK,
    )
    ReviewedDocument.objects.create(
        title="关于车辆的报告",
        document_number="机管发〔2026〕46号",
        reviewing_leader=other_leader,
        office=office,
        retrieved_at=at("2026-11-26 16:50"),
        retrieved_by=reception,
        due_at=at("2026-11-27 09:30"),
    )
    people, economy = Publication.objects.create(name="人民日报"), Publication.objects.create(name="经济日报")
    Subscription.objects.create(year=2026, leader=leader, publication=people, copies=1)
    Subscription.objects.create(year=2026, leader=other_leader, publication=economy, copies=2)
    NewspaperDelivery.objects.create(
        day=THURSDAY, office=principal_office, delivered_at=at("2026-11-26 10:34"), delivered_by=reception
    )
    MissingPaper.objects.create(day=THURSDAY, office=office, publication=economy, copies=1, recorded_by=reception)
    TablewareSet.objects.create(leader=leader, number="01")
    lunch = LunchDay.objects.create(
        day=THURSDAY, menu="清蒸鲈鱼", door_opened_at=at("2026-11-26 11:20"), checked_by=reception
    )
    LunchRequest.objects.create(lunch=lunch, leader=leader, eats=True, request="米饭半碗", taken_by=reception)
    CleaningRecord.objects.create(
        office=office,
        day=THURSDAY,
        cleaner=reception,
        started_at=at("2026-11-26 16:35"),
        knocked_at=at("2026-11-26 16:35"),
        steps=[["cups", "2026-11-26T16:36:00+08:00"], ["ashtray", "2026-11-26T16:37:00+08:00"]],
        inspections={"tissues": "restocked"},
        locked_at=None,
    )
    journal_write(
        author=reception, source=JournalEntry.Source.MANUAL, text="706室饮水机换桶", at=at("2026-11-26 09:05")
    )
    frozen_now.move_to(at("2026-11-26 17:00"))


def _section(html: str, name: str) -> str:
    return html.split(f'data-testid="{name}"')[1].split("</section>")[0]


def test_it_prints_the_day_with_its_date_weekday_and_kind(client, reception, day):
    login_as(client, reception)
    response = client.get(URL)
    html = response.content.decode()
    title = html.split('data-testid="sheet-title"')[1].split("</div>")[0]
    assert "Nov. 26, 2026" in title
    assert "Thursday" in title
    assert "Working day" in title
    assert "reception-print.css" in html
    assert "data-print" in html


def test_it_shows_the_timeline_with_done_times_and_who(client, reception, day):
    login_as(client, reception)
    timeline = _section(client.get(URL).content.decode(), "sheet-timeline")
    assert "Grooming self-check" in timeline
    assert "08:41" in timeline
    assert "08:42" in timeline
    assert "reception 测试" in timeline
    assert "Missed" in timeline
    assert timeline.count("<tr>") == 10


def test_it_shows_the_documents_handed_over_and_waiting(client, reception, day):
    login_as(client, reception)
    documents = _section(client.get(URL).content.decode(), "sheet-documents")
    handed, waiting = documents.split("Waiting at the end of the day")
    assert "机管发〔2026〕45号" in handed
    assert "李文静" in handed
    assert "09:20" in handed
    assert "机管发〔2026〕46号" in waiting
    assert "11-27 09:30" in waiting


def test_it_reads_an_old_day_as_it_was(client, reception, day):
    login_as(client, reception)
    documents = _section(client.get(URL, {"day": "2026-11-25"}).content.decode(), "sheet-documents")
    _handed, waiting = documents.split("Waiting at the end of the day")
    assert "机管发〔2026〕45号" in waiting
    assert "机管发〔2026〕46号" not in documents


def test_it_shows_the_round_the_lunch_the_cleanings_and_the_grooming(client, reception, day):
    login_as(client, reception)
    html = client.get(URL).content.decode()
    newspapers = _section(html, "sheet-newspapers")
    assert "人民日报×1" in newspapers
    assert "10:34" in newspapers
    assert "经济日报×1" in newspapers.split("7楼 705室")[1]
    lunch = _section(html, "sheet-lunch")
    assert "清蒸鲈鱼" in lunch
    assert "米饭半碗" in lunch
    assert "11:20" in lunch
    cleanings = _section(html, "sheet-cleanings")
    assert "7楼 705室" in cleanings
    assert "2/7" in cleanings
    assert "Tissues: Restocked" in cleanings
    grooming = _section(html, "sheet-grooming")
    assert "reception 测试: 08:41" in grooming


def test_it_shows_the_journal_and_the_next_working_day_without_confidential_titles(client, reception, day):
    login_as(client, reception)
    html = client.get(URL).content.decode()
    journal = _section(html, "sheet-journal")
    assert "706室饮水机换桶" in journal
    assert journal.index("Grooming self-check done") < journal.index("706室饮水机换桶")
    upcoming = _section(html, "sheet-next-day")
    assert "November 27, Friday" in upcoming
    assert "周例会" in upcoming
    assert "Confidential meeting" in upcoming
    assert "绝密专题会" not in html


def test_it_says_a_holiday_is_a_day_off_with_no_timeline(client, reception):
    with time_machine.travel(at("2026-10-01 10:00"), tick=False):
        login_as(client, reception)
        html = client.get(URL).content.decode()
    assert "Day off (National Day)" in html
    assert "No timeline: not a working day." in html
    assert "Meetings of the next working day (October 8, Thursday)" in html


def test_it_names_an_adjusted_working_day(client, reception):
    with time_machine.travel(at("2026-10-10 10:00"), tick=False):
        login_as(client, reception)
        html = client.get(URL).content.decode()
    assert "Working day (Adjusted working day (National Day))" in html
    assert 'data-testid="sheet-timeline"' in html
    assert RoutineItem.objects.filter(plan__day=date(2026, 10, 10)).count() == 9


@pytest.mark.parametrize("asked", ["2026-02-30", "9999-12-31", "abc", "26/11/2026"])
def test_it_shows_today_and_says_why_for_a_day_it_cannot_read(client, reception, day, asked):
    login_as(client, reception)
    response = client.get(URL, {"day": asked})
    assert response.status_code == 200
    assert response.context["sheet"].day == THURSDAY
    assert "That day could not be read" in response.content.decode()


def test_it_reads_the_sheet_in_a_bounded_number_of_queries(client, reception, day, django_assert_max_num_queries):
    for number in range(30):
        journal_write(author=reception, source=JournalEntry.Source.MANUAL, text=f"第{number}条")
    login_as(client, reception)
    client.get(URL)
    with django_assert_max_num_queries(40):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_shows_the_sheet_to_the_readers(client, request, persona, day):
    login_as(client, request.getfixturevalue(persona))
    assert "706室饮水机换桶" in client.get(URL).content.decode()


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(client, request, persona):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    assert client.get(URL).status_code == 302


# --- the API ------------------------------------------------------------------------------------------


def test_it_gives_the_same_content_over_the_api(api, reception, day):
    body = api(reception, "get", "/reception/sheet").json()
    assert body["day"] == "2026-11-26"
    assert body["kind"] == {"is_workday": True, "adjusted": False, "reason": ""}
    timeline = {item["code"]: item for item in body["timeline"]}
    assert timeline["door"]["done_at"] == "2026-11-26T08:42:00+08:00"
    assert timeline["door"]["done_by"]["id"] == reception.pk
    assert [doc["document_number"] for doc in body["documents_handed"]] == ["机管发〔2026〕45号"]
    assert [doc["document_number"] for doc in body["documents_waiting"]] == ["机管发〔2026〕46号"]
    rounds = {entry["room"]: entry for entry in body["newspapers"]["offices"]}
    assert rounds["7楼 706室"]["delivered_at"] == "2026-11-26T10:34:00+08:00"
    assert rounds["7楼 705室"]["missing"] == [{"publication": "经济日报", "copies": 1, "note": ""}]
    assert body["lunch"]["menu"] == "清蒸鲈鱼"
    assert body["lunch"]["leaders"][0]["request"] == "米饭半碗"
    assert body["cleanings"][0]["steps_done"] == 2
    assert body["cleanings"][0]["inspections"] == [{"inspection": "Tissues", "answer": "Restocked"}]
    assert [line["checked_at"] for line in body["grooming"]] == ["2026-11-26T08:41:00+08:00"]
    assert "706室饮水机换桶" in [entry["text"] for entry in body["journal"]]
    assert body["next_day"] == "2026-11-27"
    assert [(meeting["title"], meeting["id"] is None) for meeting in body["meetings"]] == [
        ("周例会", False),
        ("Confidential meeting", True),
    ]


def test_it_gives_another_day_over_the_api(api, reception, day):
    body = api(reception, "get", "/reception/sheet", {"day": "2026-10-01"}).json()
    assert body["kind"] == {"is_workday": False, "adjusted": False, "reason": "National Day"}
    assert body["timeline"] == []
    assert body["next_day"] == "2026-10-08"


# --- the PDF ------------------------------------------------------------------------------------------


def test_it_prints_the_sheet_as_a_pdf_with_the_font_embedded(client, reception, day):
    login_as(client, reception)
    pdf = ReadPdf(client.get("/reception/sheet.pdf"))
    assert pdf.has_cjk_font(), pdf.embedded_fonts()
    assert pdf.in_order(
        ["Receptionteamdaysheet", "Timeline", "关于预算的请示", "人民日报", "706室饮水机换桶", "周例会"]
    )
    assert "Confidentialmeeting" in pdf.flat_text
    assert "绝密专题会" not in pdf.flat_text


def test_it_answers_the_pdf_of_another_day_over_the_api(api, reception, day):
    pdf = ReadPdf(api(reception, "get", "/reception/sheet.pdf?day=2026-11-25"))
    assert "Nov.25,2026Wednesday" in pdf.flat_text
    assert api(reception, "get", "/reception/sheet.pdf?day=2026-02-30").status_code == 422


def test_it_sends_a_pdf_of_a_day_it_cannot_read_to_the_page_that_says_why(client, reception, day):
    login_as(client, reception)
    response = client.get("/reception/sheet.pdf", {"day": "2026-02-30"})
    assert (response.status_code, response["Location"]) == (302, "/reception/sheet/?day=2026-02-30")


def test_it_refuses_the_pdf_to_who_does_not_read_the_reception_day(client, api, attendant):
    login_as(client, attendant)
    assert client.get("/reception/sheet.pdf").status_code == 403
    assert api(attendant, "get", "/reception/sheet.pdf").status_code == 403


def test_it_audits_the_confidential_meeting_the_manager_prints(client, manager, day):
    login_as(client, manager)
    assert "绝密专题会" in ReadPdf(client.get("/reception/sheet.pdf")).flat_text
    exported = AuditEntry.objects.filter(action="export", user=manager)
    assert list(exported.values_list("summary", flat=True)) == ["绝密专题会"]
