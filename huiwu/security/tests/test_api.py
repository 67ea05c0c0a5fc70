"""Qualifications and the audit log over JSON: the same rules and access as the pages, as HTTP answers."""

from datetime import date

import pytest
from django.test import Client

from huiwu.notify.models import Deadline
from huiwu.security.audit import audit_record
from huiwu.security.models import (
    AuditEntry,
    Authorization,
    BackgroundCheck,
    ConfidentialityAgreement,
    StaffProfile,
    TrainingRecord,
)
from huiwu.security.services import authorization_grant, authorization_revoke
from huiwu.testing import login_as

TRAINING = {"course": "confidentiality", "completed_on": "2026-11-20", "score": 92.5, "passed": True}
CERTIFICATE = {"issuer": "市公安局", "valid_from": "2026-01-10", "valid_until": "2027-01-09"}
AGREEMENT = {"valid_from": "2026-03-01", "valid_until": "2028-02-29"}
AUTHORIZATION = {"valid_from": "2026-12-01", "valid_until": "2027-11-30"}
PROFILE = {"clearance_level": 2, "key_post": True, "guarantor_name": "王建国"}

WRITES = [
    ("profile", PROFILE, StaffProfile, 200),
    ("training", TRAINING, TrainingRecord, 201),
    ("background-checks", CERTIFICATE, BackgroundCheck, 201),
    ("agreements", AGREEMENT, ConfidentialityAgreement, 201),
    ("authorizations", AUTHORIZATION, Authorization, 201),
]


@pytest.fixture
def granted(security_officer, attendant, frozen_now):
    return authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 3, 1), valid_until=date(2027, 2, 28)
    )


# --- access -------------------------------------------------------------------------------------------


def test_it_refuses_calls_without_a_token(attendant):
    assert Client().get("/api/v1/staff").status_code == 401
    assert Client().get("/api/v1/audit").status_code == 401
    assert (
        Client().post(f"/api/v1/staff/{attendant.pk}/training", TRAINING, content_type="application/json").status_code
        == 401
    )


@pytest.mark.parametrize("persona", ["attendant", "hotline", "client_contact", "outsider"])
def test_it_refuses_everyone_but_managers_and_security_officers(api, request, persona, attendant, granted):
    user = request.getfixturevalue(persona)
    for method, path, body in [
        ("get", "/staff", None),
        ("get", f"/staff/{attendant.pk}", None),
        ("get", "/audit", None),
        *[("post", f"/staff/{attendant.pk}/{path}", data) for path, data, _model, _status in WRITES],
        ("post", f"/authorizations/{granted.pk}/revoke", None),
    ]:
        response = api(user, method, path, body)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), path
    assert not StaffProfile.objects.exists()
    assert Authorization.objects.get().revoked_at is None


