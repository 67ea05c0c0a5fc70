"""Who may read and arrange a meeting's seating. The plan is the meeting's: it is reached only through the
meeting's own fetch-and-authorize helper, so a confidential meeting's plan answers 404 to whoever may not see
the meeting, and reading it is audited with the meeting."""

from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import RoleRequired
from huiwu.directory.access import can_see_people
from huiwu.meetings.models import Meeting
from huiwu.service.access import get_service_meeting_for_user

ARRANGE = "seating.arrange_seating"


def can_arrange(user: User) -> bool:
    return user.is_active and user.has_perm(ARRANGE)


def require_arranger(user: User) -> None:
    if not can_arrange(user):
        raise RoleRequired.holding(ARRANGE)


def can_read_seating(user: User) -> bool:
    """A plan names the leaders and guests where they sit: for who may see the directory's people (service
    staff), not for an account given the right to read the board alone."""
    return can_see_people(user)


def get_seating_meeting_for_user(user: User, meeting_id: int) -> Meeting:
    """The meeting whose seating the user reads: service staff who may see the meeting; 404 otherwise, as the
    directory's people are to whoever may not see them."""
    meeting = get_service_meeting_for_user(user, meeting_id)
    if not can_read_seating(user):
        raise Http404
    return meeting


def get_seating_meeting_to_arrange(user: User, meeting_id: int) -> Meeting:
    meeting = get_seating_meeting_for_user(user, meeting_id)
    require_arranger(user)
    return meeting
