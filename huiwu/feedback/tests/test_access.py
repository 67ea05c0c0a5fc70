"""Who sees what, on the pages and in the API alike: clients their own complaints only, with the
client-facing steps; nobody anything about a confidential meeting they may not see; case readers no
personal data."""

import pytest

from huiwu.directory.models import Organization
from huiwu.feedback.services import complaint_receive
from huiwu.testing import login_as


@pytest.fixture
def other_client(make_persona):
    """A client contact of another organization."""
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    organization = Organization.objects.create(name="市财政局")
    return user_upsert(
        username="other_client",
        display_name="财政局联系人",
        password="x" * 12,
        roles=[Role.CLIENT],
        organization=organization,
    )


@pytest.fixture
def colleague(organization):
    """Another client contact of the same organization, who neither filed nor is named in the complaint."""
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    return user_upsert(
        username="colleague", display_name="同事", password="x" * 12, roles=[Role.CLIENT], organization=organization
    )


@pytest.fixture
def secret_complaint(receive, book, manager):
    secret = book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)
    return receive(user=manager, meeting=secret, complainant_contact=None, summary="保密会议茶水不足")


@pytest.mark.parametrize("persona", ["other_client", "colleague"])
def test_it_hides_a_complaint_from_other_clients(client, api, request, closed, persona):
    user = request.getfixturevalue(persona)
    login_as(client, user)
    assert client.get(f"/feedback/complaints/{closed.pk}/").status_code == 404
    assert "会场水果不足" not in client.get("/feedback/complaints/").content.decode()
    assert api(user, "get", f"/complaints/{closed.pk}").status_code == 404
    assert api(user, "get", "/complaints", {"state": "all"}).json()["count"] == 0
    assert client.get("/feedback/cases/").status_code == 403
    assert api(user, "get", "/cases").status_code == 403
    assert api(user, "get", f"/cases/{closed.pk}").status_code == 404


def test_it_shows_the_named_client_their_complaint_without_the_internal_steps(client, api, client_contact, closed):
    login_as(client, client_contact)
    html = client.get(f"/feedback/complaints/{closed.pk}/").content.decode()
    assert "如实向李小姐反映" in html
    assert "安排会务服务员及时更新会场水果" in html
    assert "所采购的水果并不少" not in html
    assert "取得对方谅解" not in html
    assert "客户委托事务" not in html
    assert "hotline 测试" not in html
    body = api(client_contact, "get", f"/complaints/{closed.pk}").json()
    assert [step["step"] for step in body["steps"]] == ["apology", "report", "rectification"]
    assert {step["by"] for step in body["steps"]} == {None}
    assert (body["root_cause"], body["lesson"], body["received_by"], body["return_visit"]) == (None, "", None, None)
    assert "所采购的水果并不少" not in str(body)


def test_it_shows_a_client_the_complaint_they_filed_through_the_portal(client, client_contact, frozen_now):
    complaint = complaint_receive(
        user=client_contact, channel="portal", complainant_name="", summary="空调太冷", statement="x"
    )
    login_as(client, client_contact)
    assert "空调太冷" in client.get("/feedback/complaints/").content.decode()
    assert client.get(f"/feedback/complaints/{complaint.pk}/").status_code == 200


def test_it_hides_a_confidential_meeting_s_complaint_from_uncleared_staff(client, api, hotline, secret_complaint):
    login_as(client, hotline)
    assert client.get(f"/feedback/complaints/{secret_complaint.pk}/").status_code == 404
    assert client.post(f"/feedback/complaints/{secret_complaint.pk}/steps/apology/", {"note": "x"}).status_code == 404
    assert "保密会议茶水不足" not in client.get("/feedback/complaints/").content.decode()
    assert api(hotline, "get", f"/complaints/{secret_complaint.pk}").status_code == 404
    assert api(hotline, "post", f"/complaints/{secret_complaint.pk}/steps/apology", {"note": "x"}).status_code == 404
    assert api(hotline, "get", "/complaints").json()["count"] == 0


