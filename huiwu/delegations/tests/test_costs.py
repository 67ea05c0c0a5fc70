"""The meeting's cost list (会议费用清单): its delegated purchases with budget, actual cost, state and receipts,
with totals, on a page, in the API and as an Excel workbook for reimbursement."""

import io
from decimal import Decimal

import openpyxl
import pytest

from huiwu.delegations.services import evidence_add, task_cancel, task_confirm, task_done, task_notice_record
from huiwu.lib.xlsx import XLSX_CONTENT_TYPE
from huiwu.security.models import AuditEntry
from huiwu.testing import at, login_as

from .conftest import image_upload


@pytest.fixture
def purchases(record, attendant, hotline, client_contact):
    """Fruit confirmed by the client (with two receipts), a banner notified by phone, flowers not done, a
    cancelled purchase and an errand: the list holds the first three."""
    fruit = task_done(user=attendant, task=record(title="代购水果"), actual_cost=Decimal("268.50"))
    evidence_add(user=attendant, task=fruit, kind="receipt", upload=image_upload())
    evidence_add(user=attendant, task=fruit, kind="receipt", upload=image_upload())
    evidence_add(user=attendant, task=fruit, kind="photo", upload=image_upload())
    task_confirm(user=client_contact, task=fruit)
    banner = task_done(user=attendant, task=record(title="制作横幅", budget=Decimal("150")), actual_cost=Decimal("120"))
    task_notice_record(
        user=hotline, task=banner, method="phone", notified_at=at("2026-11-26 08:00"), notified_person="周敏"
    )
    record(title="会场鲜花", budget=None, due_at=at("2026-11-26 13:40"))
    task_cancel(user=hotline, task=record(title="取消的采购"), reason="x")
    record(title="引导参会人员", kind="errand")
    return fruit, banner


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_it_lists_the_meetings_purchases_with_totals(client, hotline, meeting, purchases):
    login_as(client, hotline)
    response = client.get(f"/delegations/meetings/{meeting.pk}/costs/")
    costs = response.context["costs"]
    assert [task.title for task in costs.tasks] == ["代购水果", "制作横幅", "会场鲜花"]
    assert (costs.budget_total, costs.actual_total, costs.receipts_total) == (
        Decimal("450.00"),
        Decimal("388.50"),
        2,
    )
    html = response.content.decode()
    assert "388.50" in html
    assert "取消的采购" not in html
    assert "引导参会人员" not in html


def test_it_exports_the_cost_list_for_reimbursement(client, hotline, meeting, purchases):
    login_as(client, hotline)
    response = client.get(f"/delegations/meetings/{meeting.pk}/costs/?export=xlsx")
    assert "attachment" in response["Content-Disposition"]
    header, fruit, banner, flowers, total = _rows(response)
    assert header == (
        "What",
        "How much",
        "Budget (yuan)",
        "Actual cost (yuan)",
        "State",
        "Done by",
        "Done at",
        "Confirmed or notified",
        "Receipts",
    )
    assert fruit[:7] == (
        "代购水果",
        "时令水果 5 公斤",
        300,
        268.5,
        "Confirmed by the client",
        "attendant 测试",
        at("2026-11-26 08:00").replace(tzinfo=None),
    )
    assert fruit[7] == "Confirmed by the client client 测试 2026-11-26 08:00"
    assert fruit[8] == 2
    assert banner[7] == "Notified by Phone, 2026-11-26 08:00, 周敏"
    assert flowers[2:5] == (None, None, "Accepted")
    assert total[:4] == ("Total", None, 450, 388.5)
    assert total[8] == 2


def test_it_writes_amounts_as_numbers_with_two_decimals(client, hotline, meeting, purchases):
    login_as(client, hotline)
    response = client.get(f"/delegations/meetings/{meeting.pk}/costs/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["D2"].data_type == "n"
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["C5"].font.bold


def test_it_writes_the_headings_in_the_users_language(client, hotline, meeting, purchases):
    from django.utils import translation

    login_as(client, hotline)
    with translation.override("zh-hans"):
        response = client.get(f"/delegations/meetings/{meeting.pk}/costs/?export=xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    header = _rows(response)[0]
    assert header[:4] == ("事项", "数量", "预算（元）", "实际费用（元）")


def test_it_answers_the_cost_list_in_the_api_as_the_page(api, hotline, meeting, purchases):
    answer = api(hotline, "get", f"/meetings/{meeting.pk}/costs").json()
    assert [row["title"] for row in answer["items"]] == ["代购水果", "制作横幅", "会场鲜花"]
    assert (answer["budget_total"], answer["actual_total"], answer["receipts_total"]) == ("450.00", "388.50", 2)
    assert answer["items"][0]["receipts"] == 2
    assert answer["meeting"]["id"] == meeting.pk
    workbook = api(hotline, "get", f"/meetings/{meeting.pk}/costs.xlsx")
    assert _rows(workbook)[-1][:4] == ("Total", None, 450, 388.5)


def test_it_shows_a_client_their_meetings_cost_list(client, client_contact, meeting, purchases):
    login_as(client, client_contact)
    assert client.get(f"/delegations/meetings/{meeting.pk}/costs/").status_code == 200


def test_it_hides_the_cost_list_from_another_organization(client, other_client, meeting, purchases):
    login_as(client, other_client)
    assert client.get(f"/delegations/meetings/{meeting.pk}/costs/").status_code == 404
    assert client.get(f"/delegations/meetings/{meeting.pk}/costs/?export=xlsx").status_code == 404


def test_it_refuses_the_cost_list_to_who_reads_no_tasks(client, security_officer, meeting):
    login_as(client, security_officer)
    assert client.get(f"/delegations/meetings/{meeting.pk}/costs/").status_code == 403


def test_it_says_so_when_a_meeting_has_no_purchase(client, hotline, meeting):
    login_as(client, hotline)
    html = client.get(f"/delegations/meetings/{meeting.pk}/costs/").content.decode()
    assert "No delegated purchase for this meeting." in html
    assert _rows(client.get(f"/delegations/meetings/{meeting.pk}/costs/?export=xlsx"))[1][0] == "Total"


def test_it_audits_the_export_of_a_confidential_meetings_costs(client, manager, secret_task):
    login_as(client, manager)
    client.get(f"/delegations/meetings/{secret_task.meeting_id}/costs/?export=xlsx")
    assert AuditEntry.objects.filter(action="export", subject_id=secret_task.meeting_id).exists()


def test_it_keeps_formulas_typed_as_titles_as_text(client, hotline, meeting, record):
    record(title='=HYPERLINK("http://x")')
    login_as(client, hotline)
    response = client.get(f"/delegations/meetings/{meeting.pk}/costs/?export=xlsx")
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"].data_type == "s"


def test_it_lists_costs_in_constant_queries(client, hotline, meeting, record, django_assert_max_num_queries):
    for number in range(15):
        record(title=f"采购{number}")
    login_as(client, hotline)
    with django_assert_max_num_queries(12):
        assert len(client.get(f"/delegations/meetings/{meeting.pk}/costs/").context["costs"].tasks) == 15
    with django_assert_max_num_queries(12):
        assert len(_rows(client.get(f"/delegations/meetings/{meeting.pk}/costs/?export=xlsx"))) == 17
