from django import forms

from huiwu.lib.forms import StyledFormMixin
from huiwu.notify.models import Channel, Kind


def field_name(kind: str, channel: str) -> str:
    return f"{kind}:{channel}"


class PreferencesForm(StyledFormMixin, forms.Form):
    """One switch per kind the user receives and channel this deployment has; an unticked box turns it off."""

    def __init__(self, *args, rows: list[dict], **kwargs) -> None:
        self.rows = rows
        super().__init__(*args, **kwargs)
        for row in rows:
            for channel, on in row["channels"].items():
                self.fields[field_name(row["kind"], channel)] = forms.BooleanField(
                    label=Channel(channel).label,
                    required=False,
                    initial=on,
                    # Added after the mixin styled the declared fields: styled here the same way.
                    widget=forms.CheckboxInput(attrs={"role": "switch", "class": "form-check-input"}),
                )

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (row["kind"], channel): self.cleaned_data[field_name(row["kind"], channel)]
            for row in self.rows
            for channel in row["channels"]
        }

    def grouped(self) -> list[tuple[Kind, list[forms.BoundField]]]:
        """Each kind with its switches, in the order of the page."""
        return [
            (Kind(row["kind"]), [self[field_name(row["kind"], channel)] for channel in row["channels"]])
            for row in self.rows
        ]
