"""The complaint pages (the procedure as a stepper), the case library and the follow-ups."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from huiwu.accounts.models import User
from huiwu.delegations.deadlines import task_url
from huiwu.feedback.access import (
    CLIENT_STEPS,
    HIDDEN,
    can_change_complaints,
    can_close_follow_ups,
    can_close_without_acceptance,
    can_handle_complaints,
    can_receive_complaints,
    can_see_complainant,
    can_see_follow_ups,
    complaints_visible_to,
    follow_ups_visible_to,
    get_case_for_user,
    get_complaint_for_user,
    get_complaint_to_handle,
    get_follow_up_for_user,
    get_follow_up_to_close,
    is_client_complainant,
    require_case_reader,
    require_complaint_reader,
    require_complaint_receiver,
    require_follow_up_reader,
)
from huiwu.feedback.describe import due_describe
from huiwu.feedback.forms import (
    CaseSearchForm,
    ClientComplaintForm,
    CloseForm,
    ComplaintFilterForm,
    ComplaintForm,
    EscalateForm,
    FollowUpCloseForm,
    StepForm,
)
from huiwu.feedback.models import COMPLAINT_STEPS, Complaint, FollowUp
from huiwu.feedback.selectors import (
    State,
    cases_search,
    complaint_due,
    complaints_filtered,
    follow_up_due,
    follow_ups_filtered,
    step_label,
)
from huiwu.feedback.services import (
    complaint_close,
    complaint_receive,
    complaint_return_visit,
    complaint_step_record,
    follow_up_close,
    follow_up_escalate_to_complaint,
)
from huiwu.lib.params import int_param
from huiwu.meetings.access import get_meeting_for_user
from huiwu.meetings.models import Meeting
from huiwu.surveys.models import SurveyAnswer

PAGE_SIZE = 30
# A follow-up is open until the client was called back (待跟进), then done (已办结).
FOLLOW_UP_STATES = (
    (State.OPEN, pgettext_lazy("follow-up", "Open")),
    (State.CLOSED, pgettext_lazy("follow-up", "Closed")),
    (State.ALL, State.ALL.label),
)


def _is_client_reader(user: User) -> bool:
    """Reads only their own complaints, with the client-facing steps."""
    return not can_handle_complaints(user) and is_client_complainant(user)


def _rows(complaints, now: datetime) -> list[dict]:
    rows = []
    for complaint in complaints:
        due = complaint_due(complaint, now)
        rows.append({"complaint": complaint, "due": due, "due_text": due_describe(due, now) if due else ""})
    return rows


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    require_complaint_reader(request.user)
    client = _is_client_reader(request.user)
    form = ComplaintFilterForm(request.GET or None)
    state, q = form.filters()
    if client and not request.GET.get("state"):
        state = State.ALL
    complaints = complaints_filtered(complaints_visible_to(request.user), state=state, q=q)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"state": state, **({"q": q} if q else {})}
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page, timezone.now()),
        "state": state,
        "q": q,
        "query": urlencode(query),
        "states": [(value, label, urlencode({**query, "state": value})) for value, label in State.choices],
        "client": client,
        "can_receive": can_receive_complaints(request.user) or is_client_complainant(request.user),
        "can_see_follow_ups": can_see_follow_ups(request.user),
    }
    return render(request, "feedback/complaint_list.html", context)


def _meeting_from_query(request: HttpRequest) -> Meeting | None:
    """`?meeting=<id>` opens the form for that meeting; one the user may not see answers 404."""
    meeting_id = int_param(request.GET.get("meeting"))
    return None if meeting_id is None else get_meeting_for_user(request.user, meeting_id)


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    require_complaint_receiver(request.user)
    meeting = _meeting_from_query(request)
    client = not can_receive_complaints(request.user)
    form_class = ClientComplaintForm if client else ComplaintForm
    form = form_class(request.POST if request.method == "POST" else None, user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_receive(user=request.user, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Thank you. The service hotline will contact you soon.")
                if client
                else _("The complaint was recorded: apologise to the client first."),
            )
            return redirect("feedback:complaint", complaint.pk)
    return render(request, "feedback/complaint_form.html", {"form": form, "client": client, "meeting": meeting})


@dataclass
class Step:
    """One step of the stepper: recorded (at, by, note), the next one (with its form and due time), or to come."""

    key: str
    label: str
    at: datetime | None = None
    by: User | None = None
    note: str = ""
    is_next: bool = False
    form: StepForm | None = None
    due_text: str = ""
    late: bool = False
    refusal: str = ""


def _steps(complaint: Complaint, user: User, forms: dict, now: datetime) -> list[Step]:
    client = _is_client_reader(user)
    shown = CLIENT_STEPS if client else COMPLAINT_STEPS
    due = complaint_due(complaint, now)
    steps = []
    for key in shown:
        step = Step(
            key=key,
            label=step_label(key),
            at=getattr(complaint, f"{key}_at"),
            by=getattr(complaint, f"{key}_by"),
            note=getattr(complaint, f"{key}_note"),
        )
        if due is not None and due.step == key and not client:
            step.is_next = True
            step.due_text = due_describe(due, now) if due.due_at else ""
            step.late = due.late
            if can_change_complaints(user):
                step.form = forms.get(key) or StepForm()
        steps.append(step)
    return steps


def _detail(request: HttpRequest, complaint: Complaint, forms: dict | None = None) -> HttpResponse:
    forms = forms or {}
    user = request.user
    now = timezone.now()
    client = _is_client_reader(user)
    handler = can_change_complaints(user)
    close_form = return_form = None
    closing_hint = ""
    if handler and not complaint.is_closed:
        accepted = complaint.acceptance_at is not None
        if accepted or can_close_without_acceptance(user):
            close_form = forms.get("close") or CloseForm(with_reason=not accepted)
        else:
            closing_hint = _(
                "Record the client's acceptance first; without it only the service centre manager may close "
                "the complaint, giving the reason."
            )
    if handler and complaint.is_closed and complaint.return_visit_at is None:
        return_form = forms.get("return_visit") or StepForm(label=_("What the client said"))
    due = complaint_due(complaint, now)
    context = {
        "complaint": complaint,
        "client": client,
        "steps": _steps(complaint, user, forms, now),
        "close_form": close_form,
        "closing_hint": closing_hint,
        "return_form": return_form,
        "return_due_text": due_describe(due, now) if due and due.step == "return_visit" else "",
        "return_late": bool(due and due.step == "return_visit" and due.late),
        "follow_ups": [] if client else list(complaint.follow_ups.all()),
    }
    return render(request, "feedback/complaint_detail.html", context)


@login_required
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _detail(request, get_complaint_for_user(request.user, complaint_id))


def _service_error(request: HttpRequest, complaint: Complaint, form, error: ValidationError, field: str) -> bool:
    """A refusal about the complaint as a whole (recorded meanwhile, closed) is a message on the page; the
    others go to the form. Returns True for the first kind."""
    whole = error.message_dict.get(field) if hasattr(error, "error_dict") else error.messages
    if whole and field not in form.fields:
        messages.error(request, " ".join(whole))
        return True
    form.add_service_errors(error)
    return False


@login_required
@require_POST
def complaint_step(request: HttpRequest, complaint_id: int, step: str) -> HttpResponse:
    complaint = get_complaint_to_handle(request.user, complaint_id)
    if step not in COMPLAINT_STEPS:
        raise Http404
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            complaint_step_record(user=request.user, complaint=complaint, step=step, **form.to_kwargs())
        except ValidationError as error:
            if _service_error(request, complaint, form, error, "step"):
                return redirect("feedback:complaint", complaint.pk)
        else:
            messages.success(request, capfirst(_("%(step)s was recorded.") % {"step": step_label(step)}))
            return redirect("feedback:complaint", complaint.pk)
    return _detail(request, complaint, {step: form})


@login_required
@require_POST
def complaint_close_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = get_complaint_to_handle(request.user, complaint_id)
    with_reason = complaint.acceptance_at is None and can_close_without_acceptance(request.user)
    form = CloseForm(request.POST, with_reason=with_reason)
    if form.is_valid():
        try:
            complaint_close(user=request.user, complaint=complaint, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The complaint was closed and entered the case library."))
            return redirect("feedback:complaint", complaint.pk)
    return _detail(request, complaint, {"close": form})


@login_required
@require_POST
def complaint_return_visit_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = get_complaint_to_handle(request.user, complaint_id)
    form = StepForm(request.POST, label=_("What the client said"))
    if form.is_valid():
        try:
            complaint_return_visit(user=request.user, complaint=complaint, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The return visit was recorded."))
            return redirect("feedback:complaint", complaint.pk)
    return _detail(request, complaint, {"return_visit": form})


# --- the case library -----------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_case_reader(request.user)
    form = CaseSearchForm(request.GET or None)
    filters = form.filters()
    cases = cases_search(request.user, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {
        key: value
        for key, value in (
            ("q", filters["q"]),
            ("cause", filters["cause"].pk if filters["cause"] else None),
            ("room", filters["room"]),
        )
        if value
    }
    context = {"form": form, "page": page, "query": urlencode(query), "searched": bool(query)}
    return render(request, "feedback/case_list.html", context)


@login_required
def case_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, complaint_id)
    shown = can_see_complainant(request.user)
    context = {
        "case": case,
        "steps": [
            Step(key, step_label(key), at=getattr(case, f"{key}_at"), note=getattr(case, f"{key}_note"))
            for key in COMPLAINT_STEPS
        ],
        "can_see_complainant": shown,
        "hidden": HIDDEN,
        "can_open_complaint": can_handle_complaints(request.user),
    }
    return render(request, "feedback/case_detail.html", context)


# --- follow-ups -----------------------------------------------------------------------------------------


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    require_follow_up_reader(request.user)
    state = request.GET.get("state")
    state = state if state in State.values else State.OPEN
    follow_ups = follow_ups_filtered(follow_ups_visible_to(request.user), state=state)
    page = Paginator(follow_ups, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"follow_up": f, "due": follow_up_due(f), "late": f.is_open and now >= follow_up_due(f)} for f in page]
    context = {
        "page": page,
        "rows": rows,
        "state": state,
        "query": urlencode({"state": state}),
        "states": [(value, label, urlencode({"state": value})) for value, label in FOLLOW_UP_STATES],
    }
    return render(request, "feedback/follow_up_list.html", context)


def _follow_up_detail(request: HttpRequest, follow_up: FollowUp, forms: dict | None = None) -> HttpResponse:
    forms = forms or {}
    closer = can_close_follow_ups(request.user) and follow_up.is_open
    answer = follow_up.answer
    context = {
        "follow_up": follow_up,
        "scores": [
            (capfirst(SurveyAnswer._meta.get_field(aspect).verbose_name), getattr(answer, aspect))
            for aspect in SurveyAnswer.ASPECTS
        ]
        if answer
        else [],
        "low_score": SurveyAnswer.LOW_SCORE,
        "task_url": task_url(follow_up.task) if follow_up.task else "",
        "due": follow_up_due(follow_up),
        "late": follow_up.is_open and timezone.now() >= follow_up_due(follow_up),
        "close_form": (forms.get("close") or FollowUpCloseForm()) if closer else None,
        "escalate_form": (forms.get("escalate") or EscalateForm())
        if closer and can_receive_complaints(request.user)
        else None,
    }
    return render(request, "feedback/follow_up_detail.html", context)


@login_required
def follow_up_detail(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    return _follow_up_detail(request, get_follow_up_for_user(request.user, follow_up_id))


@login_required
@require_POST
def follow_up_close_view(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = get_follow_up_to_close(request.user, follow_up_id)
    form = FollowUpCloseForm(request.POST)
    if form.is_valid():
        try:
            follow_up_close(user=request.user, follow_up=follow_up, resolution=form.cleaned_data["resolution"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The follow-up was closed."))
            return redirect("feedback:follow_up", follow_up.pk)
    return _follow_up_detail(request, follow_up, {"close": form})


@login_required
@require_POST
def follow_up_escalate_view(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = get_follow_up_to_close(request.user, follow_up_id)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            complaint = follow_up_escalate_to_complaint(user=request.user, follow_up=follow_up, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("A complaint was opened from the follow-up."))
            return redirect("feedback:complaint", complaint.pk)
    return _follow_up_detail(request, follow_up, {"escalate": form})
