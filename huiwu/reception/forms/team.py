"""The team's forms: the grooming self-check and the whereabouts note. They gather values; the rules live
in services/team.py."""

from django import forms
from django.utils.text import capfirst

from huiwu.accounts.models import User
from huiwu.lib.forms import StyledFormMixin, phone_input
from huiwu.reception.models import GroomingCheck, Whereabouts
from huiwu.reception.services.team import GROOMING_ITEMS


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class GroomingForm(StyledFormMixin, forms.Form):
    """The four items, none ticked: the attendant ticks each one that holds. An item left unticked is the
    service's message (put it right first), not the form's "required"."""

    uniform = forms.BooleanField(label=_label(GroomingCheck, "uniform"), required=False)
    scarf_and_badge = forms.BooleanField(label=_label(GroomingCheck, "scarf_and_badge"), required=False)
    light_make_up = forms.BooleanField(label=_label(GroomingCheck, "light_make_up"), required=False)
    no_jewellery = forms.BooleanField(label=_label(GroomingCheck, "no_jewellery"), required=False)

    def to_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in GROOMING_ITEMS}


class WhereaboutsForm(StyledFormMixin, forms.Form):
    where = forms.CharField(
        label=_label(Whereabouts, "where"),
        max_length=Whereabouts._meta.get_field("where").max_length,
        help_text=Whereabouts._meta.get_field("where").help_text,
    )
    phone = forms.CharField(
        label=_label(Whereabouts, "phone"),
        max_length=Whereabouts._meta.get_field("phone").max_length,
        widget=phone_input(),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        # The account's number, when it has one: the attendant only checks it.
        kwargs["initial"] = {"phone": user.phone} | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)

    def to_kwargs(self) -> dict:
        return {"where": self.cleaned_data["where"], "phone": self.cleaned_data["phone"]}
