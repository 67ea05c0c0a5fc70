"""The survey over JSON: the staff's figures and answers, a meeting's survey, a new link, and the link itself,
read and answered without authentication."""

import json

import pytest
from django.test import Client

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.directory.models import Organization
from huiwu.feedback.models import FollowUp
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.testing import at

BODY = {"venue": 5, "tea": 4, "equipment": 4, "attitude": 5, "overall": 4, "comment": "服务周到"}


def _token(link: str) -> str:
    return link.removeprefix("/surveys/answer/").removesuffix("/")


def _public(method: str, path: str, body=None):
    """A call without any credentials, as a contact's phone makes it."""
    if method == "get":
        return Client().get(f"/api/v1{path}")
    return Client().post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


# --- the link, without authentication ----------------------------------------------------------------------


def test_it_tells_what_a_link_is_about(link, invitation):
    response = _public("get", f"/surveys/answer/{_token(link)}")
    assert response.status_code == 200
    assert response.json() == {
        "meeting": {
            "title": "年度工作会",
            "start": "2026-11-26T09:00:00+08:00",
            "end": "2026-11-26T10:00:00+08:00",
            "room": "701会议室",
        },
        "contact": "周敏",
        "state": "open",
        "open": True,
        "expires_at": "2026-12-03T10:30:00+08:00",
    }


def test_it_answers_through_the_link_once(link, invitation):
    response = _public("post", f"/surveys/answer/{_token(link)}", BODY)
    assert response.status_code == 201
    assert response.json() == {
        "scores": {"venue": 5, "tea": 4, "equipment": 4, "attitude": 5, "overall": 4},
        "comment": "服务周到",
        "low": False,
        "answered_at": "2026-11-26T10:30:00+08:00",
    }
    second = _public("post", f"/surveys/answer/{_token(link)}", BODY | {"overall": 1})
    assert second.status_code == 410
    assert second.json() == {"code": "already_answered", "message": "You have already rated this meeting. Thank you!"}
    assert SurveyAnswer.objects.get().overall == 4
    described = _public("get", f"/surveys/answer/{_token(link)}").json()
    assert (described["state"], described["open"]) == ("answered", False)


def test_it_opens_a_follow_up_for_a_low_score_through_the_api(link):
    response = _public("post", f"/surveys/answer/{_token(link)}", BODY | {"attitude": 2})
    assert response.json()["low"] is True
    assert FollowUp.objects.get().answer == SurveyAnswer.objects.get()


def test_it_opens_no_follow_up_for_a_three_through_the_api(link):
    response = _public("post", f"/surveys/answer/{_token(link)}", BODY | {"attitude": 3})
    assert response.json()["low"] is False
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"overall": 0}, "overall"),
        ({"overall": 6}, "overall"),
        ({"venue": True}, "venue"),
        ({"tea": "五"}, "tea"),
        ({"equipment": 4.5}, "equipment"),
        ({"attitude": None}, "attitude"),
        ({"comment": "长" * 2001}, "comment"),
        ({"comment": "好\u202e"}, "comment"),
        ({"mood": "好"}, "mood"),
    ],
)
def test_it_refuses_bad_scores_with_422_and_saves_nothing(link, change, field):
    response = _public("post", f"/surveys/answer/{_token(link)}", BODY | change)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    assert not SurveyAnswer.objects.exists()


