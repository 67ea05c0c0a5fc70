"""Making the monthly service reports: on demand (the manager) and by the worker on the first working day of
each month for the month before."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.directory.models import Organization
from huiwu.lib.i18n import site_language
from huiwu.lib.pdf import pdf_bytes
from huiwu.reception.workdays import next_workday_after
from huiwu.reports.figures import held_of
from huiwu.reports.models import MonthlyReport, MonthlyReportRun
from huiwu.reports.monthly import month_filters, monthly_content

# The first month a report can be made for: Huiwu kept no records before it.
FIRST_REPORT_MONTH = date(2020, 1, 1)
MONTHLY_TEMPLATE = "reports/monthly_report.html"
MONTHLY_STYLESHEET = "huiwu/pdf-report.css"


def monthly_report_generate(
    *, organization: Organization, month: date, user: User | None, now: datetime | None = None
) -> MonthlyReport:
    """The organization's report of `month` (any day of it), made now and kept: a report made again replaces
    the one before (a correction, or a month that was not over yet). `user` None: made by the worker. A month
    to come, or one before FIRST_REPORT_MONTH, is refused (ValidationError on `month`)."""
    now = now or timezone.now()
    month = month.replace(day=1)
    if month > timezone.localdate(now).replace(day=1):
        raise ValidationError({"month": _("A report can be made for this month or one before it.")})
    if month < FIRST_REPORT_MONTH:
        raise ValidationError(
            {"month": _("A report can be made from %(month)s on.") % {"month": f"{FIRST_REPORT_MONTH:%Y-%m}"}}
        )
    with site_language():  # the client's document, in the site's language whoever asks for it
        content = monthly_content(organization, month, now)
        pdf = pdf_bytes(MONTHLY_TEMPLATE, {"report": content}, stylesheet=MONTHLY_STYLESHEET)
    storage = MonthlyReport._meta.get_field("file").storage
    previous = (
        MonthlyReport.objects.filter(organization=organization, month=month).values_list("file", flat=True).first()
    )
    name = storage.save(f"reports/{month:%Y}/monthly-{organization.pk}-{month:%Y-%m}.pdf", ContentFile(pdf))
    with transaction.atomic():
        report, _created = MonthlyReport.objects.update_or_create(
            organization=organization,
            month=month,
            defaults={"file": name, "size": len(pdf), "generated_at": now, "generated_by": user},
        )
        if previous and previous != name:
            transaction.on_commit(lambda: storage.delete(previous))
    return report


def first_workday_of(month: date) -> date:
    return next_workday_after(month - timedelta(days=1))


def monthly_reports_due(*, now: datetime | None = None) -> int:
    """The worker's share: from the first working day of a month (00:00, Asia/Shanghai), the report of the
    month before for each organization that held a meeting in it — one per call, so that a pass never keeps
    the deadlines waiting longer than one PDF takes. A report made before that month was over is made again.
    Once none is left the month is marked done, and a call costs one indexed query. Returns the reports made."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    this_month = today.replace(day=1)
    previous = (this_month - timedelta(days=1)).replace(day=1)
    if MonthlyReportRun.objects.filter(month=previous).exists() or today < first_workday_of(this_month):
        return 0
    held = held_of(month_filters(previous))
    made_after_it = MonthlyReport.objects.filter(month=previous, generated_at__gte=_start_of(this_month))
    waiting = (
        Organization.objects.filter(pk__in=held.values("organizer_id"))
        .exclude(pk__in=made_after_it.values("organization_id"))
        .order_by("pk")
        .first()
    )
    if waiting is None:
        MonthlyReportRun.objects.get_or_create(month=previous)
        return 0
    monthly_report_generate(organization=waiting, month=previous, user=None, now=now)
    return 1


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
