"""The figures over JSON: every figure of reports/figures.py for one period and the same filters as the
dashboard. Durations are given in minutes; shares from 0 to 1 (None where nothing was counted)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from huiwu.directory.models import Organization
from huiwu.lib.api import (
    Date,
    DateTime,
    Id,
    InputSchema,
    OrganizationRefOut,
    Page,
    PageIn,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    one_of,
    pdf_answered,
)
from huiwu.lib.uploads import PDF, private_file_response
from huiwu.reports import figures
from huiwu.reports.access import (
    figures_organizer,
    get_monthly_report_for_user,
    monthly_reports_visible_to,
    reads_every_organizer,
    require_report_maker,
)
from huiwu.reports.monthly import monthly_report_filename
from huiwu.reports.periods import PeriodKind, period_days
from huiwu.reports.services import monthly_report_generate
from huiwu.venues.models import Room, Site

router = Router(tags=["reports"])


class FiguresIn(InputSchema):
    period: one_of(PeriodKind) = Field(PeriodKind.MONTH, description="week (Monday–Sunday), month, or range")
    day: Date | None = Field(None, description="A day of the week or month asked (default: today)")
    date_from: Date | None = Field(None, description="The first day of a range")
    date_to: Date | None = Field(None, description="The last day of a range, at most 366 days from its first")
    site: Id | None = None
    room: Id | None = None
    organizer: Id | None = Field(None, description="A client contact reads their own organization only")


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


class RoomUseOut(Schema):
    room_id: int
    room: str
    site_id: int
    site: str
    meetings: int
    hours: float
    open_hours: float
    utilisation: float | None


class RoomHoursOut(Schema):
    room_id: int
    room: str
    minutes: list[int] = Field(description="Booked minutes in each hour of `hours`, over the period")
    utilisation: list[float | None] = Field(description="Per hour: booked minutes ÷ 60 × the working days")


class RoomHeatOut(Schema):
    hours: list[int] = Field(description="The hours of the working day: 8 for 08:00–09:00, …")
    rooms: list[RoomHoursOut]


class SiteUseOut(Schema):
    site_id: int
    site: str
    rooms: int
    meetings: int
    hours: float
    open_hours: float
    utilisation: float | None


class OrganizerUseOut(Schema):
    organizer_id: int
    organizer: str
    meetings: int
    hours: float


class RequestsOut(Schema):
    requested: int
    confirmed: int
    rejected: int
    waiting: int
    median_answer_minutes: float | None

    @staticmethod
    def resolve_median_answer_minutes(outcomes: figures.RequestOutcomes) -> float | None:
        return _minutes(outcomes.median_answer)


class LevelOut(Schema):
    level: int
    label: str
    on_time: int
    late: int
    missed: int
    counted: int


class RefillsOut(Schema):
    on_time: int
    early: int
    late: int
    median_lateness_minutes: float | None


class AttendantRefillsOut(Schema):
    attendant_id: int
    attendant: str
    on_time: int
    early: int
    late: int
    done: int


class TasksOut(Schema):
    done: int
    confirmed: int
    notified: int
    awaiting: int
    confirmed_share: float | None
    median_to_confirmation_minutes: float | None

    @staticmethod
    def resolve_median_to_confirmation_minutes(tasks: figures.TaskFigures) -> float | None:
        return _minutes(tasks.median_to_confirmation)


class CauseOut(Schema):
    cause: str = Field(description='The root cause; "" while the complaint is open')
    complaints: int


class MonthCountOut(Schema):
    month: date
    complaints: int


class ComplaintsOut(Schema):
    received: int
    closed: int
    return_visits: int
    median_to_apology_minutes: float | None
    median_to_close_minutes: float | None
    by_cause: list[CauseOut]
    by_month: list[MonthCountOut]


class SatisfactionMonthOut(Schema):
    month: date
    answers: int
    satisfied: int
    rate: float | None


class ItemOut(Schema):
    aspect: str
    label: str
    answers: int
    satisfied: int
    rate: float | None
    average: float | None


class SatisfactionOut(Schema):
    target: float = Field(description="REPORTS_SATISFACTION_TARGET as a share, e.g. 0.96")
    months: list[SatisfactionMonthOut]
    items: list[ItemOut]


class RoutineOut(Schema):
    code: str
    label: str
    on_time: int
    late: int
    missed: int


class DocumentsOut(Schema):
    due: int
    on_time: int
    late: int
    waiting: int


class ReceptionOut(Schema):
    routine: list[RoutineOut]
    documents: DocumentsOut


class StaffWorkOut(Schema):
    user_id: int
    name: str
    meetings: int
    hours: float


class PaperOut(Schema):
    kind: str
    user_id: int
    name: str
    valid_until: date


class StaffOut(Schema):
    work: list[StaffWorkOut]
    papers_expiring: list[PaperOut]


class FiguresOut(Schema):
    first: date
    last: date
    organizer: int | None = Field(description="The organizer the figures are narrowed to (a client's own)")
    rooms: list[RoomUseOut]
    heat: RoomHeatOut
    sites: list[SiteUseOut]
    organizers: list[OrganizerUseOut]
    requests: RequestsOut
    checks: list[LevelOut]
    started_unchecked: int
    refills: RefillsOut
    refills_by_attendant: list[AttendantRefillsOut] | None = Field(description="For the manager only")
    tasks: TasksOut
    complaints: ComplaintsOut
    satisfaction: SatisfactionOut
    reception: ReceptionOut | None = Field(description="The building's own work: for the manager only")
    staff: StaffOut | None = Field(description="For the manager only")


def _filters(request: HttpRequest, query: FiguresIn) -> figures.ReportFilters:
    """The figures' filters for `query`, as the user may read them: 404 for a site, room or organizer that
    does not exist (or, to a client, another organization)."""
    organizer = figures_organizer(request.user, query.organizer)
    if organizer is not None and not Organization.objects.filter(pk=organizer).exists():
        raise Http404
    if query.site is not None and not Site.objects.filter(pk=query.site).exists():
        raise Http404
    if query.room is not None and not Room.objects.filter(pk=query.room).exists():
        raise Http404
    first, last = period_days(
        query.period, day=query.day or timezone.localdate(), date_from=query.date_from, date_to=query.date_to
    )
    return figures.ReportFilters(first, last, site_id=query.site, room_id=query.room, organizer_id=organizer)


@router.get(
    "/reports/figures",
    response={200: FiguresOut, **errors_answered(404, 422)},
    summary="Every figure of the service centre for a week, a month or a range, by site, room or organizer",
)
@answers_validation_errors()
def report_figures(request: HttpRequest, query: Query[FiguresIn]):
    found = figures.all_figures(_filters(request, query), timezone.now(), building=reads_every_organizer(request.user))
    refills, complaints, filters = found.refills, found.complaints, found.filters
    return {
        "first": filters.first,
        "last": filters.last,
        "organizer": filters.organizer_id,
        "rooms": found.rooms,
        "heat": found.heat,
        "sites": found.sites,
        "organizers": found.organizers,
        "requests": found.requests,
        "checks": found.checks,
        "started_unchecked": found.started_unchecked,
        "refills": {
            "on_time": refills.punctuality.on_time,
            "early": refills.punctuality.early,
            "late": refills.punctuality.late,
            "median_lateness_minutes": _minutes(refills.median_lateness),
        },
        "refills_by_attendant": found.refills_by_attendant,
        "tasks": found.tasks,
        "complaints": {
            "received": complaints.received,
            "closed": complaints.closed,
            "return_visits": complaints.return_visits,
            "median_to_apology_minutes": _minutes(complaints.median_to_apology),
            "median_to_close_minutes": _minutes(complaints.median_to_close),
            "by_cause": found.complaints_by_cause,
            "by_month": found.complaints_by_month,
        },
        "satisfaction": {
            "target": found.satisfaction.target,
            "months": found.satisfaction.months,
            "items": found.satisfaction_by_item,
        },
        "reception": {"routine": found.routine, "documents": found.documents} if found.routine is not None else None,
        "staff": {"work": found.staff, "papers_expiring": found.papers_expiring} if found.staff is not None else None,
    }


# --- the monthly service reports ----------------------------------------------------------------------


class MonthlyReportListIn(PageIn):
    organization: Id | None = Field(None, description="Only this organization's (a client contact has only theirs)")


class MonthlyReportOut(Schema):
    id: int
    organization: OrganizationRefOut
    month: str = Field(description="YYYY-MM")
    generated_at: DateTime
    generated_by: UserRefOut | None = Field(description="None: made by Huiwu on the first working day after it")
    size: int = Field(description="Bytes of the PDF")
    pdf_url: str

    @staticmethod
    def resolve_month(report) -> str:
        return f"{report.month:%Y-%m}"

    @staticmethod
    def resolve_pdf_url(report) -> str:
        return reverse("api:monthly_report_pdf", kwargs={"report_id": report.pk})


class MonthlyReportPageOut(Page[MonthlyReportOut]):
    pass


class MonthlyReportIn(InputSchema):
    organization_id: Id
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM: this month or one before it")


@router.get(
    "/reports/monthly",
    response={200: MonthlyReportPageOut, **errors_answered(404, 422)},
    summary="The monthly service reports (月度会务服务报告) the caller may read, newest month first",
)
def monthly_reports(request: HttpRequest, query: Query[MonthlyReportListIn]):
    reports = monthly_reports_visible_to(request.user)
    # The figures' rule: a client naming another organization is answered 404, as for its meetings.
    organization = figures_organizer(request.user, query.organization)
    if organization is not None:
        reports = reports.filter(organization_id=organization)
    page = reports[query.offset : query.offset + query.limit]
    return {"count": reports.count(), "limit": query.limit, "offset": query.offset, "items": list(page)}


@router.post(
    "/reports/monthly",
    response={201: MonthlyReportOut, **errors_answered(400, 422)},
    summary="Make an organization's report of a month now (the manager); one made before is replaced",
)
@answers_validation_errors()
def monthly_report_create(request: HttpRequest, payload: MonthlyReportIn):
    require_report_maker(request.user)
    organization = Organization.objects.filter(pk=payload.organization_id).first()
    if organization is None:
        raise ValidationError({"organization_id": _("There is no organization with this id.")})
    month = date.fromisoformat(f"{payload.month}-01")
    report = monthly_report_generate(organization=organization, month=month, user=request.user)
    return Reply(201, get_monthly_report_for_user(request.user, report.pk))


@router.get(
    "/reports/monthly/{report_id}/pdf",
    response=errors_answered(404, 422),
    url_name="monthly_report_pdf",
    openapi_extra=pdf_answered("The report as it was made (a download), only to who may read it"),
    summary="One monthly service report as a PDF",
)
def monthly_report_pdf(request: HttpRequest, report_id: int):
    report = get_monthly_report_for_user(request.user, report_id)
    return private_file_response(report.file, content_type=PDF, filename=monthly_report_filename(report))
