"""The today page: each app contributes its sections (`<app>/today.py`), listed here, so that a new
capability adds its section with one line. Core itself speaks for the administrator, whose pages are
Django's admin, and for reception, whose own capability (the leaders' offices) has not landed yet: until it
does, reception sees how busy the building is today."""

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.delegations import today as delegations
from huiwu.feedback import today as feedback
from huiwu.lib.today import TodayCount, TodaySection, Tone
from huiwu.meetings import today as meetings
from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import day_bounds
from huiwu.notify.models import Delivery
from huiwu.reception import today as reception
from huiwu.security import today as security
from huiwu.service import today as service
from huiwu.surveys import today as surveys


def _reception_section() -> TodaySection:
    """Today's meetings per site: how many, from when to when. Counts and times only, so confidential
    meetings are counted without being named (the timeline shows them as busy blocks too)."""
    start, end = day_bounds(timezone.localdate())
    today = Meeting.objects.active().filter(start__gte=start, start__lt=end)
    per_site = list(
        today.values_list("room__floor__site__name")
        .annotate(count=Count("pk"), first=Min("start"), last=Max("end"))
        .order_by("room__floor__site__name")
    )
    counts = [
        TodayCount(label=site, value=count, url=reverse("meetings:timeline")) for site, count, _first, _last in per_site
    ]
    waiting = ""
    if per_site:
        total = sum(count.value for count in counts)
        first = min(row[2] for row in per_site)
        last = max(row[3] for row in per_site)
        waiting = ngettext(
            "%(count)d meeting in the building today, %(first)s–%(last)s",
            "%(count)d meetings in the building today, %(first)s–%(last)s",
            total,
        ) % {
            "count": total,
            "first": timezone.localtime(first).strftime("%H:%M"),
            "last": timezone.localtime(last).strftime("%H:%M"),
        }
    return TodaySection(
        role=Role.RECEPTION,
        hint=_("Today's meetings in the building, to direct visitors and leaders; the timeline shows each room."),
        waiting=waiting,
        link_url=reverse("meetings:timeline"),
        link_label=_("Timeline"),
        counts=counts,
    )


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
    if user.has_role(Role.RECEPTION):
        sections.append(_reception_section())
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
