"""The service around a meeting (DESIGN §4.1, §4.2, §4.6): the three-level check, who serves it, its
checklists, the refills, the log of requests during it, and the standards all of these follow."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.roles import Role
from huiwu.lib.versions import RowVersionField


class Season(models.TextChoices):
    SUMMER = "summer", _("Summer")
    WINTER = "winter", _("Winter")


class Phase(models.TextChoices):
    BEFORE = "before", _("Before the meeting")
    DURING = "during", _("During the meeting")
    AFTER = "after", _("After the meeting")


class Level(models.IntegerChoices):
    ONE = 1, _("Level 1")
    TWO = 2, _("Level 2")
    THREE = 3, _("Level 3")


# Who confirms each level (seed 篇1 §4): the team leader, the environment supervisor, the service hotline.
LEVEL_ROLES = {Level.ONE: Role.TEAM_LEADER, Level.TWO: Role.ENV_SUPERVISOR, Level.THREE: Role.HOTLINE}


class ServiceStandard(models.Model):
    """One version of the service standards. The newest applies to every meeting that has not started; a
    meeting keeps the version in force when it started. Versions are never changed, only superseded."""

    level1_minutes = models.PositiveSmallIntegerField(_("level 1 check, minutes before start"), default=120)
    level2_minutes = models.PositiveSmallIntegerField(_("level 2 check, minutes before start"), default=60)
    level3_minutes = models.PositiveSmallIntegerField(_("level 3 check, minutes before start"), default=30)
    # [[from, to], …] in minutes: the first refill after the start, the second after the first, and the
    # interval repeated after that, each measured from the actual time of the previous refill.
    summer_refills = models.JSONField(_("summer refill windows"), default=list)
    winter_refills = models.JSONField(_("winter refill windows"), default=list)
    # Summer runs from summer_from to summer_until inclusive ("MM-DD"); per site in site_seasons
    # ({site code: ["MM-DD", "MM-DD"]}), the default for the others.
    summer_from = models.CharField(_("summer from"), max_length=5, default="05-01")
    summer_until = models.CharField(_("summer until"), max_length=5, default="09-30")
    site_seasons = models.JSONField(_("summer per site"), default=dict, blank=True)
    recess_headcount = models.PositiveSmallIntegerField(
        _("large meeting from (headcount)"), default=50, help_text=_("Tea cups are changed during the recess.")
    )
    ready_minutes = models.PositiveSmallIntegerField(_("room ready, minutes before start"), default=30)
    # A level is confirmed close to its due time, when what it confirms is true, not hours ahead of it.
    confirm_early_minutes = models.PositiveSmallIntegerField(
        _("a check can be confirmed from, minutes before it is due"), default=30
    )
    ready_item = models.CharField(_("room-ready item"), max_length=200)
    recess_item = models.CharField(_("recess item"), max_length=200)
    # Checklist templates: lists of item labels.
    level1_items = models.JSONField(_("level 1 checklist"), default=list)
    level2_items = models.JSONField(_("level 2 checklist"), default=list)
    level3_items = models.JSONField(_("level 3 checklist"), default=list)
    before_items = models.JSONField(_("before the meeting"), default=list)
    after_items = models.JSONField(_("after the meeting"), default=list)
    # A confidential meeting's measures (seed 篇1 §3), joined to its before and after checklists.
    confidential_before_items = models.JSONField(_("confidentiality measures before"), default=list, blank=True)
    confidential_after_items = models.JSONField(_("confidentiality measures after"), default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("in force from"), default=timezone.now)
    reason = models.CharField(_("reason for the change"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M}"


class MeetingService(models.Model):
    """How the service of one meeting actually went: when it really started and ended, and the standard
    version it was served under (fixed at the start, so a later change of standards does not move it)."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, primary_key=True, related_name="service"
    )
    standard = models.ForeignKey(ServiceStandard, on_delete=models.PROTECT, related_name="+")
    season = models.CharField(_("season"), max_length=10, choices=Season.choices)
    started_at = models.DateTimeField(_("actual start"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("actual end"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # The check levels not confirmed when the start was recorded: the meeting started anyway (meetings do),
    # and this is the exception the manager was alerted to and the board shows.
    unchecked_levels = models.JSONField(_("levels unconfirmed at the start"), default=list, blank=True)

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("meeting service")
        verbose_name_plural = _("meeting services")
        permissions = [
            ("view_board", _("Can see the today board and the team's workload")),
            ("serve_meeting", _("Can record a meeting's service: start, refills, checklists, requests, end")),
            ("assign_attendants", _("Can assign attendants to meetings")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="meetingservice_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return str(self.meeting_id)


class MeetingCheck(models.Model):
    """The current state of one level of a meeting's three-level check; CheckRecord keeps its history."""

    class State(models.TextChoices):
        OPEN = "open", _("To confirm")
        CONFIRMED = "confirmed", _("Confirmed")
        FAILED = "failed", _("Problem reported")

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="checks")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # Since when this level has had to be (re)done: the confirmation of the meeting, a move, a re-opening.
    # Work that became necessary after the level's normal due time is urgent and due at once.
    since = models.DateTimeField()
    opens_at = models.DateTimeField(_("reminder at"))
    due_at = models.DateTimeField(_("due at"))
    urgent = models.BooleanField(_("urgent"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["meeting_id", "level"]
        constraints = [models.UniqueConstraint(fields=["meeting", "level"], name="meetingcheck_unique_level")]

    def __str__(self) -> str:
        return f"{self.meeting_id} L{self.level} {self.state}"


class CheckRecord(models.Model):
    """One entry of a check's history: a confirmation, a problem reported, or a re-opening (append-only)."""

    class Action(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        FAILED = "failed", _("Problem reported")
        REOPENED = "reopened", _("Re-opened")

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="check_records")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    # [[item, passed], …] in the order of the checklist: the confirmer's answers.
    results = models.JSONField(_("checklist"), default=list, blank=True)
    # [[fact, true/false], …]: what the system verified at that moment (an attendant is assigned, the
    # arrangement is unchanged since level 1), never asked of the confirmer.
    facts = models.JSONField(_("verified by the system"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("check record")
        verbose_name_plural = _("check records")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id} L{self.level} {self.action}"


class Assignment(models.Model):
    class Duty(models.TextChoices):
        LEAD = "lead", _("Lead attendant")
        HELPER = "helper", _("Helper")

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="assignments")
    attendant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendant"),
        on_delete=models.PROTECT,
        related_name="service_assignments",
    )
    duty = models.CharField(_("duty"), max_length=10, choices=Duty.choices, default=Duty.HELPER)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        # "lead" sorts after "helper": descending puts the lead attendant first.
        ordering = ["-duty", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "attendant"], name="assignment_unique_attendant"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(duty="lead"), name="assignment_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.attendant} · {self.get_duty_display()}"


class ChecklistTick(models.Model):
    """An item of a meeting's before/during/after checklist, done: by whom and when."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="checklist_ticks")
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    item = models.CharField(_("item"), max_length=200)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["done_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "phase", "item"], name="checklisttick_unique")]

    def __str__(self) -> str:
        return self.item


class EarlyReason(models.TextChoices):
    """Why a refill was served before its window opened (the window is the standard; leaving it is explained)."""

    LEADER_REQUEST = "leader", _("A leader asked")
    RECESS = "recess", _("Recess")
    OTHER = "other", _("Other")


class Refill(models.Model):
    """One water refill of a running meeting: its window, and when it was actually done. The next window is
    created when this one is recorded, measured from the moment it was recorded."""

    # Indexed by refill_meeting_cover_idx.
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="refills", db_index=False)
    number = models.PositiveSmallIntegerField(_("refill"))
    opens_at = models.DateTimeField(_("window opens"))
    closes_at = models.DateTimeField(_("window closes"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    early_reason = models.CharField(_("served early because"), max_length=10, choices=EarlyReason.choices, blank=True)
    early_note = models.CharField(_("note"), max_length=200, blank=True)

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("refill")
        verbose_name_plural = _("refills")
        ordering = ["meeting_id", "number"]
        indexes = [
            # The meeting's index also carries what the punctuality counts read (PostgreSQL: INCLUDE; elsewhere
            # a plain index), so that the refills of a month's meetings are counted from the index alone.
            models.Index(
                fields=["meeting"],
                include=["id", "opens_at", "closes_at", "done_at", "done_by"],
                name="refill_meeting_cover_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="refill_unique_number"),
            # One window at a time: the next is planned only once this one is done.
            models.UniqueConstraint(fields=["meeting"], condition=Q(done_at__isnull=True), name="refill_one_pending"),
            models.CheckConstraint(condition=Q(closes_at__gte=models.F("opens_at")), name="refill_window_order"),
            # A refill before its window opened always says why.
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_at__gte=models.F("opens_at")) | ~Q(early_reason=""),
                name="refill_early_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} #{self.number}"

    def is_late(self, now) -> bool:
        return refill_is_late(done_at=self.done_at, closes_at=self.closes_at, now=now)

    @property
    def is_early(self) -> bool:
        return refill_is_early(done_at=self.done_at, opens_at=self.opens_at)


# The refill's two rules as functions of its values, for the pages that read refills as plain values (the board).
def refill_is_late(*, done_at: datetime | None, closes_at: datetime, now: datetime) -> bool:
    """Done after its window closed, or still not done when it has closed."""
    return (done_at or now) > closes_at


def refill_is_early(*, done_at: datetime | None, opens_at: datetime) -> bool:
    """Done before its window opened (with a reason, which the database insists on)."""
    return done_at is not None and done_at < opens_at


class ServiceLogEntry(models.Model):
    """A request served during a meeting that no schedule foresaw (seed 篇3 (四) 随机问题)."""

    class Kind(models.TextChoices):
        RESTROOM = "restroom", _("Guided to the restroom")
        DOCUMENTS = "documents", _("Passed documents")
        EQUIPMENT = "equipment", _("Equipment help")
        OTHER = "other", _("Other request")

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="service_log")
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("service log entry")
        verbose_name_plural = _("service log")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
