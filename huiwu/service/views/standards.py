"""The service standards: the version in force and its history for service staff; a new version by a
manager (DESIGN §4.1, §4.2, §4.6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huiwu.service.access import can_edit_standards, require_service_reader, require_standards_editor
from huiwu.service.models import LEVEL_ROLES, Level, Season, ServiceStandard
from huiwu.service.services import standard_create
from huiwu.service.standard_forms import REFILL_ROWS, StandardForm
from huiwu.service.standards import standard_current
from huiwu.venues.models import Site


def _summary(standard: ServiceStandard) -> list[tuple]:
    """The version, read-only, as [(heading, [(label, text, items), …]), …]: `items` is a list shown
    one per line, else `text`."""
    checks = [
        (
            Level(level).label,
            _("%(minutes)d min before the start · %(role)s")
            % {"minutes": getattr(standard, f"level{level}_minutes"), "role": LEVEL_ROLES[level].label},
            None,
        )
        for level in Level.values
    ]
    checks.append(
        (
            _("Confirmable from"),
            _("%(minutes)d min before a level is due") % {"minutes": standard.confirm_early_minutes},
            None,
        )
    )
    refills = [
        (
            season.label,
            "",
            [
                _("%(row)s: %(low)d–%(high)d min") % {"row": row, "low": low, "high": high}
                for row, (low, high) in zip(REFILL_ROWS, windows, strict=False)
            ],
        )
        for season, windows in ((Season.SUMMER, standard.summer_refills), (Season.WINTER, standard.winter_refills))
    ]
    names = dict(Site.objects.values_list("code", "name"))
    seasons = [(_("Default"), f"{standard.summer_from} – {standard.summer_until}", None)]
    seasons += [
        (names.get(code, code), f"{summer_from} – {summer_until}", None)
        for code, (summer_from, summer_until) in sorted(standard.site_seasons.items())
    ]
    ready = [
        (
            _("Room ready"),
            _("%(minutes)d min before the start: %(item)s")
            % {"minutes": standard.ready_minutes, "item": standard.ready_item},
            None,
        ),
        (
            _("Recess"),
            _("From %(headcount)d people: %(item)s")
            % {"headcount": standard.recess_headcount, "item": standard.recess_item},
            None,
        ),
    ]
    checklists = [
        (_("Level 1"), "", standard.level1_items),
        (_("Level 2"), "", standard.level2_items),
        (_("Level 3"), "", standard.level3_items),
        (_("Before the meeting"), "", standard.before_items),
        (_("After the meeting"), "", standard.after_items),
        (_("Confidential meetings, before"), "", standard.confidential_before_items),
        (_("Confidential meetings, after"), "", standard.confidential_after_items),
    ]
    return [
        (_("Three-level check"), checks),
        (_("Water refills"), refills),
        (_("Summer season"), seasons),
        (_("Room ready and recess"), ready),
        (_("Checklists"), checklists),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def standards_page(request: HttpRequest) -> HttpResponse:
    require_service_reader(request.user)
    can_edit = can_edit_standards(request.user)
    if request.method == "POST":
        require_standards_editor(request.user)
    current = standard_current()
    form = None
    if can_edit:
        form = StandardForm(request.POST if request.method == "POST" else None, standard=current)
        if form.is_bound and form.is_valid():
            try:
                standard_create(user=request.user, values=form.values(), reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _(
                        "The new standards are in force. Meetings still to come follow them from now on; "
                        "meetings already started keep the standards they started under."
                    ),
                )
                return redirect("service:standards")
    context = {
        "current": current,
        "form": form,
        "summary": None if form else _summary(current),
        "versions": ServiceStandard.objects.select_related("changed_by"),
        "nav_current": "service:board",
    }
    return render(request, "service/standards.html", context)


@login_required
def standard_detail(request: HttpRequest, standard_id: int) -> HttpResponse:
    require_service_reader(request.user)
    standard = get_object_or_404(ServiceStandard.objects.select_related("changed_by"), pk=standard_id)
    # The version that replaced this one (ordering: newest first, the id breaking ties).
    later = Q(changed_at__gt=standard.changed_at) | Q(changed_at=standard.changed_at, id__gt=standard.id)
    successor = ServiceStandard.objects.filter(later).order_by("changed_at", "id").first()
    context = {
        "standard": standard,
        "successor": successor,
        "summary": _summary(standard),
        "nav_current": "service:board",
    }
    return render(request, "service/standard_detail.html", context)
