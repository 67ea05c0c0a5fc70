"""The team's ad-hoc matters (随机性事务): today's and the open ones, the form that records one, and each step
of a matter with one tap (given to a member, started, done, confirmed with whoever gave it). Everything else
of a matter (its history, cost, evidence, changes, cancelling) is on the delegated task's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.delegations.models import DelegatedTask
from huiwu.delegations.services import allowed_states
from huiwu.reception.access import can_work, require_reader, require_worker
from huiwu.reception.forms.matters import AssignForm, ConfirmForm, DoneForm, MatterForm, member_choices
from huiwu.reception.selectors.team import get_matter_for_user, matters_of_day
from huiwu.reception.services.matters import matter_assign, matter_confirm, matter_done, matter_record, matter_start

State = DelegatedTask.State


def _steps(task: DelegatedTask) -> dict[str, bool]:
    """Which steps the matter's state allows: what its card offers."""
    return {
        "assign": task.state in (State.ACCEPTED, State.IN_PROGRESS),
        "start": task.state in allowed_states("start"),
        "done": task.state in allowed_states("done"),
        # Told whoever gave it: a matter done (or, after a complaint, explained again).
        "confirm": task.state in allowed_states("notice"),
    }


def _ids(task: DelegatedTask) -> str:
    # Each card has its own forms: their fields need ids of their own for their labels.
    return f"matter-{task.pk}-%s"


def _matters(request: HttpRequest, *, form: MatterForm | None = None, refused: tuple | None = None) -> HttpResponse:
    """The page; `refused` is (matter id, step, its bound form) when a step's input was refused: that form
    shows again, open, with its messages."""
    user = request.user
    work = can_work(user)
    rows = []
    choices = member_choices() if work else None
    for task in matters_of_day(user, timezone.localdate()):
        row = {"task": task, "steps": {}, "forms": {}}
        if work:
            row["steps"] = _steps(task)
            ids = _ids(task)
            row["forms"] = {
                "assign": AssignForm(initial={"assignee": task.assignee_id}, auto_id=ids, choices=choices),
                "done": DoneForm(auto_id=ids),
                "confirm": ConfirmForm(auto_id=ids),
            }
            if refused is not None and refused[0] == task.pk:
                row["forms"][refused[1]] = refused[2]
        rows.append(row)
    context = {"rows": rows, "can_work": work, "form": form or (MatterForm() if work else None), "now": timezone.now()}
    return render(request, "reception/matters/matters.html", context)


@login_required
def matters_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    if request.method == "POST":
        require_worker(request.user)
        form = MatterForm(request.POST)
        if form.is_valid():
            try:
                task = matter_record(user=request.user, **form.to_kwargs())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The matter “%(title)s” is recorded.") % {"title": task.title})
                return redirect("reception:matters")
        return _matters(request, form=form)
    return _matters(request)


def _step_refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    # A step the matter's state no longer allows (someone else was quicker): the page shows its state now.
    messages.error(request, " ".join(error.messages))
    return redirect("reception:matters")


@login_required
@require_POST
def matter_assign_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_matter_for_user(request.user, task_id)
    require_worker(request.user)
    form = AssignForm(request.POST, auto_id=_ids(task))
    if form.is_valid():
        try:
            matter_assign(user=request.user, task=task, assignee=form.cleaned_data["assignee"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _step_refused(request, error)
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("The matter is given to %(person)s.") % {"person": form.cleaned_data["assignee"]}
            )
            return redirect("reception:matters")
    return _matters(request, refused=(task.pk, "assign", form))


@login_required
@require_POST
def matter_start_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_matter_for_user(request.user, task_id)
    require_worker(request.user)
    try:
        matter_start(user=request.user, task=task)
    except ValidationError as error:
        return _step_refused(request, error)
    messages.success(request, _("The matter is started."))
    return redirect("reception:matters")


@login_required
@require_POST
def matter_done_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_matter_for_user(request.user, task_id)
    require_worker(request.user)
    form = DoneForm(request.POST, auto_id=_ids(task))
    if form.is_valid():
        try:
            matter_done(user=request.user, task=task, note=form.cleaned_data["note"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _step_refused(request, error)
            form.add_service_errors(error)
        else:
            messages.success(request, _("The matter is done: now confirm it with whoever gave it."))
            return redirect("reception:matters")
    return _matters(request, refused=(task.pk, "done", form))


@login_required
@require_POST
def matter_confirm_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_matter_for_user(request.user, task_id)
    require_worker(request.user)
    form = ConfirmForm(request.POST, auto_id=_ids(task))
    if form.is_valid():
        try:
            matter_confirm(user=request.user, task=task, **form.to_kwargs())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _step_refused(request, error)
            form.add_service_errors(error)
        else:
            messages.success(request, _("The matter is confirmed with whoever gave it: it is complete."))
            return redirect("reception:matters")
    return _matters(request, refused=(task.pk, "confirm", form))
