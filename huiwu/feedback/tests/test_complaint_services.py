from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from huiwu.accounts.roles import RoleRequired
from huiwu.directory.models import Organization
from huiwu.feedback.models import Complaint, RootCause
from huiwu.feedback.services import (
    complaint_close,
    complaint_receive,
    complaint_return_visit,
    complaint_step_record,
)
from huiwu.testing import at

STEP_NOTES = {
    "apology": "向李小姐表示歉意，承诺查清原因",
    "investigation": "水果数量足够，分批摆放",
    "report": "如实向李小姐反映",
    "rectification": "及时更新会场水果",
    "acceptance": "取得对方谅解",
}


def record(user, complaint, *steps):
    for step in steps:
        complaint = complaint_step_record(user=user, complaint=complaint, step=step, note=STEP_NOTES[step])
    return complaint


@pytest.fixture
def cause(db):
    return RootCause.objects.get(name="沟通不及时")


@pytest.fixture
def accepted(complaint, hotline):
    return record(hotline, complaint, *STEP_NOTES)


# --- receiving ---------------------------------------------------------------------------------------------


def test_it_records_a_complaint_in_the_meeting_s_room_handled_by_who_took_it(complaint, hotline, meeting, contact):
    complaint.refresh_from_db()
    assert (complaint.room, complaint.organization, complaint.complainant_contact) == (
        meeting.room,
        meeting.organizer,
        contact,
    )
    assert (complaint.received_by, complaint.handler, complaint.received_at) == (
        hotline,
        hotline,
        at("2026-11-26 08:00"),
    )
    assert not complaint.is_closed


def test_it_keeps_a_room_given_besides_the_meeting(receive, other_room):
    assert receive(room=other_room).room == other_room


def test_it_takes_the_organization_from_the_meeting_without_a_contact(receive, meeting):
    assert receive(complainant_contact=None).organization == meeting.organizer


def test_it_refuses_a_complaint_without_who_what_and_how(hotline, frozen_now):
    with pytest.raises(ValidationError) as refused:
        complaint_receive(user=hotline, channel="fax", complainant_name=" ", summary="", statement="")
    assert refused.value.message_dict == {
        "channel": ["Choose how the complaint came in."],
        "complainant_name": ["Say who complained."],
        "summary": ["Say in a few words what it is about."],
        "statement": ["Write down what the client said."],
    }
    assert not Complaint.objects.exists()


def test_it_refuses_a_bad_phone_a_long_subject_and_control_characters(receive):
    with pytest.raises(ValidationError) as refused:
        receive(complainant_phone="call me", summary="水" * 201, statement="a\x00b")
    assert refused.value.message_dict == {
        "complainant_phone": ["Enter a phone number: digits, spaces, +, - and brackets only."],
        "summary": ["At most 200 characters."],
        "statement": ["Remove the control or text-direction characters; they cannot be stored."],
    }


@pytest.mark.parametrize(("minutes", "refused"), [(1, False), (2, True)])
def test_it_refuses_a_complaint_received_in_the_future(receive, frozen_now, minutes, refused):
    received_at = at("2026-11-26 08:00") + timedelta(minutes=minutes)
    if refused:
        with pytest.raises(ValidationError) as error:
            receive(received_at=received_at)
        assert error.value.message_dict == {"received_at": ["This time cannot be in the future."]}
    else:
        assert receive(received_at=received_at).received_at == received_at


def test_it_refuses_a_contact_of_another_organization(receive, contact):
    other = Organization.objects.create(name="市财政局")
    with pytest.raises(ValidationError) as refused:
        receive(organization=other)
    assert refused.value.message_dict == {
        "complainant_contact": ["Choose a contact of the complainant's organization."]
    }


def test_it_refuses_a_meeting_the_receiver_may_not_see(receive, book, manager):
    secret = book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)
    with pytest.raises(ValidationError) as refused:
        receive(meeting=secret)
    assert refused.value.message_dict == {"meeting": ["There is no such meeting."]}


