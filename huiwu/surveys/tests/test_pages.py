"""The staff's pages (the results, a meeting's survey with its invitations and the new links) and a signed-in
client's (their own invitation, answered from the meeting's survey page); the include of a meeting's page."""

import pytest
from django.template.loader import render_to_string

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.directory.models import Organization
from huiwu.feedback.models import FollowUp
from huiwu.surveys.access import get_invitation_for_token
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.surveys.selectors import meeting_survey_for
from huiwu.testing import at, login_as

FORM = {"venue": "5", "tea": "4", "equipment": "4", "attitude": "5", "overall": "4", "comment": ""}


@pytest.fixture
def stranger(db):
    """A client contact of another organization."""
    return user_upsert(
        username="stranger",
        password="x" * 12,
        display_name="赵强",
        roles=[Role.CLIENT],
        organization=Organization.objects.create(name="别的委办局"),
    )


@pytest.fixture
def confidential(book, contact, manager, frozen_now):
    """A confidential meeting of 测试委办局 (booked by the manager) that ended at 10:00, its contact 周敏 invited at
    10:30."""
    from huiwu.surveys.services import surveys_send_due

    meeting = book("2026-11-26 09:00", "10:00", title="专题会", contact=contact, confidentiality=2, user=manager)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    return meeting


# --- the results ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "team_leader", "hotline"])
def test_it_shows_the_results_to_who_handles_feedback(client, request, persona, invitation, answer_with):
    answer_with(invitation, tea=2, overall=4, comment="茶水续得太慢")
    login_as(client, request.getfixturevalue(persona))
    response = client.get("/surveys/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-month="2026-11"' in html
    assert "100.0%" in html
    assert "茶水续得太慢" in html
    assert 'data-testid="low"' in html
    # The months before the first answer say nothing: only this one is shown.
    assert [figure.month.isoformat() for figure in response.context["figures"]] == ["2026-11-01"]


@pytest.mark.parametrize(
    "persona", ["attendant", "reception", "security_officer", "env_supervisor", "client_contact", "outsider"]
)
def test_it_refuses_the_results_to_everyone_else(client, request, persona):
    login_as(client, request.getfixturevalue(persona))
    assert client.get("/surveys/").status_code == 403


def test_it_sends_anonymous_visitors_of_the_results_to_sign_in(client, db):
    response = client.get("/surveys/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_filters_the_answers_by_month_and_low_scores(client, hotline, book, contact, frozen_now, answer_with):
    from huiwu.surveys.services import surveys_send_due

    frozen_now.move_to(at("2026-10-29 09:00"))
    first = book("2026-10-30 09:00", "10:00", title="十月的会", contact=contact)
    second = book("2026-11-26 09:00", "10:00", title="十一月的会", contact=contact)
    frozen_now.move_to(at("2026-10-31 09:00"))
    surveys_send_due()
    answer_with(SurveyInvitation.objects.get(meeting=first), overall=2)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    answer_with(SurveyInvitation.objects.get(meeting=second))
    login_as(client, hotline)

    def listed(query):
        return [answer.meeting.title for answer in client.get(f"/surveys/{query}").context["page"]]

    assert listed("") == ["十一月的会", "十月的会"]
    months = [figure.month.isoformat() for figure in client.get("/surveys/").context["figures"]]
    assert months == ["2026-11-01", "2026-10-01"]
    assert listed("?month=2026-10") == ["十月的会"]
    assert listed("?low=1") == ["十月的会"]
    assert listed("?month=2026-11&low=1") == []
    # A month that is no month reads as none.
    assert listed("?month=2026-13") == ["十一月的会", "十月的会"]
    assert listed("?month=0000-01&page=x") == ["十一月的会", "十月的会"]


def test_it_leaves_confidential_meetings_out_of_the_answers_of_who_may_not_see_them(
    client, hotline, manager, confidential, contact, answer_with
):
    answer_with(SurveyInvitation.objects.get(meeting=confidential), comment="保密意见")
    login_as(client, hotline)
    response = client.get("/surveys/")
    assert "专题会" not in response.content.decode()
    assert "保密意见" not in response.content.decode()
    # Counted all the same in the month's figure, which names no meeting.
    assert response.context["this_month"].answers == 1
    login_as(client, manager)
    assert "保密意见" in client.get("/surveys/").content.decode()


def test_it_lists_the_answers_in_a_fixed_number_of_queries(
    client, hotline, book, contact, frozen_now, answer_with, django_assert_max_num_queries
):
    from huiwu.surveys.services import surveys_send_due

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/surveys/").status_code == 200
        return len(queries)

    login_as(client, hotline)
    book("2026-11-26 09:00", "09:30", title="会0", contact=contact, setup_minutes=0, teardown_minutes=0)
    frozen_now.move_to(at("2026-11-26 12:00"))
    surveys_send_due()
    for invitation in SurveyInvitation.objects.all():
        answer_with(invitation)
    one = count_queries()
    for hour in (13, 14, 15, 16):
        book(
            f"2026-11-26 {hour}:00",
            f"{hour}:30",
            title=f"会{hour}",
            contact=contact,
            setup_minutes=0,
            teardown_minutes=0,
        )
    frozen_now.move_to(at("2026-11-26 17:00"))
    surveys_send_due()
    for invitation in SurveyInvitation.objects.filter(answered_at__isnull=True):
        answer_with(invitation)
    assert SurveyAnswer.objects.count() == 5
    assert count_queries() == one


# --- a meeting's survey, for staff ------------------------------------------------------------------------


def test_it_shows_staff_the_invitations_with_their_scores(
    client, hotline, ended, offline_contact, contact, answer_with
):
    SurveyInvitation.objects.create(
        meeting=ended, contact=offline_contact, nonce_digest="", expires_at=at("2026-12-03 10:30")
    )
    answer_with(SurveyInvitation.objects.get(contact=contact), equipment=2, comment="投影仪中途黑屏")
    login_as(client, hotline)
    response = client.get(f"/surveys/meetings/{ended.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 of 2 contacts rated the meeting." in html
    assert "投影仪中途黑屏" in html
    assert "equipment support 2" in html
    assert "Send the link" in html  # 吴磊, who has no account
    assert "No account" in html


def test_it_shows_a_new_link_to_copy_and_the_old_one_dies(client, hotline, ended, offline_contact, settings):
    settings.SITE_ROOT = "https://huiwu.example.gov.cn"
    invitation = SurveyInvitation.objects.create(
        meeting=ended, contact=offline_contact, nonce_digest="", expires_at=at("2026-12-03 10:30")
    )
    login_as(client, hotline)
    response = client.post(f"/surveys/invitations/{invitation.pk}/renew/")
    assert response.status_code == 200
    [link] = [
        line
        for line in response.content.decode().split('"')
        if line.startswith("https://huiwu.example.gov.cn/surveys/answer/")
    ]
    token = link.removeprefix("https://huiwu.example.gov.cn/surveys/answer/").removesuffix("/")
    assert get_invitation_for_token(token) == invitation
    assert 'data-testid="new-link"' in response.content.decode()
    second = client.post(f"/surveys/invitations/{invitation.pk}/renew/")
    assert second.status_code == 200
    from huiwu.surveys.access import LinkRefused

    with pytest.raises(LinkRefused):
        get_invitation_for_token(token)


def test_it_sends_a_new_link_for_seven_days_from_now(client, hotline, ended, offline_contact, frozen_now):
    invitation = SurveyInvitation.objects.create(
        meeting=ended,
        contact=offline_contact,
        nonce_digest="",
        sent_at=at("2026-11-26 10:30"),
        expires_at=at("2026-12-03 10:30"),
    )
    frozen_now.move_to(at("2026-12-05 09:00"))
    login_as(client, hotline)
    client.post(f"/surveys/invitations/{invitation.pk}/renew/")
    invitation.refresh_from_db()
    assert (invitation.sent_at, invitation.expires_at) == (at("2026-12-05 09:00"), at("2026-12-12 09:00"))


def test_it_puts_the_new_link_in_the_inbox_of_a_contact_with_an_account(client, hotline, invitation, client_contact):
    login_as(client, hotline)
    client.post(f"/surveys/invitations/{invitation.pk}/renew/")
    old, new = client_contact.notifications.filter(kind="survey").order_by("pk")
    assert old.url != new.url
    token = new.url.removeprefix("/surveys/answer/").removesuffix("/")
    assert get_invitation_for_token(token) == invitation


def test_it_refuses_a_new_link_for_an_answered_invitation(client, hotline, invitation, answer_with):
    answer_with(invitation)
    digest = SurveyInvitation.objects.get().nonce_digest
    login_as(client, hotline)
    response = client.post(f"/surveys/invitations/{invitation.pk}/renew/", follow=True)
    assert "You have already rated this meeting." in response.content.decode()
    assert SurveyInvitation.objects.get().nonce_digest == digest


@pytest.mark.parametrize("persona", ["attendant", "reception", "env_supervisor"])
def test_it_refuses_the_meeting_survey_to_staff_without_the_results(client, request, persona, invitation):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(f"/surveys/meetings/{invitation.meeting_id}/").status_code == 403
    assert client.post(f"/surveys/invitations/{invitation.pk}/renew/").status_code == 404


def test_it_refuses_a_new_link_to_the_client(client, client_contact, invitation):
    digest = invitation.nonce_digest
    login_as(client, client_contact)
    assert client.post(f"/surveys/invitations/{invitation.pk}/renew/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.nonce_digest == digest


def test_it_hides_a_confidential_meeting_s_survey_from_who_may_not_see_it(client, hotline, manager, confidential):
    invitation = SurveyInvitation.objects.get(meeting=confidential)
    login_as(client, hotline)
    assert client.get(f"/surveys/meetings/{confidential.pk}/").status_code == 404
    assert client.post(f"/surveys/invitations/{invitation.pk}/renew/").status_code == 404
    login_as(client, manager)
    assert client.get(f"/surveys/meetings/{confidential.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/surveys/meetings/99999999999999999999999/", "/surveys/meetings/0/"])
def test_it_answers_404_for_meetings_that_cannot_exist(client, hotline, path):
    login_as(client, hotline)
    assert client.get(path).status_code == 404


# --- a meeting's survey, for the client ---------------------------------------------------------------------


def test_it_lets_the_client_answer_their_own_invitation_signed_in(client, client_contact, invitation):
    login_as(client, client_contact)
    page = client.get(f"/surveys/meetings/{invitation.meeting_id}/")
    assert page.status_code == 200
    assert 'data-testid="survey-form"' in page.content.decode()
    response = client.post(f"/surveys/meetings/{invitation.meeting_id}/answer/", FORM | {"attitude": "1"}, follow=True)
    assert "Thank you for your rating!" in response.content.decode()
    assert "Rated, thank you." in response.content.decode()
    assert SurveyAnswer.objects.get().invitation == invitation
    assert FollowUp.objects.get().answer.invitation == invitation


def test_it_answers_the_client_once_signed_in_too(client, client_contact, invitation, answer_with):
    answer_with(invitation)
    login_as(client, client_contact)
    response = client.post(f"/surveys/meetings/{invitation.meeting_id}/answer/", FORM, follow=True)
    assert "You have already rated this meeting." in response.content.decode()
    assert SurveyAnswer.objects.count() == 1


def test_it_refuses_a_score_out_of_range_signed_in(client, client_contact, invitation):
    login_as(client, client_contact)
    response = client.post(f"/surveys/meetings/{invitation.meeting_id}/answer/", FORM | {"overall": "7"})
    assert response.status_code == 200
    assert "Choose a score from 1 to 5." in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_it_hides_the_survey_from_a_client_of_another_organization(client, stranger, invitation):
    login_as(client, stranger)
    assert client.get(f"/surveys/meetings/{invitation.meeting_id}/").status_code == 404
    assert client.post(f"/surveys/meetings/{invitation.meeting_id}/answer/", FORM).status_code == 404
    assert not SurveyAnswer.objects.exists()


def test_it_hides_the_survey_from_a_colleague_not_invited(client, organization, invitation):
    colleague = user_upsert(
        username="x1", password="x" * 12, display_name="李娜", roles=[Role.CLIENT], organization=organization
    )
    login_as(client, colleague)
    assert client.get(f"/surveys/meetings/{invitation.meeting_id}/").status_code == 404
    assert client.post(f"/surveys/meetings/{invitation.meeting_id}/answer/", FORM).status_code == 404


def test_it_lets_no_staff_answer_for_a_client(client, hotline, invitation):
    login_as(client, hotline)
    assert client.post(f"/surveys/meetings/{invitation.meeting_id}/answer/", FORM).status_code == 404
    assert not SurveyAnswer.objects.exists()


# --- the include of a meeting's page --------------------------------------------------------------------


def _included(user, meeting) -> str:
    return render_to_string("surveys/_meeting_survey.html", {"meeting_survey": meeting_survey_for(user, meeting)})


def test_it_asks_the_client_to_rate_on_the_meeting_s_page(client_contact, invitation):
    html = _included(client_contact, invitation.meeting)
    assert "Please rate this meeting" in html
    assert f'href="/surveys/meetings/{invitation.meeting_id}/"' in html


def test_it_thanks_the_client_who_rated_on_the_meeting_s_page(client_contact, invitation, answer_with):
    answer_with(invitation)
    html = _included(client_contact, invitation.meeting)
    assert "Rated, thank you." in html
    assert "Please rate this meeting" not in html


def test_it_shows_staff_the_scores_summary_on_the_meeting_s_page(hotline, invitation, answer_with):
    answer_with(invitation, venue=2)
    html = _included(hotline, invitation.meeting)
    assert "1 of 1 contact rated the meeting." in html
    assert "Low score" in html
    assert "venue arrangement 2.0" in html
    assert f'href="/surveys/meetings/{invitation.meeting_id}/"' in html


def test_it_tells_staff_when_nobody_is_invited_yet(hotline, meeting):
    assert "the client contacts are invited when the meeting ends" in _included(hotline, meeting)


@pytest.mark.parametrize("persona", ["attendant", "outsider"])
def test_it_shows_nothing_on_the_meeting_s_page_to_who_reads_no_survey(request, persona, invitation):
    assert _included(request.getfixturevalue(persona), invitation.meeting).strip() == ""


def test_it_marks_the_replaced_link_s_notification_read(client, hotline, invitation, client_contact):
    login_as(client, hotline)
    client.post(f"/surveys/invitations/{invitation.pk}/renew/")
    old, new = client_contact.notifications.filter(kind="survey").order_by("pk")
    assert old.read_at is not None
    assert new.read_at is None
