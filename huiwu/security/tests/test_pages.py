"""The qualification pages: the staff list, a person's page with its forms, and who may do what there."""

from datetime import date

import pytest
from django.utils import translation

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.security.models import (
    AuditEntry,
    Authorization,
    BackgroundCheck,
    ConfidentialityAgreement,
    StaffProfile,
    TrainingRecord,
)
from huiwu.security.services import (
    agreement_add,
    authorization_grant,
    authorization_revoke,
    background_check_add,
    training_record_add,
)
from huiwu.testing import login_as

PROFILE = {
    "profile-clearance_level": "2",
    "profile-hire_date": "2024-05-06",
    "profile-key_post": "on",
    "profile-guarantor_name": "王建国",
    "profile-guarantor_relation": "父亲",
    "profile-guarantor_phone": "138 0000 1234",
    "profile-guaranteed_on": "2024-05-01",
}
TRAINING = {
    "training-course": "confidentiality",
    "training-completed_on": "2026-11-20",
    "training-score": "92.5",
    "training-passed": "on",
}
CERTIFICATE = {
    "certificate-issuer": "市公安局",
    "certificate-valid_from": "2026-01-10",
    "certificate-valid_until": "2027-01-09",
}
AGREEMENT = {"agreement-valid_from": "2026-03-01", "agreement-valid_until": "2028-02-29"}
AUTHORIZATION = {"authorization-valid_from": "2026-12-01", "authorization-valid_until": "2027-11-30"}

# (path under /security/staff/<id>/, form data, model it adds to)
WRITES = [
    ("profile/", PROFILE, StaffProfile),
    ("training/", TRAINING, TrainingRecord),
    ("background-checks/", CERTIFICATE, BackgroundCheck),
    ("agreements/", AGREEMENT, ConfidentialityAgreement),
    ("authorizations/", AUTHORIZATION, Authorization),
]

FORMS = {
    "profile/": "profile_form",
    "training/": "training_form",
    "background-checks/": "certificate_form",
    "agreements/": "agreement_form",
    "authorizations/": "authorization_form",
}


@pytest.fixture
def granted(security_officer, attendant, frozen_now):
    return authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 3, 1), valid_until=date(2027, 2, 28)
    )


# --- access -------------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, attendant):
    for path in ["/security/staff/", f"/security/staff/{attendant.pk}/", "/security/audit/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["attendant", "team_leader", "hotline", "client_contact", "outsider"])
def test_it_refuses_everyone_but_managers_and_security_officers(client, request, persona, attendant, granted):
    login_as(client, request.getfixturevalue(persona))
    assert client.get("/security/staff/").status_code == 403
    assert client.get(f"/security/staff/{attendant.pk}/").status_code == 403
    assert client.get("/security/audit/").status_code == 403
    assert client.get("/security/audit/?export=xlsx").status_code == 403
    for path, data, _model in WRITES:
        assert client.post(f"/security/staff/{attendant.pk}/{path}", data).status_code == 403
    assert client.post(f"/security/authorizations/{granted.pk}/revoke/").status_code == 403
    assert not StaffProfile.objects.exists()
    assert Authorization.objects.get().revoked_at is None
    assert AuditEntry.objects.count() == 1  # the grant of the fixture


def test_it_lets_the_manager_read_but_not_write(client, manager, attendant, granted):
    login_as(client, manager)
    assert "attendant 测试" in client.get("/security/staff/").content.decode()
    response = client.get(f"/security/staff/{attendant.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026-03-01 – 2027-02-28" in html
    for testid in ["profile-form", "training-form", "certificate-form", "agreement-form", "authorization-form"]:
        assert f'data-testid="{testid}"' not in html
    assert 'data-testid="revoke-form"' not in html
    assert 'data-testid="history"' not in html
    for path, data, _model in WRITES:
        assert client.post(f"/security/staff/{attendant.pk}/{path}", data).status_code == 403
    assert client.post(f"/security/authorizations/{granted.pk}/revoke/").status_code == 403
    assert client.get("/security/audit/").status_code == 403
    assert not StaffProfile.objects.exists()
    assert Authorization.objects.get().revoked_at is None


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_answers_404_for_someone_who_is_not_staff(client, request, security_officer, persona):
    person = request.getfixturevalue(persona)
    login_as(client, security_officer)
    assert client.get(f"/security/staff/{person.pk}/").status_code == 404
    assert client.post(f"/security/staff/{person.pk}/profile/", PROFILE).status_code == 404
    assert not StaffProfile.objects.exists()


def test_it_answers_404_for_a_member_of_staff_who_left(client, security_officer, attendant):
    attendant.is_active = False
    attendant.save()
    login_as(client, security_officer)
    assert client.get(f"/security/staff/{attendant.pk}/").status_code == 404
    assert "attendant 测试" not in client.get("/security/staff/").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/security/staff/0/",
        "/security/staff/99999999999999999999999/",
        "/security/staff/99999999999999999999999/training/",
        "/security/authorizations/99999999999999999999999/revoke/",
        "/security/authorizations/424242/revoke/",
    ],
)
def test_it_answers_404_for_ids_that_cannot_exist(client, security_officer, path):
    login_as(client, security_officer)
    response = client.post(path, TRAINING) if path.endswith(("training/", "revoke/")) else client.get(path)
    assert response.status_code == 404


