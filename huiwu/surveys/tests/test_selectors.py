"""The figures of the reports and of a meeting's page: the satisfaction rate per month (share of 4 and 5
overall, by the month in Asia/Shanghai the answer was given), and what a meeting's page shows of its survey."""

from datetime import date

import pytest

from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.surveys.selectors import InvitationState, meeting_survey_for, satisfaction_by_month
from huiwu.testing import at


@pytest.fixture
def answers(meeting, organization):
    """answers([(moment, overall), …]): answers of the meeting given at those times, by contacts of its own."""
    from huiwu.directory.models import Contact

    def make(rows, **scores):
        made = []
        for index, (moment, overall) in enumerate(rows):
            contact = Contact.objects.create(organization=organization, name=f"联系人{index}")
            invitation = SurveyInvitation.objects.create(
                meeting=meeting,
                contact=contact,
                nonce_digest="d",
                expires_at=at("2027-01-01 00:00"),
                answered_at=moment,
            )
            values = {"venue": 4, "tea": 4, "equipment": 4, "attitude": 4} | scores
            made.append(
                SurveyAnswer.objects.create(
                    invitation=invitation, meeting=meeting, overall=overall, answered_at=moment, **values
                )
            )
        return made

    return make


def test_it_gives_the_share_of_fours_and_fives_overall(answers):
    answers([(at("2026-11-10 10:00"), score) for score in (5, 4, 3, 2, 1, 4, 5, 5)])
    [november] = satisfaction_by_month(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
    assert (november.month, november.answers, november.satisfied) == (date(2026, 11, 1), 8, 5)
    assert november.rate == 5 / 8
    assert november.percent == "62.5%"
    assert november.low == 2
    assert november.averages == {"venue": 4, "tea": 4, "equipment": 4, "attitude": 4, "overall": 3.62}


def test_it_counts_an_answer_in_the_month_of_shanghai(answers):
    # 2026-11-30 23:59 and 2026-12-01 00:00 in Shanghai are 15:59 and 16:00 UTC on 30 November.
    answers(
        [
            (at("2026-11-30 23:59"), 5),
            (at("2026-12-01 00:00"), 1),
            (at("2026-10-31 23:59"), 4),
            (at("2026-11-01 00:00"), 2),
        ]
    )
    october, november, december = satisfaction_by_month(date_from=date(2026, 10, 1), date_to=date(2026, 12, 31))
    assert (october.answers, october.rate) == (1, 1.0)
    assert (november.answers, november.rate) == (2, 0.5)
    assert (december.answers, december.rate) == (1, 0.0)


def test_it_lists_every_month_of_the_span_those_without_answers_as_none(answers):
    answers([(at("2026-09-15 10:00"), 5)])
    figures = satisfaction_by_month(date_from=date(2026, 8, 20), date_to=date(2027, 1, 3))
    assert [figure.month for figure in figures] == [
        date(2026, 8, 1),
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert [figure.rate for figure in figures] == [None, 1.0, None, None, None, None]
    assert figures[0].averages == dict.fromkeys(["venue", "tea", "equipment", "attitude", "overall"])
    assert figures[0].percent == ""


def test_it_counts_only_the_days_asked_for(answers):
    answers(
        [
            (at("2026-11-09 23:59"), 5),
            (at("2026-11-10 00:00"), 5),
            (at("2026-11-20 23:59"), 1),
            (at("2026-11-21 00:00"), 1),
        ]
    )
    [november] = satisfaction_by_month(date_from=date(2026, 11, 10), date_to=date(2026, 11, 20))
    assert (november.answers, november.satisfied) == (2, 1)


def test_it_reads_the_months_in_one_query(answers, django_assert_num_queries):
    answers([(at(f"2026-{month:02d}-05 10:00"), 4) for month in range(1, 13)])
    with django_assert_num_queries(1):
        figures = satisfaction_by_month(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert [figure.answers for figure in figures] == [1] * 12


# --- a meeting's survey ----------------------------------------------------------------------------------


def test_it_shows_staff_every_invitation_with_its_answer_and_the_averages(
    ended, offline_contact, manager, answer_with, contact
):
    SurveyInvitation.objects.create(
        meeting=ended, contact=offline_contact, nonce_digest="", expires_at=at("2026-12-03 10:30")
    )
    answer_with(SurveyInvitation.objects.get(contact=contact), venue=2, overall=5)
    survey = meeting_survey_for(manager, ended)
    assert survey.for_staff
    assert [(row.contact.name, row.state) for row in survey.invitations] == [
        ("吴磊", InvitationState.NOT_SENT),
        ("周敏", InvitationState.ANSWERED),
    ]
    assert [row.reachable for row in survey.invitations] == [False, True]
    assert survey.answered == 1
    assert survey.low
    assert survey.averages == {"venue": 2, "tea": 4, "equipment": 4, "attitude": 5, "overall": 5}


def test_it_shows_a_client_only_their_own_invitation(ended, offline_contact, client_contact):
    SurveyInvitation.objects.create(
        meeting=ended, contact=offline_contact, nonce_digest="", expires_at=at("2026-12-03 10:30")
    )
    survey = meeting_survey_for(client_contact, ended)
    assert not survey.for_staff
    assert [row.contact.name for row in survey.invitations] == ["周敏"]
    assert survey.own.state == InvitationState.OPEN
    assert survey.averages == {}


@pytest.mark.parametrize("persona", ["attendant", "reception", "security_officer", "outsider"])
def test_it_shows_nothing_to_who_reads_no_survey(ended, request, persona):
    assert meeting_survey_for(request.getfixturevalue(persona), ended) is None


def test_it_shows_nothing_to_a_client_not_invited(ended, organization):
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    colleague = user_upsert(
        username="x1", password="x" * 12, display_name="李娜", roles=[Role.CLIENT], organization=organization
    )
    assert meeting_survey_for(colleague, ended) is None


@pytest.mark.parametrize(
    ("clock", "state"),
    [("2026-12-03 10:29", InvitationState.OPEN), ("2026-12-03 10:30", InvitationState.EXPIRED)],
)
def test_it_marks_an_invitation_expired_from_its_time(ended, client_contact, frozen_now, clock, state):
    frozen_now.move_to(at(clock))
    assert meeting_survey_for(client_contact, ended).own.state == state


def test_it_reads_a_meeting_s_survey_in_a_fixed_number_of_queries(
    ended, organization, manager, django_assert_num_queries
):
    from huiwu.directory.models import Contact

    for index in range(6):
        contact = Contact.objects.create(organization=organization, name=f"联系人{index}")
        invitation = SurveyInvitation.objects.create(
            meeting=ended,
            contact=contact,
            nonce_digest="d",
            expires_at=at("2026-12-03 10:30"),
            answered_at=at("2026-11-26 10:40"),
        )
        SurveyAnswer.objects.create(
            invitation=invitation, meeting=ended, venue=4, tea=4, equipment=4, attitude=4, overall=4
        )
    manager.has_perm("surveys.view_surveyanswer")  # the permissions are cached on the user, as on any request
    with django_assert_num_queries(1):
        survey = meeting_survey_for(manager, ended)
        assert survey.answered == 6
        assert [row.scores[0].value for row in survey.invitations if row.answer_or_none] == [4] * 6
