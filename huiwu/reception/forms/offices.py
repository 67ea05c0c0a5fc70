"""Forms of the presence board and the cleanings. They only gather the values; the rules live in
services/offices.py (a step out of order, an answer that does not fit its inspection)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huiwu.directory.models import Person
from huiwu.lib.forms import StyledFormMixin
from huiwu.reception.models import LeaderOffice
from huiwu.reception.selectors.offices import CleaningStep, Inspection

# Every answer any inspection takes; the service checks the answer fits the inspection.
_ANSWER_MAX_LENGTH = 20


class PresenceForm(StyledFormMixin, forms.Form):
    presence = forms.ChoiceField(choices=LeaderOffice.Presence.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=LeaderOffice._meta.get_field("presence_note").max_length,
        required=False,
        help_text=LeaderOffice._meta.get_field("presence_note").help_text,
    )


class StepForm(StyledFormMixin, forms.Form):
    step = forms.ChoiceField(choices=CleaningStep.choices)


class InspectForm(StyledFormMixin, forms.Form):
    inspection = forms.ChoiceField(choices=Inspection.choices)
    answer = forms.CharField(max_length=_ANSWER_MAX_LENGTH)


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, leader: Person) -> str:
        return f"{leader.name}（{leader.title}）" if leader.title else leader.name


class OfficeForm(StyledFormMixin, forms.Form):
    """A leader's office, added or changed by reception; the rules live in services.office_create/_update."""

    leader = LeaderChoiceField(label=_("Leader"), queryset=Person.objects.none())
    room = forms.CharField(
        label=capfirst(LeaderOffice._meta.get_field("room").verbose_name),
        max_length=LeaderOffice._meta.get_field("room").max_length,
        help_text=LeaderOffice._meta.get_field("room").help_text,
    )
    is_principal = forms.BooleanField(
        label=capfirst(LeaderOffice._meta.get_field("is_principal").verbose_name),
        required=False,
        help_text=LeaderOffice._meta.get_field("is_principal").help_text,
    )
    is_active = forms.BooleanField(
        label=_("Kept by reception"), required=False, help_text=_("Untick to retire the office; its history stays.")
    )

    def __init__(self, *args, office: LeaderOffice | None = None, **kwargs) -> None:
        if office is not None:
            kwargs["initial"] = {
                "room": office.room,
                "is_principal": office.is_principal,
                "is_active": office.is_active,
            } | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        if office is None:
            # Leaders without an office yet: a leader has one.
            self.fields["leader"].queryset = Person.objects.filter(
                kind=Person.Kind.LEADER, is_active=True, office__isnull=True
            ).order_by("precedence", "name_pinyin")
            del self.fields["is_active"]
        else:
            # The leader stays with the office: a new leader's office is a new office.
            del self.fields["leader"]
