"""The reviewed-documents register (已批阅文件): the documents waiting to be handed over first (the soonest due
on top, overdue ones in red), then the register searched by day, reviewing leader and text, its Excel export;
recording a document by hand, and its handover to the GM office's document clerk. There is no edit and no
delete: the register is the proof of where each document went."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.reception.access import (
    can_work,
    documents_visible_to,
    get_document_for_user,
    get_document_to_hand_over,
    require_reader,
    require_worker,
)
from huiwu.reception.exports.documents import documents_export
from huiwu.reception.forms.documents import DocumentFilterForm, DocumentForm, HandOverForm
from huiwu.reception.models import ReviewedDocument
from huiwu.reception.selectors.documents import documents_filtered, documents_waiting, recent_clerk_names
from huiwu.reception.services.documents import already_handed_over_message, document_hand_over, document_record
from huiwu.reception.views.offices import ids_in_range

NAV = "reception:day"
PAGE_SIZE = 30
# More than this waiting is a backlog to clear, not a list to read: the rest are in the register below.
WAITING_SHOWN = 50


def _query(filters: dict) -> str:
    """The filters as the page's query string, for the pages and the export links."""
    values = {
        "since": filters["since"].isoformat() if filters["since"] else "",
        "until": filters["until"].isoformat() if filters["until"] else "",
        "leader": filters["leader_id"] or "",
        "q": filters["q"],
    }
    return urlencode({name: value for name, value in values.items() if value})


@login_required
def documents_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = DocumentFilterForm(request.GET or None)
    filters = form.filters()
    if request.GET.get("export") == "xlsx":
        return documents_export(request.user, **filters)
    visible = documents_visible_to(request.user)
    register = documents_filtered(visible, **filters)
    waiting = documents_waiting(visible)
    page = Paginator(register, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "waiting": list(waiting[:WAITING_SHOWN]),
        "waiting_count": waiting.count(),
        "page": page,
        "query": _query(filters),
        "filtered": any(filters.values()),
        "now": timezone.now(),
        "can_work": can_work(request.user),
        "nav_current": NAV,
    }
    return render(request, "reception/documents/list.html", context)


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    form = DocumentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_record(user=request.user, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Recorded: %(number)s, to hand over by %(due)s.")
                % {"number": document.document_number, "due": f"{timezone.localtime(document.due_at):%m-%d %H:%M}"},
            )
            return redirect("reception:document", document.pk)
    return render(request, "reception/documents/form.html", {"form": form, "nav_current": NAV})


def _detail(request: HttpRequest, document: ReviewedDocument, form: HandOverForm | None = None) -> HttpResponse:
    waiting = document.handed_at is None
    if waiting and form is None and can_work(request.user):
        form = HandOverForm()
    context = {
        "document": document,
        "form": form if waiting else None,
        "clerk_names": recent_clerk_names() if form is not None and waiting else [],
        "overdue": waiting and document.due_at <= timezone.now(),
        "nav_current": NAV,
    }
    return render(request, "reception/documents/detail.html", context)


@login_required
@ids_in_range
def document_page(request: HttpRequest, document_id: int) -> HttpResponse:
    return _detail(request, get_document_for_user(request.user, document_id))


@login_required
@require_POST
@ids_in_range
def document_hand_over_view(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_document_to_hand_over(request.user, document_id)
    if document.handed_at is not None:
        messages.error(request, already_handed_over_message(document))
        return redirect("reception:document", document.pk)
    form = HandOverForm(request.POST)
    if form.is_valid():
        try:
            document_hand_over(user=request.user, document=document, **form.to_kwargs())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Handed over by someone else meanwhile: the page shows to whom.
                messages.error(request, " ".join(error.messages))
                return redirect("reception:document", document.pk)
            form.add_service_errors(error)
        else:
            messages.success(request, _("The handover was recorded."))
            return redirect("reception:document", document.pk)
    return _detail(request, document, form)
