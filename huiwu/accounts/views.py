from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.accounts.access import get_api_token_for_user
from huiwu.accounts.forms import ApiTokenForm, LoginForm
from huiwu.accounts.services import api_token_create, api_token_revoke


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None):
    """What django-axes shows instead of signing in once the failure limit is reached."""
    # Unbound: validating a bound form would try to authenticate once more.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    lockout_message = _(
        "Too many failed sign-in attempts. For your security, sign-in for this account from this "
        "device is locked for %(minutes)d minutes. Try again later, or ask the system administrator "
        "to unlock it."
    ) % {"minutes": minutes}
    return render(request, "accounts/login.html", {"form": form, "lockout_message": lockout_message}, status=429)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_secret = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    context = {"form": form, "tokens": tokens, "new_secret": new_secret}
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_api_token_for_user(request.user, token_id)
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
