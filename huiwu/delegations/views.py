"""The task pages: the list, the forms, the detail page with the actions the user may take, the evidence files
and a meeting's cost list. Views stay thin: fetch through access.py, call the service, show what it said."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.delegations import services
from huiwu.delegations.access import (
    can_cancel,
    can_confirm,
    can_do,
    can_manage,
    can_request,
    get_evidence_for_user,
    get_task_for_user,
    get_task_to_cancel,
    get_task_to_confirm,
    get_task_to_do,
    get_task_to_manage,
    is_task_client,
    require_task_reader,
    require_task_requester,
    tasks_visible_to,
)
from huiwu.delegations.deadlines import task_url
from huiwu.delegations.exports import meeting_costs_export
from huiwu.delegations.forms import (
    AssigneeForm,
    CostForm,
    DisputeForm,
    DoneForm,
    EvidenceForm,
    NoticeForm,
    ReasonForm,
    TaskFilterForm,
    TaskForm,
    task_form_for,
)
from huiwu.delegations.models import DelegatedTask
from huiwu.delegations.selectors import StateFilter, meeting_cost_list, tasks_filtered, with_details
from huiwu.lib.params import int_param
from huiwu.lib.uploads import private_file_response
from huiwu.meetings.access import get_meeting_for_user
from huiwu.meetings.models import Meeting

State = DelegatedTask.State


def _allowed(task: DelegatedTask, action: str) -> bool:
    return task.state in services.allowed_states(action)


# --- list ---------------------------------------------------------------------------------------------


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    require_task_reader(request.user)
    client = is_task_client(request.user)
    query = request.GET.copy()
    if client and not query.get("state"):
        # A client follows a handful of their own tasks: all of them, those to confirm first.
        query["state"] = StateFilter.ALL
    form = TaskFilterForm(query or None)
    filters = form.filters()
    tasks = tasks_filtered(tasks_visible_to(request.user), filters, user=request.user)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    kept = {name: value for name, value in query.items() if name not in ("page", "state") and value}
    pills = [
        (StateFilter.OPEN, StateFilter.OPEN.label),
        (State.AWAITING_CLIENT, State.AWAITING_CLIENT.label),
        (State.DISPUTED, State.DISPUTED.label),
        (StateFilter.ALL, StateFilter.ALL.label),
    ]
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "client": client,
        "states": [(value, label, urlencode({**kept, "state": value})) for value, label in pills],
        "query": urlencode({**kept, "state": filters.state}),
        "can_request": can_request(request.user),
    }
    return render(request, "delegations/task_list.html", context)


# --- new and change -----------------------------------------------------------------------------------


def _meeting_from_query(request: HttpRequest) -> Meeting | None:
    """`?meeting=<id>` opens the form for that meeting; one the user may not see answers 404."""
    meeting_id = int_param(request.GET.get("meeting"))
    return None if meeting_id is None else get_meeting_for_user(request.user, meeting_id)


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    require_task_requester(request.user)
    meeting = _meeting_from_query(request)
    data = request.POST if request.method == "POST" else None
    form = task_form_for(request.user, data, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(user=request.user, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if task.state == State.REQUESTED:
                messages.success(request, _("Your request was sent; the service team will accept it."))
            else:
                messages.success(request, _("The task was recorded."))
            return redirect("delegations:detail", task.pk)
    context = {"form": form, "meeting": meeting, "client": is_task_client(request.user)}
    return render(request, "delegations/task_form.html", context)


@login_required
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_manage(request.user, task_id)
    if not _allowed(task, "change"):
        messages.error(request, services.refusal_message(task, "change"))
        return redirect("delegations:detail", task.pk)
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, user=request.user, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_change(user=request.user, task=task, **form.to_kwargs())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("delegations:detail", task.pk)
            form.add_service_errors(error)
        else:
            messages.success(request, _("The task was changed."))
            return redirect("delegations:detail", task.pk)
    return render(request, "delegations/task_form.html", {"form": form, "task": task, "meeting": task.meeting})


# --- detail and its actions ---------------------------------------------------------------------------


def _detail(request: HttpRequest, task: DelegatedTask, status: int = 200, **forms) -> HttpResponse:
    """The task's page with the forms of the actions the user may take now; `forms` are bound ones that came
    back with errors."""
    user = request.user
    task = (
        with_details(DelegatedTask.objects.filter(pk=task.pk))
        .select_related(
            "meeting__room__floor__site", "assignee", "organization", "requester_contact", "done_by", "confirmed_by"
        )
        .get()
    )
    manage, do, client = can_manage(user), can_do(user, task), can_confirm(user, task)
    offered = {
        "accept_form": (manage and _allowed(task, "accept"), AssigneeForm),
        "assign_form": (manage and task.state in (State.ACCEPTED, State.IN_PROGRESS, State.DISPUTED), AssigneeForm),
        "done_form": (do and _allowed(task, "done"), DoneForm),
        # Until it is marked done, the cost goes with marking it done.
        "cost_form": (do and _allowed(task, "cost") and not _allowed(task, "done"), CostForm),
        "evidence_form": (do and _allowed(task, "evidence"), EvidenceForm),
        "notice_form": (manage and _allowed(task, "notice"), NoticeForm),
        "dispute_form": (client and _allowed(task, "dispute"), DisputeForm),
        "refuse_form": (manage and _allowed(task, "refuse"), ReasonForm),
        "cancel_form": (can_cancel(user, task) and _allowed(task, "cancel"), ReasonForm),
    }
    context = {
        "task": task,
        "notices": list(task.notices.all()),
        "evidence": list(task.evidence.all()),
        "history": list(task.events.all()),
        "can_edit": manage and _allowed(task, "change"),
        "can_start": do and _allowed(task, "start"),
        "can_confirm": client and _allowed(task, "confirm"),
        "is_client": is_task_client(user),
    }
    initial = {"assignee": task.assignee_id, "actual_cost": task.actual_cost}
    for name, (shown, form_class) in offered.items():
        context[name] = (forms.get(name) or form_class(initial=initial)) if shown else None
    return render(request, "delegations/task_detail.html", context, status=status)


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    return _detail(request, get_task_for_user(request.user, task_id))


def _next_url(request: HttpRequest) -> str | None:
    """Where a client's tap came from (a meeting's page), when it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return None