def test_it_takes_the_meeting_from_the_task_and_refuses_a_task_of_another_meeting(receive, task, book):
    assert receive(meeting=None, task=task).meeting == task.meeting
    other = book("2026-11-27 09:00", "10:00", title="另一个会")
    with pytest.raises(ValidationError) as refused:
        receive(meeting=other, task=task)
    assert refused.value.message_dict == {"task": ["This delegated task belongs to another meeting."]}


def test_it_files_a_client_s_complaint_as_theirs_through_the_portal(client_contact, contact, meeting, frozen_now):
    complaint = complaint_receive(
        user=client_contact,
        channel="hotline",
        complainant_name="冒名",
        complainant_phone="110",
        organization=Organization.objects.create(name="别的单位"),
        meeting=meeting,
        summary="空调太冷",
        statement="请调高温度",
        received_at=at("2026-11-20 08:00"),
    )
    assert (complaint.channel, complaint.complainant_name, complaint.complainant_phone) == (
        "portal",
        "李小姐",
        "13800000001",
    )
    assert (complaint.complainant_contact, complaint.organization, complaint.received_at) == (
        contact,
        client_contact.organization,
        at("2026-11-26 08:00"),
    )
    assert (complaint.received_by, complaint.handler) == (client_contact, None)


def test_it_refuses_a_client_s_complaint_about_another_organization_s_meeting(
    client_contact, contact, draft, hotline, frozen_now
):
    from huiwu.meetings.services import meeting_create

    other = meeting_create(user=hotline, draft=draft(organizer=Organization.objects.create(name="市财政局")))
    with pytest.raises(ValidationError) as refused:
        complaint_receive(
            user=client_contact, channel="portal", complainant_name="", meeting=other, summary="x", statement="y"
        )
    assert refused.value.message_dict == {"meeting": ["There is no such meeting."]}


def test_it_lets_only_complaint_staff_and_clients_record_complaints(attendant, outsider, frozen_now):
    for user in (attendant, outsider):
        with pytest.raises(RoleRequired) as refused:
            complaint_receive(user=user, channel="hotline", complainant_name="a", summary="b", statement="c")
        assert refused.value.roles == ["manager", "team_leader", "hotline", "client"]


# --- the steps ---------------------------------------------------------------------------------------------


def test_it_records_the_steps_in_order_with_who_and_when(complaint, hotline, team_leader, frozen_now):
    complaint_step_record(user=hotline, complaint=complaint, step="apology", note="  致歉  ")
    frozen_now.shift(timedelta(hours=2))
    complaint_step_record(
        user=team_leader, complaint=complaint, step="investigation", note="查明原因", at=at("2026-11-26 09:30")
    )
    complaint.refresh_from_db()
    assert (complaint.apology_at, complaint.apology_by, complaint.apology_note) == (
        at("2026-11-26 08:00"),
        hotline,
        "致歉",
    )
    assert (complaint.investigation_at, complaint.investigation_by) == (at("2026-11-26 09:30"), team_leader)


@pytest.mark.parametrize(
    ("done", "step", "message"),
    [
        ((), "investigation", "Record the apology first."),
        (("apology",), "report", "Record the investigation findings first."),
        (("apology", "investigation"), "rectification", "Record the facts reported to the client first."),
        (("apology", "investigation", "report"), "acceptance", "Record the corrective action first."),
    ],
)
def test_it_refuses_a_step_out_of_order(complaint, hotline, done, step, message):
    record(hotline, complaint, *done)
    with pytest.raises(ValidationError) as refused:
        complaint_step_record(user=hotline, complaint=complaint, step=step, note="x")
    assert refused.value.message_dict == {"step": [message]}
    complaint.refresh_from_db()
    assert getattr(complaint, f"{step}_at") is None


def test_it_refuses_a_step_twice(complaint, hotline):
    record(hotline, complaint, "apology")
    with pytest.raises(ValidationError) as refused:
        complaint_step_record(user=hotline, complaint=complaint, step="apology", note="再次致歉")
    assert refused.value.message_dict == {"step": ["Apology was already recorded on 2026-11-26 08:00."]}
    complaint.refresh_from_db()
    assert complaint.apology_note == STEP_NOTES["apology"]


