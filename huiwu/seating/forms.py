"""Forms of the seating plan: generate it by protocol, exchange two seats (tapped on a phone, dragged onto each
other on a desktop). They only read the input; the rules live in services.py."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiwu.lib.forms import StyledFormMixin
from huiwu.seating.models import SeatingPlan
from huiwu.seating.protocol import MAX_ROWS, MAX_SEATS_IN_ROW

_SIZES = re.compile(r"\d{1,2}(?:[,，、 ]+\d{1,2})*")
_PLACE = re.compile(r"(\d{1,2})-(\d{1,2})")


class GenerateForm(StyledFormMixin, forms.Form):
    arrangement = forms.ChoiceField(label=gettext_lazy("Arrangement"), choices=SeatingPlan.Arrangement.choices)
    rule = forms.ChoiceField(label=gettext_lazy("Rule"), choices=SeatingPlan.Rule.choices)
    variant = forms.ChoiceField(label=gettext_lazy("Even rows"), choices=SeatingPlan.Variant.choices)
    row_sizes = forms.CharField(
        label=gettext_lazy("Seats per row"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("A rostrum's rows front first, e.g. 5, 7. Empty: one row of everyone."),
    )

    def clean_row_sizes(self) -> list[int]:
        text = self.cleaned_data["row_sizes"].strip()
        if not text:
            return []
        if not _SIZES.fullmatch(text):
            raise ValidationError(_("Write the seats of each row as numbers, e.g. 5, 7."))
        sizes = [int(size) for size in re.split(r"[,，、 ]+", text)]
        if len(sizes) > MAX_ROWS or any(not 1 <= size <= MAX_SEATS_IN_ROW for size in sizes):
            raise ValidationError(
                _("Give 1 to %(rows)d rows of 1 to %(seats)d seats.") % {"rows": MAX_ROWS, "seats": MAX_SEATS_IN_ROW}
            )
        return sizes


class SwapForm(StyledFormMixin, forms.Form):
    """Two seats as "row-position"; a seat not of the plan is the service's to refuse."""

    seat = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, places: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].choices = [(place, place) for place in places]

    def clean_seat(self) -> list[tuple[int, int]]:
        chosen = self.cleaned_data["seat"]
        if len(chosen) != 2:
            raise ValidationError(_("Tap two seats, then exchange them."))
        places = []
        for text in chosen:
            match = _PLACE.fullmatch(text)
            places.append((int(match.group(1)), int(match.group(2))))
        return places
