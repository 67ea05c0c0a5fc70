"""The ad-hoc matters' forms. They gather values; the rules live in services/matters.py (and the delegations
services under it)."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.delegations.models import DelegatedTask, DelegationNotice
from huiwu.delegations.services import TEXT_LIMIT
from huiwu.lib.forms import StyledFormMixin, date_input, now_initial, text_area, time_input
from huiwu.reception.selectors.team import reception_members
from huiwu.reception.services.matters import CONFIRMATION_METHODS


def _combine(day, clock) -> datetime | None:
    if day is None or clock is None:
        return None
    return timezone.make_aware(datetime.combine(day, clock))


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return str(user)


def _member_field() -> MemberChoiceField:
    # Nobody preselected: who does it is a choice. Left empty, the service says so.
    return MemberChoiceField(
        label=_("Done by"), queryset=User.objects.none(), required=False, empty_label=_("— choose —")
    )


class MatterForm(StyledFormMixin, forms.Form):
    SERVICE_FIELDS = {"due_at": "due_time"}

    title = forms.CharField(label=_("Matter"), max_length=_max_length(DelegatedTask, "title"))
    requester_name = forms.CharField(
        label=_("Given by"),
        max_length=_max_length(DelegatedTask, "requester_name"),
        required=False,
        help_text=_("The office, leader or department, e.g. 总经办 王主任"),
    )
    details = forms.CharField(label=_("Details"), max_length=TEXT_LIMIT, required=False, widget=text_area(rows=2))
    due_date = forms.DateField(label=_("Due date"), widget=date_input())
    due_time = forms.TimeField(label=_("Due time"), widget=time_input())
    assignee = _member_field()

    def __init__(self, *args, **kwargs) -> None:
        kwargs["initial"] = {"due_date": timezone.localdate()} | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reception_members()
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. 送文件至市政府办公厅")

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "requester_name": data["requester_name"],
            "details": data["details"],
            "due_at": _combine(data["due_date"], data["due_time"]),
            "assignee": data["assignee"],
        }


def member_choices() -> list[tuple]:
    """The team as the choices of a select, read once for every card of the page."""
    return [("", _("— choose —")), *((member.pk, str(member)) for member in reception_members())]


class AssignForm(StyledFormMixin, forms.Form):
    assignee = _member_field()

    def __init__(self, *args, choices: list[tuple] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reception_members()
        if choices is not None:
            # Shown from `choices`; a choice sent is still checked against the team.
            self.fields["assignee"].widget.choices = choices


class DoneForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("How it was done"), max_length=TEXT_LIMIT, required=False)


class ConfirmForm(StyledFormMixin, forms.Form):
    """Told whoever gave the matter that it is done: how (none preselected), when, whom, what they said."""

    SERVICE_FIELDS = {"notified_at": "notified_time", "client_answer": "answer"}

    method = forms.ChoiceField(
        label=_("How they were told"),
        choices=[(method.value, method.label) for method in CONFIRMATION_METHODS],
        widget=forms.RadioSelect,
        required=False,
    )
    notified_date = forms.DateField(label=_("Date"), widget=date_input())
    notified_time = forms.TimeField(label=_("Time"), widget=time_input())
    notified_person = forms.CharField(
        label=capfirst(DelegationNotice._meta.get_field("notified_person").verbose_name),
        max_length=_max_length(DelegationNotice, "notified_person"),
        required=False,
        help_text=_("Empty: whoever gave the matter."),
    )
    answer = forms.CharField(label=_("What they said"), max_length=TEXT_LIMIT, required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs["initial"] = now_initial("notified_") | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "notified_at": _combine(data["notified_date"], data["notified_time"]),
            "notified_person": data["notified_person"],
            "answer": data["answer"],
        }
