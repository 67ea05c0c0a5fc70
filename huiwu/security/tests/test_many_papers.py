"""A member of staff with a hundred papers of each kind: the meeting pages still answer, and the filter on
meetings finds exactly the meetings `missing_for` finds her eligible for."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from huiwu.meetings.models import Meeting, Status
from huiwu.security.eligibility import eligible_meetings_q, missing_for
from huiwu.security.models import (
    Authorization,
    BackgroundCheck,
    ConfidentialityAgreement,
    StaffProfile,
    TrainingRecord,
)
from huiwu.testing import login_as

START = date(2027, 1, 1)
PAPERS = 100


def _periods(kind: str) -> list[tuple[date, date]]:
    """A hundred periods of one kind, in the shapes that used to multiply: many papers over the same years
    (renewals recorded twice, nested periods), a chain that overlaps, and papers that only touch or leave
    gaps."""
    periods = []
    for i in range(PAPERS):
        first = START + timedelta(days=9 * i)
        if i % 4 == 0:  # nested, all over the same two years
            periods.append((START + timedelta(days=i), START + timedelta(days=730 - i)))
        elif kind == "certificate":  # overlapping by one day exactly
            periods.append((first, first + timedelta(days=9)))
        elif kind == "agreement":  # touching: one ends the day before the next begins
            periods.append((first, first + timedelta(days=8)))
        else:  # authorizations with gaps of two days
            periods.append((first + timedelta(days=2), first + timedelta(days=8)))
    return periods


@pytest.fixture
def papers(attendant, security_officer):
    StaffProfile.objects.create(user=attendant, clearance_level=2)
    TrainingRecord.objects.create(
        user=attendant,
        course="confidentiality",
        completed_on=date(2026, 3, 1),
        passed=True,
        recorded_by=security_officer,
    )
    by = {"user": attendant, "recorded_by": security_officer}
    BackgroundCheck.objects.bulk_create(
        BackgroundCheck(valid_from=first, valid_until=last, issuer="市公安局", **by)
        for first, last in _periods("certificate")
    )
    ConfidentialityAgreement.objects.bulk_create(
        ConfidentialityAgreement(valid_from=first, valid_until=last, **by) for first, last in _periods("agreement")
    )
    Authorization.objects.bulk_create(
        Authorization(valid_from=first, valid_until=last, **by) for first, last in _periods("authorization")
    )
    return attendant


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def probes(room, organization, hotline):
    """Confidential meetings around the edges of the first papers of every shape, and of the last: a morning
    meeting on the day before, of and after each edge, and one from 23:00 into the next day, which needs one
    paper covering both days."""
    days = set()
    for kind in ("certificate", "agreement", "authorization"):
        periods = _periods(kind)
        for edge in {day for period in periods[:16] + periods[-4:] for day in period}:
            days.update(edge + timedelta(days=step) for step in (-1, 0, 1))
    meetings = []
    for day in sorted(days):
        for start, end in ((_at(day, 9), _at(day, 11)), (_at(day, 23), _at(day + timedelta(days=1), 1))):
            meetings.append(
                Meeting(
                    title="保密会议",
                    organizer=organization,
                    room=room,
                    start=start,
                    end=end,
                    blocked_from=start,
                    blocked_until=end,
                    headcount=5,
                    created_by=hotline,
                    status=Status.CONFIRMED,
                    confidentiality=1,
                )
            )
    return Meeting.objects.bulk_create(meetings)


def _covered(kind: str, first: date, last: date) -> bool:
    return any(start <= first and last <= end for start, end in _periods(kind))


def test_it_finds_the_same_meetings_eligible_as_the_papers_say(papers, probes):
    found = set(Meeting.objects.filter(eligible_meetings_q(papers)).values_list("pk", flat=True))
    expected = set()
    for meeting in probes:
        first, last = timezone.localdate(meeting.start), timezone.localdate(meeting.end - timedelta(microseconds=1))
        if all(_covered(kind, first, last) for kind in ("certificate", "agreement", "authorization")):
            expected.add(meeting.pk)
    assert found == expected
    # The shapes matter: some overnight meetings are refused where morning ones on either day are not.
    assert 0 < len(found) < len(probes)


def test_it_agrees_with_missing_for_at_the_seams(papers, probes):
    found = set(Meeting.objects.filter(eligible_meetings_q(papers)).values_list("pk", flat=True))
    for meeting in probes[::5]:
        missing = missing_for(papers, level=1, start=meeting.start, end=meeting.end)
        assert (missing == []) == (meeting.pk in found), (meeting.start, meeting.end, missing)


def test_it_keeps_the_filter_small(papers):
    # One condition per window in which all three kinds overlap, never one per combination of papers.
    condition = eligible_meetings_q(papers).children[-1]
    assert len(condition.children) <= 3 * PAPERS


def test_it_shows_the_meeting_pages_to_staff_with_many_papers(client, papers, probes):
    eligible = Meeting.objects.filter(eligible_meetings_q(papers)).first()
    login_as(client, papers)
    for url in (
        "/meetings/",
        f"/meetings/?date_from={eligible.start:%Y-%m-%d}",
        f"/meetings/timeline/?date={timezone.localdate(eligible.start):%Y-%m-%d}",
        f"/meetings/{eligible.pk}/",
    ):
        assert client.get(url).status_code == 200, url
