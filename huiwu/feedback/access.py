"""Who may see and do what with complaints, the case library and follow-ups. Every page, API call and
notification link goes through these.

- Complaint handlers (`feedback.view_complaint`: the hotline, team leaders, managers) read and handle every
  complaint; those holding `feedback.change_complaint` record its steps and close it.
- A client contact reads the complaints of their own organization that they filed through the portal or
  that name them as the complainant, with the client-facing steps only (pages choose them: CLIENT_STEPS).
- Every member of staff with `feedback.view_case` reads the case library (closed complaints); who does not
  also handle complaints reads it without the complainant's personal data.
- A complaint or follow-up about a confidential meeting the user may not see does not exist for them (404,
  left out of every list); opening one about a confidential meeting is written to the audit log.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, RoleRequired, roles_holding
from huiwu.feedback.models import Complaint, ComplaintQuerySet, FollowUp
from huiwu.lib.params import MAX_ID
from huiwu.meetings.access import audit_meeting, meetings_visible_to
from huiwu.security.models import AuditEntry

# The steps a client reads of their own complaint (the investigation's findings and the staff's record of
# their acceptance stay internal), besides its receipt and its closing.
CLIENT_STEPS = ("apology", "report", "rectification")

# What stands in for the complainant's personal data where the reader may not see it.
HIDDEN = _("(hidden)")


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_handle_complaints(user: User) -> bool:
    """Reads every complaint (the hotline, team leaders, managers)."""
    return _active(user) and user.has_perm("feedback.view_complaint")


def can_receive_complaints(user: User) -> bool:
    return can_handle_complaints(user) and user.has_perm("feedback.add_complaint")


def can_change_complaints(user: User) -> bool:
    return can_handle_complaints(user) and user.has_perm("feedback.change_complaint")


def can_close_without_acceptance(user: User) -> bool:
    return can_change_complaints(user) and user.has_perm("feedback.close_without_acceptance")


def is_client_complainant(user: User) -> bool:
    """A client contact of an organization, who files complaints and follows their own through the portal."""
    return _active(user) and user.has_role(Role.CLIENT) and user.organization_id is not None


def can_read_cases(user: User) -> bool:
    return _active(user) and user.has_perm("feedback.view_case")


def can_see_complainant(user: User) -> bool:
    """The complainant's name, phone, contact and organization: for complaint handlers, not for who only
    reads the case library."""
    return can_handle_complaints(user)


def can_see_complaints(user: User) -> bool:
    """Whether the complaints pages are for this user at all (handlers, and clients for their own)."""
    return can_handle_complaints(user) or is_client_complainant(user)


def require_complaint_reader(user: User) -> None:
    if not can_see_complaints(user):
        raise RoleRequired([*roles_holding("feedback.view_complaint"), Role.CLIENT])


def require_complaint_receiver(user: User) -> None:
    """Staff who record complaints, or a client filing one of their own through the portal."""
    if not (can_receive_complaints(user) or is_client_complainant(user)):
        raise RoleRequired([*roles_holding("feedback.add_complaint"), Role.CLIENT])


def require_complaint_handler(user: User) -> None:
    if not can_change_complaints(user):
        raise RoleRequired.holding("feedback.view_complaint", "feedback.change_complaint")


def require_case_reader(user: User) -> None:
    if not can_read_cases(user):
        raise RoleRequired.holding("feedback.view_case")


def _meeting_shown_q(user: User) -> Q:
    """Rows about no meeting, or about one the user may see."""
    return Q(meeting__isnull=True) | Q(Exists(meetings_visible_to(user).filter(pk=OuterRef("meeting_id"))))


def _complaints() -> ComplaintQuerySet:
    return Complaint.objects.select_related(
        "meeting__room", "room__floor__site", "organization", "complainant_contact", "root_cause", "handler"
    )


def complaints_visible_to(user: User) -> ComplaintQuerySet:
    if can_handle_complaints(user):
        return _complaints().filter(_meeting_shown_q(user))
    if is_client_complainant(user):
        own = Q(received_by=user) | Q(complainant_contact__user=user)
        return _complaints().filter(own, organization_id=user.organization_id).filter(_meeting_shown_q(user))
    return Complaint.objects.none()


def _audited(user: User, complaint: Complaint) -> Complaint:
    if complaint.meeting is not None and complaint.meeting.is_confidential:
        audit_meeting(user, complaint.meeting, AuditEntry.Action.VIEW)
    return complaint


def _exists(object_id: int) -> None:
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= object_id <= MAX_ID:
        raise Http404


def get_complaint_for_user(user: User, complaint_id: int) -> Complaint:
    _exists(complaint_id)
    try:
        complaint = complaints_visible_to(user).get(pk=complaint_id)
    except Complaint.DoesNotExist:
        raise Http404 from None
    return _audited(user, complaint)


def get_complaint_to_handle(user: User, complaint_id: int) -> Complaint:
    """A complaint whose steps the user records: 404 as get_complaint_for_user, then 403 for readers only."""
    complaint = get_complaint_for_user(user, complaint_id)
    require_complaint_handler(user)
    return complaint


def cases_visible_to(user: User) -> ComplaintQuerySet:
    """The case library: closed complaints, about meetings the user may see."""
    if not can_read_cases(user):
        return Complaint.objects.none()
    return _complaints().cases().filter(_meeting_shown_q(user))


def get_case_for_user(user: User, complaint_id: int) -> Complaint:
    _exists(complaint_id)
    try:
        case = cases_visible_to(user).get(pk=complaint_id)
    except Complaint.DoesNotExist:
        raise Http404 from None
    return _audited(user, case)


def can_see_follow_ups(user: User) -> bool:
    return _active(user) and user.has_perm("feedback.view_followup")


def can_close_follow_ups(user: User) -> bool:
    return can_see_follow_ups(user) and user.has_perm("feedback.change_followup")


def require_follow_up_reader(user: User) -> None:
    if not can_see_follow_ups(user):
        raise RoleRequired.holding("feedback.view_followup")


def require_follow_up_closer(user: User) -> None:
    if not can_close_follow_ups(user):
        raise RoleRequired.holding("feedback.view_followup", "feedback.change_followup")


def follow_ups_visible_to(user: User):
    if not can_see_follow_ups(user):
        return FollowUp.objects.none()
    return FollowUp.objects.select_related(
        "meeting__room", "organization", "task", "answer", "complaint", "closed_by"
    ).filter(_meeting_shown_q(user))


def get_follow_up_for_user(user: User, follow_up_id: int) -> FollowUp:
    _exists(follow_up_id)
    try:
        follow_up = follow_ups_visible_to(user).get(pk=follow_up_id)
    except FollowUp.DoesNotExist:
        raise Http404 from None
    if follow_up.meeting is not None and follow_up.meeting.is_confidential:
        audit_meeting(user, follow_up.meeting, AuditEntry.Action.VIEW)
    return follow_up


def get_follow_up_to_close(user: User, follow_up_id: int) -> FollowUp:
    follow_up = get_follow_up_for_user(user, follow_up_id)
    require_follow_up_closer(user)
    return follow_up
