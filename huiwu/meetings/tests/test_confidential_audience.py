"""Who besides cleared staff sees a confidential meeting: the person who booked it, and the organizer's own
client contacts — not staff who merely belong to the organizer, and not a colleague of the booker."""

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.meetings.access import meeting_audience_ids, meetings_busy_for, meetings_visible_to


def _user(username, role, organization=None):
    return user_upsert(
        username=username, password="x" * 12, display_name=username, roles=[role], organization=organization
    )


def test_it_shows_a_confidential_meeting_to_the_uncleared_hotline_user_who_booked_it(book, hotline):
    meeting = book("2026-11-27 09:00", "10:00", confidentiality=1, user=hotline)
    assert list(meetings_visible_to(hotline)) == [meeting]
    assert not meetings_busy_for(hotline).exists()
    assert hotline.pk in meeting_audience_ids(meeting)
    colleague = _user("hotline2", Role.HOTLINE)
    assert not meetings_visible_to(colleague).exists()
    assert list(meetings_busy_for(colleague)) == [meeting]
    assert colleague.pk not in meeting_audience_ids(meeting)


def test_it_hides_it_from_a_staff_user_whose_organization_is_the_organizers(book, manager, organization):
    meeting = book("2026-11-27 09:00", "10:00", confidentiality=1, user=manager)
    for role in (Role.ATTENDANT, Role.HOTLINE, Role.TEAM_LEADER):
        member = _user(f"member_{role.value}", role, organization=organization)
        assert not meetings_visible_to(member).exists(), role
        assert list(meetings_busy_for(member)) == [meeting], role
        assert member.pk not in meeting_audience_ids(meeting), role
    contact = _user("contact", Role.CLIENT, organization=organization)
    assert list(meetings_visible_to(contact)) == [meeting]
    assert contact.pk in meeting_audience_ids(meeting)


def test_it_shows_an_ordinary_meeting_to_every_staff_member(book, manager, attendant):
    meeting = book("2026-11-27 09:00", "10:00", user=manager)
    assert list(meetings_visible_to(attendant)) == [meeting]
    assert meeting_audience_ids(meeting) is None
