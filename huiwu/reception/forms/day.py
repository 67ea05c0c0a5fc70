"""The form of a new version of the routine standard: every time of the day, in the seed's order, filled in
with the version in force; the service judges their order."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huiwu.lib.forms import StyledFormMixin, time_input
from huiwu.reception.models import RoutineStandard
from huiwu.reception.services.routine import COUNT_FIELDS, TIME_FIELDS

_meta = RoutineStandard._meta


class RoutineStandardForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=_meta.get_field("reason").max_length,
        help_text=_("Kept with the version, e.g. 冬季作息调整."),
    )

    def __init__(self, *args, standard: RoutineStandard, **kwargs) -> None:
        initial = {name: getattr(standard, name) for name in (*TIME_FIELDS, *COUNT_FIELDS)}
        super().__init__(*args, initial=initial, **kwargs)
        for name in TIME_FIELDS:
            self.fields[name] = forms.TimeField(
                label=_meta.get_field(name).verbose_name, widget=time_input(), input_formats=["%H:%M", "%H:%M:%S"]
            )
        self.fields["hot_water_pots"] = forms.IntegerField(
            label=_meta.get_field("hot_water_pots").verbose_name, min_value=1, max_value=20
        )
        self.fields["reminder_minutes"] = forms.IntegerField(
            label=_meta.get_field("reminder_minutes").verbose_name, min_value=0, max_value=240
        )
        # Added after the mixin styled the declared fields, hence their classes here; the reason goes last.
        for name in (*TIME_FIELDS, *COUNT_FIELDS):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.order_fields([*TIME_FIELDS, *COUNT_FIELDS, "reason"])

    @property
    def time_fields(self) -> list:
        return [self[name] for name in TIME_FIELDS]

    @property
    def count_fields(self) -> list:
        return [self[name] for name in COUNT_FIELDS]

    def to_kwargs(self) -> dict:
        return dict(self.cleaned_data)
