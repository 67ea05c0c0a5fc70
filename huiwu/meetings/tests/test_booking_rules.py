"""The overlap guarantee and the booking rules, run on SQLite and on PostgreSQL alike."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.directory.models import Organization
from huiwu.meetings.models import Meeting, MeetingChange, Status
from huiwu.meetings.services import (
    BookingConflict,
    meeting_cancel,
    meeting_confirm,
    meeting_create,
    meeting_reject,
    meeting_reschedule,
    meeting_update,
)
from huiwu.testing import at


def test_it_books_a_free_slot_confirmed_for_booking_staff(book):
    meeting = book("2026-11-27 09:00", "10:00")
    assert meeting.status == Status.CONFIRMED
    assert meeting.blocked_from == at("2026-11-27 08:30")
    assert meeting.blocked_until == at("2026-11-27 10:30")
    assert meeting.changes.get().action == MeetingChange.Action.CREATED


def test_it_allows_back_to_back_bookings_buffers_included(book):
    book("2026-11-27 09:00", "10:00")  # blocked 08:30–10:30
    second = book("2026-11-27 11:00", "12:00")  # blocked 10:30–12:30
    assert second.pk


def test_it_refuses_an_overlap_of_buffers_naming_the_slot(book, hotline):
    book("2026-11-27 09:00", "10:00", title="党组会")  # blocked until 10:30
    with pytest.raises(BookingConflict) as conflict:
        book("2026-11-27 10:45", "11:30")  # blocked from 10:15
    assert [meeting.title for meeting in conflict.value.conflicts] == ["党组会"]
    message = conflict.value.message_for(hotline)
    assert "701会议室" in message
    assert "08:30–10:30" in message
    assert "党组会" in message
    assert Meeting.objects.count() == 1


def test_it_refuses_an_overlap_of_the_meetings_themselves(book):
    book("2026-11-27 09:00", "10:00", setup_minutes=0, teardown_minutes=0)
    with pytest.raises(BookingConflict):
        book("2026-11-27 09:59", "10:30", setup_minutes=0, teardown_minutes=0)


def test_it_lets_another_room_be_booked_at_the_same_time(book, other_room):
    book("2026-11-27 09:00", "10:00")
    assert book("2026-11-27 09:00", "10:00", room=other_room).pk


@pytest.mark.parametrize("end_state", ["cancelled", "rejected"])
def test_it_frees_the_slot_of_a_cancelled_or_rejected_meeting(book, manager, client_contact, organization, end_state):
    if end_state == "cancelled":
        first = book("2026-11-27 09:00", "10:00")
        meeting_cancel(user=manager, meeting=first, reason="领导临时出差")
    else:
        client_contact.organization = organization
        client_contact.save()
        first = book("2026-11-27 09:00", "10:00", user=client_contact)
        meeting_reject(user=manager, meeting=first, reason="该时段已安排检查")
    assert book("2026-11-27 09:00", "10:00").pk


def test_it_refuses_a_reschedule_into_a_conflict_and_keeps_the_meeting(book, hotline):
    book("2026-11-27 14:00", "15:00", title="下午会")
    morning = book("2026-11-27 09:00", "10:00", title="上午会")
    with pytest.raises(BookingConflict):
        meeting_reschedule(user=hotline, meeting=morning, start=at("2026-11-27 14:30"), end=at("2026-11-27 15:30"))
    morning.refresh_from_db()
    assert morning.start == at("2026-11-27 09:00")
    assert not morning.changes.filter(action=MeetingChange.Action.UPDATED).exists()


def test_it_reschedules_into_a_free_slot_and_records_the_change(book, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    meeting_reschedule(
        user=hotline, meeting=meeting, start=at("2026-11-27 15:00"), end=at("2026-11-27 16:00"), reason="领导要求改期"
    )
    change = meeting.changes.get(action=MeetingChange.Action.UPDATED)
    assert change.changes == {
        "start": ["2026-11-27 09:00", "2026-11-27 15:00"],
        "end": ["2026-11-27 10:00", "2026-11-27 16:00"],
    }
    assert change.reason == "领导要求改期"
    assert change.changed_by == hotline


def test_it_lets_a_meeting_move_within_its_own_slot(book, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 09:30"), end=at("2026-11-27 10:30"))
    assert Meeting.objects.get().start == at("2026-11-27 09:30")


def test_it_records_every_changed_field_in_the_history(book, hotline, draft):
    meeting = book("2026-11-27 09:00", "10:00")
    meeting_update(
        user=hotline, meeting=meeting, draft=draft(headcount=15, service_items={"tea": (15, "龙井")}, notes="需要投影")
    )
    changes = meeting.changes.get(action=MeetingChange.Action.UPDATED).changes
    assert changes["headcount"] == ["10", "15"]
    assert changes["service_items"] == ["", "茶水×15 (龙井)"]
    assert changes["notes"] == ["", "需要投影"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start": at("2026-11-27 10:00"), "end": at("2026-11-27 09:00")}, "end", "结束时间必须晚于开始时间"),
        ({"headcount": 0}, "headcount", "至少"),
        ({"start": at("2026-11-25 09:00"), "end": at("2026-11-25 10:00")}, "start", "时间已过"),
        ({"headcount": 21}, "headcount", "容纳"),
        ({"end": at("2026-11-28 10:00")}, "end", "24 小时"),
        ({"setup_minutes": 300}, "setup_minutes", "240"),
        ({"teardown_minutes": -5}, "teardown_minutes", "240"),
        ({"layout": "theatre"}, "layout", "不支持"),
        ({"title": "  "}, "title", "标题"),
    ],
)
def test_it_refuses_bad_input_with_a_chinese_field_error_and_saves_nothing(
    draft, hotline, frozen_now, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        meeting_create(user=hotline, draft=draft(**overrides))
    assert message in " ".join(error.value.message_dict[field])
    assert not Meeting.objects.exists()


def test_it_lets_a_manager_exceed_capacity_only_with_a_reason(draft, manager, frozen_now):
    with pytest.raises(ValidationError) as error:
        meeting_create(user=manager, draft=draft(headcount=25))
    assert "原因" in error.value.message_dict["capacity_override_reason"][0]
    meeting = meeting_create(user=manager, draft=draft(headcount=25, capacity_override_reason="加座 5 把"))
    assert meeting.capacity_override_reason == "加座 5 把"


def test_it_lets_a_manager_record_a_meeting_that_already_started(draft, manager, frozen_now):
    assert meeting_create(user=manager, draft=draft("2026-11-26 07:00", "07:30")).pk


def test_it_refuses_an_inactive_room(draft, hotline, room, frozen_now):
    room.is_active = False
    room.save()
    with pytest.raises(ValidationError) as error:
        meeting_create(user=hotline, draft=draft())
    assert "停用" in error.value.message_dict["room"][0]


def test_it_takes_a_client_request_for_confirmation(draft, client_contact, organization, manager, frozen_now):
    client_contact.organization = organization
    client_contact.save()
    meeting = meeting_create(user=client_contact, draft=draft())
    assert meeting.status == Status.REQUESTED
    meeting_confirm(user=manager, meeting=meeting)
    assert Meeting.objects.get().status == Status.CONFIRMED
    assert [change.action for change in meeting.changes.all()] == ["requested", "confirmed"]


def test_it_keeps_a_requested_slot_held_until_decided(draft, client_contact, organization, book, frozen_now):
    client_contact.organization = organization
    client_contact.save()
    meeting_create(user=client_contact, draft=draft())
    with pytest.raises(BookingConflict):
        book()


def test_it_refuses_a_client_booking_for_another_organization(draft, client_contact, frozen_now):
    other = Organization.objects.create(name="市财政局")
    with pytest.raises(ValidationError) as error:
        meeting_create(user=client_contact, draft=draft(organizer=other))
    assert "organizer" in error.value.message_dict


def test_it_sends_a_clients_move_of_a_confirmed_meeting_back_for_approval(
    draft, client_contact, organization, manager, frozen_now
):
    client_contact.organization = organization
    client_contact.save()
    meeting = meeting_create(user=client_contact, draft=draft())
    meeting_confirm(user=manager, meeting=meeting)
    meeting_reschedule(user=client_contact, meeting=meeting, start=at("2026-11-27 15:00"), end=at("2026-11-27 16:00"))
    assert Meeting.objects.get().status == Status.REQUESTED


@pytest.mark.parametrize("persona", ["attendant", "env_supervisor", "reception", "outsider"])
def test_it_refuses_bookings_from_roles_that_do_not_book(draft, make_persona, frozen_now, persona):
    with pytest.raises(PermissionDenied):
        meeting_create(user=make_persona(persona), draft=draft())


def test_it_requires_a_reason_to_cancel_or_reject(book, hotline):
    meeting = book()
    with pytest.raises(ValidationError) as error:
        meeting_cancel(user=hotline, meeting=meeting, reason=" ")
    assert "原因" in error.value.message_dict["reason"][0]
    assert Meeting.objects.get().status == Status.CONFIRMED


def test_it_refuses_to_confirm_a_cancelled_meeting(book, hotline, manager):
    meeting = book()
    meeting_cancel(user=hotline, meeting=meeting, reason="取消")
    with pytest.raises(ValidationError):
        meeting_confirm(user=manager, meeting=meeting)


def test_it_names_another_organizations_meeting_only_as_another_booking(
    book, draft, client_contact, organization, frozen_now
):
    book(title="预算审议", organizer=Organization.objects.create(name="市财政局"))
    client_contact.organization = organization
    client_contact.save()
    with pytest.raises(BookingConflict) as conflict:
        meeting_create(user=client_contact, draft=draft())
    message = conflict.value.message_for(client_contact)
    assert "预算审议" not in message
    assert "已被其他预订占用" in message


def test_it_refuses_a_room_in_a_closed_site(draft, hotline, room, frozen_now):
    room.floor.site.is_active = False
    room.floor.site.save()
    with pytest.raises(ValidationError) as error:
        meeting_create(user=hotline, draft=draft())
    assert "停用" in error.value.message_dict["room"][0]
