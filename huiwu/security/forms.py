"""Forms of the qualification pages. They only gather the values; the rules live in services.py."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import STAFF_ROLES, Role
from huiwu.lib.forms import StyledFormMixin, date_input, phone_input, search_input
from huiwu.lib.params import MAX_ID
from huiwu.security.levels import level_choices
from huiwu.security.models import AuditEntry, Authorization, BackgroundCheck, StaffProfile, TrainingRecord
from huiwu.security.selectors import (
    SEARCH_MAX_LENGTH,
    AuditFilters,
    audit_people,
    subject_type_choices,
)
from huiwu.security.services import MAX_SCORE


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class StaffProfileForm(StyledFormMixin, forms.Form):
    clearance_level = forms.TypedChoiceField(label=_label(StaffProfile, "clearance_level"), coerce=int, choices=())
    hire_date = forms.DateField(label=_label(StaffProfile, "hire_date"), required=False, widget=date_input())
    key_post = forms.BooleanField(
        label=_label(StaffProfile, "key_post"),
        required=False,
        help_text=StaffProfile._meta.get_field("key_post").help_text,
    )
    guarantor_name = forms.CharField(
        label=_label(StaffProfile, "guarantor_name"),
        max_length=_max_length(StaffProfile, "guarantor_name"),
        required=False,
    )
    guarantor_relation = forms.CharField(
        label=_label(StaffProfile, "guarantor_relation"),
        max_length=_max_length(StaffProfile, "guarantor_relation"),
        required=False,
    )
    guarantor_phone = forms.CharField(
        label=_label(StaffProfile, "guarantor_phone"),
        max_length=_max_length(StaffProfile, "guarantor_phone"),
        required=False,
        widget=phone_input(),
    )
    guaranteed_on = forms.DateField(label=_label(StaffProfile, "guaranteed_on"), required=False, widget=date_input())

    def __init__(self, *args, profile: StaffProfile, **kwargs) -> None:
        kwargs.setdefault("prefix", "profile")
        kwargs["initial"] = {
            "clearance_level": profile.clearance_level,
            "hire_date": profile.hire_date,
            "key_post": profile.key_post,
            "guarantor_name": profile.guarantor_name,
            "guarantor_relation": profile.guarantor_relation,
            "guarantor_phone": profile.guarantor_phone,
            "guaranteed_on": profile.guaranteed_on,
        } | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        # Level names are settings: read when the form is made, not when the module is imported.
        self.fields["clearance_level"].choices = [(level, f"{level} · {name}") for level, name in level_choices()]

    def to_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class TrainingRecordForm(StyledFormMixin, forms.Form):
    course = forms.ChoiceField(label=_label(TrainingRecord, "course"), choices=TrainingRecord.Course.choices)
    completed_on = forms.DateField(label=_label(TrainingRecord, "completed_on"), widget=date_input())
    score = forms.DecimalField(
        label=_label(TrainingRecord, "score"),
        required=False,
        min_value=0,
        max_value=MAX_SCORE,
        decimal_places=1,
        help_text=_("Out of 100; empty if there was no assessment."),
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    passed = forms.BooleanField(label=_label(TrainingRecord, "passed"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "training")
        super().__init__(*args, **kwargs)

    def to_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class _PeriodForm(StyledFormMixin, forms.Form):
    PREFIX = ""
    FROM_LABEL = _label(Authorization, "valid_from")

    valid_from = forms.DateField(widget=date_input())
    valid_until = forms.DateField(
        label=_label(Authorization, "valid_until"), widget=date_input(), help_text=_("The last valid day.")
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].label = self.FROM_LABEL

    def to_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class BackgroundCheckForm(_PeriodForm):
    PREFIX = "certificate"
    FROM_LABEL = _("Issued on")

    issuer = forms.CharField(
        label=_label(BackgroundCheck, "issuer"),
        max_length=_max_length(BackgroundCheck, "issuer"),
        help_text=_("e.g. 某某市公安局某某派出所"),
    )
    field_order = ["issuer", "valid_from", "valid_until"]


class AgreementForm(_PeriodForm):
    PREFIX = "agreement"
    FROM_LABEL = _("Signed on")


class AuthorizationForm(_PeriodForm):
    PREFIX = "authorization"
    FROM_LABEL = _("Authorized from")


class StaffFilterForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False)
    attention = forms.BooleanField(label=_("Expiring soon or expired"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *((r.value, r.label) for r in Role if r in STAFF_ROLES)]

    def filters(self) -> tuple[str, bool]:
        """(role, attention only); a value that is not valid falls back to the default (everyone)."""
        if not self.is_bound or not self.is_valid():
            return "", False
        return self.cleaned_data["role"], self.cleaned_data["attention"]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return str(user) if user.display_name else user.username


class AuditFilterForm(StyledFormMixin, forms.Form):
    who = UserChoiceField(label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Anyone"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    subject_type = forms.ChoiceField(label=_("Subject"), required=False)
    # Set by links (e.g. from a person's page); shown as a removable filter, not as a field.
    subject_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    q = forms.CharField(
        label=_("Text"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=search_input(placeholder=_("Part of the summary or page")),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = audit_people()
        self.fields["action"].choices = [("", _("Any action")), *AuditEntry.Action.choices]
        self.fields["subject_type"].choices = [("", _("Any subject")), *subject_type_choices()]

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The last day cannot be before the first."))
        return data

    def filters(self) -> AuditFilters:
        """The valid filters; a value that is not valid is left out (the form shows why)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        who = data.get("who")
        return AuditFilters(
            user_id=who.pk if who else None,
            action=data.get("action") or "",
            subject_type=data.get("subject_type") or "",
            subject_id=data.get("subject_id"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=(data.get("q") or "").strip(),
        )
