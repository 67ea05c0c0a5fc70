"""领导午餐: today's lunch on a phone — the menu, the five checks before 11:40 (each a tap; the fifth computed
from the leaders' answers), each expected leader's answer next to their dietary notes — and the tableware
register of the disinfection cabinet.

The lunch's taps answer the refreshed page part (htmx) with what happened, or come back to the page.
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
from django.views.decorators.http import require_POST

from huiwu.reception.access import (
    can_work,
    get_tableware_for_user,
    require_reader,
    require_worker,
    tableware_visible_to,
)
from huiwu.reception.forms.lunch import CheckForm, LunchRequestForm, MenuForm, TablewareForm
from huiwu.reception.models import TablewareSet
from huiwu.reception.selectors.lunch import REQUESTS_CHECK_LABEL, LunchCheck, expected_and_away, lunch_overview
from huiwu.reception.services.lunch import lunch_check, lunch_menu_set, lunch_request_record, tableware_set_save
from huiwu.reception.views.newspapers import posted_day, shown_day


def _lunch_context(request: HttpRequest, day: date, **extra) -> dict:
    overview = lunch_overview(day)
    is_today = day == timezone.localdate()
    return {
        "overview": overview,
        "day": day,
        "is_today": is_today,
        "can_write": is_today and can_work(request.user),
        "requests_label": REQUESTS_CHECK_LABEL,
        "tableware_check": LunchCheck.TABLEWARE.value,
        "menu_check": LunchCheck.MENU.value,
        "menu_form": MenuForm(initial={"menu": overview.menu}),
        **extra,
    }


@login_required
def lunch_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    day, notice = shown_day(request)
    if request.htmx:
        return render(request, "reception/lunch/_lunch.html", _lunch_context(request, day))
    context = _lunch_context(
        request,
        day,
        notice=notice,
        previous_day=date.fromordinal(day.toordinal() - 1),
        next_day=date.fromordinal(day.toordinal() + 1),
    )
    return render(request, "reception/lunch/lunch.html", context)


def _answer(request: HttpRequest, *, ok: bool, message: str, anchor: str = "", **extra) -> HttpResponse:
    if request.htmx:
        # A refusal shows at the top and next to what was tapped, which may be far down the phone's screen.
        context = _lunch_context(
            request, timezone.localdate(), feedback=message, feedback_ok=ok, feedback_at=anchor, **extra
        )
        return render(request, "reception/lunch/_lunch.html", context)
    (messages.success if ok else messages.error)(request, message)
    return redirect(reverse("reception:lunch") + (f"#{anchor}" if anchor else ""))


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_problems(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
def lunch_menu_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    form = MenuForm(request.POST)
    if not form.is_valid():
        return _answer(request, ok=False, message=_form_problems(form), anchor="menu", menu_form=form)
    try:
        lunch_menu_set(user=request.user, day=posted_day(request), menu=form.cleaned_data["menu"])
    except ValidationError as error:
        return _answer(request, ok=False, message=_messages_of(error), anchor="menu")
    return _answer(request, ok=True, message=_("Today's menu was saved."), anchor="menu")


@login_required
@require_POST
def lunch_check_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _answer(request, ok=False, message=_("Choose one of the checks."), anchor="checks")
    check = LunchCheck(form.cleaned_data["check"])
    try:
        lunch_check(user=request.user, day=posted_day(request), check=check)
    except ValidationError as error:
        return _answer(request, ok=False, message=_messages_of(error), anchor="checks")
    return _answer(request, ok=True, message=_("Done: %(check)s.") % {"check": check.label}, anchor="checks")


@login_required
@require_POST
def lunch_request_view(request: HttpRequest) -> HttpResponse:
    require_worker(request.user)
    form = LunchRequestForm(request.POST)
    if not form.is_valid():
        return _answer(request, ok=False, message=_form_problems(form), anchor="requests")
    leader = form.cleaned_data["leader"]
    try:
        lunch_request_record(
            user=request.user,
            day=posted_day(request),
            leader=leader,
            eats=form.cleaned_data["eats"],
            request=form.cleaned_data["request"],
        )
    except ValidationError as error:
        return _answer(
            request, ok=False, message=_messages_of(error), anchor=f"leader-{leader.pk}", feedback_leader=leader.pk
        )
    message = _("%(leader)s's answer was recorded.") % {"leader": leader.name}
    return _answer(request, ok=True, message=message, anchor=f"leader-{leader.pk}")


# --- the tableware register -----------------------------------------------------------------------------


def _tableware_kwargs(form: TablewareForm) -> dict:
    data = form.cleaned_data
    return {"leader": data["leader"], "number": data["number"], "place": data["place"], "is_active": data["is_active"]}


@login_required
def tableware_page(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    editable = can_work(request.user)
    form = None
    if editable:
        form = TablewareForm(request.POST if request.method == "POST" else None)
    elif request.method == "POST":
        require_worker(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tableware = tableware_set_save(user=request.user, **_tableware_kwargs(form))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Set %(number)s of %(leader)s was added.")
                % {
                    "number": tableware.number,
                    "leader": tableware.leader.name,
                },
            )
            return redirect("reception:tableware")
    expected = {tableware.pk for tableware in expected_and_away(timezone.localdate())[0]}
    context = {
        "sets": tableware_visible_to(request.user).order_by("number"),
        "expected": expected,
        "form": form,
        "editable": editable,
    }
    return render(request, "reception/lunch/tableware.html", context, status=422 if form and form.errors else 200)


@login_required
def tableware_edit_page(request: HttpRequest, tableware_id: int) -> HttpResponse:
    tableware: TablewareSet = get_tableware_for_user(request.user, tableware_id)
    require_worker(request.user)
    initial = {
        "leader": tableware.leader_id,
        "number": tableware.number,
        "place": tableware.place,
        "is_active": tableware.is_active,
    }
    form = TablewareForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tableware_set_save(user=request.user, tableware=tableware, **_tableware_kwargs(form))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Set %(number)s was saved.") % {"number": tableware.number})
            return redirect("reception:tableware")
    status = 422 if form.errors else 200
    return render(request, "reception/lunch/tableware_edit.html", {"form": form, "tableware": tableware}, status=status)
