"""The worker's sweep (`surveys_send_due`, each pass of `huiwu worker`): every confirmed meeting that ended within
the last SURVEY_LINK_DAYS (7) days invites its client contacts once — its own contact and its organizer's
contacts with an account, each of those told in their inbox with the link."""

from datetime import timedelta

import pytest

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.directory.models import Contact, Organization
from huiwu.meetings.services import meeting_cancel
from huiwu.notify.models import Kind, Notification
from huiwu.service.services import assignment_add, meeting_end, meeting_start
from huiwu.surveys.models import SurveyInvitation
from huiwu.surveys.selectors import meetings_to_survey, survey_invitees
from huiwu.surveys.services import _invite, surveys_send_due
from huiwu.testing import at


def _invited(meeting) -> list[str]:
    return sorted(SurveyInvitation.objects.filter(meeting=meeting).values_list("contact__name", flat=True))


@pytest.fixture
def serving(meeting, team_leader, attendant):
    """The attendant serves the meeting (so may record its start and end)."""
    assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
    return attendant


# --- when a meeting has ended -------------------------------------------------------------------------


@pytest.mark.parametrize(("clock", "invited"), [("09:59", False), ("10:00", True), ("10:01", True)])
def test_it_invites_when_the_planned_end_passed_and_nobody_recorded_the_start(meeting, frozen_now, clock, invited):
    frozen_now.move_to(at(f"2026-11-26 {clock}"))
    surveys_send_due()
    assert _invited(meeting) == (["周敏"] if invited else [])


def test_it_invites_at_the_end_the_service_recorded_before_the_planned_one(meeting, serving, frozen_now):
    frozen_now.move_to(at("2026-11-26 09:00"))
    meeting_start(user=serving, meeting=meeting)
    frozen_now.move_to(at("2026-11-26 09:40"))
    surveys_send_due()
    assert _invited(meeting) == []
    meeting_end(user=serving, meeting=meeting)
    surveys_send_due()
    assert _invited(meeting) == ["周敏"]
    assert SurveyInvitation.objects.get().sent_at == at("2026-11-26 09:40")


@pytest.mark.parametrize(("clock", "invited"), [("10:00", False), ("11:59", False), ("12:00", True)])
def test_it_waits_two_hours_past_the_planned_end_for_a_started_meeting_running_late(
    meeting, serving, frozen_now, clock, invited
):
    frozen_now.move_to(at("2026-11-26 09:00"))
    meeting_start(user=serving, meeting=meeting)
    frozen_now.move_to(at(f"2026-11-26 {clock}"))
    surveys_send_due()
    assert _invited(meeting) == (["周敏"] if invited else [])


def test_it_invites_a_meeting_running_late_at_its_recorded_end(meeting, serving, frozen_now):
    frozen_now.move_to(at("2026-11-26 09:00"))
    meeting_start(user=serving, meeting=meeting)
    frozen_now.move_to(at("2026-11-26 10:45"))
    meeting_end(user=serving, meeting=meeting)
    surveys_send_due()
    assert _invited(meeting) == ["周敏"]


@pytest.mark.parametrize(("shift", "invited"), [(timedelta(minutes=-1), True), (timedelta(0), False)])
def test_it_invites_no_meeting_that_ended_seven_days_ago_or_more(meeting, frozen_now, shift, invited):
    frozen_now.move_to(at("2026-12-03 10:00") + shift)
    surveys_send_due()
    assert _invited(meeting) == (["周敏"] if invited else [])


@pytest.mark.parametrize(("shift", "invited"), [(timedelta(minutes=-1), True), (timedelta(0), False)])
def test_it_invites_no_meeting_the_service_ended_seven_days_ago_or_more(meeting, serving, frozen_now, shift, invited):
    frozen_now.move_to(at("2026-11-26 09:00"))
    meeting_start(user=serving, meeting=meeting)
    frozen_now.move_to(at("2026-11-26 09:30"))
    meeting_end(user=serving, meeting=meeting)
    frozen_now.move_to(at("2026-12-03 09:30") + shift)
    surveys_send_due()
    assert _invited(meeting) == (["周敏"] if invited else [])


def test_it_follows_the_setting_for_how_far_back_it_invites(meeting, frozen_now, settings):
    settings.SURVEY_LINK_DAYS = 2
    frozen_now.move_to(at("2026-11-28 10:00"))
    surveys_send_due()
    assert _invited(meeting) == []
    frozen_now.move_to(at("2026-11-28 09:59"))
    surveys_send_due()
    assert _invited(meeting) == ["周敏"]


def test_it_never_invites_for_a_cancelled_meeting(meeting, hotline, frozen_now):
    meeting_cancel(user=hotline, meeting=meeting, reason="领导临时出差")
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    assert _invited(meeting) == []


def test_it_never_invites_for_a_meeting_still_awaiting_confirmation(book, contact, client_contact, frozen_now):
    request = book("2026-11-26 11:00", "12:00", title="申请中的会", contact=contact, user=client_contact)
    assert request.status == "requested"
    frozen_now.move_to(at("2026-11-26 12:30"))
    surveys_send_due()
    assert _invited(request) == []


