"""A client's request says what happens to it: submitted and awaiting confirmation (after the form, in the
hotline's notice, in the history), then confirmed or rejected, and the client is told. The form starts with
the client's own contact record, offers the leaders of their own organization, and lists the contacts of the
organizer chosen; the server refuses what the form would not offer."""

from dataclasses import replace

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from huiwu.directory.models import Contact, Organization, Person
from huiwu.meetings.models import Meeting, Status
from huiwu.meetings.services import MeetingDraft, meeting_confirm, meeting_create, meeting_reject, meeting_update
from huiwu.notify.models import Kind, Notification
from huiwu.testing import at, login_as

SUBMITTED = "已提交申请，等待确认"


@pytest.fixture
def requester(client_contact, organization):
    client_contact.organization = organization
    client_contact.save()
    return client_contact


@pytest.fixture
def own_contact(requester, organization):
    return Contact.objects.create(organization=organization, name="李娜", phone="13800000000", user=requester)


@pytest.fixture
def request_made(requester, draft, hotline, frozen_now):
    """A client's request, with the hotline (who hears of it) in place."""
    return meeting_create(user=requester, draft=draft(title="客户的会"))


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- what the client, the hotline and the history read ------------------------------------------------


def test_it_tells_the_client_their_request_awaits_confirmation(client, requester, form_data, frozen_now):
    login_as(client, requester)
    response = client.post("/meetings/new/", form_data)
    assert response.status_code == 302
    [message] = _messages(response)
    assert message.startswith(SUBMITTED)
    assert "会议已预订" not in message
    assert Meeting.objects.get().status == Status.REQUESTED


def test_it_tells_booking_staff_the_meeting_was_booked(client, hotline, form_data, frozen_now):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data)
    assert _messages(response) == ["会议已预订。"]


def test_it_words_the_hotlines_notice_as_the_client_read_it(request_made, hotline):
    [notice] = Notification.objects.filter(recipient=hotline, kind=Kind.MEETING_BOOKED)
    assert notice.title.startswith(f"{SUBMITTED}：客户的会")


def test_it_words_a_staff_booking_in_the_notice_as_a_booking(book, team_leader, hotline):
    book(user=team_leader, title="组长订的会")
    [notice] = Notification.objects.filter(recipient=hotline, kind=Kind.MEETING_BOOKED)
    assert notice.title.startswith("预订：组长订的会")


def test_it_words_the_history_of_a_request_the_same(client, api, request_made, requester, book):
    assert api(requester, "get", f"/meetings/{request_made.pk}").json()["history"][0]["action_label"] == SUBMITTED
    login_as(client, requester)
    page = client.get(f"/meetings/{request_made.pk}/").content.decode()
    assert f'data-testid="history-action">{SUBMITTED}<' in page
    booked = book("2026-11-27 14:00", "15:00")
    assert api(requester, "get", f"/meetings/{booked.pk}").json()["history"][0]["action_label"] == "预订"


# --- the decision reaches the client ------------------------------------------------------------------


def test_it_notifies_the_client_when_their_request_is_confirmed(request_made, requester, hotline):
    meeting_confirm(user=hotline, meeting=request_made)
    [notice] = Notification.objects.filter(kind=Kind.REQUEST_DECIDED)
    assert notice.recipient == requester
    assert notice.title.startswith("您的会议申请已确认：客户的会")
    assert notice.url == f"/meetings/{request_made.pk}/"


def test_it_notifies_the_client_of_a_rejection_with_the_reason(request_made, requester, hotline):
    meeting_reject(user=hotline, meeting=request_made, reason="会议室检修")
    [notice] = Notification.objects.filter(kind=Kind.REQUEST_DECIDED)
    assert notice.recipient == requester
    assert notice.title.startswith("您的会议申请已被拒绝：客户的会")
    assert "原因：会议室检修" in notice.body


