"""Forms of the reviewed-documents register. They only gather the values; the rules live in
services/documents.py."""

from datetime import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huiwu.directory.models import Person
from huiwu.lib.forms import StyledFormMixin, date_input, now_initial, search_input, time_input
from huiwu.reception.models import LeaderOffice, ReviewedDocument
from huiwu.reception.selectors.documents import SEARCH_MAX_LENGTH


def _label(name: str) -> str:
    return capfirst(ReviewedDocument._meta.get_field(name).verbose_name)


def _max_length(name: str) -> int:
    return ReviewedDocument._meta.get_field(name).max_length


def leaders() -> QuerySet[Person]:
    return Person.objects.filter(kind=Person.Kind.LEADER, is_active=True).order_by("precedence", "name_pinyin")


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, leader: Person) -> str:
        return f"{leader.name}（{leader.title}）" if leader.title else leader.name


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, office: LeaderOffice) -> str:
        return f"{office.room} {office.leader.name}"


class DocumentFieldsForm(StyledFormMixin, forms.Form):
    """The fields a document has however it was taken back."""

    title = forms.CharField(label=_label("title"), max_length=_max_length("title"))
    document_number = forms.CharField(
        label=_label("document_number"),
        max_length=_max_length("document_number"),
        help_text=ReviewedDocument._meta.get_field("document_number").help_text,
    )
    reviewing_leader = LeaderChoiceField(label=_label("reviewing_leader"), queryset=Person.objects.none())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewing_leader"].queryset = leaders()


class CleaningDocumentForm(DocumentFieldsForm):
    """A document taken back during a cleaning: from the office being cleaned, now."""

    def __init__(self, *args, office: LeaderOffice, **kwargs) -> None:
        # The office's own leader is who most often reviewed what lies on their desk.
        kwargs["initial"] = {"reviewing_leader": office.leader_id} | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "document_number": data["document_number"],
            "reviewing_leader": data["reviewing_leader"],
        }


class DocumentForm(DocumentFieldsForm):
    """A document recorded by hand."""

    SERVICE_FIELDS = {"retrieved_at": "retrieved_time"}

    office = OfficeChoiceField(
        label=_label("office"),
        queryset=LeaderOffice.objects.none(),
        required=False,
        empty_label=_("Not from a leader's office"),
    )
    retrieved_date = forms.DateField(label=_("Date taken back"), widget=date_input())
    retrieved_time = forms.TimeField(label=_("Time taken back"), widget=time_input())
    notes = forms.CharField(label=_label("notes"), max_length=_max_length("notes"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs["initial"] = now_initial("retrieved_") | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = LeaderOffice.objects.filter(is_active=True).select_related("leader")

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "document_number": data["document_number"],
            "reviewing_leader": data["reviewing_leader"],
            "office": data["office"],
            "retrieved_at": timezone.make_aware(datetime.combine(data["retrieved_date"], data["retrieved_time"])),
            "notes": data["notes"],
        }


class HandOverForm(StyledFormMixin, forms.Form):
    """The handover to the GM office's document clerk: to whom, and how they confirmed. Nothing is chosen for
    the user: the clerk's name is suggested from earlier handovers, the confirmation is theirs to give."""

    handed_to = forms.CharField(label=_("Name of the clerk who took it"), max_length=_max_length("handed_to"))
    confirmation = forms.ChoiceField(
        label=_label("clerk_confirmation"), choices=ReviewedDocument.Confirmation.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handed_to"].widget.attrs.update({"list": "clerk-names", "autocomplete": "off"})

    def to_kwargs(self) -> dict:
        return {"handed_to": self.cleaned_data["handed_to"], "confirmation": self.cleaned_data["confirmation"]}


class DocumentFilterForm(StyledFormMixin, forms.Form):
    since = forms.DateField(label=_("Taken back from"), required=False, widget=date_input())
    until = forms.DateField(label=_("Taken back until"), required=False, widget=date_input())
    leader = LeaderChoiceField(
        label=_label("reviewing_leader"), queryset=Person.objects.none(), required=False, empty_label=_("Any leader")
    )
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=search_input(placeholder=_("Title or document number")),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Leaders no longer active still reviewed documents of the register.
        self.fields["leader"].queryset = Person.objects.filter(kind=Person.Kind.LEADER).order_by(
            "precedence", "name_pinyin"
        )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            # add_error drops the day from cleaned_data: the register is then filtered by the first only.
            self.add_error("until", _("The last day comes before the first."))
        return data

    def filters(self) -> dict:
        """The filters to apply: a value that is not valid is left out (and its field shows why)."""
        if not self.is_bound:
            return {"since": None, "until": None, "leader_id": None, "q": ""}
        self.is_valid()
        data = self.cleaned_data
        leader = data.get("leader")
        return {
            "since": data.get("since"),
            "until": data.get("until"),
            "leader_id": leader.pk if leader else None,
            "q": (data.get("q") or "").strip(),
        }
