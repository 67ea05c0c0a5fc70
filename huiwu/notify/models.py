"""Deadlines (every timed rule is a row with its times) and what they produce: inbox notifications and
deliveries to e-mail, WeCom and DingTalk group robots and generic webhooks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role


class Kind(models.TextChoices):
    """What a deadline or notification is about; users choose channels per kind."""

    MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
    MEETING_BOOKED = "meeting_booked", _("Meeting booked or changed")
    SERVICE_CHECK = "service_check", _("Three-level check")
    CHECK_ALERT = "check_alert", _("Check problem or re-opened check")
    ROOM_READY = "room_ready", _("Room ready before the meeting")
    REFILL = "refill", _("Water refill")
    ASSIGNMENT = "assignment", _("Meeting assignment")
    SERVICE_EXCEPTION = "service_exception", _("Service exception (started without checks)")
    REQUEST_DECIDED = "request_decided", _("Meeting request confirmed or rejected")
    CLEARANCE_EXPIRY = "clearance_expiry", _("Qualification about to expire")
    DELEGATION = "delegation", _("Delegated task")
    COMPLAINT = "complaint", _("Complaint")
    FOLLOW_UP = "follow_up", _("Follow-up with a client")
    SURVEY = "survey", _("Satisfaction survey")
    RECEPTION = "reception", _("Reception routine")


# Who receives each kind, by role (the rules that send them live in the apps' deadlines and services): the
# settings page offers a person the kinds of their roles, and any other kind they have been sent.
KINDS_BY_ROLE: dict[Role, tuple[Kind, ...]] = {
    # Escalations of missed checks, check problems, and meetings started with a level unconfirmed.
    # Complaints' missed apologies and findings, and follow-ups left open.
    Role.MANAGER: (
        Kind.MEETING_REMINDER,
        Kind.SERVICE_CHECK,
        Kind.CHECK_ALERT,
        Kind.SERVICE_EXCEPTION,
        Kind.COMPLAINT,
        Kind.FOLLOW_UP,
    ),
    # Level 1, the room-ready item and refills of meetings nobody is assigned to yet, delegated tasks late or
    # left unconfirmed by the client, and the reception routine's missed items and overdue documents.
    Role.TEAM_LEADER: (
        Kind.MEETING_REMINDER,
        Kind.SERVICE_CHECK,
        Kind.CHECK_ALERT,
        Kind.ROOM_READY,
        Kind.REFILL,
        Kind.DELEGATION,
        Kind.RECEPTION,
    ),
    Role.ENV_SUPERVISOR: (Kind.SERVICE_CHECK, Kind.CHECK_ALERT, Kind.DELEGATION),
    # Hears of every booking and change; level 3; gets the client's confirmation of delegated tasks, handles
    # complaints and follow-ups.
    Role.HOTLINE: (
        Kind.MEETING_REMINDER,
        Kind.MEETING_BOOKED,
        Kind.SERVICE_CHECK,
        Kind.CHECK_ALERT,
        Kind.DELEGATION,
        Kind.COMPLAINT,
        Kind.FOLLOW_UP,
    ),
    Role.ATTENDANT: (Kind.MEETING_REMINDER, Kind.ASSIGNMENT, Kind.ROOM_READY, Kind.REFILL, Kind.DELEGATION),
    Role.SECURITY_OFFICER: (Kind.CLEARANCE_EXPIRY,),
    # Reminders of their organization's meetings, the answer to each request they made, delegated tasks
    # waiting for their confirmation, and the survey after each meeting.
    Role.CLIENT: (Kind.MEETING_REMINDER, Kind.REQUEST_DECIDED, Kind.DELEGATION, Kind.SURVEY),
    # Reception attendants: their routine's items and overdue documents, and the ad-hoc matters (delegated
    # tasks) given to them. No rule sends administrators anything as such.
    Role.RECEPTION: (Kind.RECEPTION, Kind.DELEGATION),
    Role.ADMIN: (),
}


class Deadline(models.Model):
    """One timed rule for one subject, derived from its source data by a `<source>_sync_deadlines` function.

    It opens (the responsible person is reminded), falls due, and, if not done by then, is missed and
    escalated. A deadline that only reminds (no completion to wait for) is done once it has reminded.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        REMINDED = "reminded", _("Reminded")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    # Stable identity within its source, e.g. "meeting:12:reminder:60": a re-sync updates, never duplicates.
    key = models.CharField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=200, blank=True)
    responsible_role = models.CharField(_("responsible role"), max_length=20, choices=Role.choices, blank=True)
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible people"), blank=True, related_name="+"
    )
    opens_at = models.DateTimeField(_("reminder at"))
    due_at = models.DateTimeField(_("due at"))
    # Only deadlines that wait for an action have these: who hears about it when it is missed.
    awaits_completion = models.BooleanField(_("awaits completion"), default=False)
    escalate_to_role = models.CharField(_("escalates to"), max_length=20, choices=Role.choices, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    # Goes up each time the deadline opens again (its meeting moved): the new round reminds people anew.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Why it ended as it did, e.g. "too late to remind: the worker was down".
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            # The worker's two questions: what opens now, and what falls due now.
            models.Index(fields=["opens_at"], condition=Q(state="pending"), name="deadline_opens_idx"),
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["pending", "reminded"], awaits_completion=True),
                name="deadline_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """One entry of a user's in-app inbox, which always works whatever else is configured."""

    class Event(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Missed")
        NOTICE = "notice", _("Notice")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    deadline_round = models.PositiveSmallIntegerField(_("round of the deadline"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("body"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The meeting it concerns, if any. For a confidential meeting, channels outside Huiwu (e-mail, robots,
    # webhooks) carry only `external_title` (room and time, no title) and no body.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    external_title = models.CharField(_("title outside Huiwu"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly once: a deadline's reminder (or escalation) reaches each person once, whatever the workers do.
            models.UniqueConstraint(
                fields=["recipient", "deadline", "deadline_round", "event"],
                condition=Q(deadline__isnull=False),
                name="notification_once_per_deadline_event",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    WEBHOOK = "webhook", _("Webhook")


class Endpoint(models.Model):
    """A group robot or webhook messages are posted to (configured by administrators)."""

    channel = models.CharField(
        _("channel"), max_length=10, choices=[c for c in Channel.choices if c[0] != Channel.EMAIL]
    )
    name = models.CharField(_("robot name"), max_length=60)
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("The robot's webhook URL; private deployments use their own host.")
    )
    secret = models.CharField(
        _("signing secret"), max_length=200, blank=True, help_text=_("DingTalk: the SEC… secret.")
    )
    roles = models.JSONField(_("roles"), default=list, blank=True, help_text=_("Whose notifications it carries."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("robot or webhook")
        verbose_name_plural = _("robots and webhooks")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.name}"


class Delivery(models.Model):
    """One message to send outside the inbox: an e-mail to one person, or one post to a robot or webhook.

    A group robot gets one post per event however many people it concerns, @-mentioning their phones.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    endpoint = models.ForeignKey(
        Endpoint,
        verbose_name=_("robot or webhook"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    # The event it announces, so that one event makes one post per endpoint (e.g. "deadline:12:reminder").
    event_key = models.CharField(_("event key"), max_length=100)
    # Phone numbers to @-mention in a group robot.
    mentions = models.JSONField(_("mentioned phones"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When it was last tried: the robots' limit (20 a minute) counts requests, failed ones included.
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # When its queued task should run: a queued delivery well past this has lost its task (a worker died).
    # Empty while its first task is still to be handed to the task backend (with Redis, after the row's
    # transaction commits): a row left empty for long never got its task (tasks.deliveries_requeue_stale).
    expected_at = models.DateTimeField(_("expected at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_key"], condition=Q(endpoint__isnull=False), name="delivery_once_per_endpoint"
            )
        ]
        indexes = [
            models.Index(fields=["endpoint", "last_attempt_at"], name="delivery_endpoint_attempt_idx"),
            # The worker's sweep, every few seconds: only the queued few, however many were ever sent.
            models.Index(
                fields=["expected_at", "created_at"], condition=Q(state="queued"), name="delivery_queued_sweep_idx"
            ),
            # The metrics endpoint counts the failed ones per channel at every scrape (ops/metrics.py).
            models.Index(fields=["channel"], condition=Q(state="failed"), name="delivery_failed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.notification}"


class Preference(models.Model):
    """A user's choice to receive one kind of notification on one channel (the inbox is always on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notify_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.channel} {self.enabled}"
