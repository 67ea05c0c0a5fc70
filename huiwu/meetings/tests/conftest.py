import pytest

# A valid booking on the form of /meetings/new/; `form_data` adds the room and the organizer.
FORM = {
    "title": "党组会",
    "date": "2026-11-27",
    "start_time": "09:00",
    "end_time": "10:00",
    "headcount": "12",
    "setup_minutes": "30",
    "teardown_minutes": "30",
    "nature": "work_assignment",
    "tone": "solemn",
    "item_tea": "12",
    "tea_kind": "龙井",
}


@pytest.fixture
def form_data(room, organization):
    return FORM | {"room": str(room.pk), "organizer": str(organization.pk)}


@pytest.fixture
def qualify(security_officer):
    """qualify(user, level=2): every paper a person needs to serve confidential meetings up to `level`,
    valid through 2027 (the frozen clock is 2026-11-26)."""
    from datetime import date

    from huiwu.security.models import (
        Authorization,
        BackgroundCheck,
        ConfidentialityAgreement,
        StaffProfile,
        TrainingRecord,
    )

    def make(user, level=2):
        StaffProfile.objects.update_or_create(user=user, defaults={"clearance_level": level})
        span = {"valid_from": date(2026, 1, 1), "valid_until": date(2027, 12, 31), "recorded_by": security_officer}
        BackgroundCheck.objects.create(user=user, issuer="市公安局", **span)
        ConfidentialityAgreement.objects.create(user=user, **span)
        Authorization.objects.create(user=user, **span)
        TrainingRecord.objects.create(
            user=user,
            course=TrainingRecord.Course.CONFIDENTIALITY,
            completed_on=date(2026, 3, 1),
            passed=True,
            recorded_by=security_officer,
        )
        return user

    return make
