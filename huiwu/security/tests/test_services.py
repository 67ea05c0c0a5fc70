"""Recording qualifications: the rules, the audit entries they write, whoever calls them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
    staff_profile_update,
    training_record_add,
)


def _entries(staff):
    return list(AuditEntry.objects.filter(subject_type="staff", subject_id=staff.pk).order_by("id"))


# --- the profile --------------------------------------------------------------------------------------


def test_it_makes_and_updates_the_profile(security_officer, attendant, frozen_now):
    profile = staff_profile_update(
        user=security_officer,
        staff=attendant,
        clearance_level=2,
        hire_date=date(2024, 5, 6),
        key_post=True,
        guarantor_name=" 王建国 ",
        guarantor_relation="父亲",
        guarantor_phone="138 0000 1234",
        guaranteed_on=date(2024, 5, 1),
    )
    profile.refresh_from_db()
    assert (profile.user, profile.clearance_level, profile.hire_date) == (attendant, 2, date(2024, 5, 6))
    assert (profile.key_post, profile.guarantor_name, profile.guarantor_relation) == (True, "王建国", "父亲")
    assert (profile.guarantor_phone, profile.guaranteed_on) == ("138 0000 1234", date(2024, 5, 1))
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=1, key_post=False)
    profile.refresh_from_db()
    assert (profile.clearance_level, profile.key_post, profile.guarantor_name) == (1, False, "")
    assert StaffProfile.objects.count() == 1


def test_it_writes_who_changed_which_fields_of_the_profile(security_officer, attendant, frozen_now):
    staff_profile_update(
        user=security_officer, staff=attendant, clearance_level=2, key_post=True, guarantor_name="王建国"
    )
    (entry,) = _entries(attendant)
    assert (entry.user, entry.action, entry.subject_type, entry.subject_id) == (
        security_officer,
        "change",
        "staff",
        attendant.pk,
    )
    assert entry.summary.startswith("attendant 测试: profile changed: ")
    assert "Clearance level: Ordinary → Classified" in entry.summary
    assert "Key post: no → yes" in entry.summary
    assert "Guarantor: — → 王建国" in entry.summary
    assert "Hire date" not in entry.summary
    assert entry.address is None  # not called from a request


def test_it_writes_nothing_when_nothing_changes(security_officer, attendant):
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=1)
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=1)
    assert len(_entries(attendant)) == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"clearance_level": 3}, "clearance_level", "from 0 to 2"),
        ({"clearance_level": -1}, "clearance_level", "from 0 to 2"),
        ({"clearance_level": "2"}, "clearance_level", "Choose a confidentiality level."),
        ({"clearance_level": True}, "clearance_level", "Choose a confidentiality level."),
        ({"key_post": True}, "guarantor_name", "A key post needs a guarantor"),
        ({"key_post": True, "guarantor_name": "   "}, "guarantor_name", "A key post needs a guarantor"),
        ({"guarantor_name": "x" * 51}, "guarantor_name", "At most 50 characters."),
        ({"guarantor_relation": "a\x00b"}, "guarantor_relation", "not allowed"),
        ({"guarantor_phone": "call me"}, "guarantor_phone", "Enter a phone number"),
        ({"guaranteed_on": date(2026, 11, 27)}, "guaranteed_on", "cannot have been signed in the future"),
        ({"hire_date": date(1, 1, 1)}, "hire_date", "between 1900-01-01 and 2999-12-31"),
    ],
)
def test_it_refuses_a_bad_profile_and_changes_nothing(security_officer, attendant, frozen_now, change, field, message):
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=1)
    with pytest.raises(ValidationError) as refused:
        staff_profile_update(user=security_officer, staff=attendant, **({"clearance_level": 1} | change))
    assert message in " ".join(refused.value.message_dict[field])
    profile = StaffProfile.objects.get(user=attendant)
    assert (profile.clearance_level, profile.key_post, profile.guarantor_name) == (1, False, "")
    assert len(_entries(attendant)) == 1


def test_it_follows_the_configured_level_names(settings, security_officer, attendant):
    settings.CONFIDENTIALITY_LEVEL_NAMES = ["普通", "内部", "秘密", "机密"]
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=3)
    assert "普通 → 机密" in _entries(attendant)[0].summary
    with pytest.raises(ValidationError):
        staff_profile_update(user=security_officer, staff=attendant, clearance_level=4)


# --- records ------------------------------------------------------------------------------------------


def test_it_records_training_with_its_score(security_officer, attendant, frozen_now):
    record = training_record_add(
        user=security_officer,
        staff=attendant,
        course="confidentiality",
        completed_on=date(2026, 11, 26),
        score="92.5",
        passed=True,
    )
    record.refresh_from_db()
    assert (record.course, record.completed_on, record.score, record.passed) == (
        "confidentiality",
        date(2026, 11, 26),
        Decimal("92.5"),
        True,
    )
    assert record.recorded_by == security_officer
    (entry,) = _entries(attendant)
    assert entry.summary == (
        "attendant 测试: training recorded: Confidentiality education on 2026-11-26, score 92.5, passed"
    )


def test_it_records_training_without_a_score(security_officer, attendant, frozen_now):
    record = training_record_add(
        user=security_officer, staff=attendant, course="etiquette", completed_on=date(2026, 1, 5), passed=False
    )
    assert record.score is None
    assert _entries(attendant)[0].summary.endswith("Service etiquette on 2026-01-05, score —, not passed")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"course": "cooking"}, "course"),
        ({"completed_on": None}, "completed_on"),
        ({"completed_on": date(2026, 11, 27)}, "completed_on"),
        ({"score": 100.5}, "score"),
        ({"score": -1}, "score"),
        ({"score": "92.55"}, "score"),
        ({"score": "ninety"}, "score"),
        ({"score": "NaN"}, "score"),
        ({"score": float("inf")}, "score"),
    ],
)
def test_it_refuses_a_bad_training_record(security_officer, attendant, frozen_now, change, field):
    values = {"course": "skills", "completed_on": date(2026, 11, 1), "passed": True, "score": 90}
    with pytest.raises(ValidationError) as refused:
        training_record_add(user=security_officer, staff=attendant, **(values | change))
    assert field in refused.value.message_dict
    assert not TrainingRecord.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_records_a_certificate_an_agreement_and_an_authorization(security_officer, attendant, frozen_now):
    certificate = background_check_add(
        user=security_officer,
        staff=attendant,
        issuer=" 市公安局 ",
        valid_from=date(2026, 1, 10),
        valid_until=date(2027, 1, 9),
    )
    agreement = agreement_add(
        user=security_officer, staff=attendant, valid_from=date(2026, 3, 1), valid_until=date(2029, 2, 28)
    )
    authorization = authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 12, 1), valid_until=date(2027, 11, 30)
    )
    assert BackgroundCheck.objects.get().issuer == "市公安局"
    assert (certificate.user, certificate.recorded_by) == (attendant, security_officer)
    assert (agreement.valid_from, agreement.valid_until) == (date(2026, 3, 1), date(2029, 2, 28))
    assert (authorization.recorded_by, authorization.revoked_at) == (security_officer, None)
    assert [entry.summary for entry in _entries(attendant)] == [
        "attendant 测试: background-check certificate recorded: issued by 市公安局 on 2026-01-10, "
        "valid until 2027-01-09",
        "attendant 测试: confidentiality agreement recorded: signed on 2026-03-01, valid until 2029-02-28",
        "attendant 测试: authorization to serve granted from 2026-12-01 to 2027-11-30",
    ]
    assert {entry.user for entry in _entries(attendant)} == {security_officer}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"issuer": "  "}, "issuer", "Enter who issued the certificate."),
        ({"issuer": "x" * 101}, "issuer", "At most 100 characters."),
        ({"valid_from": None}, "valid_from", "Enter the day the certificate was issued."),
        ({"valid_until": None}, "valid_until", "Enter the last valid day."),
        ({"valid_from": date(2026, 11, 27)}, "valid_from", "cannot have been issued in the future"),
        ({"valid_until": date(2026, 1, 9)}, "valid_until", "cannot be before the first (2026-01-10)"),
        ({"valid_until": date(9999, 12, 31)}, "valid_until", "between 1900-01-01 and 2999-12-31"),
    ],
)
def test_it_refuses_a_bad_certificate(security_officer, attendant, frozen_now, change, field, message):
    values = {"issuer": "市公安局", "valid_from": date(2026, 1, 10), "valid_until": date(2027, 1, 9)}
    with pytest.raises(ValidationError) as refused:
        background_check_add(user=security_officer, staff=attendant, **(values | change))
    assert message in " ".join(refused.value.message_dict[field])
    assert not BackgroundCheck.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_from": date(2026, 11, 27)}, "valid_from"),
        ({"valid_until": date(2026, 2, 28)}, "valid_until"),
        ({"valid_from": None}, "valid_from"),
    ],
)
def test_it_refuses_a_bad_agreement(security_officer, attendant, frozen_now, change, field):
    values = {"valid_from": date(2026, 3, 1), "valid_until": date(2028, 2, 29)}
    with pytest.raises(ValidationError) as refused:
        agreement_add(user=security_officer, staff=attendant, **(values | change))
    assert field in refused.value.message_dict
    assert not ConfidentialityAgreement.objects.exists()


def test_it_records_a_certificate_that_has_already_expired_as_history(security_officer, attendant, frozen_now):
    background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="派出所",
        valid_from=date(2020, 1, 1),
        valid_until=date(2021, 1, 1),
    )
    assert BackgroundCheck.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"valid_until": date(2026, 11, 25)}, "valid_until", "already ended cannot be granted"),
        ({"valid_from": date(2027, 1, 1), "valid_until": date(2026, 12, 31)}, "valid_until", "cannot be before"),
        ({"valid_from": None}, "valid_from", "Enter the first day of the authorization."),
    ],
)
def test_it_refuses_a_bad_authorization(security_officer, attendant, frozen_now, change, field, message):
    values = {"valid_from": date(2026, 1, 1), "valid_until": date(2026, 12, 31)}
    with pytest.raises(ValidationError) as refused:
        authorization_grant(user=security_officer, staff=attendant, **(values | change))
    assert message in " ".join(refused.value.message_dict[field])
    assert not Authorization.objects.exists()


def test_it_grants_an_authorization_ending_today(security_officer, attendant, frozen_now):
    authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 11, 1), valid_until=date(2026, 11, 26)
    )
    assert Authorization.objects.count() == 1


# --- revoking -----------------------------------------------------------------------------------------


@pytest.fixture
def authorization(security_officer, attendant, frozen_now):
    return authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 3, 1), valid_until=date(2027, 2, 28)
    )


def test_it_revokes_an_authorization_once(security_officer, attendant, authorization, frozen_now):
    authorization_revoke(user=security_officer, authorization=authorization)
    authorization.refresh_from_db()
    assert authorization.revoked_by == security_officer
    assert authorization.revoked_at is not None
    assert _entries(attendant)[-1].summary == (
        "attendant 测试: authorization to serve from 2026-03-01 to 2027-02-28 revoked"
    )
    with pytest.raises(ValidationError) as refused:
        authorization_revoke(user=security_officer, authorization=authorization)
    assert "already revoked on 2026-11-26 08:00 by security_officer 测试" in refused.value.messages[0]
    assert len(_entries(attendant)) == 2


def test_it_refuses_to_revoke_an_authorization_that_has_ended(security_officer, attendant, authorization, frozen_now):
    frozen_now.move_to("2027-03-01 08:00 +0800")
    with pytest.raises(ValidationError) as refused:
        authorization_revoke(user=security_officer, authorization=authorization)
    assert "ended on 2027-02-28" in refused.value.messages[0]
    authorization.refresh_from_db()
    assert authorization.revoked_at is None


# --- who may ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "team_leader", "attendant", "client_contact", "outsider"])
def test_it_lets_only_the_security_officer_record(request, persona, attendant, authorization, frozen_now):
    user = request.getfixturevalue(persona)
    calls = [
        lambda: staff_profile_update(user=user, staff=attendant, clearance_level=2),
        lambda: training_record_add(
            user=user, staff=attendant, course="skills", completed_on=date(2026, 1, 1), passed=True
        ),
        lambda: background_check_add(
            user=user, staff=attendant, issuer="x", valid_from=date(2026, 1, 1), valid_until=date(2027, 1, 1)
        ),
        lambda: agreement_add(user=user, staff=attendant, valid_from=date(2026, 1, 1), valid_until=date(2027, 1, 1)),
        lambda: authorization_grant(
            user=user, staff=attendant, valid_from=date(2026, 1, 1), valid_until=date(2027, 1, 1)
        ),
        lambda: authorization_revoke(user=user, authorization=authorization),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not StaffProfile.objects.exists()
    assert Authorization.objects.get().revoked_at is None
    assert AuditEntry.objects.count() == 1  # the grant of the fixture


def test_it_refuses_a_deactivated_security_officer(security_officer, attendant):
    security_officer.is_active = False
    security_officer.save()
    with pytest.raises(PermissionDenied):
        staff_profile_update(user=security_officer, staff=attendant, clearance_level=1)


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_records_qualifications_for_staff_only(request, security_officer, persona):
    with pytest.raises(ValidationError) as refused:
        staff_profile_update(user=security_officer, staff=request.getfixturevalue(persona), clearance_level=1)
    assert "active members of staff only" in refused.value.messages[0]
    assert not StaffProfile.objects.exists()


def test_it_refuses_a_deactivated_member_of_staff(security_officer):
    former = user_upsert(username="former", password="x-password-1", display_name="离职", roles=[Role.ATTENDANT])
    former.is_active = False
    former.save()
    with pytest.raises(ValidationError):
        agreement_add(user=security_officer, staff=former, valid_from=date(2026, 1, 1), valid_until=date(2027, 1, 1))