def _back(request: HttpRequest, task: DelegatedTask) -> HttpResponse:
    return redirect(_next_url(request) or task_url(task))


def _act(request: HttpRequest, task: DelegatedTask, call, *, success: str, form=None, form_name: str = ""):
    """Run a service call for a POSTed action: done, back to where the user came from with `success`; a
    state the task is no longer in, back with the reason; field errors, the page with the form again (or, from
    another page, back there with the messages)."""
    if form is None or form.is_valid():
        try:
            call()
        except ValidationError as error:
            if form is None or not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return _back(request, task)
            form.add_service_errors(error)
        else:
            messages.success(request, success)
            return _back(request, task)
    if _next_url(request):
        for messages_of_field in form.errors.values():
            for message in messages_of_field:
                messages.error(request, message)
        return _back(request, task)
    return _detail(request, task, **{form_name: form})


@login_required
@require_POST
def task_accept_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_manage(request.user, task_id)
    form = AssigneeForm(request.POST)

    def call():
        services.task_accept(user=request.user, task=task, assignee=form.cleaned_data["assignee"])

    return _act(request, task, call, success=_("The task was accepted."), form=form, form_name="accept_form")


@login_required
@require_POST
def task_assign_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_manage(request.user, task_id)
    form = AssigneeForm(request.POST)

    def call():
        services.task_change(user=request.user, task=task, assignee=form.cleaned_data["assignee"])

    return _act(request, task, call, success=_("The task was assigned."), form=form, form_name="assign_form")


@login_required
@require_POST
def task_start_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_do(request.user, task_id)
    return _act(
        request, task, lambda: services.task_start(user=request.user, task=task), success=_("The work has started.")
    )


@login_required
@require_POST
def task_done_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_do(request.user, task_id)
    form = DoneForm(request.POST)

    def call():
        data = form.cleaned_data
        services.task_done(user=request.user, task=task, actual_cost=data["actual_cost"], note=data["note"])

    success = _("Marked done. The task now awaits the client's confirmation.")
    return _act(request, task, call, success=success, form=form, form_name="done_form")


@login_required
@require_POST
def task_cost_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_do(request.user, task_id)
    form = CostForm(request.POST)

    def call():
        services.task_cost_record(user=request.user, task=task, actual_cost=form.cleaned_data["actual_cost"])

    return _act(request, task, call, success=_("The cost was recorded."), form=form, form_name="cost_form")


@login_required
@require_POST
def task_confirm_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_confirm(request.user, task_id)
    return _act(
        request,
        task,
        lambda: services.task_confirm(user=request.user, task=task),
        success=_("Thank you: you confirmed “%(task)s”.") % {"task": task.title},
    )


@login_required
@require_POST
def task_dispute_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_confirm(request.user, task_id)
    form = DisputeForm(request.POST)

    def call():
        services.task_dispute(user=request.user, task=task, note=form.cleaned_data["note"])

    success = _("Your objection was sent; the service hotline will call you back.")
    return _act(request, task, call, success=success, form=form, form_name="dispute_form")


@login_required
@require_POST
def task_notice_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_manage(request.user, task_id)
    form = NoticeForm(request.POST)

    def call():
        services.task_notice_record(user=request.user, task=task, **form.to_kwargs())

    success = _("The notice to the client was recorded; the task is complete.")
    return _act(request, task, call, success=success, form=form, form_name="notice_form")


@login_required
@require_POST
def task_refuse_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_manage(request.user, task_id)
    form = ReasonForm(request.POST)

    def call():
        services.task_refuse(user=request.user, task=task, reason=form.cleaned_data["reason"])

    return _act(request, task, call, success=_("The task was refused."), form=form, form_name="refuse_form")


@login_required
@require_POST
def task_cancel_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_cancel(request.user, task_id)
    form = ReasonForm(request.POST)

    def call():
        services.task_cancel(user=request.user, task=task, reason=form.cleaned_data["reason"])

    return _act(request, task, call, success=_("The task was cancelled."), form=form, form_name="cancel_form")


@login_required
@require_POST
def evidence_upload_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_task_to_do(request.user, task_id)
    form = EvidenceForm(request.POST, request.FILES)

    def call():
        services.evidence_add(
            user=request.user, task=task, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )

    return _act(request, task, call, success=_("The file was added."), form=form, form_name="evidence_form")


@login_required
def evidence_file(request: HttpRequest, task_id: int, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, task_id, evidence_id)
    return private_file_response(evidence.file, content_type=evidence.content_type, filename=evidence.original_name)


# --- a meeting's cost list ----------------------------------------------------------------------------


@login_required
def meeting_costs(request: HttpRequest, meeting_id: int) -> HttpResponse:
    require_task_reader(request.user)
    meeting = get_meeting_for_user(request.user, meeting_id)
    if request.GET.get("export") == "xlsx":
        return meeting_costs_export(request.user, meeting)
    context = {"costs": meeting_cost_list(request.user, meeting), "meeting": meeting}
    return render(request, "delegations/meeting_costs.html", context)