def test_it_lets_the_manager_read_but_not_write(api, manager, attendant, granted):
    assert api(manager, "get", "/staff").json()["count"] == 3
    assert api(manager, "get", f"/staff/{attendant.pk}").status_code == 200
    for path, data, _model, _status in WRITES:
        assert api(manager, "post", f"/staff/{attendant.pk}/{path}", data).status_code == 403
    assert api(manager, "post", f"/authorizations/{granted.pk}/revoke").status_code == 403
    assert api(manager, "get", "/audit").status_code == 403
    assert Authorization.objects.get().revoked_at is None
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_answers_404_for_someone_who_is_not_staff(api, request, security_officer, persona):
    person = request.getfixturevalue(persona)
    response = api(security_officer, "get", f"/staff/{person.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api(security_officer, "post", f"/staff/{person.pk}/agreements", AGREEMENT).status_code == 404
    assert not ConfidentialityAgreement.objects.exists()


@pytest.mark.parametrize("item_id", ["0", "99999999999999999999999", "-3", "abc"])
def test_it_answers_404_or_422_for_ids_that_cannot_exist(api, security_officer, item_id):
    assert api(security_officer, "get", f"/staff/{item_id}").status_code in (404, 422)
    assert api(security_officer, "post", f"/staff/{item_id}/training", TRAINING).status_code in (404, 422)
    assert api(security_officer, "post", f"/authorizations/{item_id}/revoke").status_code in (404, 422)


def test_it_accepts_the_session_of_the_web_pages(client, security_officer, attendant, frozen_now):
    login_as(client, security_officer)
    response = client.post(f"/api/v1/staff/{attendant.pk}/agreements", AGREEMENT, content_type="application/json")
    assert response.status_code == 201


# --- reading ------------------------------------------------------------------------------------------


def test_it_lists_staff_with_the_state_of_their_papers(api, security_officer, manager, attendant, qualify):
    qualify(attendant, level=1)
    body = api(manager, "get", "/staff").json()
    assert body["count"] == 3
    first = body["items"][0]
    assert (first["id"], first["display_name"], first["clearance_level"], first["clearance_label"]) == (
        attendant.pk,
        "attendant 测试",
        1,
        "Internal",
    )
    assert first["roles"] == [{"code": "attendant", "label": "Conference attendant"}]
    assert first["background_check"] == {
        "state": "valid",
        "state_label": "Valid",
        "since": "2026-01-10",
        "until": "2028-01-09",
    }
    assert first["authorization"]["until"] == "2027-12-31"
    assert first["confidentiality_education_passed"] is True
    assert first["needs_attention"] is False
    assert body["items"][1]["background_check"]["state"] == "missing"


def test_it_tells_not_trained_from_not_passed(api, security_officer, attendant, frozen_now):
    education = lambda: [  # noqa: E731
        (s["confidentiality_education"], s["confidentiality_education_label"], s["confidentiality_education_passed"])
        for s in api(security_officer, "get", "/staff", {"role": "attendant"}).json()["items"]
    ]
    assert education() == [("untrained", "Not trained", False)]
    failed = {**TRAINING, "passed": False}
    assert api(security_officer, "post", f"/staff/{attendant.pk}/training", failed).status_code == 201
    assert education() == [("failed", "Not passed", False)]
    assert api(security_officer, "post", f"/staff/{attendant.pk}/training", TRAINING).status_code == 201
    assert education() == [("passed", "Passed", True)]


def test_it_filters_and_pages_the_staff_list(api, security_officer, manager, attendant, frozen_now):
    ConfidentialityAgreement.objects.create(
        user=attendant, valid_from=date(2025, 1, 1), valid_until=date(2026, 12, 1), recorded_by=security_officer
    )
    names = lambda **query: [s["display_name"] for s in api(manager, "get", "/staff", query).json()["items"]]  # noqa: E731
    assert names(role="manager") == ["manager 测试"]
    assert names(attention=True) == ["attendant 测试"]
    assert names(limit=1, offset=1) == ["manager 测试"]
    assert names(role="client") == []


@pytest.mark.parametrize("query", [{"role": "king"}, {"limit": 0}, {"limit": 1000}, {"offset": -1}, {"attention": "x"}])
def test_it_refuses_a_bad_list_query(api, manager, query):
    response = api(manager, "get", "/staff", query)
    assert (response.status_code, response.json()["code"]) == (422, "invalid")


def test_it_shows_a_person_with_records_and_eligibility(api, security_officer, attendant, qualify, frozen_now):
    qualify(attendant, level=1, without=["agreement"])
    body = api(security_officer, "get", f"/staff/{attendant.pk}").json()
    assert body["profile"]["clearance_level"] == 1
    assert body["profile"]["clearance_label"] == "Internal"
    assert body["training"][0]["course"] == "confidentiality"
    assert body["training"][0]["course_label"] == "Confidentiality education"
    assert body["background_checks"][0]["issuer"] == "市公安局"
    assert body["background_checks"][0]["recorded_by"]["display_name"] == "security_officer 测试"
    assert body["background_checks"][0]["recorded_at"] == "2026-11-26T08:00:00+08:00"
    assert body["agreements"] == []
    authorization = body["authorizations"][0]
    assert (authorization["granted_by"]["id"], authorization["revoked_at"], authorization["state"]) == (
        security_officer.pk,
        None,
        "valid",
    )
    assert body["eligibility"] == [
        {
            "level": 1,
            "label": "Internal",
            "eligible": False,
            "missing": ["a signed confidentiality agreement in force"],
        },
        {
            "level": 2,
            "label": "Classified",
            "eligible": False,
            "missing": ["a clearance of level Classified", "a signed confidentiality agreement in force"],
        },
    ]


def test_it_shows_an_empty_profile_for_someone_with_nothing_recorded(api, manager, attendant):
    body = api(manager, "get", f"/staff/{attendant.pk}").json()
    assert body["profile"] == {
        "clearance_level": 0,
        "clearance_label": "Ordinary",
        "hire_date": None,
        "key_post": False,
        "guarantor_name": "",
        "guarantor_relation": "",
        "guarantor_phone": "",
        "guaranteed_on": None,
    }
    assert not StaffProfile.objects.exists()


# --- writing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "data", "model", "status"), WRITES)
def test_it_records_and_audits(api, security_officer, attendant, frozen_now, path, data, model, status):
    response = api(security_officer, "post", f"/staff/{attendant.pk}/{path}", data)
    assert response.status_code == status, response.json()
    assert model.objects.filter(user=attendant).count() == 1
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.subject_type, entry.subject_id) == (
        security_officer,
        "change",
        "staff",
        attendant.pk,
    )
    assert entry.path == f"/api/v1/staff/{attendant.pk}/{path}"


