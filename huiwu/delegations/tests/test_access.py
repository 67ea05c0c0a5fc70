"""Who sees a task and who may do what with it, on the pages, in the API and for its files: a client sees only
their organization's tasks, nobody sees what hangs on a confidential meeting they may not see (404 as for
what does not exist), a client cannot do the staff's work and staff cannot confirm in the client's name."""

import pytest

from huiwu.delegations.access import get_task_for_user, tasks_visible_to
from huiwu.delegations.models import DelegatedTask
from huiwu.delegations.services import evidence_add
from huiwu.security.models import AuditEntry
from huiwu.testing import login_as

from .conftest import image_upload

State = DelegatedTask.State


def _pages(task) -> list[tuple[str, str]]:
    base = f"/delegations/{task.pk}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/edit/"),
        *[
            ("post", f"{base}/{action}/")
            for action in (
                "accept",
                "assign",
                "start",
                "done",
                "cost",
                "confirm",
                "dispute",
                "notices",
                "refuse",
                "cancel",
            )
        ],
    ]


def _api(task) -> list[tuple[str, str, dict | None]]:
    """Every operation on the task, each with a valid body (an invalid one is refused before the task is looked up)."""
    base = f"/tasks/{task.pk}"
    return [
        ("get", base, None),
        ("patch", base, {"title": "改"}),
        ("post", f"{base}/accept", {}),
        ("post", f"{base}/start", {}),
        ("post", f"{base}/done", {}),
        ("post", f"{base}/cost", {"actual_cost": "1.00"}),
        ("post", f"{base}/confirm", {}),
        ("post", f"{base}/dispute", {"note": "x"}),
        ("post", f"{base}/notices", {"method": "phone"}),
        ("post", f"{base}/refuse", {"reason": "x"}),
        ("post", f"{base}/cancel", {"reason": "x"}),
    ]


@pytest.fixture
def hidden_from(client, api):
    """hidden_from(user, task): every page, API operation and file of the task answers 404 to the user."""

    def check(user, task):
        login_as(client, user)
        for method, path in _pages(task):
            assert getattr(client, method)(path, {"reason": "x", "note": "x"}).status_code == 404, path
        for method, path, body in _api(task):
            response = api(user, method, path, body)
            assert response.status_code == 404, (path, response.content)
        for evidence in task.evidence.all():
            assert client.get(f"/delegations/{task.pk}/evidence/{evidence.pk}/").status_code == 404
            assert api(user, "get", f"/tasks/{task.pk}/evidence/{evidence.pk}").status_code == 404
        if task.meeting_id:
            assert client.get(f"/delegations/meetings/{task.meeting_id}/costs/").status_code == 404
            assert api(user, "get", f"/meetings/{task.meeting_id}/costs").status_code == 404
        assert task not in tasks_visible_to(user)
        assert task.title not in client.get("/delegations/?state=all").content.decode()

    return check


def test_it_hides_another_organizations_tasks_from_a_client(done, other_client, attendant, hidden_from):
    evidence_add(user=attendant, task=done, kind="receipt", upload=image_upload())
    hidden_from(other_client, done)
    done.refresh_from_db()
    assert done.state == State.AWAITING_CLIENT


def test_it_hides_a_confidential_meetings_tasks_from_uncleared_staff_and_clients(
    secret_task, hotline, reception, other_client, attendant, hidden_from
):
    evidence_add(user=attendant, task=secret_task, kind="photo", upload=image_upload())
    for person in (hotline, reception, other_client):
        hidden_from(person, secret_task)
    secret_task.refresh_from_db()
    assert secret_task.state == State.AWAITING_CLIENT


def test_it_shows_a_confidential_meetings_task_to_the_cleared_and_the_organizations_client(
    secret_task, manager, attendant, client_contact, client, api
):
    for person in (manager, attendant, client_contact):
        login_as(client, person)
        assert client.get(f"/delegations/{secret_task.pk}/").status_code == 200
        assert api(person, "get", f"/tasks/{secret_task.pk}").status_code == 200


def test_it_audits_every_look_at_a_task_of_a_confidential_meeting(secret_task, manager):
    before = AuditEntry.objects.filter(subject_type="meeting", action="view").count()
    get_task_for_user(manager, secret_task.pk)
    assert AuditEntry.objects.filter(subject_type="meeting", action="view").count() == before + 1


def test_it_keeps_a_task_of_no_meeting_visible_to_staff_but_not_to_other_clients(record, reception, other_client):
    task = record(meeting=None)
    assert task in tasks_visible_to(reception)
    assert task not in tasks_visible_to(other_client)


def test_it_hides_every_task_from_a_client_without_an_organization(task, client_contact):
    client_contact.organization = None
    client_contact.save()
    assert not tasks_visible_to(client_contact).exists()


@pytest.mark.parametrize("path", ["/delegations/99999999999999999999999/", "/delegations/0/"])
def test_it_answers_404_for_tasks_that_cannot_exist(client, hotline, path):
    login_as(client, hotline)
    assert client.get(path).status_code == 404


def test_it_refuses_a_client_the_staffs_work_naming_who_may(done, client_contact, api):
    response = api(client_contact, "post", f"/tasks/{done.pk}/notices", {"method": "phone"})
    assert (response.status_code, response.json()["roles"]) == (
        403,
        ["manager", "team_leader", "hotline", "reception"],
    )
    response = api(client_contact, "post", f"/tasks/{done.pk}/done", {})
    assert response.status_code == 403
    assert response.json()["message"].startswith("Only the person the task is assigned to")


def test_it_refuses_staff_confirming_as_the_client(done, manager, api):
    response = api(manager, "post", f"/tasks/{done.pk}/confirm")
    body = response.json()
    assert (response.status_code, body["roles"]) == (403, ["client"])
    assert "staff record a notice to the client instead" in body["message"]
    done.refresh_from_db()
    assert done.state == State.AWAITING_CLIENT


@pytest.mark.parametrize("persona", ["outsider", "security_officer"])
def test_it_refuses_the_list_to_who_reads_no_tasks(api, request, persona, task):
    response = api(request.getfixturevalue(persona), "get", "/tasks")
    assert response.status_code == 403
    assert response.json()["roles"] == [
        "manager",
        "team_leader",
        "env_supervisor",
        "hotline",
        "attendant",
        "reception",
        "client",
    ]