def test_it_audits_who_opens_a_confidential_meeting_s_complaint(client, manager, secret_complaint):
    from huiwu.security.models import AuditEntry

    before = AuditEntry.objects.filter(user=manager, action=AuditEntry.Action.VIEW).count()
    login_as(client, manager)
    assert client.get(f"/feedback/complaints/{secret_complaint.pk}/").status_code == 200
    assert AuditEntry.objects.filter(user=manager, action=AuditEntry.Action.VIEW).count() == before + 1


def test_it_leaves_a_confidential_meeting_s_case_out_of_the_library(
    client, api, attendant, manager, secret_complaint, walk
):
    from huiwu.feedback.models import RootCause
    from huiwu.feedback.services import complaint_close

    complaint_close(
        user=manager, complaint=secret_complaint, root_cause=RootCause.objects.first(), lesson="教训", close_reason="x"
    )
    login_as(client, attendant)
    assert "保密会议茶水不足" not in client.get("/feedback/cases/").content.decode()
    assert client.get(f"/feedback/cases/{secret_complaint.pk}/").status_code == 404
    assert api(attendant, "get", "/cases").json()["count"] == 0
    assert api(manager, "get", "/cases").json()["count"] == 1


@pytest.mark.parametrize("persona", ["attendant", "reception", "env_supervisor", "security_officer"])
def test_it_hides_the_complainant_from_who_only_reads_cases(client, api, request, closed, persona):
    user = request.getfixturevalue(persona)
    login_as(client, user)
    for path in ("/feedback/cases/", f"/feedback/cases/{closed.pk}/", "/feedback/cases/?q=水果"):
        html = client.get(path).content.decode()
        assert "李小姐" not in html.replace("向主持会议的李小姐", "").replace("如实向李小姐", "")
        assert "13800000001" not in html
        assert "测试委办局" not in html
    assert "(hidden)" in client.get(f"/feedback/cases/{closed.pk}/").content.decode()
    body = api(user, "get", f"/cases/{closed.pk}").json()
    assert (body["complainant_name"], body["complainant_phone"], body["organization_name"]) == ("(hidden)",) * 3
    assert body["complainant_hidden"] is True
    listed = api(user, "get", "/cases").content.decode()
    assert "13800000001" not in listed
    assert "测试委办局" not in listed


def test_it_shows_the_complainant_to_complaint_handlers_in_the_library(client, api, team_leader, closed):
    login_as(client, team_leader)
    html = client.get(f"/feedback/cases/{closed.pk}/").content.decode()
    assert "13800000001" in html
    body = api(team_leader, "get", f"/cases/{closed.pk}").json()
    assert (body["complainant_name"], body["complainant_phone"], body["complainant_hidden"]) == (
        "李小姐",
        "13800000001",
        False,
    )


@pytest.mark.parametrize("persona", ["attendant", "reception", "outsider"])
def test_it_refuses_complaints_to_who_does_not_handle_them(client, api, request, complaint, persona):
    user = request.getfixturevalue(persona)
    login_as(client, user)
    assert client.get("/feedback/complaints/").status_code == 403
    assert client.get("/feedback/complaints/new/").status_code == 403
    assert client.get(f"/feedback/complaints/{complaint.pk}/").status_code == 404
    assert client.get("/feedback/follow-ups/").status_code == 403
    assert api(user, "get", "/complaints").status_code == 403
    assert api(user, "get", f"/complaints/{complaint.pk}").status_code == 404
    assert api(user, "get", "/follow-ups").status_code == 403


def test_it_lets_clients_read_but_not_handle_their_complaint(client, api, client_contact, complaint):
    login_as(client, client_contact)
    html = client.get(f"/feedback/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="step-form"' not in html
    assert client.post(f"/feedback/complaints/{complaint.pk}/steps/apology/", {"note": "x"}).status_code == 403
    assert client.post(f"/feedback/complaints/{complaint.pk}/close/", {}).status_code == 403
    reply = api(client_contact, "post", f"/complaints/{complaint.pk}/steps/apology", {"note": "x"})
    assert reply.status_code == 403
    assert reply.json()["roles"] == ["manager", "team_leader", "hotline"]
    assert client.get("/feedback/follow-ups/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/feedback/complaints/99999999999999999999999/", "/feedback/cases/0/", "/feedback/follow-ups/0/"]
)
def test_it_answers_404_for_ids_that_cannot_exist(client, hotline, path):
    login_as(client, hotline)
    assert client.get(path).status_code == 404
