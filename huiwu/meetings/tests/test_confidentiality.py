"""Confidential meetings: who sees them, what everyone else sees, and what the audit log keeps."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.meetings.access import get_meeting_for_user, meetings_busy_for, meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.notify.models import Kind, Notification
from huiwu.security.models import AuditEntry
from huiwu.service.services import assignment_add
from huiwu.testing import login_as


@pytest.fixture
def secret_meeting(book, manager):
    return book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)


def _attendant(username):
    return user_upsert(username=username, password="x" * 12, display_name=username, roles=[Role.ATTENDANT])


def test_it_hides_a_confidential_meeting_from_staff_who_are_not_cleared(secret_meeting, attendant):
    assert not meetings_visible_to(attendant).filter(pk=secret_meeting.pk).exists()
    assert list(meetings_busy_for(attendant)) == [secret_meeting]
    with pytest.raises(Http404):
        get_meeting_for_user(attendant, secret_meeting.pk)


def test_it_shows_it_to_managers_security_officers_and_cleared_staff(
    secret_meeting, manager, security_officer, qualify
):
    cleared = qualify(_attendant("cleared"))
    for user in (manager, security_officer, cleared):
        assert meetings_visible_to(user).filter(pk=secret_meeting.pk).exists(), user
        assert not meetings_busy_for(user).exists()


def test_it_knows_without_a_query_that_nothing_is_hidden_from_managers_and_security_officers(
    secret_meeting, manager, security_officer, django_assert_num_queries
):
    for user in (manager, security_officer):
        user.roles  # noqa: B018 -- the roles read first, as every request has by then
        with django_assert_num_queries(0):
            assert list(meetings_busy_for(user)) == []


def test_it_needs_a_clearance_of_the_meetings_level(secret_meeting, qualify):
    low = qualify(_attendant("low"), level=1)
    assert not meetings_visible_to(low).filter(pk=secret_meeting.pk).exists()


def test_it_stops_showing_it_once_a_paper_has_expired(secret_meeting, qualify):
    from huiwu.security.models import ConfidentialityAgreement

    cleared = qualify(_attendant("cleared"))
    ConfidentialityAgreement.objects.filter(user=cleared).update(valid_until="2026-11-26")
    assert not meetings_visible_to(cleared).filter(pk=secret_meeting.pk).exists()


def test_it_shows_it_to_the_organizers_own_contacts_only(book, manager, client_contact, organization, make_persona):
    from huiwu.directory.models import Organization

    client_contact.organization = organization
    client_contact.save()
    meeting = book("2026-11-27 09:00", "10:00", confidentiality=1, user=manager)
    assert meetings_visible_to(client_contact).filter(pk=meeting.pk).exists()
    stranger = user_upsert(
        username="stranger",
        password="x" * 12,
        display_name="别家",
        roles=[Role.CLIENT],
        organization=Organization.objects.create(name="别的委办局"),
    )
    assert not meetings_visible_to(stranger).exists()
    assert not meetings_busy_for(stranger).exists()  # another organization's meetings are not theirs to list


def test_it_refuses_to_assign_someone_not_qualified_and_says_what_is_missing(secret_meeting, team_leader, attendant):
    with pytest.raises(ValidationError) as refused:
        assignment_add(user=team_leader, meeting=secret_meeting, attendant=attendant, duty="lead")
    message = " ".join(refused.value.messages)
    for missing in ("涉密", "无犯罪记录证明", "保密协议", "保密教育", "授权上岗"):
        assert missing in message, missing
    assert not secret_meeting.assignments.exists()


def test_it_answers_404_to_an_uncleared_team_leader_who_tries_to_staff_it(
    client, secret_meeting, team_leader, attendant
):
    login_as(client, team_leader)
    response = client.post(
        f"/service/meetings/{secret_meeting.pk}/assignments/", {"attendant": attendant.pk, "duty": "lead"}
    )
    # The team leader is not cleared either: the meeting's pages answer 404 for them.
    assert response.status_code == 404
    assert not secret_meeting.assignments.exists()


def test_it_assigns_a_qualified_attendant_who_then_sees_the_meeting(secret_meeting, manager, qualify):
    cleared = qualify(_attendant("cleared"))
    assignment_add(user=manager, meeting=secret_meeting, attendant=cleared, duty="lead")
    assert meetings_visible_to(cleared).filter(pk=secret_meeting.pk).exists()


def test_it_tells_people_without_access_only_of_a_busy_block(secret_meeting, hotline):
    notice = Notification.objects.get(recipient=hotline, kind=Kind.MEETING_BOOKED)
    assert "专项保密会议" not in notice.title
    assert "保密会议" in notice.title
    assert "701会议室" in notice.title
    assert notice.body == ""


def test_it_keeps_the_title_off_every_channel_outside_huiwu(secret_meeting, manager):
    from huiwu.notify.channels import robot_text
    from huiwu.notify.models import Delivery

    notification = Notification.objects.filter(meeting=secret_meeting).first()
    assert notification.external_title
    text = robot_text(Delivery(notification=notification, channel="wecom"))
    assert "专项保密会议" not in text


def test_it_audits_a_view_by_the_manager(client, secret_meeting, manager):
    login_as(client, manager)
    assert client.get(f"/meetings/{secret_meeting.pk}/").status_code == 200
    entry = AuditEntry.objects.filter(subject_type="meeting", subject_id=secret_meeting.pk, action="view").get()
    assert entry.user == manager
    assert entry.address == "127.0.0.1"
    assert entry.path == f"/meetings/{secret_meeting.pk}/"


def test_it_audits_the_booking_and_every_change(secret_meeting, manager):
    from huiwu.meetings.services import MeetingDraft, meeting_update

    draft = MeetingDraft.from_meeting(secret_meeting)
    draft.headcount = 12
    meeting_update(user=manager, meeting=secret_meeting, draft=draft)
    actions = list(AuditEntry.objects.filter(subject_id=secret_meeting.pk).values_list("action", flat=True))
    assert actions.count("change") == 2


def test_it_audits_an_export_that_contains_it(client, secret_meeting, manager):
    login_as(client, manager)
    assert client.get("/meetings/", {"export": "xlsx"}).status_code == 200
    assert AuditEntry.objects.filter(subject_id=secret_meeting.pk, action="export").exists()


def test_it_loads_a_demo_confidential_meeting_only_the_cleared_attendant_sees(db, frozen_now):
    from huiwu.accounts.models import User
    from huiwu.core.management.commands.demo import DEMO_LOADERS
    from huiwu.notify.models import Deadline
    from huiwu.security.demo import CONFIDENTIAL_TITLE

    for load in DEMO_LOADERS:
        load()
    for load in DEMO_LOADERS:  # idempotent
        load()
    meeting = Meeting.objects.get(title=CONFIDENTIAL_TITLE)
    assert meetings_visible_to(User.objects.get(username="attendant")).filter(pk=meeting.pk).exists()
    assert list(meetings_busy_for(User.objects.get(username="attendant2"))) == [meeting]
    assert Deadline.objects.filter(kind=Kind.CLEARANCE_EXPIRY, responsible_role="security_officer").exists()


def test_it_joins_the_confidentiality_measures_to_the_checklists(secret_meeting, book):
    from huiwu.service.models import Phase
    from huiwu.service.standards import phase_items, standard_current

    standard = standard_current()
    ordinary = book("2026-11-27 14:00", "15:00")
    assert "入场前已收取手机" in phase_items(standard, secret_meeting, Phase.BEFORE)
    assert "已检查会场有无遗留文件" in phase_items(standard, secret_meeting, Phase.AFTER)
    assert "入场前已收取手机" not in phase_items(standard, ordinary, Phase.BEFORE)
    # The room-ready item still closes the list before the meeting.
    assert phase_items(standard, secret_meeting, Phase.BEFORE)[-1] == standard.ready_item


def test_it_flags_an_assignment_whose_papers_lapsed_since(client, secret_meeting, manager, qualify):
    from huiwu.security.models import Authorization

    cleared = qualify(_attendant("cleared"))
    assignment_add(user=manager, meeting=secret_meeting, attendant=cleared, duty="lead")
    Authorization.objects.filter(user=cleared).update(valid_until="2026-11-26")
    login_as(client, manager)
    html = client.get(f"/service/meetings/{secret_meeting.pk}/").content.decode()
    assert 'data-testid="lapse"' in html
    assert "授权上岗" in html


def test_it_shows_a_busy_block_in_the_room_feed_and_the_api_list(client, secret_meeting, attendant):
    from huiwu.accounts.services import api_token_create
    from huiwu.meetings.feeds import calendar_feed_for

    feed = client.get(f"/meetings/feeds/{calendar_feed_for(attendant).token}/rooms/{secret_meeting.room.code}.ics")
    text = feed.content.decode()
    assert "SUMMARY:保密会议" in text
    assert "CLASS:CONFIDENTIAL" in text
    assert "专项保密会议" not in text
    token = api_token_create(user=attendant, name="t")[1]
    body = client.get("/api/v1/meetings", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["items"] == []
    assert [(busy["label"], busy["room"]["code"]) for busy in body["busy"]] == [("保密会议", "701")]


def test_it_names_the_meeting_of_a_lost_item_only_to_those_who_may_see_it(client, secret_meeting, manager, attendant):
    from huiwu.lostfound.services import lost_item_register
    from huiwu.testing import at

    item = lost_item_register(
        user=manager,
        description="钢笔",
        found_where="主席台",
        found_at=at("2026-11-26 07:30"),
        stored_where="服务台",
        meeting=secret_meeting,
    )
    login_as(client, attendant)
    html = client.get(f"/lost-and-found/{item.pk}/").content.decode()
    assert "保密会议" in html
    assert "专项保密会议" not in html
    login_as(client, manager)
    assert "专项保密会议" in client.get(f"/lost-and-found/{item.pk}/").content.decode()


def test_it_leaves_confidential_meetings_out_of_the_admin_site(client, secret_meeting, sysadmin, book):
    ordinary = book("2026-11-27 14:00", "15:00", title="普通例会")
    login_as(client, sysadmin)
    html = client.get("/admin/meetings/meeting/").content.decode()
    assert "普通例会" in html
    assert "专项保密会议" not in html
    assert client.get(f"/admin/meetings/meeting/{secret_meeting.pk}/change/").status_code in (302, 404)
    assert ordinary.title in client.get("/admin/notify/deadline/").content.decode()
    assert "专项保密会议" not in client.get("/admin/notify/deadline/").content.decode()


def test_it_refuses_an_unqualified_attendant_through_the_page_with_the_reason(
    client, secret_meeting, manager, attendant
):
    login_as(client, manager)
    response = client.post(
        f"/service/meetings/{secret_meeting.pk}/assignments/", {"attendant": attendant.pk, "duty": "lead"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "不能服务此涉密会议" in html
    assert "授权上岗" in html
    assert not secret_meeting.assignments.exists()


def test_it_refuses_an_unqualified_attendant_through_the_api_with_the_reason(
    client, secret_meeting, manager, attendant
):
    from huiwu.accounts.services import api_token_create

    token = api_token_create(user=manager, name="t")[1]
    response = client.post(
        f"/api/v1/meetings/{secret_meeting.pk}/assignments",
        {"attendant_id": attendant.pk, "duty": "lead"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "无犯罪记录证明" in " ".join(response.json()["errors"]["attendant_id"])
    assert not secret_meeting.assignments.exists()
