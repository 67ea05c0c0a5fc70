from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from huiwu.lib.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=60,
        help_text=_("Which system or script will use it, e.g. “OA integration”."),
    )
