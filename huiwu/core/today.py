"""The today page: each app contributes its sections (`<app>/today.py`), listed here, so that a new
capability adds its section with one line. Core itself speaks only for the administrator, whose pages are
Django's admin."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.delegations import today as delegations
from huiwu.feedback import today as feedback
from huiwu.lib.today import TodayCount, TodaySection, Tone
from huiwu.meetings import today as meetings
from huiwu.notify.models import Delivery
from huiwu.reception import today as reception
from huiwu.security import today as security
from huiwu.service import today as service
from huiwu.surveys import today as surveys


def _admin_section() -> TodaySection:
    failed = Delivery.objects.filter(state=Delivery.State.FAILED).count()
    deliveries = reverse("admin:notify_delivery_changelist") + f"?state__exact={Delivery.State.FAILED}"
    return TodaySection(
        role=Role.ADMIN,
        hint=_("Users, sites and system settings are managed in Administration."),
        waiting=ngettext(
            "%(count)d message could not be delivered", "%(count)d messages could not be delivered", failed
        )
        % {"count": failed}
        if failed
        else "",
        link_url=reverse("admin:index"),
        link_label=_("Administration"),
        counts=[
            TodayCount(
                label=_("Failed deliveries"),
                value=failed,
                tone=Tone.ALERT if failed else Tone.NEUTRAL,
                url=deliveries,
            )
        ],
    )


def _core_sections(user: User) -> list[TodaySection]:
    sections = []
    if user.has_role(Role.ADMIN):
        sections.append(_admin_section())
    return sections


SECTION_SOURCES = (
    service.today_sections,
    delegations.today_sections,
    feedback.today_sections,
    surveys.today_sections,
    reception.today_sections,
    security.today_sections,
    meetings.today_sections,
    _core_sections,
)
_ROLE_ORDER = {role: index for index, role in enumerate(Role)}


def today_sections(user: User) -> list[TodaySection]:
    """The user's sections in the order of their roles (DESIGN.md §2). Within a role, the sections where
    something waits for the user come first (a client's task to confirm before the list of their meetings),
    then the role's own section before those of its other work (titled, e.g. 委托事务)."""
    sections = [section for source in SECTION_SOURCES for section in source(user)]
    return sorted(sections, key=lambda section: (_ROLE_ORDER[section.role], not section.waiting, bool(section.title)))
