"""The caller's inbox over JSON, as its page shows it: newest first, each notification as it was written for
them (about a confidential meeting they may not read about, only its busy block) and whether it is outdated,
marked read one or all at once. A notification of somebody else's answers 404 like one that does not exist.
The caller's notification settings: the kinds they receive, on the channels this deployment has.
"""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from huiwu.lib.api import DateTime, Id, InputSchema, Page, PageIn, answers_validation_errors, errors_answered, one_of
from huiwu.notify.access import get_notification_for_user
from huiwu.notify.models import Channel, Kind, Notification
from huiwu.notify.selectors import (
    OUTDATED_REASONS,
    channels_for,
    inbox_of,
    kinds_for,
    outdated_reason,
    preferences_of,
    unread_count,
)
from huiwu.notify.services import notification_read, notifications_read_all, preferences_set

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: one_of(Kind)
    kind_label: str
    event: one_of(Notification.Event)
    event_label: str
    title: str
    body: str
    url: str = Field(description="The path in Huiwu it is about (what the inbox page opens); empty if none")
    created_at: DateTime
    read_at: DateTime | None = Field(description="null while unread")
    outdated: Literal[("", *OUTDATED_REASONS)] = Field(
        description="Why it no longer holds, computed from what happened since it was written: its meeting was "
        "cancelled or rejected, or moved (time or room), or the deadline it reminded of opened again or was "
        'called off; "" while it holds'
    )
    outdated_label: str = Field(
        description='What the inbox shows for `outdated`, e.g. "已过时：会议已改期"; "" if none'
    )

    @staticmethod
    def resolve_kind_label(notification: Notification) -> str:
        return str(notification.get_kind_display())

    @staticmethod
    def resolve_event_label(notification: Notification) -> str:
        return str(notification.get_event_display())

    @staticmethod
    def resolve_outdated(notification: Notification) -> str:
        return getattr(notification, "outdated", "")

    @staticmethod
    def resolve_outdated_label(notification: Notification) -> str:
        return outdated_reason(notification)


class NotificationPageOut(Page[NotificationOut]):
    unread: int = Field(description="The caller's unread notifications in all, whatever the filter")


class ReadAllOut(Schema):
    marked: int = Field(description="How many were unread and are now read")


class NotificationListIn(PageIn):
    unread: bool = Field(False, description="Only those not yet read")


@router.get(
    "/notifications",
    response={200: NotificationPageOut, **errors_answered(422)},
    summary="The caller's notifications, newest first, a page at a time, with the unread count",
)
def notifications(request: HttpRequest, filters: Query[NotificationListIn]):
    found = inbox_of(request.user, unread_only=filters.unread)
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(found[filters.offset : filters.offset + filters.limit]),
        "unread": unread_count(request.user),
    }


@router.post(
    "/notifications/read-all",
    response={200: ReadAllOut, **errors_answered()},
    summary="Mark every unread notification of the caller read",
)
def notifications_mark_all_read(request: HttpRequest):
    return {"marked": notifications_read_all(user=request.user)}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **errors_answered(404, 422)},
    summary="Mark one notification read (it keeps the time it was first read)",
)
def notification_mark_read(request: HttpRequest, notification_id: Id):
    notification_read(notification=get_notification_for_user(request.user, notification_id))
    return inbox_of(request.user).get(pk=notification_id)


# --- settings -----------------------------------------------------------------------------------------


class ChannelOut(Schema):
    code: one_of(Channel)
    label: str


class KindPreferenceOut(Schema):
    kind: one_of(Kind)
    kind_label: str
    channels: dict[str, bool] = Field(description="channel code → whether this kind reaches the caller there")


class PreferencesOut(Schema):
    inbox: bool = Field(True, description="Always true: every notification reaches the inbox")
    channels: list[ChannelOut] = Field(
        description="The channels besides the inbox this deployment has for the caller: e-mail when it sends "
        "e-mail, and each kind of group robot or webhook set up for the caller's roles"
    )
    kinds: list[KindPreferenceOut] = Field(description="The kinds the caller receives (by role, or was sent)")


class KindPreferenceIn(InputSchema):
    kind: one_of(Kind)
    channels: dict[one_of(Channel), StrictBool] = Field(
        max_length=len(Channel), description="channel code → on or off; channels not named keep their setting"
    )


class PreferencesIn(InputSchema):
    kinds: list[KindPreferenceIn] = Field(max_length=len(Kind))


def _preferences(user) -> dict:
    channels = channels_for(user)
    rows = preferences_of(user, kinds=kinds_for(user), channels=channels)
    return {
        "inbox": True,
        "channels": [{"code": channel.value, "label": str(channel.label)} for channel in channels],
        "kinds": [
            {
                "kind": row["kind"].value,
                "kind_label": str(row["kind"].label),
                "channels": {channel.value: on for channel, on in row["channels"].items()},
            }
            for row in rows
        ],
    }


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, **errors_answered()},
    summary="The caller's notification settings: each kind they receive, on each channel this deployment has",
)
def notification_preferences(request: HttpRequest):
    return _preferences(request.user)


@router.patch(
    "/notifications/preferences",
    response={200: PreferencesOut, **errors_answered(400, 422)},
    summary="Turn kinds on or off per channel; what is not named keeps its setting",
)
@answers_validation_errors()
def notification_preferences_update(request: HttpRequest, payload: PreferencesIn):
    preferences_set(
        user=request.user,
        choices={(row.kind, channel): on for row in payload.kinds for channel, on in row.channels.items()},
    )
    return _preferences(request.user)
