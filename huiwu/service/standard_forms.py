"""The form of the service standards (DESIGN §4.1, §4.2, §4.6). A manager changes them by saving a new
version: the form shows the version in force, parses what is typed into the values that
`services.standard_create` checks against the rules (standards.standard_clean) and saves, and shows what
the rules refuse on the fields concerned."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huiwu.lib.forms import StyledFormMixin, text_area
from huiwu.service.models import Level, Season, ServiceStandard
from huiwu.service.standards import (
    CHECKLISTS,
    EDITABLE_FIELDS,
    MAX_CHECK_MINUTES,
    MAX_CONFIRM_EARLY_MINUTES,
    MAX_ITEM_LENGTH,
    MAX_READY_MINUTES,
    MAX_RECESS_HEADCOUNT,
    MAX_REFILL_MINUTES,
    is_month_day,
    standard_values,
)
from huiwu.venues.models import Site

# The first refill after the start, the second after the first, then the interval repeated.
REFILL_ROWS = [
    _("First refill, after the start"),
    _("Second refill, after the first"),
    _("Then every"),
]

_MONTH_DAY = re.compile(r"(\d{1,2})\s*-\s*(\d{1,2})")


def _number(label, *, max_value: int, attrs: dict | None = None, **kwargs) -> forms.IntegerField:
    """A whole number; its bounds are the rules' (given to the browser as a hint, checked by the service)."""
    attrs = {"inputmode": "numeric", "min": 1, "max": max_value} | (attrs or {})
    return forms.IntegerField(label=label, widget=forms.NumberInput(attrs=attrs), **kwargs)


class MonthDayField(forms.CharField):
    """A day of the year written MM-DD (05-01). "5-1" is accepted and stored in full, because the
    season rule compares these as text."""

    default_error_messages = {"invalid": _("Enter a real day of the year as MM-DD, for example 05-01.")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "MM-DD", "inputmode": "numeric", "maxlength": 5})
        )
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        match = _MONTH_DAY.fullmatch(value)
        day = f"{int(match[1]):02d}-{int(match[2]):02d}" if match else ""
        if not is_month_day(day):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class ChecklistField(forms.Field):
    """A checklist typed one item per line, blank lines dropped. Whether it may be empty, how long an item
    may be and that each appears once are the rules' (standards.standard_clean)."""

    widget = text_area(rows=5)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("One item per line."))
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        text = "" if value in self.empty_values else str(value)
        return [line for line in text.splitlines() if line.strip()]


