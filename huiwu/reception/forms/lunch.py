"""Forms of the leaders' lunch and the tableware register. They only gather the values; the rules live in
services/lunch.py."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.directory.models import Person
from huiwu.lib.forms import StyledFormMixin, text_area
from huiwu.reception.forms.newspapers import LeaderChoiceField
from huiwu.reception.models import LunchRequest, TablewareSet
from huiwu.reception.selectors.lunch import LunchCheck, tableware_leaders
from huiwu.reception.services.lunch import MENU_LIMIT


class MenuForm(StyledFormMixin, forms.Form):
    menu = forms.CharField(label=_("Today's menu"), max_length=MENU_LIMIT, widget=text_area(rows=3))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["menu"].widget.attrs["placeholder"] = _("e.g. 清蒸鲈鱼、番茄炒蛋、清炒时蔬、冬瓜排骨汤、米饭")


class CheckForm(StyledFormMixin, forms.Form):
    check = forms.ChoiceField(choices=LunchCheck.choices)


class LunchRequestForm(StyledFormMixin, forms.Form):
    leader = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)
    # No initial value: the leader's answer, never the form's guess.
    eats = forms.TypedChoiceField(
        label=_("Eats today"),
        choices=[("yes", _("Eats today")), ("no", _("Not today"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    request = forms.CharField(
        label=pgettext_lazy("lunch", "Request"),
        max_length=LunchRequest._meta.get_field("request").max_length,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = tableware_leaders()
        self.fields["request"].widget.attrs["placeholder"] = LunchRequest._meta.get_field("request").help_text


class TablewareForm(StyledFormMixin, forms.Form):
    leader = LeaderChoiceField(label=_("Leader"), queryset=Person.objects.none())
    number = forms.CharField(label=_("Number"), max_length=TablewareSet._meta.get_field("number").max_length)
    place = forms.CharField(
        label=_("Place in the cabinet"), max_length=TablewareSet._meta.get_field("place").max_length, required=False
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = tableware_leaders()
        self.fields["number"].widget.attrs["placeholder"] = TablewareSet._meta.get_field("number").help_text
        self.fields["place"].widget.attrs["placeholder"] = TablewareSet._meta.get_field("place").help_text