def test_it_only_accepts_writes_by_post(client, security_officer, attendant, granted):
    login_as(client, security_officer)
    for path, _data, _model in WRITES:
        assert client.get(f"/security/staff/{attendant.pk}/{path}").status_code == 405
    assert client.get(f"/security/authorizations/{granted.pk}/revoke/").status_code == 405


# --- the staff list -----------------------------------------------------------------------------------


def _listed(response) -> list[str]:
    return [str(summary.user) for summary in response.context["page"]]


def test_it_lists_active_staff_with_their_roles_and_clearance(
    client, security_officer, manager, attendant, client_contact, outsider, qualify
):
    qualify(attendant, level=1)
    login_as(client, manager)
    response = client.get("/security/staff/")
    assert _listed(response) == ["attendant 测试", "manager 测试", "security_officer 测试"]
    html = response.content.decode()
    assert "Conference attendant" in html
    assert "Clearance: Internal" in html
    assert "Clearance: Ordinary" in html


def test_it_colours_papers_expired_red_and_expiring_amber(client, security_officer, attendant, frozen_now):
    background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="派出所",
        valid_from=date(2025, 1, 1),
        valid_until=date(2026, 11, 1),
    )
    agreement_add(user=security_officer, staff=attendant, valid_from=date(2025, 1, 1), valid_until=date(2026, 12, 20))
    authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 1, 1), valid_until=date(2027, 6, 1)
    )
    login_as(client, security_officer)
    response = client.get("/security/staff/")
    summary = response.context["page"][0]
    assert (summary.certificate.state, summary.agreement.state, summary.authorization.state) == (
        "expired",
        "expiring",
        "valid",
    )
    html = response.content.decode()
    assert 'bg-danger-subtle text-danger-emphasis" data-state="expired">Expired 2026-11-01' in html
    assert 'bg-warning-subtle text-warning-emphasis" data-state="expiring">Until 2026-12-20' in html
    assert '<span data-state="valid">Until 2027-06-01</span>' in html


def test_it_filters_by_role_and_by_papers_needing_attention(client, security_officer, manager, attendant, frozen_now):
    agreement_add(user=security_officer, staff=attendant, valid_from=date(2025, 1, 1), valid_until=date(2026, 12, 20))
    agreement_add(user=security_officer, staff=manager, valid_from=date(2025, 1, 1), valid_until=date(2029, 12, 20))
    login_as(client, security_officer)
    assert _listed(client.get("/security/staff/", {"role": "manager"})) == ["manager 测试"]
    assert _listed(client.get("/security/staff/", {"attention": "on"})) == ["attendant 测试"]
    assert _listed(client.get("/security/staff/", {"role": "manager", "attention": "on"})) == []


def test_it_counts_a_renewal_that_follows_on_as_cover(client, security_officer, attendant, frozen_now):
    agreement_add(user=security_officer, staff=attendant, valid_from=date(2025, 1, 1), valid_until=date(2026, 12, 20))
    agreement_add(user=security_officer, staff=attendant, valid_from=date(2026, 11, 1), valid_until=date(2029, 10, 31))
    login_as(client, security_officer)
    summary = client.get("/security/staff/").context["page"][0]
    assert (summary.agreement.state, summary.agreement.until) == ("valid", date(2029, 10, 31))


# (courses taken as (course, passed), the state of confidentiality education, its data-state in the page)
EDUCATION = [
    ([], "untrained", '<span class="text-body-secondary" data-state="untrained">Not trained</span>'),
    ([("hotel", True)], "untrained", 'data-state="untrained">Not trained'),
    ([("confidentiality", False)], "failed", 'text-danger-emphasis" data-state="failed">Not passed'),
    ([("confidentiality", False), ("confidentiality", True)], "passed", 'data-state="passed">Passed'),
]


