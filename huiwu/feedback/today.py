"""The complaints' part of the today page (listed in core/today.py): the hotline's complaints and follow-ups —
open complaints with their next step and its due time, open follow-ups, return visits due — and the
manager's view of what is late (escalated to them) and what was closed this month.

Each section costs a fixed number of queries however many complaints there are (tests/test_today.py)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.feedback.access import complaints_visible_to, follow_ups_visible_to
from huiwu.feedback.describe import due_describe
from huiwu.feedback.models import Complaint
from huiwu.feedback.selectors import complaint_due, follow_up_due
from huiwu.lib.today import TodayCount, TodayItem, TodayList, TodaySection, Tone, first_items
from huiwu.meetings.selectors import day_bounds


def _late_q(now: datetime) -> Q:
    """Open complaints past the apology's or the findings' due time (the manager has heard of them)."""
    return Q(apology_at__isnull=True, received_at__lte=now - timedelta(minutes=settings.COMPLAINT_APOLOGY_MINUTES)) | Q(
        investigation_at__isnull=True, received_at__lte=now - timedelta(hours=settings.COMPLAINT_FINDINGS_HOURS)
    )


def _return_visits_q(now: datetime) -> Q:
    """Closed complaints whose return visit has opened and is not recorded."""
    return Q(closed_at__lte=now - timedelta(days=settings.COMPLAINT_RETURN_VISIT_DAYS), return_visit_at__isnull=True)


def _complaint_item(complaint: Complaint, now: datetime) -> TodayItem:
    due = complaint_due(complaint, now)
    return TodayItem(
        title=complaint.summary,
        at=due.due_at if due else None,
        place=complaint.room.name if complaint.room else "",
        status=_("Overdue") if due and due.late else (due.label if due else ""),
        tone=Tone.ALERT if due and due.late else Tone.WAITING,
        detail=due_describe(due, now) if due else "",
        url=reverse("feedback:complaint", args=[complaint.pk]),
        action=_("Handle"),
    )


def _complaints_list(user: User, now: datetime, *, title, empty, only_late: bool = False) -> TodayList:
    complaints = complaints_visible_to(user).open()
    if only_late:
        complaints = complaints.filter(_late_q(now))
    complaints = complaints.order_by("received_at", "id")
    shown, total = first_items(complaints)
    return TodayList(
        title=title,
        items=[_complaint_item(complaint, now) for complaint in shown],
        total=total,
        empty=empty,
        url=reverse("feedback:complaints"),
    )


def _follow_ups_list(user: User, now: datetime) -> TodayList:
    follow_ups = follow_ups_visible_to(user).filter(closed_at__isnull=True).order_by("opened_at", "id")
    shown, total = first_items(follow_ups)
    items = []
    for follow_up in shown:
        due = follow_up_due(follow_up)
        late = now >= due
        items.append(
            TodayItem(
                title=follow_up.summary,
                at=due,
                place=follow_up.meeting.room.name if follow_up.meeting else "",
                status=_("Overdue") if late else follow_up.get_source_display(),
                tone=Tone.ALERT if late else Tone.WAITING,
                detail=str(follow_up.organization or ""),
                url=reverse("feedback:follow_up", args=[follow_up.pk]),
                action=_("Call back"),
            )
        )
    return TodayList(
        title=_("Follow-ups open"),
        items=items,
        total=total,
        empty=_("No follow-up is open."),
        url=reverse("feedback:follow_ups"),
    )


def _return_visits_list(user: User, now: datetime) -> TodayList:
    visits = complaints_visible_to(user).cases().filter(_return_visits_q(now)).order_by("closed_at", "id")
    shown, total = first_items(visits)
    return TodayList(
        title=_("Return visits due"),
        items=[_complaint_item(complaint, now) for complaint in shown],
        total=total,
        empty=_("No return visit is due."),
        url=reverse("feedback:complaints") + "?state=closed",
    )


def _hotline_section(user: User, now: datetime) -> TodaySection:
    complaints = _complaints_list(
        user, now, title=_("Open complaints"), empty=_("No complaint is open."), only_late=False
    )
    counts = complaints_visible_to(user).aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        late=Count("pk", filter=Q(closed_at__isnull=True) & _late_q(now)),
    )
    follow_ups = _follow_ups_list(user, now)
    visits = _return_visits_list(user, now)
    listed = reverse("feedback:complaints")
    waiting = []
    if counts["open"]:
        waiting.append(
            ngettext("%(count)d complaint open", "%(count)d complaints open", counts["open"])
            % {"count": counts["open"]}
        )
    if follow_ups.total:
        waiting.append(
            ngettext("%(count)d follow-up open", "%(count)d follow-ups open", follow_ups.total)
            % {"count": follow_ups.total}
        )
    return TodaySection(
        role=Role.HOTLINE,
        title=_("Complaints and follow-ups"),
        hint=_(
            "Apologise within %(minutes)d minutes of a complaint, report the findings within %(hours)d hours, "
            "and call clients back about low survey scores and disputed tasks."
        )
        % {"minutes": settings.COMPLAINT_APOLOGY_MINUTES, "hours": settings.COMPLAINT_FINDINGS_HOURS},
        waiting=str(_("; ").join(str(part) for part in waiting)),
        link_url=reverse("feedback:complaints"),
        link_label=_("Complaints"),
        counts=[
            TodayCount(_("Open complaints"), counts["open"], Tone.WAITING if counts["open"] else Tone.NEUTRAL, listed),
            TodayCount(_("Overdue"), counts["late"], Tone.ALERT if counts["late"] else Tone.NEUTRAL, listed),
            TodayCount(
                _("Follow-ups open"),
                follow_ups.total,
                Tone.WAITING if follow_ups.total else Tone.NEUTRAL,
                follow_ups.url,
            ),
            TodayCount(
                _("Return visits due"), visits.total, Tone.WAITING if visits.total else Tone.NEUTRAL, visits.url
            ),
        ],
        lists=[complaints, follow_ups, visits],
    )


def _manager_section(user: User, now: datetime) -> TodaySection:
    month_start = day_bounds(timezone.localdate(now).replace(day=1))[0]
    counts = complaints_visible_to(user).aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        late=Count("pk", filter=Q(closed_at__isnull=True) & _late_q(now)),
        closed=Count("pk", filter=Q(closed_at__gte=month_start)),
    )
    late = _complaints_list(user, now, title=_("Late complaints"), empty=_("No complaint is late."), only_late=True)
    listed = reverse("feedback:complaints")
    return TodaySection(
        role=Role.MANAGER,
        title=_("Complaints"),
        hint=_("Complaints whose apology or findings are late are escalated to you."),
        waiting=ngettext("%(count)d complaint late", "%(count)d complaints late", counts["late"])
        % {"count": counts["late"]}
        if counts["late"]
        else "",
        link_url=reverse("feedback:complaints"),
        link_label=_("Complaints"),
        counts=[
            TodayCount(_("Open complaints"), counts["open"], Tone.WAITING if counts["open"] else Tone.NEUTRAL, listed),
            TodayCount(_("Overdue"), counts["late"], Tone.ALERT if counts["late"] else Tone.NEUTRAL, listed),
            TodayCount(
                _("Closed this month"),
                counts["closed"],
                Tone.OK if counts["closed"] else Tone.NEUTRAL,
                reverse("feedback:cases"),
            ),
        ],
        lists=[late],
    )


def today_sections(user: User) -> list[TodaySection]:
    now = timezone.now()
    sections = []
    if user.has_role(Role.HOTLINE):
        sections.append(_hotline_section(user, now))
    if user.has_role(Role.MANAGER):
        sections.append(_manager_section(user, now))
    return sections
