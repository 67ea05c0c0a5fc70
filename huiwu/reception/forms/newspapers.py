"""Forms of the subscription table and the day's round. They only gather the values; the rules live in
services/newspapers.py (which years change, copies within what an office takes, an import's every cell)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiwu.directory.models import Person
from huiwu.lib.forms import StyledFormMixin
from huiwu.reception.models import MissingPaper, Publication
from huiwu.reception.selectors.newspapers import PUBLICATION_ORDER, subscribed_leaders
from huiwu.reception.services.newspapers import IMPORT_MAX_BYTES, MAX_COPIES, NAME_LIMIT


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, leader: Person) -> str:
        return f"{leader.name} {leader.title}"


class SubscriptionCellForm(StyledFormMixin, forms.Form):
    leader = LeaderChoiceField(label=_("Leader"), queryset=Person.objects.none())
    publication = forms.ModelChoiceField(label=_("Publication"), queryset=Publication.objects.none())
    copies = forms.IntegerField(
        label=_("Copies"), min_value=0, max_value=MAX_COPIES, help_text=_("0 removes the subscription.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = subscribed_leaders()
        self.fields["publication"].queryset = Publication.objects.filter(is_active=True).order_by(*PUBLICATION_ORDER)
        self.fields["copies"].widget.attrs["inputmode"] = "numeric"


class PublicationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("New publication"), max_length=NAME_LIMIT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. 人民日报")


class SubscriptionImportForm(StyledFormMixin, forms.Form):
    # The service reads and checks the file; the form only carries it.
    upload = forms.FileField(label=_("Excel file (.xlsx)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = gettext(
            "Laid out as the export: publications in the first row, leaders in the first column; "
            "at most %(megabytes)d MB."
        ) % {"megabytes": IMPORT_MAX_BYTES // 1024 // 1024}
        self.fields["upload"].widget.attrs["accept"] = (
            ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


class MissingPaperForm(StyledFormMixin, forms.Form):
    """A paper that did not come for one office."""

    publication = forms.ModelChoiceField(label=_("Publication"), queryset=Publication.objects.none())
    copies = forms.IntegerField(label=_("Copies missing"), min_value=1, max_value=MAX_COPIES)
    note = forms.CharField(label=_("Note"), max_length=MissingPaper._meta.get_field("note").max_length, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The page offers the office's own publications; the service refuses any other.
        self.fields["publication"].queryset = Publication.objects.filter(is_active=True)
