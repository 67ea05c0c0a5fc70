"""The work journal (工作笔记) and the end-of-day review. Views stay thin: fetch through access.py, call the
service, show what it said."""

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

from huiwu.reception.access import can_work, journal_visible_to, require_reader, require_worker
from huiwu.reception.forms.journal import JournalEntryForm, JournalFilterForm
from huiwu.reception.selectors.journal import end_of_day_review, journal_filtered
from huiwu.reception.services.journal import journal_entry_add
from huiwu.reception.services.routine import day_plan_ensure, routine_item_done

PAGE_SIZE = 50


def _journal(request: HttpRequest, entry_form: JournalEntryForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    form = JournalFilterForm(request.GET or None)
    filters = form.filters(today=today)
    entries = journal_filtered(journal_visible_to(request.user), filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {name: value for name, value in request.GET.items() if name != "page" and value}
    if entry_form is None and can_work(request.user):
        entry_form = JournalEntryForm()
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "query": urlencode(kept),
        "today": today,
        "searching": form.is_bound,
        "entry_form": entry_form,
    }
    return render(request, "reception/journal/journal.html", context)


@login_required
def journal_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    return _journal(request)


@login_required
@require_POST
def journal_add(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    form = JournalEntryForm(request.POST)
    if form.is_valid():
        try:
            journal_entry_add(user=request.user, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The entry was added to the journal."))
            return redirect("reception:journal")
    return _journal(request, form)


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    today = timezone.localdate()
    # The review item is today's: planned here if no worker has planned the day yet.
    day_plan_ensure(today)
    review = end_of_day_review(request.user, today)
    context = {"review": review, "can_work": can_work(request.user), "now": timezone.now()}
    return render(request, "reception/journal/review.html", context)


@login_required
@require_POST
def review_done(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    review = end_of_day_review(request.user, timezone.localdate())
    if review.item is None:
        messages.error(request, _("Today has no timeline, so there is no review item to tick."))
        return redirect("reception:review")
    try:
        routine_item_done(user=request.user, item=review.item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The end-of-day review is ticked as done."))
    return redirect("reception:review")