def test_it_notifies_the_meetings_contact_and_not_the_one_who_decided(request_made, hotline, organization):
    colleague = type(hotline).objects.create(username="colleague", display_name="同事", is_active=True)
    request_made.contact = Contact.objects.create(organization=organization, name="王芳", user=colleague)
    request_made.save(update_fields=["contact"])
    meeting_confirm(user=hotline, meeting=request_made)
    recipients = set(
        Notification.objects.filter(kind=Kind.REQUEST_DECIDED).values_list("recipient__username", flat=True)
    )
    assert recipients == {"client", "colleague"}


def test_it_tells_the_client_not_the_staff_booker_when_a_change_they_asked_for_is_decided(
    book, team_leader, requester, hotline
):
    meeting = book(user=team_leader)
    moved = replace(MeetingDraft.from_meeting(meeting), start=at("2026-11-27 14:00"), end=at("2026-11-27 15:00"))
    meeting_update(user=requester, meeting=meeting, draft=moved)
    meeting_confirm(user=hotline, meeting=meeting)
    recipients = Notification.objects.filter(kind=Kind.REQUEST_DECIDED).values_list("recipient__username", flat=True)
    assert list(recipients) == ["client"]


def test_it_says_so_when_a_clients_change_sends_the_meeting_back_for_confirmation(
    client, requester, book, form_data, frozen_now
):
    meeting = book()
    login_as(client, requester)
    response = client.post(f"/meetings/{meeting.pk}/edit/", form_data | {"start_time": "14:00", "end_time": "15:00"})
    assert _messages(response) == ["修改已提交，会议需重新确认。"]
    assert Meeting.objects.get().status == Status.REQUESTED


# --- the contact --------------------------------------------------------------------------------------


def test_it_starts_the_clients_form_with_their_own_contact_record(client, requester, own_contact):
    login_as(client, requester)
    form = client.get("/meetings/new/").context["form"]
    assert form["contact"].value() == own_contact.pk


def test_it_names_the_clients_own_contact_when_the_api_booking_names_none(
    api, requester, own_contact, booking, frozen_now
):
    assert api(requester, "post", "/meetings", booking()).json()["contact"]["id"] == own_contact.pk
    later = booking(start="2026-11-27T14:00:00+08:00", end="2026-11-27T15:00:00+08:00", contact_id=None)
    assert api(requester, "post", "/meetings", later).json()["contact"] is None


def test_it_lists_the_contacts_of_the_organizer_chosen(client, hotline, organization, frozen_now):
    mine = Contact.objects.create(organization=organization, name="李娜")
    other = Organization.objects.create(name="市财政局")
    theirs = Contact.objects.create(organization=other, name="王芳")
    login_as(client, hotline)
    options = client.get("/meetings/contacts/", {"organizer": other.pk}).content.decode()
    assert f'value="{theirs.pk}"' in options
    assert f'value="{mine.pk}"' not in options
    form = client.get("/meetings/new/").content.decode()
    assert 'hx-get="/meetings/contacts/"' in form


def test_it_lists_no_contact_of_an_organization_the_client_may_not_see(client, requester, frozen_now):
    other = Organization.objects.create(name="市财政局")
    Contact.objects.create(organization=other, name="王芳")
    login_as(client, requester)
    options = client.get("/meetings/contacts/", {"organizer": other.pk}).content.decode()
    assert "王芳" not in options
    assert client.get("/meetings/contacts/", {"organizer": "x"}).status_code == 200


def test_it_refuses_a_contact_of_another_organization(client, hotline, form_data, frozen_now):
    stranger = Contact.objects.create(organization=Organization.objects.create(name="市财政局"), name="王芳")
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | {"contact": str(stranger.pk)})
    assert response.status_code == 200
    assert "请选择主办单位的联系人。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_a_contact_of_another_organization_in_the_service(hotline, draft, frozen_now):
    stranger = Contact.objects.create(organization=Organization.objects.create(name="市财政局"), name="王芳")
    with pytest.raises(ValidationError) as refused:
        meeting_create(user=hotline, draft=draft(contact=stranger))
    assert "contact" in refused.value.message_dict


# --- the attendees a client may name ------------------------------------------------------------------


@pytest.fixture
def leaders(organization):
    return {
        "own": Person.objects.create(name="周国庆", title="局长", organization=organization, precedence=1),
        "other": Person.objects.create(
            name="钱学林", title="主任", organization=Organization.objects.create(name="市财政局"), precedence=2
        ),
    }


