"""The meeting list as an Excel workbook through the API: the page's filters, access and audit."""

import io

import openpyxl
import pytest

from huiwu.lib.xlsx import XLSX_CONTENT_TYPE
from huiwu.security.models import AuditEntry
from huiwu.testing import login_as


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _titles(response) -> list[str]:
    return [row[5] for row in _rows(response)[1:]]


@pytest.fixture
def week(book, other_room):
    book("2026-11-27 09:00", "10:00", title="党组会")
    book("2026-11-28 09:00", "10:00", title="座谈会", room=other_room)
    book("2026-11-30 09:00", "10:00", title="下周例会")


def test_it_exports_the_meetings_filtered_as_the_list_is(api, hotline, week):
    response = api(hotline, "get", "/meetings/export.xlsx", {"date_from": "2026-11-27", "date_to": "2026-11-28"})
    assert _titles(response) == ["党组会", "座谈会"]
    assert "attachment" in response["Content-Disposition"]
    assert _titles(api(hotline, "get", "/meetings/export.xlsx", {"room": "702"})) == ["座谈会"]
    assert _titles(api(hotline, "get", "/meetings/export.xlsx", {"q": "例会"})) == ["下周例会"]


def test_it_exports_what_the_page_exports(api, client, hotline, week):
    login_as(client, hotline)
    page = client.get("/meetings/", {"export": "xlsx", "date_from": "2026-11-28"})
    assert _rows(api(hotline, "get", "/meetings/export.xlsx", {"date_from": "2026-11-28"})) == _rows(page)


def test_it_gives_a_busy_row_for_a_confidential_meeting_the_caller_may_not_see(api, book, manager, attendant):
    book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)

    rows = _rows(api(attendant, "get", "/meetings/export.xlsx"))

    assert [row[5] for row in rows[1:]] == ["保密会议"]
    assert "专项保密会议" not in str(rows)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_it_audits_each_confidential_meeting_exported(api, book, manager):
    secret = book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)
    book("2026-11-27 11:00", "12:00", title="党组会")

    assert "专项保密会议" in _titles(api(manager, "get", "/meetings/export.xlsx"))

    [entry] = AuditEntry.objects.filter(action="export")
    assert (entry.user, entry.subject_type, entry.subject_id) == (manager, "meeting", secret.pk)
    assert entry.path.startswith("/api/v1/meetings/export.xlsx")


def test_it_lets_a_client_export_their_organizations_meetings(api, client_contact, week):
    assert _titles(api(client_contact, "get", "/meetings/export.xlsx", {"date_to": "2026-11-27"})) == ["党组会"]


def test_it_refuses_a_user_without_a_role_naming_who_may(api, outsider, week):
    response = api(outsider, "get", "/meetings/export.xlsx")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert body["roles"] == [
        "manager",
        "team_leader",
        "env_supervisor",
        "hotline",
        "attendant",
        "reception",
        "security_officer",
        "client",
        "admin",
    ]
    assert body["message"].startswith("需要以下角色之一：服务中心经理、会务服务组长")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"room": "nowhere"}, "room"),
        ({"status": "lost"}, "status"),
        ({"organizer": "true"}, "organizer"),
        ({"q": "长" * 101}, "q"),
    ],
)
def test_it_refuses_a_bad_filter_with_422_and_audits_nothing(api, book, manager, query, field):
    book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)
    response = api(manager, "get", "/meetings/export.xlsx", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not AuditEntry.objects.filter(action="export").exists()
