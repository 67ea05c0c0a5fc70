"""The reviewed-documents register's pages: waiting documents first, the register searched and exported,
recording one by hand, the handover with the clerk's confirmation; no edit and no delete."""

import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from huiwu.directory.models import Person
from huiwu.reception.models import ReviewedDocument
from huiwu.reception.services.documents import document_hand_over, document_record
from huiwu.testing import at, login_as

LIST = "/reception/documents/"


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def record(reception, leader):
    def make(when="2026-11-26 17:45", number="机管发〔2026〕45号", title="关于办公用房维修的请示", **overrides):
        with time_machine.travel(at(when), tick=False):
            values = {"title": title, "document_number": number, "reviewing_leader": leader} | overrides
            return document_record(user=reception, **values)

    return make


@pytest.fixture
def now():
    with time_machine.travel(at("2026-11-27 09:40"), tick=False) as traveller:
        yield traveller


def _numbers(html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}">\s*<div[^>]*>\s*<span[^>]*><strong>([^<]+)</strong>', html)


def _register(html: str) -> list[str]:
    return re.findall(r'data-testid="document">\s*<span[^>]*>\s*<strong>([^<]+)</strong>', html)


# --- the list -------------------------------------------------------------------------------------------


def test_it_lists_waiting_documents_first_soonest_due_with_the_overdue_in_red(client, reception, record, now):
    record("2026-11-26 17:45", number="A-1")  # due 11-27 09:30: overdue at 09:40
    record("2026-11-27 08:00", number="B-2")  # due 11-30 09:30
    handed = record("2026-11-25 17:00", number="C-3")
    document_hand_over(user=reception, document=handed, handed_to="李文静", confirmation="signed_book")
    login_as(client, reception)
    html = client.get(LIST).content.decode()
    assert _numbers(html, "waiting-document") == ["A-1", "B-2"]
    assert html.count("list-group-item-danger") == 1
    assert "Waiting to be handed over (2)" in html
    assert _register(html) == ["B-2", "A-1", "C-3"]


def test_it_searches_the_register_by_days_leader_and_text(client, reception, record, other_leader, now):
    record("2026-11-24 17:00", number="京机管〔2026〕110号", title="关于年末检查的通知")
    record("2026-11-25 17:00", number="京机管〔2026〕111号", title="关于维修计划的请示")
    record("2026-11-26 17:00", number="机管发〔2026〕45号", title="关于维修计划的报告", reviewing_leader=other_leader)
    login_as(client, reception)
    assert _register(client.get(LIST, {"since": "2026-11-25", "until": "2026-11-25"}).content.decode()) == [
        "京机管〔2026〕111号"
    ]
    assert _register(client.get(LIST, {"leader": other_leader.pk}).content.decode()) == ["机管发〔2026〕45号"]
    assert _register(client.get(LIST, {"q": "维修"}).content.decode()) == ["机管发〔2026〕45号", "京机管〔2026〕111号"]
    assert _register(client.get(LIST, {"q": "110号"}).content.decode()) == ["京机管〔2026〕110号"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "2026-13-01"}, "Enter a valid date."),
        ({"since": "0001-01-01"}, "Enter a day between"),
        ({"since": "2026-11-26", "until": "2026-11-25"}, "The last day comes before the first."),
        ({"leader": "99999999999999999999999"}, "Select a valid choice."),
        ({"q": "x" * 101}, "at most 100 characters"),
        ({"q": "维修\x00"}, "control or text-direction"),
    ],
)
def test_it_says_what_is_wrong_with_a_search_and_still_answers(client, reception, record, now, query, message):
    record()
    login_as(client, reception)
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_it_pages_the_register_in_a_bounded_number_of_queries(
    client, reception, record, now, django_assert_max_num_queries
):
    for number in range(35):
        record("2026-11-26 17:00", number=f"第{number}号")
    login_as(client, reception)
    with django_assert_max_num_queries(14):
        html = client.get(LIST).content.decode()
    assert len(_register(html)) == 30
    assert len(_register(client.get(LIST, {"page": 2}).content.decode())) == 5