def test_it_answers_the_new_record(api, security_officer, attendant, frozen_now):
    body = api(security_officer, "post", f"/staff/{attendant.pk}/training", TRAINING).json()
    assert (body["course"], body["completed_on"], body["score"], body["passed"]) == (
        "confidentiality",
        "2026-11-20",
        92.5,
        True,
    )
    body = api(security_officer, "post", f"/staff/{attendant.pk}/authorizations", AUTHORIZATION).json()
    assert (body["valid_from"], body["valid_until"], body["state"]) == ("2026-12-01", "2027-11-30", "not_yet")
    assert Deadline.objects.get(key=f"clearance:authorization:{body['id']}:expiry").state == "pending"


def test_it_changes_only_the_profile_fields_sent(api, security_officer, attendant):
    api(security_officer, "post", f"/staff/{attendant.pk}/profile", PROFILE | {"hire_date": "2024-05-06"})
    body = api(security_officer, "post", f"/staff/{attendant.pk}/profile", {"clearance_level": 1}).json()
    assert body["profile"]["clearance_level"] == 1
    assert body["profile"]["key_post"] is True
    assert body["profile"]["guarantor_name"] == "王建国"
    assert body["profile"]["hire_date"] == "2024-05-06"
    api(security_officer, "post", f"/staff/{attendant.pk}/profile", {"hire_date": None})
    assert StaffProfile.objects.get().hire_date is None


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("profile", {"clearance_level": 3}, "clearance_level"),
        ("profile", {"clearance_level": None}, "clearance_level"),
        ("profile", {"key_post": True}, "guarantor_name"),
        ("profile", {"guarantor_phone": "call me"}, "guarantor_phone"),
        ("training", TRAINING | {"score": 100.5}, "score"),
        ("training", TRAINING | {"course": "cooking"}, "course"),
        ("training", TRAINING | {"completed_on": "2026-11-27"}, "completed_on"),
        ("training", {"course": "skills", "completed_on": "2026-11-20"}, "passed"),
        ("background-checks", CERTIFICATE | {"issuer": " "}, "issuer"),
        ("background-checks", CERTIFICATE | {"valid_until": "2025-12-31"}, "valid_until"),
        ("background-checks", CERTIFICATE | {"valid_until": "9999-12-31"}, "valid_until"),
        ("agreements", AGREEMENT | {"valid_from": "2026-02-30"}, "valid_from"),
        ("authorizations", AUTHORIZATION | {"valid_until": "2026-11-25", "valid_from": "2026-11-01"}, "valid_until"),
    ],
)
def test_it_refuses_bad_input_with_422_and_saves_nothing(
    api, security_officer, attendant, frozen_now, path, data, field
):
    response = api(security_officer, "post", f"/staff/{attendant.pk}/{path}", data)
    assert (response.status_code, response.json()["code"]) == (422, "invalid")
    errors = response.json()["errors"]
    assert field in (errors if isinstance(errors, dict) else [e["loc"][-1] for e in errors]), errors
    assert not AuditEntry.objects.exists()
    for _path, _data, model, _status in WRITES:
        assert not model.objects.exists()


