"""The routine standard (接待作息标准): the version in force, as every day planned from now on follows it, and
the history; a manager adds a new version. Days already planned keep the version they were planned with."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huiwu.reception.access import can_change_standard, require_reader, require_standard_changer
from huiwu.reception.forms.day import RoutineStandardForm
from huiwu.reception.models import RoutineStandard
from huiwu.reception.services.routine import COUNT_FIELDS, TIME_FIELDS, routine_standard_add
from huiwu.reception.services.standard import routine_standard_current


def standard_rows(standard: RoutineStandard) -> list[tuple[str, str]]:
    """(label, value) of each time and count of the version, in the order of the day."""
    meta = RoutineStandard._meta
    rows = [(str(meta.get_field(name).verbose_name), f"{getattr(standard, name):%H:%M}") for name in TIME_FIELDS]
    rows += [(str(meta.get_field(name).verbose_name), str(getattr(standard, name))) for name in COUNT_FIELDS]
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def standard_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    if request.method == "POST":
        require_standard_changer(request.user)
    current = routine_standard_current()
    form = None
    if can_change_standard(request.user):
        form = RoutineStandardForm(request.POST if request.method == "POST" else None, standard=current)
        if form.is_bound and form.is_valid():
            try:
                routine_standard_add(user=request.user, **form.to_kwargs())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _(
                        "The new routine standard is in force: days planned from now on follow it; today, if it "
                        "is planned already, keeps its times."
                    ),
                )
                return redirect("reception:standard")
    versions = RoutineStandard.objects.select_related("changed_by").annotate(planned_days=Count("days"))
    context = {
        "current": current,
        "rows": standard_rows(current),
        "form": form,
        "versions": versions.order_by("-changed_at", "-id"),
        "nav_current": "reception:day",
    }
    return render(request, "reception/day/standard.html", context)
