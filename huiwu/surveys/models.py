"""The satisfaction survey after every meeting: its client contacts are invited to rate 会场布置, 茶水服务,
设备保障, 服务态度 and 总体 from 1 to 5, through the inbox or a link that works on a phone without signing in.
A low overall score opens a follow-up for the hotline (feedback.FollowUp); the share of 4 and 5 is the
satisfaction rate of the reports."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyInvitation(models.Model):
    """One client contact's invitation to rate one meeting. The link carries a signed token naming this row
    and a random nonce of which only the digest is kept; answering uses it up, and it expires after
    settings.SURVEY_LINK_DAYS (7). A new link (sent again) replaces the nonce, so the old one no longer works."""

    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="survey_invitations"
    )
    contact = models.ForeignKey(
        "directory.Contact", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="survey_invitations"
    )
    nonce_digest = models.CharField(_("token digest"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-sent_at", "-id"]
        constraints = [
            # One invitation, hence one answer, per meeting and contact.
            models.UniqueConstraint(fields=["meeting", "contact"], name="surveyinvitation_once_per_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.contact}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SurveyAnswer(models.Model):
    """The answer to one invitation: five scores from 1 (very dissatisfied) to 5 (very satisfied)."""

    # The aspects rated, in the order of the form.
    ASPECTS = ("venue", "tea", "equipment", "attitude", "overall")
    # Any score at or below this opens a follow-up for the hotline; an overall score from SATISFIED_FROM on
    # counts as satisfied in the satisfaction rate.
    LOW_SCORE = 2
    SATISFIED_FROM = 4

    invitation = models.OneToOneField(
        SurveyInvitation, verbose_name=_("survey invitation"), on_delete=models.CASCADE, related_name="answer"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="survey_answers"
    )
    venue = models.PositiveSmallIntegerField(_("venue arrangement"), validators=SCORE_VALIDATORS)
    tea = models.PositiveSmallIntegerField(_("tea service"), validators=SCORE_VALIDATORS)
    equipment = models.PositiveSmallIntegerField(_("equipment support"), validators=SCORE_VALIDATORS)
    attitude = models.PositiveSmallIntegerField(_("service attitude"), validators=SCORE_VALIDATORS)
    overall = models.PositiveSmallIntegerField(_("overall"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    venue__gte=1,
                    venue__lte=5,
                    tea__gte=1,
                    tea__lte=5,
                    equipment__gte=1,
                    equipment__lte=5,
                    attitude__gte=1,
                    attitude__lte=5,
                    overall__gte=1,
                    overall__lte=5,
                ),
                name="surveyanswer_scores_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["answered_at"], name="surveyanswer_answered_idx")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.overall}"

    @property
    def lowest(self) -> int:
        return min(getattr(self, aspect) for aspect in self.ASPECTS)