def test_it_revokes_an_authorization_once(api, security_officer, attendant, granted):
    response = api(security_officer, "post", f"/authorizations/{granted.pk}/revoke")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["revoked_by"]["id"], body["revoked_at"]) == (
        "revoked",
        security_officer.pk,
        "2026-11-26T08:00:00+08:00",
    )
    again = api(security_officer, "post", f"/authorizations/{granted.pk}/revoke")
    assert again.status_code == 422
    assert "already revoked" in again.json()["errors"]["__all__"][0]
    assert AuditEntry.objects.filter(summary__contains="revoked").count() == 1


def test_it_answers_404_for_an_authorization_of_someone_not_staff(api, security_officer, attendant, granted):
    attendant.is_active = False
    attendant.save()
    assert api(security_officer, "post", f"/authorizations/{granted.pk}/revoke").status_code == 404
    granted.refresh_from_db()
    assert granted.revoked_at is None


# --- the audit log ------------------------------------------------------------------------------------


def test_it_reads_the_audit_log_filtered(api, security_officer, attendant, manager, granted):
    authorization_revoke(user=security_officer, authorization=granted)
    audit_record(user=manager, action="view", subject_type="meeting", subject_id=12, summary="党组会")
    body = api(security_officer, "get", "/audit").json()
    assert body["count"] == 3
    first = body["items"][0]
    assert (first["summary"], first["action"], first["action_label"], first["subject_label"]) == (
        "党组会",
        "view",
        "Viewed",
        "Meeting",
    )
    assert first["user"] == {"id": manager.pk, "display_name": "manager 测试"}
    assert first["at"] == "2026-11-26T08:00:00+08:00"

    def summaries(**query):
        return [entry["summary"] for entry in api(security_officer, "get", "/audit", query).json()["items"]]

    assert summaries(who=manager.pk) == ["党组会"]
    assert len(summaries(action="change", subject_type="staff", subject_id=attendant.pk)) == 2
    assert summaries(q="党组") == ["党组会"]
    assert summaries(date_from="2026-11-27") == []
    assert len(summaries(date_from="2026-11-26", date_to="2026-11-26")) == 3
    assert len(summaries(limit=1, offset=2)) == 1


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-11-26", "date_to": "2026-11-01"},
        {"date_to": "9999-12-31"},
        {"action": "delete"},
        {"who": "99999999999999999999999"},
        {"limit": 0},
    ],
)
def test_it_refuses_a_bad_audit_query(api, security_officer, query):
    response = api(security_officer, "get", "/audit", query)
    assert (response.status_code, response.json()["code"]) == (422, "invalid")


def test_it_documents_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/staff",
        "/api/v1/staff/{user_id}",
        "/api/v1/staff/{user_id}/profile",
        "/api/v1/staff/{user_id}/training",
        "/api/v1/staff/{user_id}/background-checks",
        "/api/v1/staff/{user_id}/agreements",
        "/api/v1/staff/{user_id}/authorizations",
        "/api/v1/authorizations/{authorization_id}/revoke",
        "/api/v1/audit",
    ]:
        for operation in paths[path].values():
            assert {"401", "403", "422"} <= set(operation["responses"]), path