def test_it_refuses_a_step_after_closing(complaint, hotline, manager, cause):
    complaint_close(user=manager, complaint=complaint, root_cause=cause, lesson="教训", close_reason="联系不上客户")
    with pytest.raises(ValidationError) as refused:
        complaint_step_record(user=hotline, complaint=complaint, step="apology", note="x")
    assert refused.value.message_dict == {
        "step": ["This complaint was closed on 2026-11-26 08:00; nothing more can be recorded but the return visit."]
    }


def test_it_refuses_an_unknown_step_and_an_empty_note(complaint, hotline):
    with pytest.raises(ValidationError) as unknown:
        complaint_step_record(user=hotline, complaint=complaint, step="closed_at", note="x")
    assert unknown.value.message_dict == {"step": ["There is no such step."]}
    with pytest.raises(ValidationError) as empty:
        complaint_step_record(user=hotline, complaint=complaint, step="apology", note=" ")
    assert empty.value.message_dict == {"note": ["Write down what was done."]}


@pytest.mark.parametrize(("moment", "refused"), [("07:59", True), ("08:00", False)])
def test_it_refuses_a_step_before_the_one_it_follows(receive, hotline, frozen_now, moment, refused):
    complaint = receive()
    if refused:
        with pytest.raises(ValidationError) as error:
            complaint_step_record(
                user=hotline, complaint=complaint, step="apology", note="x", at=at(f"2026-11-26 {moment}")
            )
        assert error.value.message_dict == {
            "at": ["This time cannot be before the complaint was received (2026-11-26 08:00)."]
        }
    else:
        complaint_step_record(
            user=hotline, complaint=complaint, step="apology", note="x", at=at(f"2026-11-26 {moment}")
        )


def test_it_refuses_a_step_in_the_future(complaint, hotline):
    with pytest.raises(ValidationError) as refused:
        complaint_step_record(user=hotline, complaint=complaint, step="apology", note="x", at=at("2026-11-26 08:02"))
    assert refused.value.message_dict == {"at": ["This time cannot be in the future."]}


def test_it_makes_the_first_staff_to_record_a_step_the_handler_of_a_portal_complaint(
    client_contact, contact, team_leader, frozen_now
):
    complaint = complaint_receive(
        user=client_contact, channel="portal", complainant_name="", summary="a", statement="b"
    )
    complaint_step_record(user=team_leader, complaint=complaint, step="apology", note="致歉")
    complaint.refresh_from_db()
    assert complaint.handler == team_leader


def test_it_lets_only_complaint_handlers_record_steps(complaint, attendant, client_contact):
    for user in (attendant, client_contact):
        with pytest.raises(RoleRequired) as refused:
            complaint_step_record(user=user, complaint=complaint, step="apology", note="x")
        assert refused.value.roles == ["manager", "team_leader", "hotline"]


# --- closing -----------------------------------------------------------------------------------------------


def test_it_closes_an_accepted_complaint_with_its_cause_and_lesson(accepted, hotline, cause):
    complaint_close(user=hotline, complaint=accepted, root_cause=cause, lesson=" 及时求得客户确认 ", close_reason="x")
    accepted.refresh_from_db()
    assert (accepted.closed_at, accepted.closed_by, accepted.root_cause, accepted.lesson) == (
        at("2026-11-26 08:00"),
        hotline,
        cause,
        "及时求得客户确认",
    )
    # The client accepted: a reason for closing without acceptance has no place.
    assert accepted.close_reason == ""


@pytest.mark.parametrize("done", [(), ("apology", "investigation", "report", "rectification")])
def test_it_refuses_to_close_without_the_client_s_acceptance(complaint, hotline, cause, done):
    record(hotline, complaint, *done)
    with pytest.raises(ValidationError) as refused:
        complaint_close(user=hotline, complaint=complaint, root_cause=cause, lesson="教训")
    assert refused.value.message_dict == {
        "acceptance": [
            "Record the client's acceptance first; without it only the service centre manager may close the "
            "complaint, giving the reason."
        ]
    }
    complaint.refresh_from_db()
    assert not complaint.is_closed


