"""Who may see and do what with meetings. Every page, API call, export and feed goes through these."""

from django.http import Http404

from huiwu.accounts.models import User
from huiwu.meetings.models import Meeting, MeetingQuerySet


def meetings_visible_to(user: User) -> MeetingQuerySet:
    """Service staff see every meeting; a client contact sees their own organization's."""
    meetings = Meeting.objects.select_related("room__floor__site", "organizer")
    if not user.is_authenticated or not user.is_active:
        return meetings.none()
    if user.has_perm("meetings.view_meeting"):
        return meetings
    if user.has_perm("meetings.add_meeting") and user.organization_id:
        return meetings.filter(organizer_id=user.organization_id)
    return meetings.none()


def visible_meeting_ids(user: User, meetings: list[Meeting]) -> set[int]:
    """Which of these meetings the user may know about (one query). The others show only as "taken"."""
    return set(meetings_visible_to(user).filter(pk__in=[m.pk for m in meetings]).values_list("pk", flat=True))


def get_meeting_for_user(user: User, meeting_id: int) -> Meeting:
    try:
        return meetings_visible_to(user).get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None


def can_book(user: User) -> bool:
    return user.has_perm("meetings.add_meeting")


def can_approve(user: User) -> bool:
    """Booking staff: their bookings are confirmed at once, and they confirm or reject requests."""
    return user.has_perm("meetings.approve_meeting")


def can_change(user: User, meeting: Meeting) -> bool:
    """Booking staff change any active meeting; a client changes their organization's active ones."""
    if not meeting.is_active:
        return False
    if user.has_perm("meetings.change_meeting"):
        return True
    return can_book(user) and meeting.organizer_id == user.organization_id
