"""The link a contact opens on a phone without signing in: the meeting and the five rows of scores, then the
thanks page; every link that takes no answer is refused with a page saying why (and a 4xx)."""

import pytest
from django.test import Client

from huiwu.feedback.models import FollowUp
from huiwu.surveys.models import SurveyAnswer
from huiwu.surveys.services import survey_link_renew
from huiwu.testing import at, login_as

FORM = {"venue": "5", "tea": "4", "equipment": "4", "attitude": "5", "overall": "4", "comment": "服务周到"}


def test_it_shows_the_meeting_and_the_form_without_signing_in(client, link):
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "年度工作会" in html
    assert "701会议室" in html
    assert "Dear 周敏" in html
    for aspect in ("venue", "tea", "equipment", "attitude", "overall"):
        assert f'data-testid="score-{aspect}"' in html
    # An answer is never a default: no score is chosen before the contact chooses it.
    assert " checked" not in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_keeps_the_link_out_of_caches_and_search_engines(client, link):
    response = client.get(link)
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    # Sent on to Huiwu itself only: the form's POST carries its own origin, which the CSRF check wants.
    assert response["Referrer-Policy"] == "same-origin"


def test_it_records_the_answer_and_thanks_the_contact(client, link, invitation):
    response = client.post(link, FORM)
    assert response.status_code == 200
    assert "Thank you for your rating!" in response.content.decode()
    answer = SurveyAnswer.objects.get()
    assert (answer.invitation, answer.overall, answer.comment) == (invitation, 4, "服务周到")


def test_it_still_checks_the_csrf_token_without_signing_in(link):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(link, FORM).status_code == 403
    assert not SurveyAnswer.objects.exists()
    page = strict.get(link)
    token = page.cookies["csrftoken"].value
    assert strict.post(link, FORM | {"csrfmiddlewaretoken": token}).status_code == 200
    assert SurveyAnswer.objects.count() == 1


def test_it_says_a_second_visit_was_answered(client, link):
    client.post(link, FORM)
    response = client.get(link)
    assert response.status_code == 410
    html = response.content.decode()
    assert "You have already rated this meeting. Thank you!" in html
    assert "年度工作会" not in html


def test_it_answers_a_double_submit_once(client, link):
    assert client.post(link, FORM).status_code == 200
    second = client.post(link, FORM | {"overall": "1"})
    assert second.status_code == 410
    assert SurveyAnswer.objects.get().overall == 4
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"overall": "0"},
        {"overall": "6"},
        {"venue": ""},
        {"tea": "abc"},
        {"equipment": "4.5"},
        {"attitude": "99999999999999999999"},
    ],
)
def test_it_refuses_a_score_out_of_range_and_keeps_the_others(client, link, change):
    response = client.post(link, FORM | change)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a score from 1 to 5." in html
    assert not SurveyAnswer.objects.exists()
    # What was chosen stays chosen.
    assert 'value="5" autocomplete="off" checked' in html


def test_it_refuses_a_missing_row(client, link):
    form = dict(FORM)
    del form["attitude"]
    response = client.post(link, form)
    assert response.status_code == 200
    assert "Please choose a score in every row." in response.content.decode()


def test_it_refuses_control_characters_in_the_comment(client, link):
    response = client.post(link, FORM | {"comment": "好\x07"})
    assert "Remove the control or text-direction characters" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_it_opens_a_follow_up_for_a_low_score_and_says_the_hotline_will_call(client, link):
    response = client.post(link, FORM | {"tea": "2", "comment": "茶水续得太慢"})
    assert "the service hotline will call you" in response.content.decode()
    follow_up = FollowUp.objects.get()
    assert (follow_up.source, follow_up.client_note) == ("low_score", "茶水续得太慢")


def test_it_opens_no_follow_up_for_a_three(client, link):
    response = client.post(link, FORM | {"tea": "3"})
    assert "the service hotline will call you" not in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("token", ["x", "eyJpIjoxLCJuIjoieCJ9:abc", "a" * 400])
def test_it_refuses_a_forged_link_with_404(client, invitation, token):
    response = client.get(f"/surveys/answer/{token}/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.post(f"/surveys/answer/{token}/", FORM).status_code == 404
    assert not SurveyAnswer.objects.exists()


def test_it_refuses_a_tampered_link_with_404(client, link):
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert client.get(tampered).status_code == 404
    assert client.post(tampered, FORM).status_code == 404
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize(
    ("clock", "status"), [("2026-12-03 10:29", 200), ("2026-12-03 10:30", 410), ("2026-12-03 10:31", 410)]
)
def test_it_refuses_an_expired_link_from_its_time(client, link, frozen_now, clock, status):
    frozen_now.move_to(at(clock))
    response = client.get(link)
    assert response.status_code == status
    if status == 410:
        assert "This link has expired" in response.content.decode()
        assert client.post(link, FORM).status_code == 410
        assert not SurveyAnswer.objects.exists()


def test_it_refuses_the_old_link_once_a_new_one_was_sent(client, link, invitation, hotline):
    survey_link_renew(user=hotline, invitation=invitation)
    response = client.get(link)
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    assert client.post(link, FORM).status_code == 410


def test_it_refuses_the_link_of_a_cancelled_meeting(client, link, invitation, hotline):
    from huiwu.meetings.services import meeting_cancel

    meeting_cancel(user=hotline, meeting=invitation.meeting, reason="领导临时出差")
    response = client.get(link)
    assert response.status_code == 410
    assert "This meeting was cancelled" in response.content.decode()


def test_it_refuses_in_the_visitor_s_language(client, link, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.post(link, FORM)
    response = client.get(link, headers={"Accept-Language": "zh-CN"})
    assert "已提交过评价，感谢！" in response.content.decode()


def test_it_shows_a_confidential_meeting_by_its_busy_block_only(client, book, contact, client_contact, frozen_now):
    from huiwu.surveys.services import surveys_send_due

    book("2026-11-26 09:00", "10:00", title="专题会", contact=contact, confidentiality=1)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    link = client_contact.notifications.get(kind="survey").url
    html = client.get(link, headers={"Accept-Language": "zh-CN"}).content.decode()
    assert "专题会" not in html
    assert "保密会议" in html
    assert "701会议室" in html
    # Signed in as the contact, who may see their organization's meeting, the holder reads its title.
    login_as(client, client_contact)
    assert "专题会" in client.get(link).content.decode()
