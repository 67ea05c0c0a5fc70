"""Expiry reminders: one per certificate, agreement and authorization, to the security officers."""

from datetime import date

import pytest

from huiwu.notify.models import Deadline, Notification
from huiwu.notify.services import deadlines_process
from huiwu.security.services import (
    agreement_add,
    authorization_grant,
    authorization_revoke,
    background_check_add,
    staff_profile_update,
    training_record_add,
)
from huiwu.testing import at


@pytest.fixture
def certificate(security_officer, attendant, frozen_now):
    return background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="市公安局",
        valid_from=date(2026, 7, 1),
        valid_until=date(2027, 6, 30),
    )


def _deadline(record) -> Deadline:
    return Deadline.objects.get(key=f"clearance:{record._meta.model_name}:{record.pk}:expiry")


def test_it_reminds_of_a_certificate_thirty_days_before_its_last_day(certificate):
    deadline = _deadline(certificate)
    assert deadline.key == f"clearance:backgroundcheck:{certificate.pk}:expiry"
    assert deadline.opens_at == at("2027-05-31 09:00")
    assert deadline.due_at == at("2027-07-01 00:00")
    assert (deadline.kind, deadline.responsible_role) == ("clearance_expiry", "security_officer")
    assert (deadline.awaits_completion, deadline.state, deadline.meeting) == (False, "pending", None)
    assert deadline.title == "The background-check certificate of attendant 测试 expires on 2027-06-30"
    assert deadline.url == f"/security/staff/{certificate.user_id}/"


def test_it_reminds_of_agreements_and_authorizations(security_officer, attendant, frozen_now):
    agreement = agreement_add(
        user=security_officer, staff=attendant, valid_from=date(2026, 3, 1), valid_until=date(2028, 2, 29)
    )
    authorization = authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 12, 1), valid_until=date(2027, 3, 31)
    )
    assert _deadline(agreement).key == f"clearance:confidentialityagreement:{agreement.pk}:expiry"
    assert (_deadline(agreement).opens_at, _deadline(agreement).due_at) == (
        at("2028-01-30 09:00"),
        at("2028-03-01 00:00"),
    )
    assert _deadline(authorization).key == f"clearance:authorization:{authorization.pk}:expiry"
    assert _deadline(authorization).opens_at == at("2027-03-01 09:00")
    assert "authorization to serve of attendant 测试 expires on 2027-03-31" in _deadline(authorization).title


def test_it_follows_the_notice_period_setting(settings, security_officer, attendant, frozen_now):
    settings.CLEARANCE_EXPIRY_NOTICE_DAYS = 10
    agreement = agreement_add(
        user=security_officer, staff=attendant, valid_from=date(2026, 3, 1), valid_until=date(2027, 6, 30)
    )
    assert _deadline(agreement).opens_at == at("2027-06-20 09:00")


def test_it_sets_no_deadline_for_training_or_the_profile(security_officer, attendant, frozen_now):
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=2)
    training_record_add(
        user=security_officer, staff=attendant, course="confidentiality", completed_on=date(2026, 1, 1), passed=True
    )
    assert not Deadline.objects.exists()


def test_it_reminds_the_security_officer_when_the_worker_runs_at_the_opening_time(
    certificate, security_officer, manager, attendant
):
    assert deadlines_process(now=at("2027-05-31 08:59")) == 0
    assert not Notification.objects.exists()
    deadlines_process(now=at("2027-05-31 09:00"))
    (notification,) = Notification.objects.all()
    assert notification.recipient == security_officer
    assert (notification.kind, notification.event) == ("clearance_expiry", "reminder")
    assert notification.title == "The background-check certificate of attendant 测试 expires on 2027-06-30"
    assert notification.url == f"/security/staff/{attendant.pk}/"
    # A reminder only: done once sent, never escalated.
    assert _deadline(certificate).state == "done"
    deadlines_process(now=at("2027-07-02 09:00"))
    assert Notification.objects.count() == 1


def test_it_cancels_the_reminder_of_a_revoked_authorization(security_officer, attendant, frozen_now):
    authorization = authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 12, 1), valid_until=date(2027, 3, 31)
    )
    authorization_revoke(user=security_officer, authorization=authorization)
    assert _deadline(authorization).state == "cancelled"
    deadlines_process(now=at("2027-03-01 09:00"))
    assert not Notification.objects.exists()


def test_it_cancels_the_reminder_when_a_renewal_follows_on(certificate, security_officer, attendant):
    renewal = background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="市公安局",
        valid_from=date(2026, 11, 20),
        valid_until=date(2028, 6, 30),
    )
    assert _deadline(certificate).state == "cancelled"
    assert _deadline(renewal).state == "pending"
    assert _deadline(renewal).opens_at == at("2028-05-31 09:00")


def test_it_keeps_the_reminder_when_the_next_paper_leaves_a_gap(certificate, security_officer, attendant):
    background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="市公安局",
        valid_from=date(2026, 11, 20),
        valid_until=date(2027, 6, 1),
    )
    assert _deadline(certificate).state == "pending"


def test_it_reopens_a_reminder_when_the_authorization_that_followed_on_is_revoked(
    security_officer, attendant, frozen_now
):
    first = authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 1, 1), valid_until=date(2027, 3, 31)
    )
    second = authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2027, 4, 1), valid_until=date(2028, 3, 31)
    )
    assert _deadline(first).state == "cancelled"
    authorization_revoke(user=security_officer, authorization=second)
    assert _deadline(first).state == "pending"
    assert _deadline(second).state == "cancelled"


def test_it_reminds_at_once_of_a_paper_recorded_within_the_notice_period(security_officer, attendant, frozen_now):
    agreement = agreement_add(
        user=security_officer, staff=attendant, valid_from=date(2025, 12, 10), valid_until=date(2026, 12, 9)
    )
    assert _deadline(agreement).opens_at == at("2026-11-26 08:00")
    deadlines_process(now=at("2026-11-26 08:01"))
    assert Notification.objects.get().recipient == security_officer


def test_it_reminds_no_one_of_a_paper_that_had_already_expired(security_officer, attendant, frozen_now):
    background_check_add(
        user=security_officer,
        staff=attendant,
        issuer="派出所",
        valid_from=date(2020, 1, 1),
        valid_until=date(2021, 1, 1),
    )
    assert not Deadline.objects.filter(state="pending").exists()
