"""The one-tap actions of a meeting's service (start, tick, refill, request, end), shared by the meeting's
service page and the attendant's phone view. Every action goes through services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiwu.lib.forms import StyledFormMixin
from huiwu.meetings.models import Meeting
from huiwu.service.models import Phase, ServiceLogEntry
from huiwu.service.services import checklist_tick, meeting_end, meeting_start, refill_record, service_log_add


class ActionForm(StyledFormMixin, forms.Form):
    ACTIONS = [("start", "start"), ("end", "end"), ("refill", "refill"), ("tick", "tick"), ("log", "log")]

    action = forms.ChoiceField(choices=ACTIONS)
    phase = forms.ChoiceField(choices=Phase.choices, required=False)
    item = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Request"), choices=ServiceLogEntry.Kind.choices, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def perform_action(request: HttpRequest, meeting: Meeting) -> tuple[bool, str]:
    """Do what the form says; (done, message for the user)."""
    form = ActionForm(request.POST)
    if not form.is_valid():
        return False, _("The request could not be understood.")
    data = form.cleaned_data
    user = request.user
    action = data["action"]
    try:
        if action == "start":
            meeting_start(user=user, meeting=meeting)
            return True, _("Start recorded.")
        if action == "end":
            meeting_end(user=user, meeting=meeting)
            return True, _("End recorded.")
        if action == "refill":
            refill = refill_record(user=user, meeting=meeting)
            return True, _("Refill %(number)d recorded.") % {"number": refill.number}
        if action == "tick":
            checklist_tick(user=user, meeting=meeting, phase=data["phase"], item=data["item"])
            return True, _("Done: %(item)s") % {"item": data["item"]}
        entry = service_log_add(user=user, meeting=meeting, kind=data["kind"], note=data["note"])
        return True, _("Recorded: %(request)s") % {"request": entry.get_kind_display()}
    except ValidationError as error:
        return False, " ".join(error.messages)
