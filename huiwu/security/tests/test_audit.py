"""The audit log: its page for security officers, the export (itself audited), and that nothing changes it."""

import io

import openpyxl
import pytest
from django.db import DatabaseError, connection, transaction

from huiwu.security.audit import audit_record
from huiwu.security.models import AuditEntry
from huiwu.testing import at, login_as


@pytest.fixture
def entries(manager, attendant, security_officer, frozen_now):
    """Three entries on three days: a view of a meeting, a change to a person, a view by the manager. Each
    is written at its time, as the log allows no later change."""

    def record(when, **values):
        frozen_now.move_to(f"{when} +0800")
        return audit_record(**values)

    made = [
        record(
            "2026-11-20 10:00", user=attendant, action="view", subject_type="meeting", subject_id=12, summary="党组会"
        ),
        record(
            "2026-11-24 15:30",
            user=security_officer,
            action="change",
            subject_type="staff",
            subject_id=attendant.pk,
            summary="资质变更",
        ),
        record(
            "2026-11-26 07:45", user=manager, action="view", subject_type="meeting", subject_id=13, summary="保密工作会"
        ),
    ]
    frozen_now.move_to("2026-11-26 08:00 +0800")
    return made


def _listed(response) -> list[str]:
    return [entry.summary for entry in response.context["page"]]


# --- the page -----------------------------------------------------------------------------------------


def test_it_lists_the_log_newest_first_in_shanghai_time(client, security_officer, entries):
    login_as(client, security_officer)
    response = client.get("/security/audit/")
    assert _listed(response) == ["保密工作会", "资质变更", "党组会"]
    html = response.content.decode()
    assert "2026-11-26 07:45:00" in html
    assert "3 entries" in html
    assert '<a href="/meetings/13/">Meeting #13</a>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "change"}, ["资质变更"]),
        ({"action": "view"}, ["保密工作会", "党组会"]),
        ({"subject_type": "meeting"}, ["保密工作会", "党组会"]),
        ({"subject_type": "meeting", "subject_id": "12"}, ["党组会"]),
        ({"date_from": "2026-11-24"}, ["保密工作会", "资质变更"]),
        ({"date_to": "2026-11-24"}, ["资质变更", "党组会"]),
        ({"date_from": "2026-11-21", "date_to": "2026-11-25"}, ["资质变更"]),
        ({"q": "保密"}, ["保密工作会"]),
    ],
)
def test_it_filters_the_log(client, security_officer, entries, query, expected):
    login_as(client, security_officer)
    assert _listed(client.get("/security/audit/", query)) == expected


def test_it_filters_by_who(client, security_officer, manager, entries):
    login_as(client, security_officer)
    assert _listed(client.get("/security/audit/", {"who": manager.pk})) == ["保密工作会"]


def test_it_links_a_persons_page_to_their_history(client, security_officer, attendant, entries):
    login_as(client, security_officer)
    response = client.get(f"/security/audit/?subject_type=staff&subject_id={attendant.pk}")
    assert _listed(response) == ["资质变更"]
    assert f"Only about Staff member #{attendant.pk}" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2026-11-10", "date_to": "2026-11-01"}, "date_to"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"who": "99999999999999999999999"}, "who"),
        ({"who": "abc"}, "who"),
        ({"action": "delete"}, "action"),
        ({"subject_id": "-4"}, "subject_id"),
        ({"q": "长" * 500}, "q"),
    ],
)
def test_it_shows_why_a_filter_is_refused_and_ignores_it(client, security_officer, entries, query, field):
    login_as(client, security_officer)
    response = client.get("/security/audit/", query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert len(_listed(response)) == 3


def test_it_pages_fifty_entries_at_a_time(client, security_officer, attendant):
    for number in range(51):
        audit_record(
            user=attendant, action="view", subject_type="meeting", subject_id=number + 1, summary=f"会{number}"
        )
    login_as(client, security_officer)
    first = client.get("/security/audit/?action=view")
    assert len(_listed(first)) == 50
    assert "?action=view&page=2" in first.content.decode()
    assert len(_listed(client.get("/security/audit/?action=view&page=2"))) == 1
    assert client.get("/security/audit/?page=abc").status_code == 200


def test_it_lists_in_constant_queries(client, security_officer, attendant, django_assert_max_num_queries):
    for number in range(30):
        audit_record(
            user=attendant, action="view", subject_type="meeting", subject_id=number + 1, summary=f"会{number}"
        )
    login_as(client, security_officer)
    with django_assert_max_num_queries(12):
        assert client.get("/security/audit/").status_code == 200


# --- the export ---------------------------------------------------------------------------------------


def test_it_exports_the_filtered_log_and_audits_the_export(client, security_officer, entries):
    login_as(client, security_officer)
    response = client.get("/security/audit/?subject_type=meeting&export=xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, first, second = rows
    assert header[:6] == ("When", "Who", "Action", "Subject", "Subject id", "What")
    assert first[:6] == (
        at("2026-11-26 07:45").replace(tzinfo=None),
        "manager 测试",
        "Viewed",
        "Meeting",
        13,
        "保密工作会",
    )
    assert second[5] == "党组会"
    export = AuditEntry.objects.get(action="export")
    assert (export.user, export.subject_type, export.subject_id) == (security_officer, "audit_log", 0)
    assert export.summary == "Exported 2 entries of the audit log (Subject: Meeting)"
    assert export.path == "/security/audit/?subject_type=meeting&export=xlsx"


def test_it_exports_nothing_when_a_filter_is_wrong(client, security_officer, entries):
    login_as(client, security_officer)
    response = client.get("/security/audit/?date_from=2026-11-25&date_to=2026-11-20&export=xlsx")
    assert response.status_code == 200
    assert "Nothing was exported" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_it_refuses_an_export_too_large(client, security_officer, entries, monkeypatch):
    monkeypatch.setattr("huiwu.security.exports.EXPORT_MAX_ROWS", 2)
    login_as(client, security_officer)
    response = client.get("/security/audit/?export=xlsx")
    assert "at most 2 can be exported at once" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_it_keeps_formulas_in_summaries_as_text(client, security_officer, attendant):
    audit_record(user=attendant, action="view", subject_type="meeting", subject_id=1, summary='=HYPERLINK("http://x")')
    login_as(client, security_officer)
    response = client.get("/security/audit/?export=xlsx")
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active["F2"].data_type == "s"


# --- nothing changes it -------------------------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "root-password-1")


def test_it_shows_the_log_in_the_admin_read_only(client, superuser, entries):
    login_as(client, superuser)
    entry = entries[0]
    assert "党组会" in client.get("/admin/security/auditentry/").content.decode()
    assert client.get(f"/admin/security/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/security/auditentry/add/").status_code == 403
    assert client.post(f"/admin/security/auditentry/{entry.pk}/change/", {"summary": "x"}).status_code == 403
    assert client.post(f"/admin/security/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        "/admin/security/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk, summary="党组会").exists()


def test_it_refuses_to_update_or_delete_entries_in_postgresql(attendant):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entry = audit_record(user=attendant, action="view", subject_type="meeting", subject_id=1, summary="党组会")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.summary = "x"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "党组会"
