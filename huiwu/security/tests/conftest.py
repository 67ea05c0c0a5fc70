from datetime import date

import pytest
from django.utils import translation

from huiwu.security.services import (
    agreement_add,
    authorization_grant,
    background_check_add,
    staff_profile_update,
    training_record_add,
)

# Each piece of the qualification to serve a confidential meeting, as `qualify(..., without=…)` names them.
PIECES = ["clearance", "certificate", "agreement", "education", "authorization"]


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are checked in the English source, which stays put when the Chinese catalogue changes.
    settings.LANGUAGE_CODE = "en"
    settings.CLEARANCE_EXPIRY_NOTICE_DAYS = 30
    settings.CONFIDENTIALITY_LEVEL_NAMES = []
    with translation.override("en"):
        yield


@pytest.fixture
def qualify(security_officer, frozen_now):
    """Record, as the security officer, everything `person` needs to serve meetings of `level` (default 2)
    all of next year, but the pieces named in `without`."""

    def make(person, *, level=2, without=()):
        officer = security_officer
        if "clearance" not in without:
            staff_profile_update(user=officer, staff=person, clearance_level=level)
        if "certificate" not in without:
            background_check_add(
                user=officer,
                staff=person,
                issuer="市公安局",
                valid_from=date(2026, 1, 10),
                valid_until=date(2028, 1, 9),
            )
        if "agreement" not in without:
            agreement_add(user=officer, staff=person, valid_from=date(2026, 3, 1), valid_until=date(2028, 2, 29))
        if "education" not in without:
            training_record_add(
                user=officer, staff=person, course="confidentiality", completed_on=date(2026, 3, 1), passed=True
            )
        if "authorization" not in without:
            authorization_grant(user=officer, staff=person, valid_from=date(2026, 3, 1), valid_until=date(2027, 12, 31))
        return person

    return make
