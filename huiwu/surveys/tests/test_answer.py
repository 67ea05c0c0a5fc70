"""Answering: five scores from 1 to 5 and a comment, once per meeting and contact; any score of 2 or lower opens
a follow-up for the hotline (not a complaint)."""

import pytest
from django.core.exceptions import ValidationError

from huiwu.feedback.models import Complaint, FollowUp
from huiwu.security.models import AuditEntry
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.surveys.services import survey_answer
from huiwu.testing import at

from .conftest import SCORES


def test_it_records_the_answer_and_uses_up_the_invitation(invitation, answer_with):
    answer = answer_with(invitation, comment="  茶水及时，服务周到。 ")
    answer.refresh_from_db()
    invitation.refresh_from_db()
    assert (answer.venue, answer.tea, answer.equipment, answer.attitude, answer.overall) == (5, 4, 4, 5, 4)
    assert answer.comment == "茶水及时，服务周到。"
    assert answer.meeting == invitation.meeting
    assert answer.answered_at == invitation.answered_at == at("2026-11-26 10:30")


def test_it_answers_once_per_meeting_and_contact(invitation, answer_with):
    answer_with(invitation)
    with pytest.raises(ValidationError) as refused:
        answer_with(invitation, overall=1)
    assert refused.value.code == "already_answered"
    assert refused.value.messages == ["You have already rated this meeting. Thank you!"]
    assert SurveyAnswer.objects.get().overall == 4
    assert not FollowUp.objects.exists()


def test_it_answers_a_double_submit_once(invitation):
    # Two requests read the same open invitation before either writes: the second's compare-and-set fails.
    first, second = SurveyInvitation.objects.get(pk=invitation.pk), SurveyInvitation.objects.get(pk=invitation.pk)
    survey_answer(invitation=first, **SCORES)
    with pytest.raises(ValidationError, match="already rated"):
        survey_answer(invitation=second, **SCORES)
    assert SurveyAnswer.objects.count() == 1


def test_it_refuses_an_answer_after_the_link_expired(invitation, answer_with, frozen_now):
    frozen_now.move_to(at("2026-12-03 10:30"))
    with pytest.raises(ValidationError) as refused:
        answer_with(invitation)
    assert refused.value.code == "link_expired"
    assert not SurveyAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_it_takes_an_answer_the_minute_before_the_link_expires(invitation, answer_with, frozen_now):
    frozen_now.move_to(at("2026-12-03 10:29"))
    assert answer_with(invitation).answered_at == at("2026-12-03 10:29")


@pytest.mark.parametrize("value", [0, 6, -1, True, "5", 4.0, None])
@pytest.mark.parametrize("aspect", ["venue", "overall"])
def test_it_refuses_a_score_out_of_one_to_five(invitation, answer_with, aspect, value):
    with pytest.raises(ValidationError) as refused:
        answer_with(invitation, **{aspect: value})
    assert refused.value.message_dict == {aspect: ["Choose a score from 1 to 5."]}
    assert not SurveyAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize(
    ("comment", "message"),
    [("长" * 2001, "At most 2000 characters."), ("好\x00", "Remove the control or text-direction characters")],
)
def test_it_refuses_a_comment_too_long_or_with_control_characters(invitation, answer_with, comment, message):
    with pytest.raises(ValidationError) as refused:
        answer_with(invitation, comment=comment)
    assert refused.value.message_dict["comment"][0].startswith(message)
    assert not SurveyAnswer.objects.exists()


def test_it_takes_a_comment_of_the_longest_length(invitation, answer_with):
    assert len(answer_with(invitation, comment="长" * 2000).comment) == 2000


@pytest.mark.parametrize("aspect", ["venue", "tea", "equipment", "attitude", "overall"])
@pytest.mark.parametrize("score", [1, 2])
def test_it_opens_a_follow_up_for_a_score_of_two_or_lower(invitation, answer_with, aspect, score, organization):
    answer = answer_with(invitation, **{aspect: score}, comment="投影仪中途黑屏两次")
    follow_up = FollowUp.objects.get()
    assert follow_up.source == FollowUp.Source.LOW_SCORE
    assert follow_up.answer == answer
    assert (follow_up.meeting, follow_up.organization) == (invitation.meeting, organization)
    assert follow_up.client_note == "投影仪中途黑屏两次"
    assert follow_up.is_open
    assert not Complaint.objects.exists()


def test_it_opens_no_follow_up_for_a_three(invitation, answer_with):
    answer_with(invitation, venue=3, tea=3, equipment=3, attitude=3, overall=3)
    assert not FollowUp.objects.exists()


def test_it_names_the_low_scores_and_the_meeting_in_the_follow_up(invitation, answer_with):
    answer_with(invitation, equipment=2, overall=1)
    summary = FollowUp.objects.get().summary
    meeting = "年度工作会 · November 26 09:00–10:00 · 701会议室"
    assert summary == f"Low satisfaction scores from 周敏 (equipment support 2, overall 1): {meeting}"


def test_it_tells_the_hotline_of_the_follow_up(invitation, answer_with, hotline):
    from huiwu.notify.services import deadlines_process

    answer_with(invitation, tea=2)
    deadlines_process()
    assert hotline.notifications.filter(kind="follow_up").exists()


def test_it_audits_the_answer_to_a_confidential_meeting(book, contact, client_contact, frozen_now, answer_with):
    from huiwu.surveys.services import surveys_send_due

    meeting = book("2026-11-26 09:00", "10:00", title="专题会", contact=contact, confidentiality=1, user=None)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    answer_with(SurveyInvitation.objects.get(meeting=meeting))
    entries = AuditEntry.objects.filter(subject_type="meeting", subject_id=meeting.pk, user=client_contact)
    assert list(entries.values_list("action", flat=True)) == [AuditEntry.Action.CHANGE]


def test_it_marks_the_contact_s_survey_notification_read_once_answered(invitation, answer_with, client_contact):
    notice = client_contact.notifications.get(kind="survey")
    assert notice.read_at is None
    answer_with(invitation)
    notice.refresh_from_db()
    assert notice.read_at == at("2026-11-26 10:30")


def test_it_refuses_an_answer_once_the_meeting_was_cancelled(invitation, answer_with, hotline):
    from huiwu.meetings.services import meeting_cancel

    meeting_cancel(user=hotline, meeting=invitation.meeting, reason="领导临时出差")
    with pytest.raises(ValidationError) as refused:
        answer_with(invitation)
    assert refused.value.code == "meeting_cancelled"
    assert not SurveyAnswer.objects.exists()


def test_it_names_a_confidential_meeting_by_its_busy_block_in_the_follow_up(
    book, contact, manager, frozen_now, answer_with
):
    from huiwu.surveys.services import surveys_send_due

    meeting = book("2026-11-26 09:00", "10:00", title="专题会", contact=contact, confidentiality=1, user=manager)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    answer_with(SurveyInvitation.objects.get(meeting=meeting), tea=1)
    summary = FollowUp.objects.get().summary
    assert "专题会" not in summary
    assert summary.endswith("Confidential meeting · November 26 09:00–10:00 · 701会议室")
