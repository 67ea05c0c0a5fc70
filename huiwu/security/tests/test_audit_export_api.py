"""The audit log as an Excel workbook through the API: the page's filters, its limit, and the export audited."""

import io

import openpyxl
import pytest

from huiwu.lib.xlsx import XLSX_CONTENT_TYPE
from huiwu.security.audit import audit_record
from huiwu.security.models import AuditEntry
from huiwu.testing import at, login_as


@pytest.fixture
def entries(manager, attendant, frozen_now):
    def record(when, **values):
        frozen_now.move_to(f"{when} +0800")
        return audit_record(**values)

    made = [
        record(
            "2026-11-20 10:00", user=attendant, action="view", subject_type="meeting", subject_id=12, summary="党组会"
        ),
        record(
            "2026-11-24 15:30", user=manager, action="change", subject_type="staff", subject_id=3, summary="资质变更"
        ),
        record(
            "2026-11-26 07:45", user=manager, action="view", subject_type="meeting", subject_id=13, summary="工作会"
        ),
    ]
    frozen_now.move_to("2026-11-26 08:00 +0800")
    return made


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_it_exports_the_filtered_log_and_audits_the_export(api, security_officer, manager, entries):
    query = {"subject_type": "meeting", "who": manager.pk, "date_from": "2026-11-21"}

    rows = _rows(api(security_officer, "get", "/audit/export.xlsx", query))

    assert [row[5] for row in rows[1:]] == ["工作会"]
    assert rows[1][0] == at("2026-11-26 07:45").replace(tzinfo=None)
    export = AuditEntry.objects.get(action="export")
    assert (export.user, export.subject_type, export.subject_id) == (security_officer, "audit_log", 0)
    assert export.summary == (
        "Exported 1 entries of the audit log (Who: manager 测试; Subject: Meeting; From: 2026-11-21)"
    )
    assert export.path.startswith("/api/v1/audit/export.xlsx?")


def test_it_exports_what_the_page_exports(api, client, security_officer, entries):
    login_as(client, security_officer)
    page = _rows(client.get("/security/audit/", {"action": "view", "export": "xlsx"}))
    assert _rows(api(security_officer, "get", "/audit/export.xlsx", {"action": "view"})) == page
    assert AuditEntry.objects.filter(action="export").count() == 2


@pytest.mark.parametrize("persona", ["manager", "attendant", "outsider"])
def test_it_refuses_who_may_not_read_the_log_naming_the_security_officer(api, request, persona, entries):
    response = api(request.getfixturevalue(persona), "get", "/audit/export.xlsx")
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "This needs the role: Security officer.",
        "roles": ["security_officer"],
    }
    assert not AuditEntry.objects.filter(action="export").exists()


def test_it_refuses_an_export_larger_than_the_limit_with_422(api, security_officer, entries, monkeypatch):
    monkeypatch.setattr("huiwu.security.exports.EXPORT_MAX_ROWS", 2)
    response = api(security_officer, "get", "/audit/export.xlsx")
    assert response.status_code == 422
    assert response.json()["message"] == ("3 entries match; at most 2 can be exported at once. Narrow the filters.")
    assert not AuditEntry.objects.filter(action="export").exists()
    assert _rows(api(security_officer, "get", "/audit/export.xlsx", {"subject_type": "meeting"}))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2026-11-25", "date_to": "2026-11-20"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"action": "delete"}, "action"),
        ({"who": "true"}, "who"),
    ],
)
def test_it_refuses_bad_filters_with_422_and_exports_nothing(api, security_officer, entries, query, field):
    response = api(security_officer, "get", "/audit/export.xlsx", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not AuditEntry.objects.filter(action="export").exists()
