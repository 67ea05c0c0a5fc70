"""The dashboard's filters: the period (a week, a month, a range of days), a site, a room, and for the manager an
organizer. Read from the query string; what cannot be read says why beside its field."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huiwu.directory.models import Organization
from huiwu.lib.forms import StyledFormMixin, date_input
from huiwu.reports.periods import PeriodKind, period_days
from huiwu.venues.models import Room, Site


class DashboardForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    day = forms.DateField(label=_("Day"), required=False, widget=date_input())
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.order_by("name"), required=False)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.filter(is_active=True).order_by("name"), required=False
    )
    organizer = forms.ModelChoiceField(
        label=_("Organizer"), queryset=Organization.objects.order_by("name"), required=False
    )

    def __init__(self, *args, today: date, every_organizer: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if not every_organizer:
            del self.fields["organizer"]  # a client contact reads their own organization only

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            data["first"], data["last"] = period_days(
                data.get("period") or PeriodKind.MONTH,
                day=data.get("day") or self.today,
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        except ValidationError as error:
            self.add_service_errors(error)
        return data


class MonthlyReportForm(StyledFormMixin, forms.Form):
    """The manager's "make the report now": an organization and a month (the service says which months)."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.order_by("name"))
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
