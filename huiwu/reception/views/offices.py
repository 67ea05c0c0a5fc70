"""The leaders' offices on a phone: the presence board (在 / 不在 / 出差 with one tap, and which offices can be
cleaned), and each office's cleaning — the knock protocol, the sequence in its order, the inspections with the
one-tap record of a reviewed document, the door locked.

Each action answers the refreshed card or cleaning (htmx), or goes back to the page with a message."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.accounts.roles import RoleRequired
from huiwu.lib.params import MAX_ID
from huiwu.reception.access import (
    READ,
    can_work,
    get_cleaning_for_user,
    get_cleaning_to_work,
    get_office_for_user,
    get_office_to_work,
    offices_visible_to,
    require_reader,
)
from huiwu.reception.forms.documents import CleaningDocumentForm
from huiwu.reception.forms.offices import InspectForm, OfficeForm, PresenceForm, StepForm
from huiwu.reception.models import CleaningRecord, LeaderOffice
from huiwu.reception.selectors.offices import (
    BoardRow,
    Inspection,
    can_be_cleaned,
    cleaning_inspections,
    cleaning_missing,
    cleaning_step_rows,
    cleaning_today,
    greeting_title,
    inspection_answers,
    office_line,
    presence_board,
    presence_on,
)
from huiwu.reception.services import documents as document_services
from huiwu.reception.services import offices as services
from huiwu.reception.services.standard import routine_standard_current
from huiwu.reception.workdays import at_local

NAV = "reception:day"


def ids_in_range(view: Callable) -> Callable:
    """Answers 404 for an id in the path that no row can have: beyond 64 bits the database would overflow
    instead of finding nothing."""

    @wraps(view)
    def checked(request: HttpRequest, **ids: int) -> HttpResponse:
        if not all(1 <= value <= MAX_ID for value in ids.values()):
            raise Http404
        return view(request, **ids)

    return checked


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _cleaning_from():
    """(the routine's cleaning time, the moment it is reached today)."""
    cleaning_from = routine_standard_current().cleaning_from
    return cleaning_from, at_local(timezone.localdate(), cleaning_from)


def _board_context(request: HttpRequest) -> dict:
    cleaning_from, from_today = _cleaning_from()
    return {
        "can_work": can_work(request.user),
        "cleaning_from": cleaning_from,
        "before_cleaning_time": timezone.now() < from_today,
        "today": timezone.localdate(),
    }


@login_required
def offices_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    today = timezone.localdate()
    rows = presence_board(today, offices_visible_to(request.user))
    to_clean = [row for row in rows if row.can_be_cleaned]
    context = {
        **_board_context(request),
        "rows": rows,
        "to_clean": len(to_clean),
        "cleaned": sum(1 for row in to_clean if row.cleaning and row.cleaning.locked_at),
        "presences": LeaderOffice.Presence.choices,
        "keeps_offices": _keeps_offices(request.user),
        "nav_current": NAV,
    }
    return render(request, "reception/offices/board.html", context)


def _card(request: HttpRequest, office: LeaderOffice, *, feedback: str = "", ok: bool = True) -> HttpResponse:
    today = timezone.localdate()
    cleaning = cleaning_today(request.user, office)
    row = BoardRow(office, presence_on(office, today), cleaning, can_be_cleaned(office, today))
    context = {
        **_board_context(request),
        "row": row,
        "presences": LeaderOffice.Presence.choices,
        "feedback": feedback,
        "feedback_ok": ok,
    }
    return render(request, "reception/offices/_office_card.html", context)


@login_required
@require_POST
@ids_in_range
def office_presence(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_office_to_work(request.user, office_id)
    form = PresenceForm(request.POST)
    ok, feedback = False, _("Choose in, out or on a business trip.")
    if form.is_valid():
        try:
            services.office_presence_set(user=request.user, office=office, **form.cleaned_data)
        except ValidationError as error:
            feedback = _messages_of(error)
        else:
            ok, feedback = (
                True,
                _("Presence of %(leader)s set: %(presence)s.")
                % {
                    "leader": office.leader.name,
                    "presence": office.get_presence_display(),
                },
            )
    elif "note" in form.errors:
        feedback = " ".join(form.errors["note"])
    if request.htmx:
        return _card(request, office, feedback=feedback, ok=ok)
    (messages.success if ok else messages.error)(request, feedback)
    return redirect("reception:offices")


# --- the list of offices ------------------------------------------------------------------------------


def _require_keeper(user, permission: str) -> None:
    # Checked here too, before the form is shown: the service checks it again when the form is sent.
    require_reader(user)
    if not user.has_perm(permission):
        raise RoleRequired.holding(READ, permission)


def _keeps_offices(user) -> bool:
    return user.has_perm(services.ADD_OFFICE) or user.has_perm(services.CHANGE_OFFICE)


@login_required
def offices_list(request: HttpRequest) -> HttpResponse:
    """Every office reception keeps or kept (retired ones last), for who adds and changes them."""
    require_reader(request.user)
    offices = offices_visible_to(request.user).order_by("-is_active", "leader__precedence", "room")
    context = {
        "offices": offices,
        "can_add": request.user.has_perm(services.ADD_OFFICE),
        "can_change": request.user.has_perm(services.CHANGE_OFFICE),
        "nav_current": NAV,
    }
    return render(request, "reception/offices/list.html", context)


@login_required
def office_new(request: HttpRequest) -> HttpResponse:
    _require_keeper(request.user, services.ADD_OFFICE)
    form = OfficeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            office = services.office_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Office added: %(office)s.") % {"office": office_line(office)})
            return redirect("reception:offices_list")
    return render(request, "reception/offices/form.html", {"form": form, "office": None, "nav_current": NAV})


@login_required
@ids_in_range
def office_edit(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_office_for_user(request.user, office_id)
    _require_keeper(request.user, services.CHANGE_OFFICE)
    form = OfficeForm(request.POST if request.method == "POST" else None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_update(user=request.user, office=office, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Office changed: %(office)s.") % {"office": office_line(office)})
            return redirect("reception:offices_list")
    return render(request, "reception/offices/form.html", {"form": form, "office": office, "nav_current": NAV})


# --- cleaning -----------------------------------------------------------------------------------------


def _protocol_context(office: LeaderOffice) -> dict:
    return {"office": office, "greeting": greeting_title(office.leader)}


@login_required
@ids_in_range
def office_clean(request: HttpRequest, office_id: int) -> HttpResponse:
    """GET: the knock protocol before entering (or today's cleaning, once begun). POST: "I knocked as
    required" begins today's cleaning."""
    if request.method == "POST":
        office = get_office_to_work(request.user, office_id)
        try:
            cleaning = services.cleaning_start(user=request.user, office=office)
            services.cleaning_knock(user=request.user, cleaning=cleaning)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
            return redirect("reception:office_clean", office.pk)
        return redirect("reception:cleaning", cleaning.pk)
    office = get_office_for_user(request.user, office_id)
    require_reader(request.user)
    today = timezone.localdate()
    cleaning = cleaning_today(request.user, office)
    if cleaning is not None:
        return redirect("reception:cleaning", cleaning.pk)
    cleaning_from, from_today = _cleaning_from()
    context = {
        **_protocol_context(office),
        "reason": services.cannot_clean_message(office, today),
        "can_work": can_work(request.user),
        "cleaning_from": cleaning_from,
        "before_cleaning_time": timezone.now() < from_today,
        "nav_current": NAV,
    }
    return render(request, "reception/offices/clean.html", context)


def _cleaning_context(request: HttpRequest, cleaning: CleaningRecord, document_form=None) -> dict:
    office = cleaning.office
    steps, inspections = cleaning_missing(cleaning)
    worker = can_work(request.user) and cleaning.locked_at is None
    if worker and document_form is None:
        document_form = CleaningDocumentForm(office=office)
    return {
        **_protocol_context(office),
        "cleaning": cleaning,
        "step_rows": cleaning_step_rows(cleaning),
        "inspections": [
            {
                "code": inspection.value,
                "label": inspection.label,
                "answers": [
                    choice
                    for choice in inspection_answers(inspection).choices
                    # Recording a document answers "taken back": it is not a button.
                    if not (inspection == Inspection.DOCUMENTS and choice[0] == "taken")
                ],
                "answer": cleaning.inspections.get(inspection.value, ""),
                "answer_label": inspection_answers(inspection)(cleaning.inspections[inspection.value]).label
                if inspection.value in cleaning.inspections
                else "",
            }
            for inspection in cleaning_inspections(office)
        ],
        "documents": list(cleaning.documents.select_related("reviewing_leader").order_by("retrieved_at", "id")),
        "missing": _(", ").join([str(step.label) for step in steps] + [str(item.label) for item in inspections]),
        "can_act": worker,
        "document_form": document_form if worker else None,
    }


def _cleaning_response(
    request: HttpRequest, cleaning: CleaningRecord, *, feedback: str = "", ok: bool = True, document_form=None
) -> HttpResponse:
    if not request.htmx:
        if feedback:
            (messages.success if ok else messages.error)(request, feedback)
        if document_form is None or document_form.is_valid():
            return redirect("reception:cleaning", cleaning.pk)
        # A document form with errors is shown again with them, whatever was typed kept.
        context = {**_cleaning_context(request, cleaning, document_form), "nav_current": NAV, "document_open": True}
        return render(request, "reception/offices/cleaning.html", context)
    context = {
        **_cleaning_context(request, cleaning, document_form),
        "feedback": feedback,
        "feedback_ok": ok,
        "document_open": document_form is not None and bool(document_form.errors),
    }
    return render(request, "reception/offices/_cleaning.html", context)


@login_required
@ids_in_range
def cleaning_page(request: HttpRequest, cleaning_id: int) -> HttpResponse:
    cleaning = get_cleaning_for_user(request.user, cleaning_id)
    return render(
        request, "reception/offices/cleaning.html", {**_cleaning_context(request, cleaning), "nav_current": NAV}
    )


@login_required
@require_POST
@ids_in_range
def cleaning_step(request: HttpRequest, cleaning_id: int) -> HttpResponse:
    cleaning = get_cleaning_to_work(request.user, cleaning_id)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _cleaning_response(request, cleaning, feedback=_("Choose a step of the sequence."), ok=False)
    try:
        services.cleaning_step(user=request.user, cleaning=cleaning, step=form.cleaned_data["step"])
    except ValidationError as error:
        return _cleaning_response(request, cleaning, feedback=_messages_of(error), ok=False)
    return _cleaning_response(request, cleaning)


@login_required
@require_POST
@ids_in_range
def cleaning_inspect(request: HttpRequest, cleaning_id: int) -> HttpResponse:
    cleaning = get_cleaning_to_work(request.user, cleaning_id)
    form = InspectForm(request.POST)
    if not form.is_valid():
        return _cleaning_response(request, cleaning, feedback=_("Choose one of the answers offered."), ok=False)
    try:
        services.cleaning_inspect(user=request.user, cleaning=cleaning, **form.cleaned_data)
    except ValidationError as error:
        return _cleaning_response(request, cleaning, feedback=_messages_of(error), ok=False)
    return _cleaning_response(request, cleaning)


@login_required
@require_POST
@ids_in_range
def cleaning_document(request: HttpRequest, cleaning_id: int) -> HttpResponse:
    """The one tap of the documents inspection: the register entry, from this office and this cleaning."""
    cleaning = get_cleaning_to_work(request.user, cleaning_id)
    form = CleaningDocumentForm(request.POST, office=cleaning.office)
    if not form.is_valid():
        return _cleaning_response(request, cleaning, document_form=form)
    try:
        document = document_services.document_record(user=request.user, cleaning=cleaning, **form.to_kwargs())
    except ValidationError as error:
        form.add_service_errors(error)
        return _cleaning_response(request, cleaning, document_form=form)
    feedback = _("Recorded in the register: %(number)s, to hand over by %(due)s.") % {
        "number": document.document_number,
        "due": f"{timezone.localtime(document.due_at):%m-%d %H:%M}",
    }
    return _cleaning_response(request, cleaning, feedback=feedback)


@login_required
@require_POST
@ids_in_range
def cleaning_lock(request: HttpRequest, cleaning_id: int) -> HttpResponse:
    cleaning = get_cleaning_to_work(request.user, cleaning_id)
    try:
        services.cleaning_lock(user=request.user, cleaning=cleaning)
    except ValidationError as error:
        return _cleaning_response(request, cleaning, feedback=_messages_of(error), ok=False)
    return _cleaning_response(
        request, cleaning, feedback=_("Door locked: %(office)s is done.") % {"office": cleaning.office.room}
    )
