"""The roles of DESIGN.md §2. Each role is a Django group of the same code holding the permissions below.

Groups are kept in step with this table after every migration (see apps.py), so a role's permissions
are changed here, in code review, and never by hand in one deployment only.
"""

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

_VIEW_DIRECTORY = ["directory.view_organization", "venues.view_site"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.MANAGER: ["accounts.view_user", *_VIEW_DIRECTORY],
    Role.TEAM_LEADER: _VIEW_DIRECTORY,
    Role.ENV_SUPERVISOR: _VIEW_DIRECTORY,
    Role.HOTLINE: _VIEW_DIRECTORY,
    Role.ATTENDANT: ["venues.view_site"],
    Role.RECEPTION: ["venues.view_site"],
    Role.SECURITY_OFFICER: ["accounts.view_user", "venues.view_site"],
    Role.CLIENT: [],
    Role.ADMIN: [
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.view_apitoken",
        "accounts.change_apitoken",
        "auth.view_group",
        # To lift a login lockout before its cool-off ends.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "directory.add_organization",
        "directory.change_organization",
        "directory.view_organization",
        "venues.add_site",
        "venues.change_site",
        "venues.view_site",
    ],
}