class StandardForm(StyledFormMixin, forms.Form):
    """All the editable values of a version, initialised from `standard` (the version in force)."""

    level1_minutes = _number(_("Level 1, minutes before the start"), max_value=MAX_CHECK_MINUTES)
    level2_minutes = _number(_("Level 2, minutes before the start"), max_value=MAX_CHECK_MINUTES)
    level3_minutes = _number(_("Level 3, minutes before the start"), max_value=MAX_CHECK_MINUTES)
    confirm_early_minutes = _number(
        _("Confirmable from, minutes before a level is due"),
        max_value=MAX_CONFIRM_EARLY_MINUTES,
        help_text=_("Earlier, a level cannot be passed, only reported as a problem."),
    )
    summer_from = MonthDayField(label=_("Summer from"))
    summer_until = MonthDayField(label=_("Summer until"), help_text=_("Both days included."))
    recess_headcount = _number(
        _("Large meeting from (headcount)"),
        max_value=MAX_RECESS_HEADCOUNT,
        help_text=_("From this headcount, the recess item is on the list during the meeting."),
    )
    ready_minutes = _number(_("Room ready, minutes before the start"), max_value=MAX_READY_MINUTES)
    ready_item = forms.CharField(
        label=_("Room-ready item"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_ITEM_LENGTH}),
        help_text=_("Closes the before-the-meeting checklist; the attendants are reminded of it."),
    )
    recess_item = forms.CharField(
        label=_("Recess item"), required=False, widget=forms.TextInput(attrs={"maxlength": MAX_ITEM_LENGTH})
    )
    level1_items = ChecklistField(label=_("Level 1 checklist"))
    level2_items = ChecklistField(label=_("Level 2 checklist"))
    level3_items = ChecklistField(label=_("Level 3 checklist"))
    before_items = ChecklistField(label=_("Before the meeting"))
    after_items = ChecklistField(label=_("After the meeting"))
    confidential_before_items = ChecklistField(label=_("Confidential meetings, before"))
    confidential_after_items = ChecklistField(label=_("Confidential meetings, after"))
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        help_text=_("Kept with the version, for whoever reads the history."),
    )
    # The version the manager started from: saving over a version saved meanwhile is refused once.
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, standard: ServiceStandard, **kwargs) -> None:
        self.standard = standard
        self.sites = list(Site.objects.filter(is_active=True).order_by("name"))
        kwargs["initial"] = self._initial(standard) | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        # Added after the mixin styled the declared fields, hence their own classes.
        small = {"class": "form-control form-control-sm"}
        for season in Season:
            for index, row_label in enumerate(REFILL_ROWS, start=1):
                for end, end_label in (("from", _("from (minutes)")), ("to", _("to (minutes)"))):
                    self.fields[f"{season}_refill{index}_{end}"] = _number(
                        format_lazy("{} · {} · {}", season.label, row_label, end_label),
                        max_value=MAX_REFILL_MINUTES,
                        attrs=small,
                    )
        day = {"class": "form-control form-control-sm", "placeholder": "MM-DD", "maxlength": 5}
        for site in self.sites:
            for end, end_label in (("from", _("Summer from")), ("until", _("Summer until"))):
                self.fields[f"site{site.pk}_{end}"] = MonthDayField(
                    label=format_lazy("{} · {}", site.name, end_label),
                    required=False,
                    widget=forms.TextInput(attrs=day),
                )

    def _initial(self, standard: ServiceStandard) -> dict:
        initial = {name: getattr(standard, name) for name in EDITABLE_FIELDS} | {"based_on": standard.pk}
        for season, windows in ((Season.SUMMER, standard.summer_refills), (Season.WINTER, standard.winter_refills)):
            for index, (low, high) in enumerate(windows[: len(REFILL_ROWS)], start=1):
                initial[f"{season}_refill{index}_from"] = low
                initial[f"{season}_refill{index}_to"] = high
        for site in self.sites:
            pair = standard.site_seasons.get(site.code)
            if pair:
                initial[f"site{site.pk}_from"], initial[f"site{site.pk}_until"] = pair
        return initial

    # --- groups of fields, for the template ---------------------------------------------------------

    @property
    def check_fields(self) -> list:
        return [self[f"level{level}_minutes"] for level in Level.values]

    @property
    def refill_seasons(self) -> list[tuple]:
        """[(season label, [(row label, from field, to field), …]), …]"""
        return [
            (
                season.label,
                [
                    (row_label, self[f"{season}_refill{index}_from"], self[f"{season}_refill{index}_to"])
                    for index, row_label in enumerate(REFILL_ROWS, start=1)
                ],
            )
            for season in Season
        ]

    @property
    def site_rows(self) -> list[tuple]:
        return [(site, self[f"site{site.pk}_from"], self[f"site{site.pk}_until"]) for site in self.sites]

    @property
    def checklist_fields(self) -> list:
        return [self[name] for name in CHECKLISTS]

    # --- validation ---------------------------------------------------------------------------------

    def clean(self) -> dict:
        data = super().clean()
        # Two fields make one site's pair of days: half a pair cannot be read as a summer.
        for site in self.sites:
            names = [f"site{site.pk}_from", f"site{site.pk}_until"]
            given = [bool(data.get(name)) for name in names]
            if any(given) and not all(given):
                self.add_error(names[given.index(False)], _("Give both days, or leave both empty to use the default."))
        if not self.errors:
            self._check_against_current()
        return data

    def _check_against_current(self) -> None:
        if self.cleaned_data.get("based_on") != self.standard.pk:
            # Shown once: the form now carries the version in force, so sending it again saves over it.
            self.data = self.data.copy()
            self.data["based_on"] = self.standard.pk if self.standard.pk is not None else ""
            raise ValidationError(
                _(
                    "Someone saved a new version of the standards while you were editing. Check the values "
                    "below against the version in force, then save again."
                ),
                code="stale",
            )
        if self.standard.pk is not None and self.values() == standard_values(self.standard):
            raise ValidationError(_("Nothing was changed: these are the standards in force."), code="unchanged")

    def add_service_errors(self, error: ValidationError) -> None:
        """The service sees each season's refills as one list of windows; here each window is a pair of
        fields, and a message naming its window and end goes on that field."""
        if hasattr(error, "error_dict"):
            others = {}
            for name, errors in error.error_dict.items():
                for item in errors:
                    params = item.params or {}
                    field = f"{name.removesuffix('s')}{params.get('window')}_{params.get('end')}"
                    if name.endswith("_refills") and field in self.fields:
                        self.add_error(field, item)
                    else:
                        others.setdefault(name, []).append(item)
            if not others:
                return
            error = ValidationError(others)
        super().add_service_errors(error)

    def values(self) -> dict:
        """The new version's values, in the shape of the model (standards.EDITABLE_FIELDS)."""
        data = self.cleaned_data
        values = {name: data[name] for name in EDITABLE_FIELDS if name in self.base_fields}
        for season in Season:
            values[f"{season}_refills"] = [
                [data[f"{season}_refill{index}_from"], data[f"{season}_refill{index}_to"]]
                for index in range(1, len(REFILL_ROWS) + 1)
            ]
        # Sites not on the form (no longer active) keep their seasons: the form does not show them.
        shown = {site.code for site in self.sites}
        seasons = {code: pair for code, pair in self.standard.site_seasons.items() if code not in shown}
        for site in self.sites:
            if data[f"site{site.pk}_from"]:
                seasons[site.code] = [data[f"site{site.pk}_from"], data[f"site{site.pk}_until"]]
        values["site_seasons"] = seasons
        return values