@pytest.mark.parametrize(("courses", "state", "shown"), EDUCATION)
def test_it_tells_not_trained_from_not_passed(client, security_officer, attendant, frozen_now, courses, state, shown):
    for course, passed in courses:
        training_record_add(
            user=security_officer, staff=attendant, course=course, completed_on=date(2026, 3, 1), passed=passed
        )
    login_as(client, security_officer)
    listing = client.get("/security/staff/", {"role": "attendant"})
    assert listing.context["page"][0].education == state
    profile = client.get(f"/security/staff/{attendant.pk}/").content.decode()
    for html in (listing.content.decode(), profile):
        education = html.split('data-testid="education">', 1)[1].split("</dd>", 1)[0]
        assert shown in education


def test_it_says_not_trained_in_chinese_not_a_red_fail(client, security_officer, attendant):
    login_as(client, security_officer)
    with translation.override("zh-hans"):
        html = client.get("/security/staff/", {"role": "attendant"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    education = html.split('data-testid="education">', 1)[1].split("</dd>", 1)[0]
    assert "未培训" in education
    assert "不合格" not in education
    assert "danger" not in education


@pytest.mark.parametrize("query", ["?role=client", "?role=x", "?attention=&role=", "?page=abc", "?page=999"])
def test_it_falls_back_to_everyone_on_odd_filters(client, security_officer, query):
    login_as(client, security_officer)
    response = client.get(f"/security/staff/{query}")
    assert response.status_code == 200
    assert _listed(response) == ["security_officer 测试"]


def test_it_lists_in_constant_queries(client, security_officer, qualify, django_assert_max_num_queries):
    for number in range(12):
        person = user_upsert(
            username=f"staff{number}", password="x-password-1", display_name=f"员工{number}", roles=[Role.ATTENDANT]
        )
        qualify(person)
    login_as(client, security_officer)
    with django_assert_max_num_queries(15):
        assert client.get("/security/staff/").status_code == 200


# --- a person's page ----------------------------------------------------------------------------------


def test_it_shows_eligibility_per_level_for_now(client, security_officer, attendant, qualify):
    qualify(attendant, level=1, without=["agreement"])
    login_as(client, security_officer)
    response = client.get(f"/security/staff/{attendant.pk}/")
    levels = {row["level"]: row["missing"] for row in response.context["eligibility"]}
    assert levels == {
        1: ["a signed confidentiality agreement in force"],
        2: ["a clearance of level Classified", "a signed confidentiality agreement in force"],
    }
    agreement_add(user=security_officer, staff=attendant, valid_from=date(2026, 3, 1), valid_until=date(2028, 2, 29))
    html = client.get(f"/security/staff/{attendant.pk}/").content.decode()
    assert "Eligible" in html


def test_it_shows_the_records_newest_first_in_shanghai_time(client, security_officer, attendant, frozen_now):
    background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="旧派出所",
        valid_from=date(2023, 1, 1),
        valid_until=date(2024, 1, 1),
    )
    background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="新派出所",
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 1, 1),
    )
    login_as(client, security_officer)
    response = client.get(f"/security/staff/{attendant.pk}/")
    assert [record.issuer for record in response.context["records"]["background_checks"]] == ["新派出所", "旧派出所"]
    html = response.content.decode()
    assert "Recorded by security_officer 测试 on 2026-11-26 08:00" in html
    assert 'data-testid="history"' in html


@pytest.mark.parametrize(("path", "data", "model"), WRITES)
def test_it_records_through_the_forms_and_audits_the_page(client, security_officer, attendant, path, data, model):
    login_as(client, security_officer)
    response = client.post(f"/security/staff/{attendant.pk}/{path}", data)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/security/staff/{attendant.pk}/#")
    assert model.objects.filter(user=attendant).count() == 1
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.subject_type, entry.subject_id) == (
        security_officer,
        "change",
        "staff",
        attendant.pk,
    )
    assert entry.path == f"/security/staff/{attendant.pk}/{path}"
    assert entry.address == "127.0.0.1"
    assert "attendant 测试" in entry.summary


def test_it_saves_the_profile_fields(client, security_officer, attendant):
    login_as(client, security_officer)
    client.post(f"/security/staff/{attendant.pk}/profile/", PROFILE)
    profile = StaffProfile.objects.get(user=attendant)
    assert (profile.clearance_level, profile.hire_date, profile.key_post) == (2, date(2024, 5, 6), True)
    assert (profile.guarantor_name, profile.guarantor_phone) == ("王建国", "138 0000 1234")
    html = client.get(f"/security/staff/{attendant.pk}/").content.decode()
    assert "王建国 (父亲)" in html
    assert "Guarantee signed on 2024-05-01" in html


