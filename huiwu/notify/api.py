"""The caller's inbox over JSON, as its page shows it: newest first, each notification as it was written for
them (about a confidential meeting they may not read about, only its busy block), marked read one or all at
once. A notification of somebody else's answers 404 like one that does not exist.
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from huiwu.lib.api import DateTime, Id, Page, PageIn, errors_answered, one_of
from huiwu.notify.access import get_notification_for_user
from huiwu.notify.models import Kind, Notification
from huiwu.notify.selectors import inbox_of, unread_count
from huiwu.notify.services import notification_read, notifications_read_all

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

    @staticmethod
    def resolve_kind_label(notification: Notification) -> str:
        return str(notification.get_kind_display())

    @staticmethod
    def resolve_event_label(notification: Notification) -> str:
        return str(notification.get_event_display())


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
    return notification_read(notification=get_notification_for_user(request.user, notification_id))
