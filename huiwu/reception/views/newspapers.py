"""报纸: the day's distribution list on a phone, ticked office by office as the papers go in, and the year's
subscription table (局领导当年报刊订阅表) with its Excel export and import.

The round's taps answer the refreshed list (htmx) with what happened, or come back to the page (a plain form).
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from huiwu.lib.params import date_param, int_param
from huiwu.reception.access import can_work, get_office_to_work, require_reader, require_worker
from huiwu.reception.exports.newspapers import subscriptions_xlsx_response
from huiwu.reception.forms.newspapers import (
    MissingPaperForm,
    PublicationForm,
    SubscriptionCellForm,
    SubscriptionImportForm,
)
from huiwu.reception.models import FIRST_YEAR, LAST_YEAR
from huiwu.reception.selectors.newspapers import distribution_list, leader_column_label, subscription_table, total_label
from huiwu.reception.services.newspapers import (
    editable_years,
    missing_paper_record,
    newspaper_delivered,
    publication_add,
    subscription_set,
    subscriptions_import,
)


def shown_day(request: HttpRequest) -> tuple[date, str]:
    """The day asked for (?day=), or today with a word on why when it is not a day."""
    today = timezone.localdate()
    raw = request.GET.get("day")
    if not raw:
        return today, ""
    day = date_param(raw)
    if day is None:
        return today, _("That is not a day we can show; here is today.")
    return day, ""


# --- the day's round ------------------------------------------------------------------------------------


def _round_context(request: HttpRequest, day: date, **extra) -> dict:
    today = timezone.localdate()
    return {
        "round": distribution_list(day),
        "day": day,
        "is_today": day == today,
        "can_tick": day == today and can_work(request.user),
        **extra,
    }


@login_required
def newspapers_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    day, notice = shown_day(request)
    if request.htmx:
        return render(request, "reception/newspapers/_round.html", _round_context(request, day))
    context = _round_context(
        request,
        day,
        notice=notice,
        previous_day=date.fromordinal(day.toordinal() - 1),
        next_day=date.fromordinal(day.toordinal() + 1),
    )
    return render(request, "reception/newspapers/distribution.html", context)


def _round_answer(request: HttpRequest, office_id: int, *, ok: bool, message: str) -> HttpResponse:
    if request.htmx:
        context = _round_context(
            request, timezone.localdate(), feedback=message, feedback_ok=ok, feedback_office=office_id
        )
        return render(request, "reception/newspapers/_round.html", context)
    (messages.success if ok else messages.error)(request, message)
    return redirect(f"{reverse('reception:newspapers')}#office-{office_id}")


def posted_day(request: HttpRequest) -> date:
    """The day the page showed when the tap was made: a page left open past midnight must not write the new
    day (the services refuse any day but today)."""
    return date_param(request.POST.get("day")) or date.min


@login_required
@require_POST
def newspaper_delivered_view(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_office_to_work(request.user, office_id)
    day = posted_day(request)
    try:
        newspaper_delivered(user=request.user, office=office, day=day)
    except ValidationError as error:
        return _round_answer(request, office.pk, ok=False, message=" ".join(error.messages))
    return _round_answer(request, office.pk, ok=True, message=_("Delivered: %(office)s.") % {"office": office})


@login_required
@require_POST
def newspaper_missing_view(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_office_to_work(request.user, office_id)
    day = posted_day(request)
    form = MissingPaperForm(request.POST)
    if not form.is_valid():
        problems = [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return _round_answer(request, office.pk, ok=False, message=" ".join(problems))
    if day != timezone.localdate():
        message = _("Only today's round can be recorded; other days are read only.")
        return _round_answer(request, office.pk, ok=False, message=message)
    try:
        missing = missing_paper_record(user=request.user, office=office, **form.cleaned_data)
    except ValidationError as error:
        return _round_answer(request, office.pk, ok=False, message=" ".join(error.messages))
    message = _("Recorded as missing for %(office)s: %(publication)s ×%(copies)d.") % {
        "office": office,
        "publication": missing.publication.name,
        "copies": missing.copies,
    }
    return _round_answer(request, office.pk, ok=True, message=message)


# --- the subscription table -----------------------------------------------------------------------------


def _shown_year(raw: str | None) -> tuple[int, str]:
    this_year = timezone.localdate().year
    if not raw:
        return this_year, ""
    year = int_param(raw)
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        return this_year, _("That is not a year we keep a table for; here is this year's.")
    return year, ""


def _refusal_without_form(editable: bool, forms: dict) -> str:
    """What the service refused about a year whose forms the page does not show (a past year posted to)."""
    if editable:
        return ""
    bound = [form for form in (forms.get("cell_form"), forms.get("publication_form")) if form is not None]
    refusals = [error for form in bound for error in form.non_field_errors()] + forms.get("import_errors", [])
    return " ".join(refusals)


def _table_page(request: HttpRequest, year: int, *, status: int = 200, **forms) -> HttpResponse:
    first, last = editable_years()
    editable = can_work(request.user) and first <= year <= last
    table = subscription_table(year, all_publications=True)
    cell_form = forms.get("cell_form")
    if cell_form is None and editable:
        leader_id, publication_id = int_param(request.GET.get("leader")), int_param(request.GET.get("publication"))
        initial = {"leader": leader_id, "publication": publication_id}
        if leader_id and publication_id:
            initial["copies"] = table.copies.get((leader_id, publication_id), 0)
        cell_form = SubscriptionCellForm(initial=initial)
    context = {
        "table": table,
        "year": year,
        "editable": editable,
        "editable_years": (first, last),
        "leader_label": leader_column_label(),
        "total_label": total_label(),
        "cell_form": cell_form,
        "publication_form": forms.get("publication_form") or (PublicationForm() if editable else None),
        "import_form": forms.get("import_form") or (SubscriptionImportForm() if editable else None),
        "import_errors": forms.get("import_errors", []),
        "notice": forms.get("notice", "") or _refusal_without_form(editable, forms),
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
    }
    return render(request, "reception/newspapers/subscriptions.html", context, status=status)


def _to_table(year: int) -> HttpResponse:
    return redirect(f"{reverse('reception:subscriptions')}?year={year}")


@login_required
def subscriptions_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    year, notice = _shown_year(request.GET.get("year"))
    if request.GET.get("export") == "xlsx":
        return subscriptions_xlsx_response(subscription_table(year, all_publications=True))
    return _table_page(request, year, notice=notice)


def _posted_year(request: HttpRequest) -> int:
    year = int_param(request.POST.get("year"))
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year


@login_required
@require_POST
def subscription_cell_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    year = _posted_year(request)
    form = SubscriptionCellForm(request.POST)
    if form.is_valid():
        try:
            subscription_set(user=request.user, year=year, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            data = form.cleaned_data
            messages.success(
                request,
                _("%(leader)s, %(publication)s: %(copies)d copies.")
                % {"leader": data["leader"].name, "publication": data["publication"].name, "copies": data["copies"]}
                if data["copies"]
                else _("%(leader)s no longer takes %(publication)s.")
                % {"leader": data["leader"].name, "publication": data["publication"].name},
            )
            return _to_table(year)
    return _table_page(request, year, status=422, cell_form=form)


@login_required
@require_POST
def publication_add_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    year = _posted_year(request)
    form = PublicationForm(request.POST)
    if form.is_valid():
        try:
            publication = publication_add(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("%(name)s was added as a column.") % {"name": publication.name})
            return _to_table(year)
    return _table_page(request, year, status=422, publication_form=form)


@login_required
@require_POST
def subscriptions_import_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    year = _posted_year(request)
    form = SubscriptionImportForm(request.POST, request.FILES)
    try:
        result = subscriptions_import(user=request.user, year=year, upload=request.FILES.get("upload"))
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"upload": error.messages}
        problems = [message for found in errors.values() for message in found]
        return _table_page(request, year, status=422, import_form=form, import_errors=problems)
    messages.success(
        request,
        _(
            "The %(year)d table was replaced from the file: %(leaders)d leaders, %(publications)d publications, "
            "%(copies)d copies."
        )
        % {"year": year, "leaders": result.leaders, "publications": result.publications, "copies": result.copies},
    )
    if result.new_publications:
        names = pgettext("list separator", ", ").join(result.new_publications)
        messages.info(request, _("New publications: %(names)s.") % {"names": names})
    return _to_table(year)