@pytest.mark.parametrize(
    ("path", "data", "change", "field", "message"),
    [
        ("profile/", PROFILE, {"profile-clearance_level": "7"}, "clearance_level", "Select a valid choice."),
        ("profile/", PROFILE, {"profile-guarantor_name": " "}, "guarantor_name", "A key post needs a guarantor"),
        ("profile/", PROFILE, {"profile-guarantor_phone": "call me"}, "guarantor_phone", "Enter a phone number"),
        ("profile/", PROFILE, {"profile-hire_date": "2026-13-45"}, "hire_date", "Enter a valid date."),
        ("training/", TRAINING, {"training-course": "cooking"}, "course", "Select a valid choice."),
        ("training/", TRAINING, {"training-score": "101"}, "score", "less than or equal to 100"),
        ("training/", TRAINING, {"training-score": "92.55"}, "score", "no more than 1 decimal place"),
        ("training/", TRAINING, {"training-completed_on": "2026-12-01"}, "completed_on", "cannot be in the future"),
        ("background-checks/", CERTIFICATE, {"certificate-issuer": ""}, "issuer", "This field is required."),
        (
            "background-checks/",
            CERTIFICATE,
            {"certificate-valid_until": "2025-01-01"},
            "valid_until",
            "cannot be before the first (2026-01-10)",
        ),
        ("agreements/", AGREEMENT, {"agreement-valid_from": "2026-11-27"}, "valid_from", "in the future"),
        ("agreements/", AGREEMENT, {"agreement-valid_until": "9999-12-31"}, "valid_until", "1900-01-01 and 2999-12-31"),
        (
            "authorizations/",
            AUTHORIZATION,
            {"authorization-valid_from": "2026-01-01", "authorization-valid_until": "2026-11-25"},
            "valid_until",
            "already ended",
        ),
        ("authorizations/", AUTHORIZATION, {"authorization-valid_from": ""}, "valid_from", "This field is required."),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_saves_nothing(
    client, security_officer, attendant, frozen_now, path, data, change, field, message
):
    login_as(client, security_officer)
    response = client.post(f"/security/staff/{attendant.pk}/{path}", data | change)
    assert response.status_code == 200
    form = response.context[FORMS[path]]
    assert form.is_bound
    assert message in " ".join(form.errors[field]), form.errors
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert 'class="invalid-feedback d-block"' in html
    assert '<details class="mt-2" open>' in html
    assert not AuditEntry.objects.exists()
    for _path, _data, model in WRITES:
        assert not model.objects.exists()


def test_it_keeps_what_was_typed_in_a_refused_form(client, security_officer, attendant):
    login_as(client, security_officer)
    response = client.post(
        f"/security/staff/{attendant.pk}/background-checks/", CERTIFICATE | {"certificate-valid_until": ""}
    )
    assert 'value="市公安局"' in response.content.decode()


def test_it_revokes_an_authorization_through_the_page(client, security_officer, attendant, granted):
    login_as(client, security_officer)
    html = client.get(f"/security/staff/{attendant.pk}/").content.decode()
    assert 'data-testid="revoke-form"' in html
    response = client.post(f"/security/authorizations/{granted.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == f"/security/staff/{attendant.pk}/#authorizations"
    granted.refresh_from_db()
    assert granted.revoked_by == security_officer
    html = response.content.decode()
    assert "The authorization was revoked." in html
    assert "Revoked by security_officer 测试 on 2026-11-26 08:00" in html
    assert 'data-testid="revoke-form"' not in html


def test_it_refuses_revoking_twice_with_a_message(client, security_officer, attendant, granted):
    authorization_revoke(user=security_officer, authorization=granted)
    login_as(client, security_officer)
    response = client.post(f"/security/authorizations/{granted.pk}/revoke/", follow=True)
    assert "already revoked on 2026-11-26 08:00" in response.content.decode()
    assert AuditEntry.objects.filter(summary__contains="revoked").count() == 1


def test_it_offers_no_revoke_for_an_authorization_that_ended(client, security_officer, attendant, granted, frozen_now):
    frozen_now.move_to("2027-03-01 08:00 +0800")
    login_as(client, security_officer)
    html = client.get(f"/security/staff/{attendant.pk}/").content.decode()
    assert 'data-testid="revoke-form"' not in html
    response = client.post(f"/security/authorizations/{granted.pk}/revoke/", follow=True)
    assert "ended on 2027-02-28" in response.content.decode()
    granted.refresh_from_db()
    assert granted.revoked_at is None
