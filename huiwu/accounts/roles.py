"""The roles of DESIGN.md §2. Each role is a Django group of the same code holding the permissions below.

Groups are kept in step with this table after every migration (see apps.py), so a role's permissions
are changed here, in code review, and never by hand in one deployment only.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Service centre manager")
    TEAM_LEADER = "team_leader", _("Conference team leader")
    ENV_SUPERVISOR = "env_supervisor", _("Environment supervisor")
    HOTLINE = "hotline", _("Service hotline")
    ATTENDANT = "attendant", _("Conference attendant")
    RECEPTION = "reception", _("Reception attendant")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    CLIENT = "client", _("Client contact")
    ADMIN = "admin", _("System administrator")


# Staff of the property-service company, as opposed to clients of the government units they serve.
STAFF_ROLES = frozenset(Role) - {Role.CLIENT}

_VIEW_DIRECTORY = ["directory.view_organization", "directory.view_person", "venues.view_site", "venues.view_room"]
# Booking staff take bookings (the hotline by phone) and confirm or reject what clients request.
_BOOK_MEETINGS = ["meetings.add_meeting", "meetings.change_meeting", "meetings.approve_meeting"]
_VIEW_MEETINGS = ["meetings.view_meeting"]
_SERVE_MEETINGS = ["service.serve_meeting", "service.view_board", "service.view_servicestandard"]
_LOST_AND_FOUND = ["lostfound.view_lostitem", "lostfound.add_lostitem", "lostfound.change_lostitem"]
# Delegated tasks: service staff read them and do those given to them; booking staff record, accept and
# assign them and record the notices to clients.
_DO_DELEGATIONS = ["delegations.view_delegatedtask", "delegations.change_delegatedtask"]
_RUN_DELEGATIONS = [*_DO_DELEGATIONS, "delegations.add_delegatedtask"]
# Complaints are received and handled by the hotline, team leaders and managers; every member of staff reads
# the case library (without the complainants' personal data) to learn from it.
_HANDLE_FEEDBACK = [
    "feedback.view_complaint",
    "feedback.add_complaint",
    "feedback.change_complaint",
    "feedback.view_case",
    "surveys.view_surveyanswer",
    "feedback.view_followup",
    "feedback.change_followup",
]
_READ_CASES = ["feedback.view_case"]
# The seating plan of a meeting (主席台座次) is arranged by who books and runs the meetings; attendants and the
# environment supervisor read it from the service page.
_ARRANGE_SEATING = ["seating.arrange_seating"]
# The reception team's day (leaders' offices, documents, newspapers, lunch): reception does it; the team leader
# and the manager read it and hear of what was missed. The leaders' offices, tableware sets and subscriptions
# are kept by reception, who know them; the calendar's overrides by administrators and managers.
_READ_RECEPTION = ["reception.view_dayplan"]
_WORK_RECEPTION = [
    *_READ_RECEPTION,
    "reception.work_reception",
    "reception.change_leaderoffice",
    "reception.add_leaderoffice",
    "reception.add_tablewareset",
    "reception.change_tablewareset",
    "reception.add_subscription",
    "reception.change_subscription",
    "reception.add_publication",
    "reception.change_publication",
]
_KEEP_CALENDAR = [
    "reception.view_calendaroverride",
    "reception.add_calendaroverride",
    "reception.change_calendaroverride",
    "reception.delete_calendaroverride",
    "reception.view_calendaryear",
    "reception.add_calendaryear",
    "reception.change_calendaryear",
    "reception.delete_calendaryear",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.MANAGER: [
        "accounts.view_user",
        *_VIEW_DIRECTORY,
        *_VIEW_MEETINGS,
        *_BOOK_MEETINGS,
        *_ARRANGE_SEATING,
        # Managers may book beyond a room's capacity (with a reason) and record meetings after the fact.
        "meetings.override_capacity",
        "meetings.book_in_past",
        *_SERVE_MEETINGS,
        "service.assign_attendants",
        # Service standards change by new versions only: the old ones stay as history.
        "service.add_servicestandard",
        *_LOST_AND_FOUND,
        *_RUN_DELEGATIONS,
        *_HANDLE_FEEDBACK,
        # Only a manager closes a complaint without the client's acceptance, giving the reason.
        "feedback.close_without_acceptance",
        # Managers see who is qualified to serve confidential meetings (the security officer keeps it).
        "security.view_staffprofile",
        *_READ_RECEPTION,
        # The reception routine's times change by new versions only, like the service standards.
        "reception.add_routinestandard",
        *_KEEP_CALENDAR,
    ],
    Role.TEAM_LEADER: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEETINGS,
        *_BOOK_MEETINGS,
        *_ARRANGE_SEATING,
        *_SERVE_MEETINGS,
        "service.assign_attendants",
        *_LOST_AND_FOUND,
        *_RUN_DELEGATIONS,
        *_HANDLE_FEEDBACK,
        *_READ_RECEPTION,
    ],
    Role.ENV_SUPERVISOR: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEETINGS,
        *_SERVE_MEETINGS,
        *_LOST_AND_FOUND,
        *_DO_DELEGATIONS,
        *_READ_CASES,
    ],
    # The hotline confirms level 3 and takes the calls about lost property, but does not serve in rooms.
    Role.HOTLINE: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEETINGS,
        *_BOOK_MEETINGS,
        *_ARRANGE_SEATING,
        "service.view_board",
        "service.view_servicestandard",
        *_LOST_AND_FOUND,
        *_RUN_DELEGATIONS,
        *_HANDLE_FEEDBACK,
    ],
    Role.ATTENDANT: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEETINGS,
        *_SERVE_MEETINGS,
        *_LOST_AND_FOUND,
        *_DO_DELEGATIONS,
        *_READ_CASES,
    ],
    # Reception record the ad-hoc matters (随机性事务) the GM office, leaders and departments give them as
    # delegated tasks (kind errand), assign them within the team and confirm them with the requester.
    Role.RECEPTION: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEETINGS,
        *_LOST_AND_FOUND,
        *_RUN_DELEGATIONS,
        *_READ_CASES,
        *_WORK_RECEPTION,
    ],
    # The security officer keeps the staff's qualifications and reads the audit log.
    Role.SECURITY_OFFICER: [
        "accounts.view_user",
        *_VIEW_DIRECTORY,
        *_VIEW_MEETINGS,
        "lostfound.view_lostitem",
        "security.view_staffprofile",
        "security.manage_clearances",
        "security.view_auditentry",
        *_READ_CASES,
    ],
    # Clients request meetings and delegate tasks for their own organization; booking staff confirm them.
    Role.CLIENT: ["meetings.add_meeting", "delegations.add_delegatedtask"],
    Role.ADMIN: [
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        *_VIEW_MEETINGS,
        "accounts.view_apitoken",
        "accounts.change_apitoken",
        "auth.view_group",
        # Robots and webhooks, and the deliveries that failed (to retry them).
        "notify.view_endpoint",
        "notify.add_endpoint",
        "notify.change_endpoint",
        "notify.delete_endpoint",
        "notify.view_delivery",
        "notify.change_delivery",
        "notify.view_deadline",
        "notify.view_notification",
        # To lift a login lockout before its cool-off ends.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "directory.add_organization",
        "directory.change_organization",
        "directory.view_organization",
        # An organization's departments and contacts are edited with it (inlines of its admin page).
        "directory.add_department",
        "directory.change_department",
        "directory.add_contact",
        "directory.change_contact",
        "directory.add_person",
        "directory.change_person",
        "directory.view_person",
        "venues.add_site",
        "venues.change_site",
        "venues.view_site",
        "venues.add_floor",
        "venues.change_floor",
        "venues.view_floor",
        "venues.add_room",
        "venues.change_room",
        "venues.view_room",
        "venues.add_equipment",
        "venues.change_equipment",
        "venues.view_equipment",
        # The list of root causes complaints are filed under.
        "feedback.add_rootcause",
        "feedback.change_rootcause",
        "feedback.view_rootcause",
        *_KEEP_CALENDAR,
        "reception.view_leaderoffice",
        "reception.add_leaderoffice",
        "reception.change_leaderoffice",
        "reception.view_tablewareset",
        "reception.add_tablewareset",
        "reception.change_tablewareset",
        "reception.view_publication",
        "reception.add_publication",
        "reception.change_publication",
    ],
}


def roles_holding(*permissions: str) -> list[Role]:
    """The roles that hold every one of `permissions`, in the order of Role."""
    return [role for role in Role if set(permissions) <= set(ROLE_PERMISSIONS[role])]


class RoleRequired(PermissionDenied):
    """A refusal for want of a role: `roles` are those any one of which would allow the action. The API
    answers it with 403 naming them; a refusal that is not about a role stays a plain PermissionDenied.
    `message`, when given, says what the roles alone do not (e.g. "only who serves this meeting")."""

    def __init__(self, roles: Iterable[Role], message: str = "") -> None:
        wanted = set(roles)
        self.roles = [role for role in Role if role in wanted]
        self.message = message
        super().__init__(", ".join(self.roles))

    @classmethod
    def holding(cls, *permissions: str) -> "RoleRequired":
        """Refused for want of every one of `permissions`: the roles that hold them all would do."""
        return cls(roles_holding(*permissions))
