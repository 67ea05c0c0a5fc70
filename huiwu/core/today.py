"""The today page: each app contributes its sections (`<app>/today.py`), listed here, so that a new
capability adds its section with one line. Core itself speaks for the administrator, whose pages are
Django's admin, and for the roles whose capability has not landed yet."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import TodaySection
from huiwu.meetings import today as meetings
from huiwu.security import today as security
from huiwu.service import today as service

HINTS = {
    # Until the reception app lands with its own section.
    Role.RECEPTION: _("The daily routine of the leaders' offices will appear here."),
    Role.ADMIN: _("Users, sites and system settings are managed in Administration."),
}


def _core_sections(user: User) -> list[TodaySection]:
    return [TodaySection(role=role, hint=HINTS[role]) for role in user.roles if role in HINTS]


SECTION_SOURCES = (service.today_sections, security.today_sections, meetings.today_sections, _core_sections)
_ROLE_ORDER = {role: index for index, role in enumerate(Role)}


def today_sections(user: User) -> list[TodaySection]:
    """The user's sections in the order of their roles (DESIGN.md §2)."""
    sections = [section for source in SECTION_SOURCES for section in source(user)]
    return sorted(sections, key=lambda section: _ROLE_ORDER[section.role])
