"""The confidential meetings a person is eligible to serve, as one filter on meetings (what makes them
visible to cleared staff): the level, and the days over which every paper is valid at once."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from huiwu.accounts.models import User
from huiwu.meetings.models import Meeting
from huiwu.security.eligibility import eligible_meetings_q, missing_for
from huiwu.security.models import Authorization, BackgroundCheck, ConfidentialityAgreement, TrainingRecord
from huiwu.security.services import staff_profile_update
from huiwu.testing import at


@pytest.fixture
def meeting_on(book, manager):
    """meeting_on("2026-12-01 09:00", "11:00", level=2): a confidential meeting booked by the manager (no
    buffers, so that meetings around midnight can follow each other)."""

    def make(start, end, level=2):
        return book(start, end, confidentiality=level, user=manager, setup_minutes=0, teardown_minutes=0)

    return make


def _eligible(person):
    return set(Meeting.objects.filter(eligible_meetings_q(person)))


def _agrees_with_missing_for(person, meetings):
    """The filter and the per-meeting check (used when assigning) tell the same story."""
    eligible = _eligible(person)
    for meeting in meetings:
        missing = missing_for(person, level=meeting.confidentiality, start=meeting.start, end=meeting.end)
        assert (meeting in eligible) == (not missing), (meeting, missing)


def test_it_does_not_make_a_level_2_meeting_eligible_with_a_level_1_clearance(qualify, attendant, meeting_on):
    qualify(attendant, level=1)
    internal = meeting_on("2026-12-01 09:00", "11:00", level=1)
    classified = meeting_on("2026-12-01 14:00", "16:00", level=2)
    assert _eligible(attendant) == {internal}
    _agrees_with_missing_for(attendant, [internal, classified])


def test_it_makes_both_levels_eligible_with_a_level_2_clearance(qualify, attendant, meeting_on, book):
    qualify(attendant, level=2)
    internal = meeting_on("2026-12-01 09:00", "11:00", level=1)
    classified = meeting_on("2026-12-01 14:00", "16:00", level=2)
    book("2026-12-02 09:00", "10:00")  # an ordinary meeting: visible anyway, never "eligible"
    assert _eligible(attendant) == {internal, classified}


def test_it_makes_nothing_eligible_without_a_clearance(qualify, security_officer, attendant, meeting_on):
    qualify(attendant, level=2)
    meeting_on("2026-12-01 09:00", "11:00", level=1)
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=0)
    assert _eligible(attendant) == set()


@pytest.mark.parametrize("piece", ["certificate", "agreement", "authorization", "education"])
def test_it_makes_nothing_eligible_without_each_paper(qualify, attendant, meeting_on, piece):
    qualify(attendant, without=[piece])
    meeting = meeting_on("2026-12-01 09:00", "11:00")
    assert _eligible(attendant) == set()
    _agrees_with_missing_for(attendant, [meeting])


def test_it_does_not_count_failed_education(qualify, attendant, meeting_on):
    qualify(attendant)
    TrainingRecord.objects.filter(user=attendant).update(passed=False)
    meeting_on("2026-12-01 09:00", "11:00")
    assert _eligible(attendant) == set()


def test_it_does_not_count_a_revoked_authorization(qualify, attendant, meeting_on):
    qualify(attendant)
    Authorization.objects.filter(user=attendant).update(revoked_at=at("2026-11-20 09:00"))
    meeting_on("2026-12-01 09:00", "11:00")
    assert _eligible(attendant) == set()


def test_it_keeps_the_meeting_of_a_papers_first_and_last_day_eligible(qualify, attendant, meeting_on):
    qualify(attendant)
    # The authorization now runs from 11-28 to 11-30 only.
    Authorization.objects.filter(user=attendant).update(valid_from=date(2026, 11, 28), valid_until=date(2026, 11, 30))
    before = meeting_on("2026-11-27 23:00", "23:59")
    first_day = meeting_on("2026-11-28 00:00", "01:00")
    last_day = meeting_on("2026-11-30 22:00", "2026-12-01 00:00")  # ends at midnight: still the 30th
    past_midnight = meeting_on("2026-12-01 00:00", "01:00")
    assert _eligible(attendant) == {first_day, last_day}
    _agrees_with_missing_for(attendant, [before, first_day, last_day, past_midnight])


def test_it_refuses_a_meeting_running_past_the_last_day(qualify, attendant, meeting_on):
    qualify(attendant)
    Authorization.objects.filter(user=attendant).update(valid_until=date(2026, 11, 30))
    across = meeting_on("2026-11-30 23:00", "2026-12-01 01:00")
    assert _eligible(attendant) == set()
    _agrees_with_missing_for(attendant, [across])


def test_it_needs_the_papers_valid_at_once_not_one_after_the_other(qualify, attendant, meeting_on):
    qualify(attendant)
    # The certificate ends on 11-29 and the agreement starts on 11-29: they overlap on that one day.
    BackgroundCheck.objects.filter(user=attendant).update(valid_until=date(2026, 11, 29))
    ConfidentialityAgreement.objects.filter(user=attendant).update(valid_from=date(2026, 11, 29))
    days = [meeting_on(f"2026-11-{day} 09:00", "10:00") for day in (28, 29, 30)]
    assert _eligible(attendant) == {days[1]}
    _agrees_with_missing_for(attendant, days)


def test_it_counts_any_of_several_papers_of_a_kind(qualify, security_officer, attendant, meeting_on):
    from huiwu.security.services import authorization_grant

    qualify(attendant)
    Authorization.objects.filter(user=attendant).update(valid_until=date(2026, 11, 28))
    authorization_grant(
        user=security_officer, staff=attendant, valid_from=date(2026, 11, 30), valid_until=date(2026, 12, 31)
    )
    days = [meeting_on(f"2026-11-{day} 09:00", "10:00") for day in (28, 29, 30)]
    assert _eligible(attendant) == {days[0], days[2]}
    _agrees_with_missing_for(attendant, days)


@pytest.mark.parametrize("piece", ["education", "authorization"])
def test_it_does_not_count_someone_elses_papers(qualify, attendant, make_persona, meeting_on, piece):
    qualify(attendant, without=[piece])
    qualify(make_persona("team_leader"))  # holds every piece, the one `attendant` lacks included
    meeting = meeting_on("2026-12-01 09:00", "11:00")
    assert _eligible(attendant) == set()
    _agrees_with_missing_for(attendant, [meeting])


def test_it_does_not_count_passed_training_of_another_course(qualify, security_officer, attendant, meeting_on):
    from huiwu.security.services import training_record_add

    qualify(attendant, without=["education"])
    training_record_add(
        user=security_officer, staff=attendant, course="etiquette", completed_on=date(2026, 5, 1), passed=True
    )
    meeting_on("2026-12-01 09:00", "11:00")
    assert _eligible(attendant) == set()


def test_it_needs_the_next_day_covered_from_the_least_moment_past_midnight(qualify, attendant):
    from datetime import timedelta

    qualify(attendant)
    Authorization.objects.filter(user=attendant).update(valid_until=date(2026, 11, 30))
    midnight = at("2026-12-01 00:00")
    assert missing_for(attendant, level=2, start=at("2026-11-30 22:00"), end=midnight) == []
    assert missing_for(attendant, level=2, start=at("2026-11-30 22:00"), end=midnight + timedelta(microseconds=1))


def _windows(person) -> int:
    """How many date conditions the filter holds: one per window in which every kind of paper is valid."""
    return sum(isinstance(child, Q) for child in eligible_meetings_q(person).children[-1].children)


@pytest.mark.parametrize(("second_from", "windows"), [(date(2026, 11, 20), 1), (date(2026, 11, 21), 2)])
def test_it_joins_two_papers_of_a_kind_that_share_a_day_into_one_window(
    qualify, security_officer, attendant, second_from, windows
):
    from huiwu.security.services import background_check_add

    qualify(attendant)
    BackgroundCheck.objects.filter(user=attendant).update(valid_from=date(2026, 11, 1), valid_until=date(2026, 11, 20))
    background_check_add(
        user=security_officer, staff=attendant, issuer="市公安局", valid_from=second_from, valid_until=date(2027, 6, 30)
    )
    assert _windows(attendant) == windows


def test_it_reads_the_papers_once_per_user_object_and_afresh_for_the_next(
    qualify, security_officer, attendant, meeting_on
):
    qualify(attendant, level=2)
    internal = meeting_on("2026-12-01 09:00", "11:00", level=1)
    assert _eligible(attendant) == {internal}
    with CaptureQueriesContext(connection) as queries:
        eligible_meetings_q(attendant)
    assert len(queries) == 0
    staff_profile_update(user=security_officer, staff=attendant, clearance_level=0)
    # As Django's permissions: the next request reads its user, and the papers, afresh.
    assert _eligible(User.objects.get(pk=attendant.pk)) == set()
