"""The audit log names the request an entry was written in (its X-Request-ID), so that an entry leads to that
request's lines in the log; on the page and in the export too."""

import io

import openpyxl
import pytest

from huiwu.security.audit import audit_record
from huiwu.security.models import AuditEntry
from huiwu.testing import login_as

NGINX_ID = "0f8c1b6e3a9d4c2e8b7a6f5e4d3c2b1a"


@pytest.fixture
def secret_meeting(book, manager):
    return book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)


@pytest.fixture
def viewed(client, secret_meeting, attendant, qualify):
    """A cleared attendant opens the confidential meeting, which the audit log records."""
    login_as(client, qualify(attendant))

    def view(**headers):
        response = client.get(f"/meetings/{secret_meeting.pk}/", headers=headers)
        assert response.status_code == 200
        entry = AuditEntry.objects.filter(subject_type="meeting", subject_id=secret_meeting.pk, action="view").last()
        return response, entry

    return view


def test_it_writes_the_requests_id_into_the_entry(viewed):
    response, entry = viewed()
    assert entry.request_id
    assert entry.request_id == response["X-Request-ID"]


def test_it_writes_the_id_the_proxy_sent(viewed):
    response, entry = viewed(**{"X-Request-ID": NGINX_ID})
    assert (response["X-Request-ID"], entry.request_id) == (NGINX_ID, NGINX_ID)


def test_it_leaves_it_blank_outside_a_request(attendant):
    entry = audit_record(user=attendant, action="view", subject_type="meeting", subject_id=1, summary="党组会")
    assert entry.request_id == ""


def test_it_writes_the_exports_own_request_into_its_entry(client, security_officer):
    login_as(client, security_officer)
    response = client.get("/security/audit/?export=xlsx")
    assert AuditEntry.objects.get(action="export").request_id == response["X-Request-ID"]


def test_it_shows_the_id_on_the_page_and_in_the_export(client, viewed, security_officer):
    _response, entry = viewed(**{"X-Request-ID": NGINX_ID})
    assert AuditEntry.objects.filter(request_id="").exists()  # the qualification's, recorded outside a request
    login_as(client, security_officer)
    html = client.get("/security/audit/").content.decode()
    assert html.count('data-testid="request-id"') == 1
    assert f'<span data-testid="request-id">{NGINX_ID}</span>' in html
    header, *rows = openpyxl.load_workbook(io.BytesIO(client.get("/security/audit/?export=xlsx").content)).active.values
    assert header[-1] == "Request id"
    viewed_row = ("Viewed", entry.summary)
    assert [row[-1] for row in rows if (row[2], row[5]) == viewed_row] == [NGINX_ID]
    assert {row[-1] for row in rows if (row[2], row[5]) != viewed_row} == {None}


def test_it_returns_the_request_id_through_the_api(viewed, api, security_officer):
    _response, entry = viewed(**{"X-Request-ID": NGINX_ID})
    listed = api(security_officer, "get", "/audit", {"subject_type": "meeting"}).json()["items"]
    assert {item["id"]: item["request_id"] for item in listed}[entry.pk] == NGINX_ID
