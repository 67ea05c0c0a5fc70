"""The journal's forms: an entry by hand, and the search. They gather values; the rules live in
services/journal.py."""

from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.models import User
from huiwu.lib.forms import StyledFormMixin, date_input, search_input, text_area, time_input
from huiwu.reception.models import JournalEntry
from huiwu.reception.selectors.journal import SEARCH_MAX_LENGTH, JournalFilters, journal_authors


class JournalEntryForm(StyledFormMixin, forms.Form):
    """What happened, and when when it was not just now."""

    SERVICE_FIELDS = {"at": "time"}

    text = forms.CharField(
        label=pgettext_lazy("journal entry", "What happened"),
        max_length=JournalEntry._meta.get_field("text").max_length,
        widget=text_area(rows=2),
    )
    day = forms.DateField(label=_("Day"), required=False, widget=date_input(), help_text=_("Empty: today."))
    time = forms.TimeField(label=_("Time"), required=False, widget=time_input(), help_text=_("Empty: now."))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("day") and not data.get("time") and "time" not in self.errors:
            self.add_error("time", _("Give the time of an entry for another day."))
        return data

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        at = None
        if data["time"] is not None:
            day = data["day"] or timezone.localdate()
            at = timezone.make_aware(datetime.combine(day, data["time"]))
        return {"text": data["text"], "at": at}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return str(user)


class JournalFilterForm(StyledFormMixin, forms.Form):
    day_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    day_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    author = PersonChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=search_input(placeholder=_("Words of the entry")),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = journal_authors()

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("day_from"), data.get("day_to")
        if first and last and last < first:
            self.add_error("day_to", _("The last day comes before the first."))
        return data

    def filters(self, *, today: date) -> JournalFilters:
        """What to search for. Nothing asked (the page as opened): today's entries. A value that is not valid
        is left out (the form shows why), the others still apply."""
        if not self.is_bound:
            return JournalFilters(day_from=today, day_to=today)
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        author = data.get("author")
        return JournalFilters(
            day_from=data.get("day_from"),
            day_to=data.get("day_to"),
            author_id=author.pk if author else None,
            q=(data.get("q") or "").strip(),
        )
