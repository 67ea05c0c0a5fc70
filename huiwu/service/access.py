"""Who may see and do what in the service of meetings. The meeting itself is always fetched through
`meetings.access.get_meeting_for_user`, so what a user may not see answers 404 here too."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, RoleRequired, roles_holding
from huiwu.meetings.access import get_meeting_for_user, meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.service.models import LEVEL_ROLES, Assignment


def can_see_service(user: User) -> bool:
    """Service staff: the board, the checks and the service record of a meeting."""
    return user.is_authenticated and (user.has_perm("service.view_board") or user.has_perm("service.serve_meeting"))


# Who may record the service of any meeting, assigned or not: those who run the team and answer for it.
SERVICE_LEADS = (Role.MANAGER, Role.TEAM_LEADER)


def can_serve(user: User) -> bool:
    return user.has_perm("service.serve_meeting")


def can_serve_meeting(user: User, meeting: Meeting) -> bool:
    """Record this meeting's start, refills, end, checklist ticks and requests: who is assigned to it, the
    team leader and the manager. The record says who served, so an attendant of another meeting does not
    write in it. Uses the meeting's prefetched assignments when there are (the board, the tasks)."""
    if not can_serve(user):
        return False
    if user.has_role(*SERVICE_LEADS):
        return True
    return any(assignment.attendant_id == user.pk for assignment in meeting.assignments.all())


def can_assign(user: User) -> bool:
    return user.has_perm("service.assign_attendants")


def can_confirm_level(user: User, level: int) -> bool:
    """Each level is confirmed by its own role (DESIGN §4.1), nobody else."""
    return user.is_authenticated and user.has_role(LEVEL_ROLES[level])


def can_edit_standards(user: User) -> bool:
    return user.has_perm("service.add_servicestandard")


def require_service_reader(user: User) -> None:
    """The board, the workload and the standards: for service staff (403 naming their roles otherwise)."""
    if not can_see_service(user):
        raise RoleRequired([*roles_holding("service.view_board"), *roles_holding("service.serve_meeting")])


def require_server(user: User) -> None:
    """My tasks, the checklists, the start, refills, requests and the end: for who serves meetings."""
    if not can_serve(user):
        raise RoleRequired.holding("service.serve_meeting")


def require_meeting_server(user: User, meeting: Meeting) -> None:
    """403 naming the roles that may record any meeting, and saying that the assigned attendants may too."""
    if not can_serve_meeting(user, meeting):
        raise RoleRequired(
            SERVICE_LEADS,
            message=_(
                "Only this meeting's attendants, the conference team leader and the service centre manager "
                "can record its service."
            ),
        )


def require_assigner(user: User) -> None:
    if not can_assign(user):
        raise RoleRequired.holding("service.assign_attendants")


def require_level_confirmer(user: User, level: int) -> None:
    if not can_confirm_level(user, level):
        raise RoleRequired([LEVEL_ROLES[level]])


def require_standards_editor(user: User) -> None:
    if not can_edit_standards(user):
        raise RoleRequired.holding("service.add_servicestandard")


def get_service_meeting_for_user(user: User, meeting_id: int) -> Meeting:
    """The meeting, for someone who may see its service; 404 if they may not see the meeting at all."""
    meeting = get_meeting_for_user(user, meeting_id)
    require_service_reader(user)
    return meeting


def get_assignment_for_user(user: User, assignment_id: int) -> Assignment:
    require_service_reader(user)
    return get_object_or_404(
        Assignment.objects.select_related("meeting__room__floor__site", "attendant", "assigned_by").filter(
            meeting__in=meetings_visible_to(user)
        ),
        pk=assignment_id,
    )