def test_it_invites_once(meeting, client_contact, frozen_now):
    frozen_now.move_to(at("2026-11-26 10:30"))
    assert surveys_send_due() == 1
    frozen_now.move_to(at("2026-11-27 10:30"))
    assert surveys_send_due() == 0
    assert SurveyInvitation.objects.count() == 1
    assert client_contact.notifications.filter(kind=Kind.SURVEY).count() == 1


def test_it_tells_only_for_the_rows_it_wrote_when_another_worker_invites_the_same_meeting(meeting, frozen_now):
    frozen_now.move_to(at("2026-11-26 10:30"))
    # Two workers read the same due meeting before either writes its invitations.
    [due] = list(meetings_to_survey(at("2026-11-26 10:30")).select_related("contact__user"))
    invitees = survey_invitees([due])[due.pk]
    assert _invite(due, invitees, at("2026-11-26 10:30")) == 1
    assert _invite(due, invitees, at("2026-11-26 10:30")) == 0
    assert SurveyInvitation.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.SURVEY).count() == 1


def test_it_asks_one_query_when_nothing_is_due(meeting, frozen_now, django_assert_num_queries):
    frozen_now.move_to(at("2026-11-26 09:30"))
    with django_assert_num_queries(1):
        assert surveys_send_due() == 0


# --- whom it invites ----------------------------------------------------------------------------------


def test_it_invites_the_meeting_contact_and_the_organizer_contacts_with_an_account(
    book, contact, offline_contact, organization, frozen_now
):
    colleague = user_upsert(
        username="colleague", password="x" * 12, display_name="李娜", roles=[Role.CLIENT], organization=organization
    )
    Contact.objects.create(organization=organization, name="李娜", user=colleague)
    gone = user_upsert(
        username="gone", password="x" * 12, display_name="王芳", roles=[Role.CLIENT], organization=organization
    )
    gone.is_active = False
    gone.save()
    Contact.objects.create(organization=organization, name="王芳", user=gone)
    Contact.objects.create(
        organization=Organization.objects.create(name="别的委办局"),
        name="赵强",
        user=user_upsert(username="stranger", password="x" * 12, display_name="赵强", roles=[Role.CLIENT]),
    )
    meeting = book("2026-11-26 09:00", "10:00", contact=offline_contact)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    # 吴磊 as the meeting's contact (no account), 周敏 and 李娜 for their accounts; not the inactive 王芳, nor
    # another organization's contact.
    assert _invited(meeting) == ["吴磊", "周敏", "李娜"]


def test_it_invites_nobody_for_a_meeting_without_contacts_and_asks_about_it_no_more(
    book, organization, frozen_now, django_assert_num_queries
):
    meeting = book("2026-11-26 09:00", "10:00")
    frozen_now.move_to(at("2026-11-26 10:30"))
    with django_assert_num_queries(1):
        assert surveys_send_due() == 0
    assert _invited(meeting) == []


def test_it_tells_each_contact_with_an_account_in_their_inbox_with_the_link(ended, contact, client_contact):
    invitation = SurveyInvitation.objects.get(contact=contact)
    notice = client_contact.notifications.get(kind=Kind.SURVEY)
    assert notice.title == "Please rate the meeting: 年度工作会 · November 26 09:00–10:00 · 701会议室"
    assert notice.body == (
        "Five questions, each from 1 to 5, and a comment if you wish. The link works until December 3 10:30."
    )
    assert notice.url.startswith("/surveys/answer/")
    assert notice.meeting == ended
    assert invitation.nonce_digest
    assert invitation.nonce_digest not in notice.url


def test_it_makes_no_link_for_a_contact_without_an_account(book, offline_contact, frozen_now):
    meeting = book("2026-11-26 09:00", "10:00", contact=offline_contact)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    invitation = SurveyInvitation.objects.get(meeting=meeting, contact=offline_contact)
    # Nobody would receive a link made now: none is, until the hotline sends one by hand.
    assert invitation.nonce_digest == ""
    assert not Notification.objects.filter(kind=Kind.SURVEY).exists()


def test_it_names_a_confidential_meeting_to_its_contact_but_not_outside_huiwu(
    book, contact, client_contact, frozen_now
):
    meeting = book("2026-11-26 09:00", "10:00", title="专题会", contact=contact, confidentiality=1)
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    notice = client_contact.notifications.get(kind=Kind.SURVEY)
    assert "专题会" in notice.title
    assert "专题会" not in notice.external_title
    assert _invited(meeting) == ["周敏"]


def test_it_works_off_a_backlog_a_batch_at_a_time(book, contact, frozen_now, monkeypatch):
    from huiwu.surveys import services

    monkeypatch.setattr(services, "BATCH", 2)
    meetings = [
        book(f"2026-11-26 {hour:02d}:00", f"{hour:02d}:30", title=f"会{hour}", contact=contact) for hour in (9, 11, 13)
    ]
    frozen_now.move_to(at("2026-11-26 14:00"))
    assert surveys_send_due() == 2
    assert [_invited(meeting) for meeting in meetings] == [["周敏"], ["周敏"], []]
    assert surveys_send_due() == 1
    assert _invited(meetings[2]) == ["周敏"]