def test_it_refuses_a_reason_for_closing_without_acceptance_from_who_is_not_a_manager(complaint, team_leader, cause):
    with pytest.raises(RoleRequired) as refused:
        complaint_close(user=team_leader, complaint=complaint, root_cause=cause, lesson="教训", close_reason="联系不上")
    assert refused.value.roles == ["manager"]


def test_it_refuses_a_manager_s_closing_without_acceptance_and_without_a_reason(complaint, manager, cause):
    with pytest.raises(ValidationError) as refused:
        complaint_close(user=manager, complaint=complaint, root_cause=cause, lesson="教训", close_reason="  ")
    assert refused.value.message_dict == {
        "close_reason": ["The client's acceptance is not recorded: give the reason for closing without it."]
    }


def test_it_lets_a_manager_close_without_acceptance_giving_the_reason(complaint, manager, cause):
    complaint_close(user=manager, complaint=complaint, root_cause=cause, lesson="教训", close_reason="三次联系不上客户")
    complaint.refresh_from_db()
    assert (complaint.is_closed, complaint.close_reason, complaint.acceptance_at) == (True, "三次联系不上客户", None)


def test_it_refuses_to_close_without_a_cause_or_lesson_or_with_a_retired_cause(accepted, hotline, cause):
    with pytest.raises(ValidationError) as refused:
        complaint_close(user=hotline, complaint=accepted, root_cause=None, lesson=" ")
    assert refused.value.message_dict == {
        "root_cause": ["Choose the root cause."],
        "lesson": ["Write down the lesson learned."],
    }
    RootCause.objects.filter(pk=cause.pk).update(is_active=False)
    cause.refresh_from_db()
    with pytest.raises(ValidationError) as retired:
        complaint_close(user=hotline, complaint=accepted, root_cause=cause, lesson="教训")
    assert retired.value.message_dict == {"root_cause": ["Choose the root cause."]}


def test_it_refuses_to_close_twice(accepted, hotline, cause):
    complaint_close(user=hotline, complaint=accepted, root_cause=cause, lesson="教训")
    with pytest.raises(ValidationError) as refused:
        complaint_close(user=hotline, complaint=accepted, root_cause=cause, lesson="另一个教训")
    assert refused.value.message_dict == {"root_cause": ["This complaint was already closed on 2026-11-26 08:00."]}
    accepted.refresh_from_db()
    assert accepted.lesson == "教训"


# --- the return visit --------------------------------------------------------------------------------------


def test_it_records_the_return_visit_once_after_closing(accepted, hotline, cause, frozen_now):
    with pytest.raises(ValidationError) as early:
        complaint_return_visit(user=hotline, complaint=accepted, note="回访")
    assert early.value.message_dict == {"note": ["The return visit comes after the complaint is closed."]}
    complaint_close(user=hotline, complaint=accepted, root_cause=cause, lesson="教训")
    frozen_now.shift(timedelta(days=3))
    complaint_return_visit(user=hotline, complaint=accepted, note="客户满意")
    accepted.refresh_from_db()
    assert (accepted.return_visit_at, accepted.return_visit_by, accepted.return_visit_note) == (
        at("2026-11-29 08:00"),
        hotline,
        "客户满意",
    )
    with pytest.raises(ValidationError) as twice:
        complaint_return_visit(user=hotline, complaint=accepted, note="再次回访")
    assert twice.value.message_dict == {"note": ["The return visit was already recorded on 2026-11-29 08:00."]}


def test_it_refuses_a_return_visit_before_the_closing(accepted, hotline, cause, frozen_now):
    complaint_close(user=hotline, complaint=accepted, root_cause=cause, lesson="教训")
    frozen_now.shift(timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        complaint_return_visit(user=hotline, complaint=accepted, note="回访", at=at("2026-11-26 07:59"))
    assert refused.value.message_dict == {"at": ["This time cannot be before the closing (2026-11-26 08:00)."]}
