"""The dashboard (报表): the figures of a week, a month or a range with charts a manager reads at a glance, each
beside its table, and the same figures as a workbook. A client contact reads their own organization's."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiwu.lib.uploads import PDF, private_file_response
from huiwu.reports.access import (
    figures_organizer,
    get_monthly_report_for_user,
    monthly_reports_visible_to,
    reads_every_organizer,
    require_report_maker,
)
from huiwu.reports.exports import figures_workbook
from huiwu.reports.figures import OPEN_CAUSE_LABEL, Figures, ReportFilters, all_figures
from huiwu.reports.forms import DashboardForm, MonthlyReportForm
from huiwu.reports.monthly import monthly_report_filename
from huiwu.reports.services import monthly_report_generate

MONTHLY_REPORTS_PER_PAGE = 50


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def chart_data(found: Figures) -> dict:
    """What the charts draw (static/huiwu/reports.js), as plain lists; their tables are on the page beside."""
    return {
        "rooms": {
            "names": [room.room for room in found.rooms],
            "values": [_percent(r.utilisation) for r in found.rooms],
        },
        "heat": {
            "hours": [f"{hour:02d}:00" for hour in found.heat.hours],
            "rooms": [row.room for row in found.heat.rooms],
            # [hour index, room index, percent] as the heat map reads them.
            "cells": [
                [column, line, _percent(share)]
                for line, row in enumerate(found.heat.rooms)
                for column, share in enumerate(row.utilisation)
            ],
        },
        "checks": {
            "names": [level.label for level in found.checks],
            "on_time": [level.on_time for level in found.checks],
            "late": [level.late for level in found.checks],
            "missed": [level.missed for level in found.checks],
            "labels": {
                "on_time": pgettext("report", "On time"),
                "late": pgettext("report", "Late"),
                "missed": pgettext("report", "Missed"),
            },
        },
        "satisfaction": {
            "months": [f"{month.month:%Y-%m}" for month in found.satisfaction.months],
            "rates": [_percent(month.rate) for month in found.satisfaction.months],
            "target": _percent(found.satisfaction.target),
        },
        "causes": {
            "names": [row.cause or str(OPEN_CAUSE_LABEL) for row in found.complaints_by_cause],
            "values": [row.complaints for row in found.complaints_by_cause],
        },
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    every = reads_every_organizer(request.user)
    figures_organizer(request.user, None)  # 403 for who reads no figures
    asked = request.GET.get("organizer", "")
    if not every and asked:
        # The client's form has no organizer field: one named anyway goes through the access rule, which answers
        # 404 for another organization's figures (as for its meetings).
        if not asked.isdecimal():
            raise Http404
        figures_organizer(request.user, int(asked))
    form = DashboardForm(request.GET, today=timezone.localdate(), every_organizer=every)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form, "nav_current": "reports:dashboard"}, status=422)
    data = form.cleaned_data
    site, room, organizer = data.get("site"), data.get("room"), data.get("organizer")
    filters = ReportFilters(
        data["first"],
        data["last"],
        site_id=site.pk if site else None,
        room_id=room.pk if room else None,
        organizer_id=figures_organizer(request.user, organizer.pk if organizer else None),
    )
    found = all_figures(filters, timezone.now(), building=every)
    if request.GET.get("export") == "xlsx":
        return figures_workbook(found)
    context = {
        "form": form,
        "figures": found,
        "charts": chart_data(found),
        "open_cause": OPEN_CAUSE_LABEL,
        "opening": settings.REPORTS_ROOM_OPEN_FROM,
        "closing": settings.REPORTS_ROOM_OPEN_UNTIL,
        "nav_current": "reports:dashboard",
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def monthly_reports(request: HttpRequest) -> HttpResponse:
    """The monthly service reports the user may read, newest first; the manager also makes one now."""
    reports = monthly_reports_visible_to(request.user)
    maker = reads_every_organizer(request.user)
    today = timezone.localdate()
    form = None
    status = 200
    if maker:
        if request.method == "POST":
            form = MonthlyReportForm(request.POST)
            if form.is_valid():
                try:
                    report = monthly_report_generate(
                        organization=form.cleaned_data["organization"],
                        month=form.cleaned_data["month"],
                        user=request.user,
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                else:
                    messages.success(
                        request,
                        _("The report of %(organization)s for %(month)s was made.")
                        % {"organization": report.organization, "month": f"{report.month:%Y-%m}"},
                    )
                    return redirect("reports:monthly")
            status = 422
        else:
            form = MonthlyReportForm(initial={"month": today.replace(day=1) - timedelta(days=1)})
    elif request.method == "POST":
        require_report_maker(request.user)
    context = {
        "page": Paginator(reports, MONTHLY_REPORTS_PER_PAGE).get_page(request.GET.get("page")),
        "form": form,
        "nav_current": "reports:dashboard" if maker else "reports:monthly",
    }
    return render(request, "reports/monthly_list.html", context, status=status)


@login_required
def monthly_report_pdf(request: HttpRequest, report_id: int) -> FileResponse:
    report = get_monthly_report_for_user(request.user, report_id)
    return private_file_response(report.file, content_type=PDF, filename=monthly_report_filename(report))
