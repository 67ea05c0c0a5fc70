import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiwu.lib.versions import RowVersionField
from huiwu.security.levels import level_choices
from huiwu.venues.models import Layout

# A meeting lasts at most this long, and each buffer at most MAX_BUFFER. The conflict check relies on the
# bound: it looks back only MAX_BLOCKED_SPAN for bookings that could still overlap, which keeps it an
# index range scan however many bookings a room has. (Multi-day events are booked one day at a time.)
MAX_DURATION = timedelta(hours=24)
MAX_BUFFER = timedelta(hours=4)
MAX_BLOCKED_SPAN = MAX_DURATION + 2 * MAX_BUFFER


class Nature(models.TextChoices):
    WORK_ASSIGNMENT = "work_assignment", _("Work assignment")
    SYMPOSIUM = "symposium", _("Symposium")
    SOCIAL = "social", _("Social gathering")
    RECEPTION = "reception", _("Reception of visitors")
    VIDEO_CONFERENCE = "video_conference", _("Video conference")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Tone(models.TextChoices):
    SOLEMN = "solemn", _("Solemn")
    RELAXED = "relaxed", _("Relaxed")


class Status(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# The states that hold a room. Rejected and cancelled meetings free their slot.
ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED)


class ServiceItem(models.TextChoices):
    TEA = "tea", _("Tea")
    WATER = "water", _("Bottled water")
    FRUIT = "fruit", _("Fruit")
    TISSUES = "tissues", _("Tissues")
    NAME_CARDS = "name_cards", _("Name cards")
    FLOWERS = "flowers", _("Flowers")
    MICROPHONES = "microphones", _("Microphones")
    PROJECTOR = "projector", _("Projector")
    VIDEO_CONFERENCE = "video_conference", _("Video conference")
    LIGHTING_AUDIO = "lighting_audio", _("Lighting and audio")


class MeetingSeries(models.Model):
    """A recurring meeting (例会): the rule it was created from. Each occurrence is its own Meeting row."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("occurrences"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} #{self.pk}"


class MeetingQuerySet(models.QuerySet):
    def active(self) -> "MeetingQuerySet":
        return self.filter(status__in=ACTIVE_STATUSES)

    def blocking(self, room_id: int, blocked_from, blocked_until) -> "MeetingQuerySet":
        """Active meetings of the room whose blocked time (buffers included) overlaps [from, until)."""
        return self.active().filter(
            room_id=room_id,
            # The lower bound is redundant logically but lets the index seek instead of scanning history.
            blocked_from__gt=blocked_from - MAX_BLOCKED_SPAN,  # pragma: no mutate (narrows the scan, not the result)
            blocked_from__lt=blocked_until,
            blocked_until__gt=blocked_from,
        )


class Meeting(models.Model):
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    title = models.CharField(_("title"), max_length=120)
    organizer = models.ForeignKey(
        "directory.Organization", verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="meetings"
    )
    contact = models.ForeignKey(
        "directory.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    room = models.ForeignKey("venues.Room", verbose_name=_("room"), on_delete=models.PROTECT, related_name="meetings")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    setup_minutes = models.PositiveSmallIntegerField(_("setup minutes"), default=30)
    teardown_minutes = models.PositiveSmallIntegerField(_("teardown minutes"), default=30)
    # start − setup and end + teardown: what the room is really blocked for, stored so that it is indexed.
    blocked_from = models.DateTimeField(editable=False)
    blocked_until = models.DateTimeField(editable=False)
    headcount = models.PositiveIntegerField(_("headcount"))
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices, default=Nature.WORK_ASSIGNMENT)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, default=Tone.SOLEMN)
    layout = models.CharField(_("layout"), max_length=20, choices=Layout.choices, blank=True)
    table_count = models.PositiveSmallIntegerField(_("tables"), null=True, blank=True)
    chair_count = models.PositiveSmallIntegerField(_("chairs"), null=True, blank=True)
    attendees = models.ManyToManyField(
        "directory.Person", verbose_name=_("leaders and guests"), through="MeetingAttendee", blank=True
    )
    restroom_arrangement = models.CharField(_("restroom arrangement"), max_length=200, blank=True)
    smoking_arrangement = models.CharField(_("smoking area arrangement"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # 0: ordinary. From 1 on the meeting is confidential: only cleared staff serve or see it (security app).
    confidentiality = models.PositiveSmallIntegerField(_("confidentiality"), default=0, choices=level_choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    capacity_override_reason = models.CharField(_("reason for exceeding capacity"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start", "room__name"]
        permissions = [
            ("approve_meeting", _("Can confirm or reject requested meetings")),
            ("override_capacity", _("Can book more people than a room holds, with a reason")),
            ("book_in_past", _("Can record meetings that have already started")),
        ]
        indexes = [
            # The conflict check and the timeline: a room's active bookings by time.
            models.Index(
                fields=["room", "blocked_from"], condition=Q(status__in=ACTIVE_STATUSES), name="meeting_room_active_idx"
            ),
            models.Index(fields=["start"], name="meeting_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(headcount__gt=0), name="meeting_has_attendees"),
            models.CheckConstraint(
                condition=Q(blocked_from__lte=models.F("start")) & Q(blocked_until__gte=models.F("end")),
                name="meeting_blocked_covers_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality > 0


class MeetingAttendee(models.Model):
    """A leader or guest attending; the order of service is their precedence."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendee_links")
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="meeting_attendee_unique")]

    def __str__(self) -> str:
        return str(self.person)


class MeetingServiceItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="service_items")
    item = models.CharField(_("item"), max_length=20, choices=ServiceItem.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "item"], name="meeting_service_item_unique")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} × {self.quantity}"


class MeetingChange(models.Model):
    """One entry of a meeting's history: who did what, when, with the values before and after."""

    class Action(models.TextChoices):
        CREATED = "created", _("Booked")
        # A client's booking: a request until booking staff confirm or reject it.
        REQUESTED = "requested", _("Request submitted, awaiting confirmation")
        UPDATED = "updated", _("Changed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    # {"field": [before, after]} with values as shown to people (times in Asia/Shanghai, labels).
    changes = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.changed_at:%Y-%m-%d %H:%M}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A user's secret for calendar feed URLs (calendar apps cannot sign in). Revealing it leaks only
    what that user may see; regenerating it cuts off every old link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=40, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.user)
