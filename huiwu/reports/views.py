"""The dashboard (报表): the figures of a week, a month or a range with charts a manager reads at a glance, each
beside its table, and the same figures as a workbook. A client contact reads their own organization's."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext

from huiwu.reports.access import figures_organizer, reads_every_organizer
from huiwu.reports.exports import figures_workbook
from huiwu.reports.figures import OPEN_CAUSE_LABEL, Figures, ReportFilters, all_figures
from huiwu.reports.forms import DashboardForm


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
