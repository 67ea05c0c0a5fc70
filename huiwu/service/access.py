"""Who may see and do what in the service of meetings. The meeting itself is always fetched through
`meetings.access.get_meeting_for_user`, so what a user may not see answers 404 here too."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from huiwu.accounts.models import User
from huiwu.meetings.access import get_meeting_for_user, meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.service.models import LEVEL_ROLES, Assignment


def can_see_service(user: User) -> bool:
    """Service staff: the board, the checks and the service record of a meeting."""
    return user.is_authenticated and (user.has_perm("service.view_board") or user.has_perm("service.serve_meeting"))


def can_serve(user: User) -> bool:
    return user.has_perm("service.serve_meeting")


def can_assign(user: User) -> bool:
    return user.has_perm("service.assign_attendants")


def can_confirm_level(user: User, level: int) -> bool:
    """Each level is confirmed by its own role (DESIGN §4.1), nobody else."""
    return user.is_authenticated and user.has_role(LEVEL_ROLES[level])


def can_edit_standards(user: User) -> bool:
    return user.has_perm("service.add_servicestandard")


def get_service_meeting_for_user(user: User, meeting_id: int) -> Meeting:
    """The meeting, for someone who may see its service; 404 if they may not see the meeting at all."""
    meeting = get_meeting_for_user(user, meeting_id)
    if not can_see_service(user):
        raise PermissionDenied
    return meeting


def get_assignment_for_user(user: User, assignment_id: int) -> Assignment:
    if not can_see_service(user):
        raise PermissionDenied
    return get_object_or_404(
        Assignment.objects.select_related("meeting", "attendant").filter(meeting__in=meetings_visible_to(user)),
        pk=assignment_id,
    )
