"""Bootstrap styling for every form, so that templates just write {{ form }} or {{ field.as_field_group }}."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


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
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs['class']} is-invalid"

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError on the form: each message on its field when the form has it, above
        the form otherwise (so nothing the service said is lost)."""
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages in errors.items():
            field = self.SERVICE_FIELDS.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
