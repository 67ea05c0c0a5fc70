"""Bootstrap styling for every form, so that templates just write {{ form }} or {{ field.as_field_group }}, and the
input rules every field keeps whichever form declares it."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.lib.dates import EARLIEST_DAY, LATEST_DAY
from huiwu.lib.params import MAX_ID
from huiwu.lib.text import refuse_unsafe_characters


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


def refuse_far_off_days(value: date) -> None:
    """A validator for date and datetime fields: year 1 or 9999 is a typing mistake, and the pages step days and
    weeks from what they are given (9999-12-31 + 1 day overflows)."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            _("Enter a day between %(first)s and %(last)s.")
            % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()},
            code="day_out_of_range",
        )


def _impossible_key(field: forms.ModelChoiceField, value: Any) -> Any:
    """The first submitted value that is a number no integer key can hold: looking it up would overflow the
    database driver (99999999999999999999 in a multiple choice is a 500 on SQLite) instead of matching nothing."""
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    if not isinstance(key, models.IntegerField):
        return None
    for candidate in value if isinstance(value, list | tuple) else [value]:
        try:
            number = int(str(candidate))
        except ValueError:
            continue  # not a number at all: the field's own lookup refuses it
        if abs(number) > MAX_ID:
            return candidate
    return None


def _checking_keys(field: forms.ModelChoiceField, clean: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def clean_known_keys(value: Any) -> Any:
        if (candidate := _impossible_key(field, value)) is not None:
            raise ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": candidate}
            )
        return clean(value)

    return clean_known_keys


def _keep_input_rules(field: forms.Field) -> None:
    """Every text refuses control and text-direction characters, every day lies in the supported range, and no
    choice of a row looks up a number the database cannot hold. Applied to the form's own copies of its fields
    when it validates, so fields that a form adds in its __init__ keep the rules too."""
    if isinstance(field, forms.CharField) and refuse_unsafe_characters not in field.validators:
        field.validators.append(refuse_unsafe_characters)
    elif isinstance(field, forms.DateField | forms.DateTimeField) and refuse_far_off_days not in field.validators:
        field.validators.append(refuse_far_off_days)
    elif isinstance(field, forms.ModelChoiceField) and "clean" not in vars(field):
        field.clean = _checking_keys(field, field.clean)


# --- the widgets every form uses alike -----------------------------------------------------------------
# Functions, not shared instances: each field needs a widget of its own.


def now_initial(prefix: str) -> dict[str, Any]:
    """Initial values of a `<prefix>date` and `<prefix>time` pair: this minute in the display time zone, for a
    moment that is most often now but may be corrected (when a thing was found, handed over, told)."""
    now = timezone.localtime()
    return {f"{prefix}date": now.date(), f"{prefix}time": now.time().replace(second=0, microsecond=0)}


def date_input() -> forms.DateInput:
    """The browser's date picker, which reads and sends the day as 2026-11-27 whatever the language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input(*, step_minutes: int | None = None) -> forms.TimeInput:
    """The browser's time picker (24-hour HH:MM); `step_minutes` makes its arrows move by that much."""
    attrs: dict[str, str | int] = {"type": "time"}
    if step_minutes:
        attrs["step"] = step_minutes * 60
    return forms.TimeInput(attrs=attrs, format="%H:%M")


def text_area(*, rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def phone_input() -> forms.TextInput:
    """A phone number: the phone's number pad, and no autofill of the user's own number."""
    return forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"})


def search_input(*, placeholder) -> forms.TextInput:
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder})


class StyledFormMixin:
    """Gives widgets Bootstrap's classes, and marks the invalid ones once the form is validated."""

    # Service-layer field names → this form's fields, for the errors the service raises.
    SERVICE_FIELDS: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {_css_class(widget)}".strip()

    def full_clean(self) -> None:
        for field in self.fields.values():
            _keep_input_rules(field)
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError on the form: each message on its field when the form has it, above
        the form otherwise (so nothing the service said is lost)."""
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages in errors.items():
            field = self.SERVICE_FIELDS.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