def test_it_exports_the_register_as_filtered(client, reception, record, principal_office, now):
    record("2026-11-25 17:00", number="京机管〔2026〕111号", office=principal_office)
    record("2026-11-26 17:00", number="=HYPERLINK(1)")
    login_as(client, reception)
    response = client.get(LIST, {"since": "2026-11-25", "until": "2026-11-25", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Retrieved at", "Document number", "Document title")
    assert [row[1] for row in rows[1:]] == ["京机管〔2026〕111号"]
    assert rows[1][4] == "7楼 706室 周国庆"
    assert rows[1][7] == "Overdue"
    everything = client.get(LIST, {"export": "xlsx"})
    cells = [row[1] for row in load_workbook(io.BytesIO(everything.content)).active.iter_rows(values_only=True)]
    assert "=HYPERLINK(1)" in cells  # kept as text, never a formula


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_lets_the_team_leader_and_manager_read_the_register(client, request, persona, record, now):
    document = record()
    login_as(client, request.getfixturevalue(persona))
    html = client.get(LIST).content.decode()
    assert _register(html) == ["机管发〔2026〕45号"]
    assert 'data-testid="record"' not in html
    detail = client.get(f"/reception/documents/{document.pk}/").content.decode()
    assert 'data-testid="hand-over-form"' not in detail
    assert client.get("/reception/documents/new/").status_code == 403
    response = client.post(
        f"/reception/documents/{document.pk}/hand-over/", {"handed_to": "李文静", "confirmation": "signed_book"}
    )
    assert response.status_code == 403
    assert ReviewedDocument.objects.get().handed_at is None


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_refuses_the_register_to_others(client, request, persona, record):
    document = record()
    login_as(client, request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, {"export": "xlsx"}).status_code == 403
    assert client.get(f"/reception/documents/{document.pk}/").status_code == 404
    assert client.post(f"/reception/documents/{document.pk}/hand-over/", {"handed_to": "x"}).status_code == 404


@pytest.mark.parametrize("document_id", ["0", "99999999999999999999999"])
def test_it_answers_404_for_documents_that_cannot_exist(client, reception, document_id):
    login_as(client, reception)
    assert client.get(f"/reception/documents/{document_id}/").status_code == 404


def test_it_has_no_edit_or_delete_path(client, reception, record):
    from django.contrib import admin

    document = record()
    login_as(client, reception)
    for suffix in ("delete/", "edit/"):
        assert client.post(f"/reception/documents/{document.pk}/{suffix}").status_code == 404
    assert ReviewedDocument not in admin.site._registry
    assert ReviewedDocument.objects.filter(pk=document.pk).exists()


# --- recording by hand ----------------------------------------------------------------------------------


def test_it_records_a_document_by_hand(client, reception, leader, principal_office, now):
    login_as(client, reception)
    form = client.get("/reception/documents/new/").content.decode()
    assert 'value="2026-11-27"' in form
    assert 'value="09:40"' in form
    data = {
        "title": "关于年末检查的通知",
        "document_number": "京机管〔2026〕112号",
        "reviewing_leader": leader.pk,
        "office": principal_office.pk,
        "retrieved_date": "2026-11-26",
        "retrieved_time": "17:40",
        "notes": "原件一份",
    }
    response = client.post("/reception/documents/new/", data)
    document = ReviewedDocument.objects.get()
    assert response["Location"] == f"/reception/documents/{document.pk}/"
    assert (document.office, document.retrieved_at, document.due_at) == (
        principal_office,
        at("2026-11-26 17:40"),
        at("2026-11-27 09:30"),
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Recorded: 京机管〔2026〕112号, to hand over by 11-27 09:30." in detail


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"retrieved_date": "2026-11-28"}, "cannot be in the future"),
        ({"retrieved_date": "2026-09-01"}, "more than 31 days ago"),
        ({"reviewing_leader": "99999999999999999999999"}, "Select a valid choice."),
    ],
)
def test_it_refuses_a_bad_document_with_a_clear_message(client, reception, leader, now, change, message):
    login_as(client, reception)
    data = {
        "title": "通知",
        "document_number": "1号",
        "reviewing_leader": leader.pk,
        "retrieved_date": "2026-11-26",
        "retrieved_time": "17:40",
    } | change
    response = client.post("/reception/documents/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReviewedDocument.objects.exists()


def test_it_offers_only_leaders_as_reviewers(client, reception, leader):
    Person.objects.create(name="来宾甲", title="处长", kind=Person.Kind.GUEST)
    login_as(client, reception)
    html = client.get("/reception/documents/new/").content.decode()
    assert "周国庆" in html
    assert "来宾甲" not in html


# --- handover -------------------------------------------------------------------------------------------


def test_it_hands_a_document_over_with_the_clerks_confirmation_chosen(client, reception, record, now):
    earlier = record("2026-11-24 17:00", number="前一份")
    document_hand_over(user=reception, document=earlier, handed_to="李文静", confirmation="signed_here")
    document = record()
    login_as(client, reception)
    url = f"/reception/documents/{document.pk}/"
    form = client.get(url).content.decode()
    assert "checked" not in form[form.index('data-testid="hand-over-form"') :]
    assert '<option value="李文静">' in form  # suggested, not filled in
    assert 'name="handed_to" value=' not in form
    html = client.post(f"{url}hand-over/", {"handed_to": "李文静"}).content.decode()
    assert "This field is required." in html
    assert ReviewedDocument.objects.get(pk=document.pk).handed_at is None
    response = client.post(f"{url}hand-over/", {"handed_to": "李文静", "confirmation": "signed_book"})
    assert response["Location"] == url
    document.refresh_from_db()
    assert (document.handed_to, document.handed_at, document.clerk_confirmation) == (
        "李文静",
        at("2026-11-27 09:40"),
        "signed_book",
    )
    detail = client.get(url).content.decode()
    assert "The clerk signed the paper handover book" in detail
    assert 'data-testid="hand-over-form"' not in detail
    again = client.post(f"{url}hand-over/", {"handed_to": "王明", "confirmation": "signed_here"})
    assert "already handed to 李文静" in client.get(again["Location"]).content.decode()
    assert ReviewedDocument.objects.get(pk=document.pk).handed_to == "李文静"
