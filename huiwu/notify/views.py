from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.notify.access import get_notification_for_user
from huiwu.notify.models import Channel, Kind, Preference
from huiwu.notify.selectors import inbox_of, unread_count
from huiwu.notify.services import notification_read, notifications_read_all


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
def read_all(request: HttpRequest) -> HttpResponse:
    notifications_read_all(user=request.user)
    return redirect("notify:inbox")


# The channels a person may turn off; the inbox always works.
OPTIONAL_CHANNELS = [Channel.EMAIL, Channel.WECOM, Channel.DINGTALK, Channel.WEBHOOK]


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    saved = {(p.kind, p.channel): p.enabled for p in request.user.notify_preferences.all()}
    if request.method == "POST":
        for kind in Kind:
            for channel in OPTIONAL_CHANNELS:
                Preference.objects.update_or_create(
                    user=request.user,
                    kind=kind,
                    channel=channel,
                    defaults={"enabled": f"{kind.value}:{channel.value}" in request.POST},
                )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notify:preferences")
    rows = [
        {
            "kind": kind,
            "cells": [
                {"name": f"{kind.value}:{channel.value}", "channel": channel, "on": saved.get((kind, channel), True)}
                for channel in OPTIONAL_CHANNELS
            ],
        }
        for kind in Kind
    ]
    return render(request, "notify/preferences.html", {"rows": rows, "channels": OPTIONAL_CHANNELS})
