"""Confidentiality (seed 篇1 §1, §3): what qualifies a member of staff to serve a confidential meeting —
training, a background-check certificate, a guarantor for key posts, a confidentiality agreement, a
clearance level and an authorization to serve — and the append-only audit log of who saw or changed what."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    # 0: may serve ordinary meetings only; n: may serve meetings up to confidentiality level n.
    clearance_level = models.PositiveSmallIntegerField(_("clearance level"), default=0)
    key_post = models.BooleanField(_("key post"), default=False, help_text=_("Key posts need a guarantor (担保)."))
    guarantor_name = models.CharField(_("guarantor"), max_length=50, blank=True)
    guarantor_relation = models.CharField(_("relation to the guarantor"), max_length=50, blank=True)
    guarantor_phone = models.CharField(_("guarantor's phone"), max_length=20, blank=True)
    guaranteed_on = models.DateField(_("guarantee signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        permissions = [("manage_clearances", _("Can record staff qualifications, clearances and authorizations"))]

    def __str__(self) -> str:
        return str(self.user)


class TrainingRecord(models.Model):
    class Course(models.TextChoices):
        SKILLS = "skills", _("Service skills")
        ETIQUETTE = "etiquette", _("Service etiquette")
        TECHNIQUES = "techniques", _("Service techniques")
        HOTEL = "hotel", _("Star-hotel training")
        CONFIDENTIALITY = "confidentiality", _("Confidentiality education")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="training_records"
    )
    course = models.CharField(_("course"), max_length=20, choices=Course.choices)
    completed_on = models.DateField(_("date"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training or assessment")
        verbose_name_plural = _("training and assessments")
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_course_display()} {self.completed_on}"


class _ValidityRecord(models.Model):
    """A paper valid over a period of days, both ends included."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-valid_until", "-id"]

    def covers(self, first_day, last_day) -> bool:
        return self.valid_from <= first_day and last_day <= self.valid_until


class BackgroundCheck(_ValidityRecord):
    """The certificate of no criminal record (无犯罪记录证明)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="background_checks"
    )
    issuer = models.CharField(_("issued by"), max_length=100)

    class Meta(_ValidityRecord.Meta):
        verbose_name = _("background-check certificate")
        verbose_name_plural = _("background-check certificates")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="backgroundcheck_period")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.valid_from}–{self.valid_until}"


class ConfidentialityAgreement(_ValidityRecord):
    """The signed confidentiality agreement (保密协议); valid_from is the day it was signed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="agreements"
    )

    class Meta(_ValidityRecord.Meta):
        verbose_name = _("confidentiality agreement")
        verbose_name_plural = _("confidentiality agreements")
        constraints = [models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="agreement_period")]

    def __str__(self) -> str:
        return f"{self.valid_from}–{self.valid_until}"


class Authorization(_ValidityRecord):
    """Authorization to serve confidential meetings (授权上岗), granted for a period, revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="authorizations"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(_ValidityRecord.Meta):
        verbose_name = _("authorization to serve")
        verbose_name_plural = _("authorizations to serve")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="authorization_period")
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}–{self.valid_until}"


class AuditEntry(models.Model):
    """Append-only: nothing in Huiwu changes an entry, and only `huiwu audit_prune` deletes entries, once older
    than the legal minimum of 180 days; on PostgreSQL a trigger refuses anything else (migration 0004)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        CHANGE = "change", _("Changed")
        # Entries older than the retention period removed by `huiwu audit_prune` (huiwu/ops/retention.py).
        PRUNE = "prune", _("Pruned")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # What it concerns, e.g. ("meeting", 12), ("authorization", 3): ids, not foreign keys, so that the log
    # outlives what it describes.
    subject_type = models.CharField(_("subject"), max_length=30)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    summary = models.CharField(_("what"), max_length=300)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    path = models.CharField(_("from page"), max_length=300, blank=True)
    # The request it was written in (X-Request-ID, also in every log line of that request); empty outside one.
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.subject_type}:{self.subject_id}"
