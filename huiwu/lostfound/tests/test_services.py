"""Registering found items and recording their return: the rules, whoever calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.accounts.services import user_upsert
from huiwu.lostfound.models import LostItem
from huiwu.lostfound.services import lost_item_register, lost_item_return
from huiwu.testing import at


@pytest.fixture
def meeting(book, other_room, frozen_now):
    """A meeting in the other room this morning, now over (it is 10:30)."""
    meeting = book("2026-11-26 09:00", "10:00", room=other_room)
    frozen_now.move_to("2026-11-26 10:30 +0800")
    return meeting


def test_it_registers_an_item_found_by_the_user_in_the_meetings_room(attendant, meeting, other_room):
    item = lost_item_register(
        user=attendant,
        description=" 黑色保温杯 ",
        found_where="主席台第三座",
        found_at=at("2026-11-26 10:15"),
        stored_where="7楼服务台",
        meeting=meeting,
    )
    item.refresh_from_db()
    assert item.description == "黑色保温杯"
    assert item.room == other_room
    assert item.meeting == meeting
    assert item.found_by == attendant
    assert item.recorded_by == attendant
    assert item.is_open


def test_it_keeps_the_room_given_over_the_meetings(attendant, meeting, room):
    item = lost_item_register(
        user=attendant,
        description="雨伞",
        found_where="休息室",
        found_at=at("2026-11-26 10:15"),
        stored_where="服务台",
        meeting=meeting,
        room=room,
    )
    assert item.room == room


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "   "}, "description"),
        ({"found_where": ""}, "found_where"),
        ({"stored_where": " "}, "stored_where"),
        ({"description": "x" * 201}, "description"),
        ({"notes": "bad\x00text"}, "notes"),
        ({"found_at": at("2026-11-26 09:00")}, "found_at"),
        ({"found_at": None}, "found_at"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(register, change, field):
    with pytest.raises(ValidationError) as refused:
        register(**change)
    assert field in refused.value.message_dict
    assert not LostItem.objects.exists()


def test_it_says_why_a_future_time_is_refused(register):
    with pytest.raises(ValidationError) as refused:
        register(found_at=at("2026-11-26 09:00"))
    assert refused.value.message_dict["found_at"] == ["The time it was found cannot be in the future."]


def test_it_allows_a_clock_a_few_seconds_fast(register):
    assert register(found_at=at("2026-11-26 08:00").replace(second=30)).is_open


@pytest.mark.parametrize("persona", ["client_contact", "outsider", "security_officer"])
def test_it_refuses_registering_to_whoever_may_not(request, persona, room, frozen_now):
    with pytest.raises(PermissionDenied):
        lost_item_register(
            user=request.getfixturevalue(persona),
            description="雨伞",
            found_where="休息室",
            found_at=at("2026-11-26 07:45"),
            stored_where="服务台",
            room=room,
        )
    assert not LostItem.objects.exists()


def test_it_records_a_return_by_the_user_now(item, attendant):
    lost_item_return(user=attendant, item=item, returned_to=" 张处长 ", returned_to_phone="138 0000 1234")
    item.refresh_from_db()
    assert item.returned_to == "张处长"
    assert item.returned_to_phone == "138 0000 1234"
    assert item.handed_over_by == attendant
    assert item.returned_at == at("2026-11-26 08:00")
    assert not item.is_open
    assert list(LostItem.objects.open()) == []


def test_it_records_who_handed_it_over_and_when(item, attendant, hotline):
    lost_item_return(
        user=attendant, item=item, returned_to="李秘书", handed_over_by=hotline, returned_at=at("2026-11-26 07:50")
    )
    item.refresh_from_db()
    assert (item.handed_over_by, item.returned_at) == (hotline, at("2026-11-26 07:50"))


def test_it_refuses_returning_an_item_twice(item, attendant, hotline):
    lost_item_return(user=attendant, item=item, returned_to="张处长")
    stale = LostItem.objects.get(pk=item.pk)
    with pytest.raises(ValidationError) as refused:
        lost_item_return(user=hotline, item=stale, returned_to="冒领人")
    assert "already returned to 张处长" in refused.value.messages[0]
    stale.refresh_from_db()
    assert (stale.returned_to, stale.handed_over_by) == ("张处长", attendant)


def test_it_refuses_a_second_return_even_from_a_stale_copy(item, attendant):
    # The copy loaded before the first return still looks open; the check reads the row itself.
    stale = LostItem.objects.get(pk=item.pk)
    lost_item_return(user=attendant, item=item, returned_to="张处长")
    with pytest.raises(ValidationError):
        lost_item_return(user=attendant, item=stale, returned_to="别人")
    assert LostItem.objects.get(pk=item.pk).returned_to == "张处长"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"returned_to": "  "}, "returned_to"),
        ({"returned_to": "x" * 101}, "returned_to"),
        ({"returned_to_phone": "call me"}, "returned_to_phone"),
        ({"returned_at": at("2026-11-26 09:00")}, "returned_at"),
        ({"returned_at": at("2026-11-25 17:00")}, "returned_at"),
    ],
)
def test_it_refuses_a_bad_return_and_changes_nothing(item, attendant, change, field):
    with pytest.raises(ValidationError) as refused:
        lost_item_return(user=attendant, item=item, **({"returned_to": "张处长"} | change))
    assert field in refused.value.message_dict
    item.refresh_from_db()
    assert item.is_open
    assert item.returned_to == ""


def test_it_refuses_a_handover_by_someone_who_may_not_hand_items_over(item, attendant, client_contact, hotline):
    retired = user_upsert(username="retired", password="x-password-1", display_name="退休", roles=[])
    hotline.is_active = False
    hotline.save()
    for who in (client_contact, hotline, retired):
        with pytest.raises(ValidationError) as refused:
            lost_item_return(user=attendant, item=item, returned_to="张处长", handed_over_by=who)
        assert "handed_over_by" in refused.value.message_dict
    assert LostItem.objects.get(pk=item.pk).is_open


@pytest.mark.parametrize("persona", ["client_contact", "outsider", "security_officer"])
def test_it_refuses_returning_to_whoever_may_not(request, persona, item):
    with pytest.raises(PermissionDenied):
        lost_item_return(user=request.getfixturevalue(persona), item=item, returned_to="张处长")
    assert LostItem.objects.get(pk=item.pk).is_open
