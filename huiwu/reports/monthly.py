"""What the monthly service report (月度会务服务报告) of one client organization holds: the month's figures for its
meetings (the dashboard's, through `figures.all_figures`), the charts as images, each complaint with its
handling, and the month's notable meetings. A printed report leaves the system: a confidential meeting is
counted in it but named only as 保密会议."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiwu.directory.models import Organization
from huiwu.feedback.models import Complaint
from huiwu.lib.i18n import site_language
from huiwu.meetings.describe import CONFIDENTIAL_LABEL
from huiwu.meetings.models import Meeting
from huiwu.reports import charts
from huiwu.reports.figures import (
    OPEN_CAUSE_LABEL,
    Figures,
    ReportFilters,
    all_figures,
    complaints_of,
    held_of,
    satisfaction,
)
from huiwu.reports.models import MonthlyReport
from huiwu.service.models import MeetingCheck

NOTABLE_LARGEST = 10  # the largest meetings of the month, by headcount


def month_filters(month: date, organizer_id: int | None = None) -> ReportFilters:
    """The whole month of `month` (its first day), of one organizer or of all."""
    last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    return ReportFilters(first=month, last=last, organizer_id=organizer_id)


def _shown_title(meeting: Meeting) -> str:
    return str(CONFIDENTIAL_LABEL) if meeting.confidentiality else meeting.title


@dataclass(frozen=True)
class NotableMeeting:
    meeting: Meeting
    title: str  # 保密会议 for a confidential one
    levels_missed: int  # check levels not confirmed when it started
    complaints: int

    @property
    def note(self) -> str:
        """Why a meeting beyond the largest is in the list; empty for one that is there for its size."""
        reasons = []
        if self.levels_missed:
            reasons.append(_("check not completed at the start"))
        if self.complaints:
            reasons.append(pgettext("reason", "complaint"))
        return " · ".join(reasons)


def notable_meetings(filters: ReportFilters, now: datetime) -> list[NotableMeeting]:
    """The month's notable meetings: the NOTABLE_LARGEST largest by headcount, and every one with a complaint
    or with a check level still unconfirmed when it started — by start. One query."""
    held = held_of(filters).select_related("room")
    annotated = held.annotate(
        complaint_count=Count("complaints", distinct=True),
        missed_levels=Count(
            "checks",
            filter=~Q(checks__state=MeetingCheck.State.CONFIRMED) & Q(start__lte=now),
            distinct=True,
        ),
    )
    largest = held.order_by("-headcount", "start").values("pk")[:NOTABLE_LARGEST]
    rows = annotated.filter(Q(pk__in=largest) | Q(complaint_count__gt=0) | Q(missed_levels__gt=0))
    return [
        NotableMeeting(meeting, _shown_title(meeting), meeting.missed_levels, meeting.complaint_count)
        for meeting in rows.order_by("start", "pk")
    ]


@dataclass(frozen=True)
class ComplaintLine:
    complaint: Complaint
    meeting_title: str  # 保密会议 for a confidential one; empty without a meeting


def month_complaints(filters: ReportFilters) -> list[ComplaintLine]:
    """Each complaint received in the month, with its handling as recorded. One query."""
    complaints = complaints_of(filters).select_related("meeting", "root_cause").order_by("received_at", "pk")
    return [
        ComplaintLine(complaint, _shown_title(complaint.meeting) if complaint.meeting else "")
        for complaint in complaints
    ]


@dataclass(frozen=True)
class MonthlyContent:
    organization: Organization
    month: date
    made_at: datetime
    figures: Figures
    complaints: list[ComplaintLine]
    notable: list[NotableMeeting]
    check_chart: str  # data: URLs of the SVG charts
    satisfaction_chart: str
    cause_chart: str | None  # None without a complaint

    @property
    def meetings_held(self) -> int:
        return sum(row.meetings for row in self.figures.organizers)

    @property
    def hours_held(self) -> float:
        return round(sum(row.hours for row in self.figures.organizers), 2)

    @property
    def rooms_used(self) -> list:
        return [room for room in self.figures.rooms if room.meetings]

    @property
    def covers_until(self) -> date:
        """The month's last day, or today while the month is not over (a report made in the middle of it)."""
        return min(self.figures.filters.last, timezone.localdate(self.made_at))


def monthly_content(organization: Organization, month: date, now: datetime) -> MonthlyContent:
    filters = month_filters(month, organization.pk)
    found = all_figures(filters, now, building=False)
    # The twelve months up to this one.
    twelve_back = date(month.year, 1, 1) if month.month == 12 else date(month.year - 1, month.month + 1, 1)
    trend = satisfaction(ReportFilters(first=twelve_back, last=filters.last, organizer_id=organization.pk)).months
    check_chart = charts.stacked_bars(
        [(level.label, [level.on_time, level.late, level.missed]) for level in found.checks],
        colours=[charts.GOOD, charts.LATE, charts.MISSED],
        legend=[pgettext("report", "On time"), pgettext("report", "Late"), pgettext("report", "Missed")],
    )
    satisfaction_chart = charts.rates_against_target(
        [(f"{figure.month:%Y-%m}", figure.rate) for figure in trend],
        target=found.satisfaction.target,
        target_label=pgettext("report", "Target"),
    )
    causes = [(row.cause or str(OPEN_CAUSE_LABEL), row.complaints) for row in found.complaints_by_cause]
    return MonthlyContent(
        organization=organization,
        month=month,
        made_at=now,
        figures=found,
        complaints=month_complaints(filters),
        notable=notable_meetings(filters, now),
        check_chart=check_chart,
        satisfaction_chart=satisfaction_chart,
        cause_chart=charts.bars(causes) if causes else None,
    )


def monthly_report_filename(report: MonthlyReport) -> str:
    """“市机关事务管理局-2026-11-月度会务服务报告.pdf”, in the site's language."""
    with site_language():
        paper = str(_("Monthly service report"))
    return f"{report.organization.name}-{report.month:%Y-%m}-{paper}.pdf"
