"""Who may see and do what with meetings. Every page, API call, export and feed goes through these.

A confidential meeting (confidentiality ≥ 1) is visible only to managers, security officers, the staff
assigned to it or eligible to serve it (cleared, with valid papers: `huiwu.security.eligibility`), the person
who booked it and its organizer's own contacts. Everyone else who would otherwise see it sees only a busy
block — its room and time, labelled "confidential meeting" — and its own URLs answer 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, RoleRequired, roles_holding
from huiwu.directory.access import can_see_people, people_visible_to
from huiwu.directory.models import Person
from huiwu.meetings.models import Meeting, MeetingQuerySet
from huiwu.security.audit import audit_record
from huiwu.security.eligibility import eligible_meetings_q, missing_for
from huiwu.security.models import AuditEntry
from huiwu.service.models import Assignment


def _meetings_before_confidentiality(user: User) -> MeetingQuerySet:
    """Service staff see every meeting; a client contact sees their own organization's."""
    meetings = Meeting.objects.select_related("room__floor__site", "organizer")
    if not user.is_authenticated or not user.is_active:
        return meetings.none()
    if user.has_perm("meetings.view_meeting"):
        return meetings
    if user.has_perm("meetings.add_meeting") and user.organization_id:
        return meetings.filter(organizer_id=user.organization_id)
    return meetings.none()


# Whose access no confidentiality limits.
_SEE_EVERY_MEETING = (Role.MANAGER, Role.SECURITY_OFFICER)


def confidential_access_q(user: User) -> Q:
    """The meetings whose confidentiality does not hide them from this user."""
    if user.has_role(*_SEE_EVERY_MEETING):
        return Q(pk__isnull=False)  # every meeting (and, excluded, none: an empty Q() would exclude nothing)
    access = (
        Q(confidentiality=0)
        | Q(created_by=user)
        | Q(Exists(Assignment.objects.filter(meeting=OuterRef("pk"), attendant=user)))
    )
    if user.has_role(Role.CLIENT) and user.organization_id:
        access |= Q(organizer_id=user.organization_id)
    if user.is_service_staff:
        access |= eligible_meetings_q(user)
    return access


def meetings_visible_to(user: User) -> MeetingQuerySet:
    return _meetings_before_confidentiality(user).filter(confidential_access_q(user))


def meetings_busy_for(user: User) -> MeetingQuerySet:
    """Confidential meetings the user would see but for their confidentiality: shown as busy blocks (room
    and time only) wherever the user lists meetings."""
    if user.has_role(*_SEE_EVERY_MEETING):
        return Meeting.objects.none()  # none, and known without asking the database (the board polls it)
    return _meetings_before_confidentiality(user).filter(confidentiality__gt=0).exclude(confidential_access_q(user))


def meeting_audience_ids(meeting: Meeting) -> set[int] | None:
    """The users who may see a confidential meeting (None: an ordinary meeting, anyone who may see meetings).
    Notifications about it name it only to them; everyone else is told of a busy block."""
    if not meeting.is_confidential:
        return None
    privileged = User.objects.filter(
        is_active=True, groups__name__in=[Role.MANAGER.value, Role.SECURITY_OFFICER.value]
    ).values_list("pk", flat=True)
    audience = set(privileged) | {meeting.created_by_id}
    audience |= set(meeting.assignments.values_list("attendant_id", flat=True))
    audience |= set(
        User.objects.filter(
            is_active=True, organization_id=meeting.organizer_id, groups__name=Role.CLIENT.value
        ).values_list("pk", flat=True)
    )
    cleared = User.objects.filter(is_active=True, staff_profile__clearance_level__gte=meeting.confidentiality)
    audience |= {
        user.pk
        for user in cleared.exclude(pk__in=audience)
        if not missing_for(user, level=meeting.confidentiality, start=meeting.start, end=meeting.end)
    }
    return audience


def visible_meeting_ids(user: User, meetings: list[Meeting]) -> set[int]:
    """Which of these meetings the user may know about (one query). The others show only as "taken"."""
    return set(meetings_visible_to(user).filter(pk__in=[m.pk for m in meetings]).values_list("pk", flat=True))


def _names_own_people(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CLIENT) and user.organization_id is not None


def can_name_attendees(user: User) -> bool:
    """Service staff name any leader or guest of the directory; a client contact their own organization's."""
    return can_see_people(user) or _names_own_people(user)


def attendee_choices(user: User) -> QuerySet[Person]:
    """The leaders and guests the user may name as a meeting's attendees (a client sees them by name and
    title only: rank details and habits stay with the staff who serve them)."""
    if can_see_people(user):
        return people_visible_to(user)
    if _names_own_people(user):
        return Person.objects.filter(is_active=True, organization_id=user.organization_id).select_related(
            "organization"
        )
    return Person.objects.none()


def attendees_visible_to(user: User, meeting: Meeting) -> list[Person] | None:
    """The meeting's attendees the user may read, from its prefetched links (meetings_with_details): all of
    them for service staff, their own organization's for a client; None for whoever may read none."""
    people = [link.person for link in meeting.attendee_links.all()]
    if can_see_people(user):
        return people
    if _names_own_people(user):
        return [person for person in people if person.organization_id == user.organization_id]
    return None


def get_meeting_for_user(user: User, meeting_id: int) -> Meeting:
    try:
        meeting = meetings_visible_to(user).get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if meeting.is_confidential:
        audit_meeting(user, meeting, AuditEntry.Action.VIEW)
    return meeting


def audit_meeting(user: User, meeting: Meeting, action: str) -> None:
    """Every view, export and change of a confidential meeting is written to the audit log."""
    audit_record(user=user, action=action, subject_type="meeting", subject_id=meeting.pk, summary=meeting.title)


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


def require_meeting_reader(user: User) -> None:
    """The timeline, the list and the free rooms: for who sees meetings or books them (403 otherwise)."""
    if not (user.has_perm("meetings.view_meeting") or can_book(user)):
        raise RoleRequired([*roles_holding("meetings.view_meeting"), *roles_holding("meetings.add_meeting")])


def require_booker(user: User) -> None:
    if not can_book(user):
        raise RoleRequired.holding("meetings.add_meeting")


def require_approver(user: User) -> None:
    if not can_approve(user):
        raise RoleRequired.holding("meetings.approve_meeting")


def require_change(user: User, meeting: Meeting) -> None:
    """403 unless the user may change the meeting, naming the roles when a role is what they lack (a cancelled
    or rejected meeting changes for nobody)."""
    if can_change(user, meeting):
        return
    if meeting.is_active and not can_book(user):
        raise RoleRequired.holding("meetings.change_meeting")
    raise PermissionDenied


def get_meeting_to_change(user: User, meeting_id: int) -> Meeting:
    """404 as get_meeting_for_user, then 403 for who may see the meeting but not change it."""
    meeting = get_meeting_for_user(user, meeting_id)
    require_change(user, meeting)
    return meeting
