from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.lib.params import int_param
from huiwu.notify.access import get_notification_for_user
from huiwu.notify.forms import PreferencesForm
from huiwu.notify.selectors import channels_for, inbox_of, kinds_for, preferences_of, unread_count
from huiwu.notify.services import notification_read, notifications_read_all, preferences_set


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    """The unread count in the navigation bar, polled by htmx."""
    return render(request, "notify/_badge.html", {"unread": unread_count(request.user)})


@login_required
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go to what it is about."""
    notification = notification_read(notification=get_notification_for_user(request.user, notification_id))
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notify:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read without leaving the inbox: htmx swaps the entry in place, a plain form comes back to
    the page it was on."""
    notification = get_notification_for_user(request.user, notification_id)
    notification_read(notification=notification)
    if request.htmx:
        entry = inbox_of(request.user).get(pk=notification.pk)
        return render(request, "notify/_entry.html", {"notification": entry})
    page = int_param(request.POST.get("page"))
    return redirect(reverse("notify:inbox") + (f"?page={page}" if page and page > 1 else ""))


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    notifications_read_all(user=request.user)
    return redirect("notify:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    channels = channels_for(request.user)
    rows = preferences_of(request.user, kinds=kinds_for(request.user), channels=channels)
    form = PreferencesForm(request.POST if request.method == "POST" else None, rows=rows)
    if channels and form.is_valid():
        try:
            preferences_set(user=request.user, choices=form.choices())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form, "channels": channels})
