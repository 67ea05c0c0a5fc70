"""What clients complain about: complaints (投诉), handled to the end by the seed's procedure and kept as a
case library once closed, and the follow-ups the hotline owes a client (a low survey score, a disputed
delegated task), which are not complaints but may become one.

Seed 篇2, the procedure: apologise first (道歉), investigate (调查), report the facts to the client truthfully
(如实反映), put it right (整改), obtain the client's understanding (谅解), then name the root cause and the
lesson. The steps are columns of the complaint, not free rows, so that the database holds their order.
"""

from itertools import pairwise

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RootCause(models.Model):
    """A root cause a closed complaint is filed under (configurable: 沟通不及时, 服务不到位, 设备故障, …)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ComplaintQuerySet(models.QuerySet):
    def open(self) -> "ComplaintQuerySet":
        return self.filter(closed_at__isnull=True)

    def cases(self) -> "ComplaintQuerySet":
        """Closed complaints: the case library."""
        return self.filter(closed_at__isnull=False)


# The steps of the seed's procedure, in order; each is three columns of the complaint: <step>_at, <step>_by
# and <step>_note. The return visit comes after closing.
COMPLAINT_STEPS = ("apology", "investigation", "report", "rectification", "acceptance")
RECORDED_STEPS = (*COMPLAINT_STEPS, "return_visit")


class Complaint(models.Model):
    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("Service hotline")
        PORTAL = "portal", _("Client portal")
        ON_SITE = "on_site", _("On site")
        WECOM = "wecom", _("WeCom")

    STEPS = COMPLAINT_STEPS

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The complainant (personal data: hidden from those who only read the case library).
    complainant_name = models.CharField(_("complainant"), max_length=50)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=30, blank=True)
    complainant_contact = models.ForeignKey(
        "directory.Contact",
        verbose_name=_("complainant (client contact)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # The meeting's room, or where it happened when no meeting is concerned: the case library searches by it.
    room = models.ForeignKey(
        "venues.Room", verbose_name=_("room"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        "delegations.DelegatedTask",
        verbose_name=_("delegated task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    summary = models.CharField(pgettext_lazy("complaint", "subject"), max_length=200, help_text=_("e.g. 会场水果不足"))
    statement = models.TextField(_("what was said"))
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_handled",
    )

    apology_at = models.DateTimeField(_("apologised at"), null=True, blank=True)
    apology_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("apologised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    apology_note = models.TextField(_("apology"), blank=True)
    investigation_at = models.DateTimeField(_("findings at"), null=True, blank=True)
    investigation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    investigation_note = models.TextField(_("investigation findings"), blank=True)
    report_at = models.DateTimeField(_("facts reported at"), null=True, blank=True)
    report_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    report_note = models.TextField(_("facts reported to the client"), blank=True)
    rectification_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    rectification_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rectification_note = models.TextField(_("corrective action"), blank=True)
    acceptance_at = models.DateTimeField(_("client accepted at"), null=True, blank=True)
    acceptance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptance recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acceptance_note = models.TextField(_("client's acceptance"), blank=True)

    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    root_cause = models.ForeignKey(
        RootCause,
        verbose_name=_("root cause"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    lesson = models.TextField(_("lesson"), blank=True)
    # The manager's reason for closing without the client's acceptance (e.g. the client cannot be reached).
    close_reason = models.TextField(_("reason for closing without acceptance"), blank=True)

    return_visit_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    return_visit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("return visit by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_visit_note = models.TextField(_("return visit"), blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("close_without_acceptance", _("Can close a complaint without the client's acceptance")),
            ("view_case", _("Can read the case library")),
        ]
        constraints = [
            # Each step is recorded whole (when, by whom, what) or not at all, and only after the one before.
            *[
                models.CheckConstraint(
                    condition=(
                        Q(**{f"{step}_at__isnull": True}, **{f"{step}_by__isnull": True})
                        | (
                            Q(**{f"{step}_at__isnull": False}, **{f"{step}_by__isnull": False})
                            & ~Q(**{f"{step}_note": ""})
                        )
                    ),
                    name=f"complaint_{step}_whole",
                )
                for step in RECORDED_STEPS
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{step}_at__isnull": True}) | Q(**{f"{before}_at__isnull": False}),
                    name=f"complaint_{step}_after_{before}",
                )
                for before, step in pairwise(COMPLAINT_STEPS)
            ],
            # Closed: with its cause and lesson, and the client's acceptance or the manager's reason.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (
                    Q(closed_by__isnull=False, root_cause__isnull=False)
                    & ~Q(lesson="")
                    & (Q(acceptance_at__isnull=False) | ~Q(close_reason=""))
                ),
                name="complaint_closed_complete",
            ),
            models.CheckConstraint(
                condition=Q(return_visit_at__isnull=True) | Q(closed_at__isnull=False),
                name="complaint_return_visit_after_closing",
            ),
        ]
        indexes = [
            models.Index(fields=["received_at"], condition=Q(closed_at__isnull=True), name="complaint_open_idx"),
            models.Index(fields=["closed_at"], name="complaint_closed_idx"),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class FollowUp(models.Model):
    """Something the hotline owes a client: calling back after a low survey score or about a delegated task
    the client disputed (有异议). Not a complaint — the hotline may open one from it if it is."""

    class Source(models.TextChoices):
        LOW_SCORE = "low_score", _("Low satisfaction score")
        TASK_DISPUTE = "task_dispute", _("Delegated task disputed")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    answer = models.OneToOneField(
        "surveys.SurveyAnswer",
        verbose_name=_("survey answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up",
    )
    task = models.ForeignKey(
        "delegations.DelegatedTask",
        verbose_name=_("delegated task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    summary = models.CharField(pgettext_lazy("complaint", "subject"), max_length=200)
    client_note = models.TextField(_("what the client said"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("outcome"), blank=True)
    # When the follow-up turned out to be a complaint, the complaint opened from it.
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # Where it comes from is recorded with it.
            models.CheckConstraint(
                condition=(Q(source="low_score") & Q(answer__isnull=False))
                | (Q(source="task_dispute") & Q(task__isnull=False)),
                name="followup_source_recorded",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | (Q(closed_by__isnull=False) & ~Q(resolution="")),
                name="followup_closed_with_outcome",
            ),
        ]
        indexes = [models.Index(fields=["opened_at"], condition=Q(closed_at__isnull=True), name="followup_open_idx")]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
