"""A meeting's service page: its three-level check, who serves it, its checklists, refills and requests."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from huiwu.directory.access import can_see_people
from huiwu.lib.forms import StyledFormMixin, text_area
from huiwu.seating.views import seating_context
from huiwu.service.access import (
    can_assign,
    can_confirm_level,
    can_serve_meeting,
    get_assignment_for_user,
    get_service_meeting_for_user,
)
from huiwu.service.exports import service_sheet_pdf, sign_in_sheet_pdf
from huiwu.service.facts import level_states
from huiwu.service.models import Assignment, Level, ServiceLogEntry
from huiwu.service.selectors import service_record
from huiwu.service.services import assignable_users, assignment_add, assignment_remove, check_confirm
from huiwu.service.standards import level_items
from huiwu.service.views.actions import ActionForm, perform_action


class AssignmentForm(StyledFormMixin, forms.Form):
    attendant = forms.ModelChoiceField(label=gettext_lazy("Attendant"), queryset=assignable_users())
    duty = forms.ChoiceField(label=gettext_lazy("Duty"), choices=Assignment.Duty.choices)


class CheckForm(StyledFormMixin, forms.Form):
    """A pass-or-fail answer per item of the level's checklist, none chosen beforehand (a check is answered,
    not clicked through), and a note."""

    PASSED = "pass"
    ANSWERS = [(PASSED, pgettext_lazy("check answer", "Passed")), ("fail", pgettext_lazy("check answer", "Not passed"))]

    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=text_area(rows=2))

    def __init__(self, *args, items: list[str], **kwargs) -> None:
        self.items = items
        super().__init__(*args, **kwargs)
        for index, item in enumerate(items):
            self.fields[f"item_{index}"] = forms.ChoiceField(
                label=item, choices=self.ANSWERS, widget=forms.RadioSelect, required=False
            )
        self.order_fields([f"item_{index}" for index in range(len(items))] + ["notes"])

    @property
    def item_fields(self) -> list:
        return [self[f"item_{index}"] for index in range(len(self.items))]

    def clean(self) -> dict:
        data = super().clean()
        missing = [index for index in range(len(self.items)) if not data.get(f"item_{index}")]
        for index in missing:
            self.add_error(f"item_{index}", _("Choose passed or not passed."))
        if missing:
            raise ValidationError(
                _("Answer every item, passed or not. Not answered: %(items)s")
                % {"items": _(", ").join(self.items[index] for index in missing)}
            )
        return data

    def results(self) -> dict[str, bool]:
        return {item: self.cleaned_data[f"item_{index}"] == self.PASSED for index, item in enumerate(self.items)}


def _page(request: HttpRequest, meeting, *, check_form=None, assignment_form=None, status=200) -> HttpResponse:
    record = service_record(meeting)
    # Only who serves this meeting (or leads the team) sees its start, refill, request and end buttons.
    serves = can_serve_meeting(request.user, meeting)
    now = timezone.now()
    level = record.next_check_level()
    if check_form is None and level and can_confirm_level(request.user, level):
        check_form = CheckForm(items=level_items(record.standard, level))
    levels = level_states(meeting, record.checks, record.standard, assignments=record.assignments, now=now)
    return render(
        request,
        "service/meeting_service.html",
        {
            "meeting": meeting,
            "record": record,
            "now": now,
            "next_level": level,
            "next_level_label": Level(level).label if level else "",
            "check_form": check_form if level and can_confirm_level(request.user, level) else None,
            "levels": levels,
            "next_state": levels[level - 1] if level else None,
            # The levels this user confirms: each says why it cannot be confirmed yet, or that it is done.
            "my_levels": [state for state in levels if can_confirm_level(request.user, state.level)],
            "assignment_form": assignment_form or (AssignmentForm() if can_assign(request.user) else None),
            "can_assign": can_assign(request.user),
            "can_serve": serves,
            "tickable_phases": record.open_phases() if serves else [],
            "can_see_people": can_see_people(request.user),
            "log_form": ActionForm(initial={"action": "log", "kind": ServiceLogEntry.Kind.RESTROOM}),
            # The seating names the leaders and guests: for who may see them.
            **(seating_context(request.user, meeting) if can_see_people(request.user) else {}),
            "nav_current": "service:board",
        },
        status=status,
    )


@login_required
def meeting_service(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_service_meeting_for_user(request.user, meeting_id)
    return _page(request, meeting)


@login_required
def service_sheet(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return service_sheet_pdf(request.user, get_service_meeting_for_user(request.user, meeting_id))


@login_required
def sign_in_sheet(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return sign_in_sheet_pdf(request.user, get_service_meeting_for_user(request.user, meeting_id))


@login_required
@require_POST
def check_confirm_view(request: HttpRequest, meeting_id: int, level: int) -> HttpResponse:
    meeting = get_service_meeting_for_user(request.user, meeting_id)
    if level not in Level.values:
        return redirect("service:meeting", meeting.pk)
    record = service_record(meeting)
    form = CheckForm(request.POST, items=level_items(record.standard, level))
    if form.is_valid():
        try:
            result = check_confirm(
                user=request.user,
                meeting=meeting,
                level=level,
                results=form.results(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if result.action == result.Action.CONFIRMED:
                messages.success(request, _("%(level)s confirmed.") % {"level": Level(level).label})
            else:
                messages.warning(request, _("Problem reported; the manager has been alerted."))
            return redirect("service:meeting", meeting.pk)
    return _page(request, meeting, check_form=form, status=422)


@login_required
@require_POST
def assignment_add_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_service_meeting_for_user(request.user, meeting_id)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            assignment_add(
                user=request.user,
                meeting=meeting,
                attendant=form.cleaned_data["attendant"],
                duty=form.cleaned_data["duty"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("%(person)s assigned.") % {"person": form.cleaned_data["attendant"]})
            return redirect("service:meeting", meeting.pk)
    return _page(request, meeting, assignment_form=form, status=422)


@login_required
@require_POST
def assignment_remove_view(request: HttpRequest, meeting_id: int, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, assignment_id)
    if assignment.meeting_id != meeting_id:
        return redirect("service:meeting", meeting_id)
    assignment_remove(user=request.user, assignment=assignment)
    messages.success(request, _("%(person)s no longer serves this meeting.") % {"person": assignment.attendant})
    return redirect("service:meeting", meeting_id)


@login_required
@require_POST
def meeting_act(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_service_meeting_for_user(request.user, meeting_id)
    done, message = perform_action(request, meeting)
    (messages.success if done else messages.error)(request, message)
    return redirect("service:meeting", meeting.pk)
