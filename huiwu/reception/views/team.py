"""The team's page: where each member of the reception team is (the seed's 留言条), the grooming self-check at
the start of the day, and the note left when leaving the office; and the note as a visitor reads it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.reception.access import can_work, require_reader, require_worker
from huiwu.reception.forms.team import GroomingForm, WhereaboutsForm
from huiwu.reception.selectors.team import grooming_check_of, open_note_of, team_status
from huiwu.reception.services.team import grooming_check_record, whereabouts_back, whereabouts_leave


def _team(
    request: HttpRequest,
    *,
    grooming_form: GroomingForm | None = None,
    note_form: WhereaboutsForm | None = None,
) -> HttpResponse:
    user = request.user
    context = {"status": team_status(user), "can_work": can_work(user)}
    if can_work(user):
        context["my_check"] = grooming_check_of(user, timezone.localdate())
        context["my_note"] = open_note_of(user)
        context["grooming_form"] = grooming_form or GroomingForm()
        context["note_form"] = note_form or WhereaboutsForm(user=user)
    return render(request, "reception/team/team.html", context)


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    return _team(request)


@login_required
def team_note(request: HttpRequest) -> HttpResponse:
    """The 留言条 as a visitor at the door reads it: large, on a phone or printed for the desk."""
    return render(request, "reception/team/note.html", {"status": team_status(request.user), "now": timezone.now()})


def _refused(request: HttpRequest, error: ValidationError) -> bool:
    """A refusal about the whole request (already checked today, a note already up): said above the page."""
    if hasattr(error, "error_dict"):
        return False
    messages.error(request, " ".join(error.messages))
    return True


@login_required
@require_POST
def grooming_record(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    form = GroomingForm(request.POST)
    if form.is_valid():
        try:
            grooming_check_record(user=request.user, **form.to_kwargs())
        except ValidationError as error:
            if _refused(request, error):
                return redirect("reception:team")
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your grooming self-check is recorded."))
            return redirect("reception:team")
    return _team(request, grooming_form=form)


@login_required
@require_POST
def whereabouts_leave_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    form = WhereaboutsForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            whereabouts_leave(user=request.user, **form.to_kwargs())
        except ValidationError as error:
            if _refused(request, error):
                return redirect("reception:team")
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your note is up: the team's status shows where you went."))
            return redirect("reception:team")
    return _team(request, note_form=form)


@login_required
@require_POST
def whereabouts_back_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    try:
        whereabouts_back(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Welcome back: your note is taken down."))
    return redirect("reception:team")
