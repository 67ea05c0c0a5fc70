"""The one-tap actions of a meeting's service (start, tick, refill, request, end), shared by the meeting's
service page and the attendant's phone view. Every action goes through services.py, which also decides
who may record it (access.require_meeting_server): a refusal is answered as a message, like a rule."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiwu.accounts.roles import RoleRequired
from huiwu.lib.forms import StyledFormMixin
from huiwu.meetings.models import Meeting
from huiwu.service.models import EarlyReason, Level, Phase, ServiceLogEntry
from huiwu.service.services import checklist_tick, meeting_end, meeting_start, refill_record, service_log_add


class ActionForm(StyledFormMixin, forms.Form):
    """The POST of every action button. `action` is one of ACTIONS; the other fields by action:

    - "tick": `phase` (before/during/after) and `item` (the checklist item's label);
    - "log": `kind` (a ServiceLogEntry.Kind) and `note` (required for "other");
    - "refill": before the window opens, `early_reason` (an EarlyReason: leader, recess, other) and, for
      "other", `early_note`; both are ignored once the window is open. A button that may be tapped early
      renders the two fields (the service page, the phone's task cards) under these names.
    - "start", "end": nothing more."""

    ACTIONS = [("start", "start"), ("end", "end"), ("refill", "refill"), ("tick", "tick"), ("log", "log")]

    action = forms.ChoiceField(choices=ACTIONS)
    phase = forms.ChoiceField(choices=Phase.choices, required=False)
    item = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Request"), choices=ServiceLogEntry.Kind.choices, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)
    early_reason = forms.ChoiceField(
        label=gettext_lazy("Served early because"),
        choices=[("", "—"), *EarlyReason.choices],
        required=False,
    )
    early_note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def _started(meeting: Meeting) -> str:
    unchecked = meeting.service.unchecked_levels
    if not unchecked:
        return _("Start recorded.")
    return _("Start recorded, but %(levels)s not confirmed: the service centre manager has been alerted.") % {
        "levels": _(", ").join(str(Level(level).label) for level in unchecked)
    }


def perform_action(request: HttpRequest, meeting: Meeting) -> tuple[bool, str]:
    """Do what the form says; (done, message for the user)."""
    form = ActionForm(request.POST)
    if not form.is_valid():
        if set(form.errors) <= {"early_note", "early_reason"}:
            return False, " ".join(message for messages in form.errors.values() for message in messages)
        return False, _("The request could not be understood.")
    data = form.cleaned_data
    user = request.user
    action = data["action"]
    try:
        if action == "start":
            meeting_start(user=user, meeting=meeting)
            return True, _started(meeting)
        if action == "end":
            meeting_end(user=user, meeting=meeting)
            return True, _("End recorded.")
        if action == "refill":
            refill = refill_record(
                user=user, meeting=meeting, early_reason=data["early_reason"], early_note=data["early_note"]
            )
            if refill.is_early:
                return True, _("Refill %(number)d recorded, early: %(reason)s.") % {
                    "number": refill.number,
                    "reason": refill.early_note or refill.get_early_reason_display(),
                }
            return True, _("Refill %(number)d recorded.") % {"number": refill.number}
        if action == "tick":
            checklist_tick(user=user, meeting=meeting, phase=data["phase"], item=data["item"])
            return True, _("Done: %(item)s") % {"item": data["item"]}
        entry = service_log_add(user=user, meeting=meeting, kind=data["kind"], note=data["note"])
        return True, _("Recorded: %(request)s") % {"request": entry.get_kind_display()}
    except ValidationError as error:
        return False, " ".join(error.messages)
    except RoleRequired as refusal:
        # Not this meeting's server: said on the page like a rule. A refusal without words stays a 403.
        if not refusal.message:
            raise
        return False, refusal.message
