"""Who may serve a confidential meeting: every piece of the qualification counts, over the meeting's days."""

from datetime import date

import pytest

from huiwu.security.models import Authorization, TrainingRecord
from huiwu.security.services import authorization_revoke, staff_profile_update, training_record_add
from huiwu.testing import at

from .conftest import PIECES

MISSING = {
    "clearance": "a clearance of level Classified",
    "certificate": "a valid background-check certificate",
    "agreement": "a signed confidentiality agreement in force",
    "education": "passed confidentiality education",
    "authorization": "an authorization to serve covering the meeting's time",
}


def _missing(person, level=2, start="2026-12-01 09:00", end="2026-12-01 11:00"):
    from huiwu.security.eligibility import missing_for

    return missing_for(person, level=level, start=at(start), end=at(end))


def test_it_finds_a_fully_qualified_person_eligible(qualify, attendant):
    qualify(attendant)
    assert _missing(attendant) == []
    assert _missing(attendant, level=1) == []


@pytest.mark.parametrize("piece", PIECES)
def test_it_names_each_missing_piece(qualify, attendant, piece):
    qualify(attendant, without=[piece])
    assert _missing(attendant) == [MISSING[piece]]


def test_it_names_everything_for_someone_with_nothing(attendant):
    assert _missing(attendant) == [MISSING[piece] for piece in PIECES]


def test_it_asks_nothing_for_an_ordinary_meeting(attendant):
    assert _missing(attendant, level=0) == []


def test_it_requires_a_clearance_as_high_as_the_meeting(qualify, security_officer, attendant):
    qualify(attendant, level=1)
    assert _missing(attendant, level=1) == []
    assert _missing(attendant, level=2) == [MISSING["clearance"]]
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=0)
    assert _missing(attendant, level=1) == ["a clearance of level Internal"]


def test_it_does_not_count_failed_or_other_training(qualify, security_officer, attendant):
    qualify(attendant, without=["education"])
    for course, passed in [("confidentiality", False), ("etiquette", True)]:
        training_record_add(
            user=security_officer, staff=attendant, course=course, completed_on=date(2026, 5, 1), passed=passed
        )
    assert _missing(attendant) == [MISSING["education"]]
    assert TrainingRecord.objects.filter(user=attendant).count() == 2


def test_it_does_not_count_a_revoked_authorization(qualify, security_officer, attendant):
    qualify(attendant)
    authorization_revoke(user=security_officer, authorization=Authorization.objects.get(user=attendant))
    assert _missing(attendant) == [MISSING["authorization"]]


@pytest.mark.parametrize(
    ("start", "end", "missing"),
    [
        # The certificate's last day is 2028-01-09: a meeting on it is covered, one the day after is not.
        ("2027-12-31 09:00", "2027-12-31 11:00", []),
        ("2028-01-01 09:00", "2028-01-01 11:00", [MISSING["authorization"]]),
        ("2028-01-09 09:00", "2028-01-09 11:00", [MISSING["authorization"]]),
        ("2028-01-10 09:00", "2028-01-10 11:00", [MISSING["certificate"], MISSING["authorization"]]),
        # A meeting running past midnight needs its second day covered too; one ending at midnight does not.
        ("2027-12-31 22:00", "2028-01-01 01:00", [MISSING["authorization"]]),
        ("2027-12-31 22:00", "2028-01-01 00:00", []),
        ("2026-02-28 09:00", "2026-02-28 11:00", [MISSING["agreement"], MISSING["authorization"]]),
    ],
)
def test_it_requires_every_paper_to_cover_the_meetings_days(qualify, attendant, start, end, missing):
    qualify(attendant)
    assert _missing(attendant, start=start, end=end) == missing
