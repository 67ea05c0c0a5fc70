"""What the inbox shows: the same reads for its page, its bell and the API."""

from django.conf import settings
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.meetings.models import MeetingChange
from huiwu.notify.models import KINDS_BY_ROLE, Channel, Deadline, Endpoint, Kind, Notification

# Why a notification no longer holds, by the code `inbox_of` annotates as `outdated`; "" while it holds.
OUTDATED_REASONS = {
    "cancelled": _("Outdated: the meeting was cancelled"),
    "rejected": _("Outdated: the meeting request was rejected"),
    "moved": _("Outdated: the meeting was rescheduled"),
    "superseded": _("Outdated: a newer reminder replaces it"),
    "withdrawn": _("Outdated: no longer needed"),
}

# The history fields that move a meeting: a reminder written before such a change names the old time or room.
_MOVING_FIELDS = ["start", "end", "room"]


def _changed_since(notification_created_at, *actions: str, moving: bool = False) -> Exists:
    changes = MeetingChange.objects.filter(
        meeting=OuterRef("meeting"), changed_at__gt=notification_created_at, action__in=actions
    )
    if moving:
        changes = changes.filter(changes__has_any_keys=_MOVING_FIELDS)
    return Exists(changes)


def inbox_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first, each as it was written for them: one about a confidential
    meeting they were not to read about holds its busy block (room and time) as its title, and no body.

    Each carries `outdated`, a key of OUTDATED_REASONS or "": computed in the same query (constant in the
    page size) from what happened after it was written. Its meeting was cancelled or rejected, or moved
    (time or room), or the deadline it reminded of opened again (a newer round) or was called off."""
    created = OuterRef("created_at")
    action = MeetingChange.Action
    notifications = user.notifications.annotate(
        outdated=Case(
            When(_changed_since(created, action.CANCELLED), then=Value("cancelled")),
            When(_changed_since(created, action.REJECTED), then=Value("rejected")),
            When(_changed_since(created, action.UPDATED, moving=True), then=Value("moved")),
            When(deadline__round__gt=F("deadline_round"), then=Value("superseded")),
            When(deadline__state=Deadline.State.CANCELLED, then=Value("withdrawn")),
            default=Value(""),
            output_field=CharField(),
        )
    )
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def outdated_reason(notification: Notification) -> str:
    """What the inbox says of a notification of `inbox_of` that no longer holds, or ""."""
    code = getattr(notification, "outdated", "")
    return str(OUTDATED_REASONS[code]) if code else ""


def unread_count(user: User) -> int:
    return user.notifications.filter(read_at__isnull=True).count()


# --- the channels a person may choose ----------------------------------------------------------------

# Django's back-ends that send nothing anywhere: a deployment with one of these has no e-mail.
_NO_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def email_configured() -> bool:
    return settings.EMAIL_BACKEND not in _NO_EMAIL_BACKENDS


def channels_for(user: User) -> list[Channel]:
    """The channels besides the inbox that can reach `user` in this deployment: e-mail when it sends e-mail,
    and each kind of robot or webhook an active endpoint has that carries notifications of the user's roles
    (an endpoint with no roles carries everybody's)."""
    roles = {role.value for role in user.roles}
    carried = {
        endpoint.channel
        for endpoint in Endpoint.objects.filter(is_active=True).only("channel", "roles")
        if not endpoint.roles or roles & set(endpoint.roles)
    }
    available = {Channel.EMAIL} if email_configured() else set()
    return [channel for channel in Channel if channel in available | carried]


def kinds_for(user: User) -> list[Kind]:
    """The kinds of notification `user` may receive: those of their roles, and any other they were sent."""
    wanted = {kind for role in user.roles for kind in KINDS_BY_ROLE.get(role, ())}
    wanted |= set(user.notifications.exclude(kind__in=wanted).values_list("kind", flat=True).distinct())
    return [kind for kind in Kind if kind in wanted]


def preferences_of(user: User, *, kinds: list[Kind], channels: list[Channel]) -> list[dict]:
    """For each kind, whether it reaches `user` on each channel (on until they turned it off)."""
    saved = {
        (p.kind, p.channel): p.enabled
        for p in user.notify_preferences.filter(Q(kind__in=kinds) & Q(channel__in=channels))
    }
    return [
        {"kind": kind, "channels": {channel: saved.get((kind, channel), True) for channel in channels}}
        for kind in kinds
    ]