def test_it_offers_a_client_the_leaders_of_their_own_organization_only(client, requester, leaders):
    login_as(client, requester)
    choices = list(client.get("/meetings/new/").context["form"].fields["attendees"].queryset)
    assert choices == [leaders["own"]]


def test_it_lets_a_client_name_a_leader_of_their_own_organization(client, requester, leaders, form_data, frozen_now):
    login_as(client, requester)
    client.post("/meetings/new/", form_data | {"attendees": [str(leaders["own"].pk)]})
    assert [link.person for link in Meeting.objects.get().attendee_links.all()] == [leaders["own"]]


def test_it_refuses_a_leader_of_another_organization_from_a_client(client, requester, leaders, form_data, frozen_now):
    login_as(client, requester)
    response = client.post("/meetings/new/", form_data | {"attendees": [str(leaders["other"].pk)]})
    assert response.status_code == 200
    assert response.context["form"].errors["attendees"]
    assert not Meeting.objects.exists()


def test_it_refuses_a_leader_of_another_organization_in_the_service(requester, leaders, draft, frozen_now):
    with pytest.raises(ValidationError) as refused:
        meeting_create(user=requester, draft=draft(attendees=[leaders["other"]]))
    assert refused.value.message_dict["attendees"] == ["只能选择本单位的领导和来宾。"]


def test_it_refuses_a_leader_of_another_organization_over_the_api(api, requester, leaders, booking, frozen_now):
    response = api(requester, "post", "/meetings", booking(attendee_ids=[leaders["other"].pk]))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"attendee_ids"}
    ok = api(requester, "post", "/meetings", booking(attendee_ids=[leaders["own"].pk]))
    assert [person["name"] for person in ok.json()["attendees"]] == ["周国庆"]


def test_it_keeps_the_guests_staff_named_when_a_client_changes_the_attendees(
    client, requester, leaders, book, form_data, frozen_now
):
    meeting = book(attendees=[leaders["own"], leaders["other"]])
    login_as(client, requester)
    client.post(f"/meetings/{meeting.pk}/edit/", form_data | {"attendees": []})
    assert [link.person for link in meeting.attendee_links.all()] == [leaders["other"]]
    again = replace(MeetingDraft.from_meeting(meeting), attendees=[leaders["own"]])
    meeting_update(user=requester, meeting=meeting, draft=again)
    assert {link.person for link in meeting.attendee_links.all()} == {leaders["own"], leaders["other"]}


def test_it_shows_the_client_the_attendees_of_their_own_organization(client, requester, leaders, book):
    meeting = book(attendees=[leaders["own"], leaders["other"]])
    login_as(client, requester)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "周国庆" in page
    assert "钱学林" not in page


# --- once the meeting runs, the hotline takes the call -------------------------------------------------


def test_it_lets_the_client_cancel_their_meeting_until_the_minute_before_it_starts(request_made, requester):
    from huiwu.meetings.services import meeting_cancel

    with time_machine.travel(at("2026-11-27 08:59"), tick=False):
        meeting = meeting_cancel(user=requester, meeting=request_made, reason="改期")
    assert meeting.status == Status.CANCELLED


def test_it_refuses_the_client_a_change_or_cancellation_once_the_meeting_started(request_made, requester, hotline):
    from huiwu.meetings.services import meeting_cancel

    with time_machine.travel(at("2026-11-27 09:00"), tick=False):
        with pytest.raises(ValidationError, match="会议已开始"):
            meeting_cancel(user=requester, meeting=request_made, reason="不开了")
        with pytest.raises(ValidationError, match="会议已开始"):
            meeting_update(
                user=requester,
                meeting=request_made,
                draft=replace(MeetingDraft.from_meeting(request_made), headcount=9),
            )
        request_made.refresh_from_db()
        assert request_made.status == Status.REQUESTED
        assert request_made.headcount != 9
        # Booking staff still can: the hotline records what the client says on the phone.
        assert meeting_cancel(user=hotline, meeting=request_made, reason="客户来电取消").status == Status.CANCELLED