def test_it_refuses_a_missing_score_with_422(link):
    body = dict(BODY)
    del body["overall"]
    response = _public("post", f"/surveys/answer/{_token(link)}", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {"overall": ["This field is required."]}


def test_it_refuses_a_body_that_is_not_json_with_400(link):
    response = Client().post(f"/api/v1/surveys/answer/{_token(link)}", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize("token", ["x", "eyJpIjoxLCJuIjoieCJ9:abc:def"])
def test_it_refuses_a_forged_token_with_404(invitation, token):
    for method in ("get", "post"):
        response = _public(method, f"/surveys/answer/{token}", BODY)
        assert response.status_code == 404
        assert response.json() == {
            "code": "link_invalid",
            "message": "This link is not valid",
        }
    assert not SurveyAnswer.objects.exists()


def test_it_refuses_a_tampered_token_with_404(link):
    token = _token(link)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert _public("post", f"/surveys/answer/{tampered}", BODY).status_code == 404
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize(("clock", "status"), [("2026-12-03 10:29", 201), ("2026-12-03 10:30", 410)])
def test_it_refuses_an_expired_link_with_410(link, frozen_now, clock, status):
    frozen_now.move_to(at(clock))
    response = _public("post", f"/surveys/answer/{_token(link)}", BODY)
    assert response.status_code == status
    if status == 410:
        assert response.json()["code"] == "link_expired"
        described = _public("get", f"/surveys/answer/{_token(link)}").json()
        assert (described["state"], described["open"]) == ("expired", False)


def test_it_refuses_a_replaced_link_with_410(link, invitation, hotline, api):
    api(hotline, "post", f"/survey-invitations/{invitation.pk}/renew")
    for method in ("get", "post"):
        response = _public(method, f"/surveys/answer/{_token(link)}", BODY)
        assert response.status_code == 410
        assert response.json()["code"] == "link_replaced"


def test_it_names_a_confidential_meeting_by_its_busy_block_behind_its_link(
    book, contact, client_contact, manager, frozen_now
):
    from huiwu.surveys.services import surveys_send_due

    book("2026-11-26 09:00", "10:00", title="专题会", contact=contact, confidentiality=1, user=manager)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    link = client_contact.notifications.get(kind="survey").url
    meeting = _public("get", f"/surveys/answer/{_token(link)}").json()["meeting"]
    assert (meeting["title"], meeting["room"]) == ("Confidential meeting", "701会议室")


# --- staff ---------------------------------------------------------------------------------------------------


def test_it_gives_the_monthly_figures(api, hotline, invitation, answer_with, frozen_now):
    answer_with(invitation, overall=5)
    response = api(hotline, "get", "/surveys/monthly", {"date_from": "2026-10-01", "date_to": "2026-11-30"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "month": "2026-10",
            "answers": 0,
            "satisfied": 0,
            "rate": None,
            "low": 0,
            "averages": {"venue": None, "tea": None, "equipment": None, "attitude": None, "overall": None},
        },
        {
            "month": "2026-11",
            "answers": 1,
            "satisfied": 1,
            "rate": 1.0,
            "low": 0,
            "averages": {"venue": 5.0, "tea": 4.0, "equipment": 4.0, "attitude": 5.0, "overall": 5.0},
        },
    ]


def test_it_gives_twelve_months_by_default(api, manager, frozen_now):
    months = [row["month"] for row in api(manager, "get", "/surveys/monthly").json()]
    assert (len(months), months[0], months[-1]) == (12, "2025-12", "2026-11")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2026-11-02", "date_to": "2026-11-01"}, "date_to"),
        ({"date_from": "2016-11-01", "date_to": "2026-11-01"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_from": "2026-13-01"}, "date_from"),
    ],
)
def test_it_refuses_a_span_that_makes_no_sense_with_422(api, manager, query, field):
    response = api(manager, "get", "/surveys/monthly", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_it_takes_a_span_of_ten_years(api, manager):
    response = api(manager, "get", "/surveys/monthly", {"date_from": "2016-12-01", "date_to": "2026-11-30"})
    assert len(response.json()) == 120


def test_it_lists_the_answers_with_their_scores(api, team_leader, invitation, answer_with):
    answer_with(invitation, tea=2, comment="茶水续得太慢")
    response = api(team_leader, "get", "/survey-answers", {"low": "true"})
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["meeting"]["title"] == "年度工作会"
    assert item["meeting"]["room"] == {"code": "701", "name": "701会议室"}
    assert item["contact"]["name"] == "周敏"
    assert item["scores"]["tea"] == 2
    assert (item["low"], item["comment"]) == (True, "茶水续得太慢")
    assert api(team_leader, "get", "/survey-answers", {"meeting": invitation.meeting_id + 1}).json()["count"] == 0


def test_it_gives_staff_a_meeting_s_survey(api, hotline, invitation, answer_with):
    answer_with(invitation)
    survey = api(hotline, "get", f"/meetings/{invitation.meeting_id}/survey").json()
    [row] = survey["invitations"]
    assert (row["contact"]["name"], row["state"], row["has_account"]) == ("周敏", "answered", True)
    assert row["answer"]["scores"]["overall"] == 4
    assert survey["answered"] == 1
    assert survey["averages"]["venue"] == 5


def test_it_gives_a_client_their_own_invitation_without_the_averages(api, client_contact, invitation, offline_contact):
    SurveyInvitation.objects.create(
        meeting=invitation.meeting, contact=offline_contact, nonce_digest="", expires_at=at("2026-12-03 10:30")
    )
    survey = api(client_contact, "get", f"/meetings/{invitation.meeting_id}/survey").json()
    assert [row["contact"]["name"] for row in survey["invitations"]] == ["周敏"]
    assert survey["averages"] is None


def test_it_sends_a_new_link_through_the_api(api, hotline, invitation, settings):
    settings.SITE_ROOT = "https://huiwu.example.gov.cn"
    response = api(hotline, "post", f"/survey-invitations/{invitation.pk}/renew")
    assert response.status_code == 200
    body = response.json()
    assert body["link"].startswith("https://huiwu.example.gov.cn/surveys/answer/")
    assert body["invitation"]["expires_at"] == "2026-12-03T10:30:00+08:00"
    token = body["link"].removeprefix("https://huiwu.example.gov.cn/surveys/answer/").removesuffix("/")
    assert _public("get", f"/surveys/answer/{token}").json()["open"] is True


def test_it_refuses_a_new_link_for_an_answered_invitation_with_422(api, hotline, invitation, answer_with):
    answer_with(invitation)
    response = api(hotline, "post", f"/survey-invitations/{invitation.pk}/renew")
    assert response.status_code == 422
    assert response.json()["message"] == "You have already rated this meeting. Thank you!"


@pytest.mark.parametrize("persona", ["attendant", "reception", "security_officer", "client_contact", "outsider"])
def test_it_refuses_the_results_to_who_does_not_handle_feedback(api, request, persona, invitation):
    user = request.getfixturevalue(persona)
    for path in ("/surveys/monthly", "/survey-answers"):
        response = api(user, "get", path)
        assert response.status_code == 403
        assert response.json()["roles"] == ["manager", "team_leader", "hotline"]


def test_it_refuses_a_new_link_to_the_client_and_staff_without_the_results(api, client_contact, attendant, invitation):
    assert api(client_contact, "post", f"/survey-invitations/{invitation.pk}/renew").status_code == 403
    assert api(attendant, "post", f"/survey-invitations/{invitation.pk}/renew").status_code == 404
    assert api(attendant, "get", f"/meetings/{invitation.meeting_id}/survey").status_code == 403


def test_it_hides_a_meeting_s_survey_from_a_client_of_another_organization(api, invitation):
    stranger = user_upsert(
        username="stranger",
        password="x" * 12,
        display_name="赵强",
        roles=[Role.CLIENT],
        organization=Organization.objects.create(name="别的委办局"),
    )
    assert api(stranger, "get", f"/meetings/{invitation.meeting_id}/survey").status_code == 404
    assert api(stranger, "post", f"/survey-invitations/{invitation.pk}/renew").status_code == 404


def test_it_hides_a_confidential_meeting_s_survey_from_who_may_not_see_it(
    api, book, contact, manager, hotline, frozen_now
):
    from huiwu.surveys.services import surveys_send_due

    meeting = book("2026-11-26 09:00", "10:00", title="专题会", contact=contact, confidentiality=2, user=manager)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    invitation = SurveyInvitation.objects.get(meeting=meeting)
    assert api(hotline, "get", f"/meetings/{meeting.pk}/survey").status_code == 404
    assert api(hotline, "post", f"/survey-invitations/{invitation.pk}/renew").status_code == 404
    assert api(manager, "get", f"/meetings/{meeting.pk}/survey").status_code == 200


@pytest.mark.parametrize("invitation_id", ["0", "99999999999999999999"])
def test_it_answers_404_for_invitations_that_cannot_exist(api, hotline, invitation_id):
    assert api(hotline, "post", f"/survey-invitations/{invitation_id}/renew").status_code == 404


def test_it_lists_the_answers_in_a_fixed_number_of_queries(api, hotline, book, contact, frozen_now, answer_with):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huiwu.surveys.services import surveys_send_due

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api(hotline, "get", "/survey-answers").status_code == 200
        return len(queries)

    api(hotline, "get", "/survey-answers")  # the token is made and the permissions read once
    for hour in (9, 11, 13, 15):
        book(f"2026-11-26 {hour:02d}:00", f"{hour:02d}:30", title=f"会{hour}", contact=contact)
    frozen_now.move_to(at("2026-11-26 10:00"))
    surveys_send_due()
    answer_with(SurveyInvitation.objects.get())
    one = count()
    frozen_now.move_to(at("2026-11-26 16:00"))
    surveys_send_due()
    for invitation in SurveyInvitation.objects.filter(answered_at__isnull=True):
        answer_with(invitation)
    assert count() == one
