"""The surveys on the today page: the client's meetings waiting for a rating; the manager's and the hotline's
satisfaction rate this month and the low scores of the last 7 days."""

from datetime import timedelta

import pytest

from huiwu.core.today import today_sections
from huiwu.surveys.models import SurveyInvitation
from huiwu.surveys.today import today_sections as survey_sections
from huiwu.testing import at


def _survey_section(user, role):
    return next(
        section for section in today_sections(user) if section.role == role and section.title == "Satisfaction surveys"
    )


def test_it_asks_the_client_to_rate_the_meetings_waiting(client_contact, invitation):
    section = _survey_section(client_contact, "client")
    assert section.waiting == "1 meeting to rate"
    [row] = section.lists[0].items
    assert (row.title, row.place, row.status, row.action) == ("年度工作会", "701会议室", "Please rate", "Rate")
    assert row.url == f"/surveys/meetings/{invitation.meeting_id}/"
    assert row.detail == "Open until 12-03 10:30"


def test_it_shows_the_client_no_survey_section_once_rated(client_contact, invitation, answer_with):
    answer_with(invitation)
    assert survey_sections(client_contact) == []


@pytest.mark.parametrize(("shift", "listed"), [(timedelta(minutes=-1), True), (timedelta(0), False)])
def test_it_drops_an_expired_invitation_from_the_client_s_today(client_contact, invitation, frozen_now, shift, listed):
    frozen_now.move_to(at("2026-12-03 10:30") + shift)
    assert bool(survey_sections(client_contact)) is listed


def test_it_shows_the_client_nothing_of_others(client_contact, ended, offline_contact):
    SurveyInvitation.objects.filter(contact__user=client_contact).delete()
    SurveyInvitation.objects.create(
        meeting=ended, contact=offline_contact, nonce_digest="", expires_at=at("2026-12-03 10:30")
    )
    assert survey_sections(client_contact) == []


@pytest.mark.parametrize("persona", ["manager", "hotline"])
def test_it_shows_the_rate_of_the_month_and_the_low_scores(request, persona, invitation, answer_with):
    answer_with(invitation, equipment=2, overall=4)
    section = _survey_section(request.getfixturevalue(persona), persona)
    counts = {count.label: count.value for count in section.counts}
    assert counts["Satisfaction this month (%)"] == 100
    assert counts["Answers this month"] == 1
    assert counts["Low scores, last 7 days"] == 1
    [row] = section.lists[0].items
    assert (row.title, row.detail) == ("年度工作会", "equipment support 2 · 周敏")
    assert section.waiting == "1 low score in the last 7 days"


def test_it_counts_for_the_hotline_the_links_to_send_by_hand(hotline, ended, offline_contact):
    SurveyInvitation.objects.create(
        meeting=ended, contact=offline_contact, nonce_digest="", expires_at=at("2026-12-03 10:30")
    )
    counts = {count.label: count.value for count in _survey_section(hotline, "hotline").counts}
    assert counts["Links to send by hand"] == 1
    assert "Satisfaction this month (%)" not in counts  # no answer yet: no rate to show


@pytest.mark.parametrize(("shift", "listed"), [(timedelta(days=7, minutes=-1), 1), (timedelta(days=7), 0)])
def test_it_lists_the_low_scores_of_the_last_seven_days(hotline, invitation, answer_with, frozen_now, shift, listed):
    answer_with(invitation, tea=1)
    frozen_now.move_to(at("2026-11-26 10:30") + shift)
    sections = survey_sections(hotline)
    assert (len(sections[0].lists[0].items) if sections else 0) == listed


@pytest.mark.parametrize("persona", ["team_leader", "attendant", "reception", "security_officer", "env_supervisor"])
def test_it_shows_other_staff_no_survey_section(request, persona, invitation):
    assert survey_sections(request.getfixturevalue(persona)) == []


def test_it_lists_in_a_fixed_number_of_queries(
    hotline, book, contact, frozen_now, answer_with, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiwu.surveys.services import surveys_send_due

    def count():
        with CaptureQueriesContext(connection) as queries:
            survey_sections(hotline)
        return len(queries)

    for hour in (9, 11, 13):
        book(f"2026-11-26 {hour:02d}:00", f"{hour:02d}:30", title=f"会{hour}", contact=contact)
    frozen_now.move_to(at("2026-11-26 10:00"))
    surveys_send_due()
    for invitation in SurveyInvitation.objects.all():
        answer_with(invitation, tea=2)
    survey_sections(hotline)  # the user's roles and papers are read once, then kept on the user
    one = count()
    frozen_now.move_to(at("2026-11-26 14:00"))
    surveys_send_due()
    for invitation in SurveyInvitation.objects.filter(answered_at__isnull=True):
        answer_with(invitation, tea=2)
    assert SurveyInvitation.objects.filter(answered_at__isnull=False).count() == 3
    assert count() == one


@pytest.mark.parametrize("persona", ["manager", "hotline"])
def test_it_shows_staff_no_survey_section_while_there_is_nothing_to_show(request, persona, meeting):
    assert survey_sections(request.getfixturevalue(persona)) == []
