"""The form of the service standards (DESIGN §4.1, §4.2, §4.6). A manager changes them by saving a new
version: the form shows the version in force, checks what is typed, and gathers the values that
`services.standard_create` saves."""

import re
from collections import Counter
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiwu.lib.forms import StyledFormMixin
from huiwu.service.models import Level, Season, ServiceStandard
from huiwu.service.standards import EDITABLE_FIELDS, standard_values
from huiwu.venues.models import Site

MAX_CHECK_MINUTES = 24 * 60
MAX_REFILL_MINUTES = 240
MAX_READY_MINUTES = 240
MAX_ITEM_LENGTH = 200
# The first refill after the start, the second after the first, then the interval repeated.
REFILL_ROWS = [
    _("First refill, after the start"),
    _("Second refill, after the first"),
    _("Then every"),
]
CHECKLISTS = [
    "level1_items",
    "level2_items",
    "level3_items",
    "before_items",
    "after_items",
    "confidential_before_items",
    "confidential_after_items",
]

_MONTH_DAY = re.compile(r"(\d{1,2})\s*-\s*(\d{1,2})")


def _minutes(label, *, max_value: int, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


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
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        month, day = int(match[1]), int(match[2])
        try:
            date(2000, month, day)  # a leap year: 02-29 is a day of the year
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return f"{month:02d}-{day:02d}"


class ChecklistField(forms.CharField):
    """A checklist typed one item per line. Blank lines are dropped and spaces tidied; each item is a
    label people tick, so it may appear once only."""

    default_error_messages = {"required": _("List at least one item, one per line.")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        kwargs.setdefault("help_text", _("One item per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        errors = [
            ValidationError(
                _("This item is longer than %(limit)d characters: %(start)s…"),
                code="max_length",
                params={"limit": MAX_ITEM_LENGTH, "start": item[:20]},
            )
            for item in value
            if len(item) > MAX_ITEM_LENGTH
        ]
        duplicates = [item for item, count in Counter(value).items() if count > 1]
        if duplicates:
            errors.append(
                ValidationError(
                    _("Each item may appear only once: %(items)s"),
                    code="duplicate",
                    params={"items": gettext(", ").join(duplicates)},
                )
            )
        if errors:
            raise ValidationError(errors)


class StandardForm(StyledFormMixin, forms.Form):
    """All the editable values of a version, initialised from `standard` (the version in force)."""

    level1_minutes = _minutes(_("Level 1, minutes before the start"), max_value=MAX_CHECK_MINUTES)
    level2_minutes = _minutes(_("Level 2, minutes before the start"), max_value=MAX_CHECK_MINUTES)
    level3_minutes = _minutes(_("Level 3, minutes before the start"), max_value=MAX_CHECK_MINUTES)
    summer_from = MonthDayField(label=_("Summer from"))
    summer_until = MonthDayField(label=_("Summer until"), help_text=_("Both days included."))
    recess_headcount = forms.IntegerField(
        label=_("Large meeting from (headcount)"),
        min_value=1,
        max_value=5000,
        help_text=_("From this headcount, the recess item is on the list during the meeting."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    ready_minutes = _minutes(_("Room ready, minutes before the start"), max_value=MAX_READY_MINUTES)
    ready_item = forms.CharField(
        label=_("Room-ready item"),
        max_length=MAX_ITEM_LENGTH,
        help_text=_("Closes the before-the-meeting checklist; the attendants are reminded of it."),
    )
    recess_item = forms.CharField(label=_("Recess item"), max_length=MAX_ITEM_LENGTH)
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
        number = {"class": "form-control form-control-sm", "inputmode": "numeric"}
        for season in Season:
            for index, row_label in enumerate(REFILL_ROWS, start=1):
                for end, end_label in (("from", _("from (minutes)")), ("to", _("to (minutes)"))):
                    self.fields[f"{season}_refill{index}_{end}"] = forms.IntegerField(
                        label=format_lazy("{} · {} · {}", season.label, row_label, end_label),
                        min_value=1,
                        max_value=MAX_REFILL_MINUTES,
                        widget=forms.NumberInput(attrs=number),
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
        levels = [data.get(f"level{level}_minutes") for level in Level.values]
        if None not in levels and not levels[0] > levels[1] > levels[2]:
            self.add_error(
                "level1_minutes" if levels[0] <= levels[1] else "level2_minutes",
                _(
                    "The levels are checked in order: level 1 needs more minutes before the start than level 2, "
                    "and level 2 more than level 3."
                ),
            )
        for season in Season:
            for index in range(1, len(REFILL_ROWS) + 1):
                low, high = data.get(f"{season}_refill{index}_from"), data.get(f"{season}_refill{index}_to")
                if low is not None and high is not None and low > high:
                    self.add_error(
                        f"{season}_refill{index}_to",
                        _("A window cannot close before it opens: “to” must be at least “from”."),
                    )
        for site in self.sites:
            names = [f"site{site.pk}_from", f"site{site.pk}_until"]
            given = [bool(data.get(name)) for name in names]
            if any(given) and not all(given):
                self.add_error(names[given.index(False)], _("Give both days, or leave both empty to use the default."))
        ready_item = data.get("ready_item")
        if ready_item and ready_item in data.get("before_items", []):
            self.add_error(
                "before_items",
                _("The room-ready item closes this list by itself: remove “%(item)s” here.") % {"item": ready_item},
            )
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
