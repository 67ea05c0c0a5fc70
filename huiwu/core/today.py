"""What each role's "today" page will gather; until a capability lands, each section says what it will hold."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role

ROLE_TODAY_HINTS = {
    Role.MANAGER: _("Today's meetings, check confirmations, complaints and team workload will appear here."),
    Role.TEAM_LEADER: _("Meetings to staff and the level-1 checks due two hours before each start will appear here."),
    Role.ENV_SUPERVISOR: _("Rooms to prepare and the level-2 checks due one hour before each start will appear here."),
    Role.HOTLINE: _("Calls to follow up and the level-3 checks due thirty minutes before each start will appear here."),
    Role.ATTENDANT: _("Your meetings, room preparation and refill reminders will appear here."),
    Role.RECEPTION: _("The daily routine of the leaders' offices will appear here."),
    Role.SECURITY_OFFICER: _("Clearances about to expire and access to confidential meetings will appear here."),
    Role.CLIENT: _("Your organization's meetings and the items awaiting your confirmation will appear here."),
    Role.ADMIN: _("Users, sites and system settings are managed in Administration."),
}
