"""The lost-and-found register (失物登记): what was left behind after a meeting, where it is kept, and to
whom it was returned. Seed 篇3 (四): after everyone has left, check for forgotten items and register them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LostItemQuerySet(models.QuerySet):
    def open(self) -> "LostItemQuerySet":
        return self.filter(returned_at__isnull=True)


class LostItem(models.Model):
    # "item" alone is already the meetings' service item (项目): this one is the thing found (物品).
    description = models.CharField(
        pgettext_lazy("lost and found", "item"), max_length=200, help_text=_("What it is, e.g. 黑色保温杯.")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lost_items",
    )
    room = models.ForeignKey(
        "venues.Room", verbose_name=_("room"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    found_where = models.CharField(_("found where"), max_length=200, help_text=_("e.g. 主席台第三座"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("found by"), on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField(_("found at"))
    stored_where = models.CharField(_("kept where"), max_length=200)
    returned_to = models.CharField(_("returned to"), max_length=100, blank=True)
    returned_to_phone = models.CharField(_("their phone"), max_length=30, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = LostItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("lost item")
        verbose_name_plural = _("lost items")
        ordering = ["-found_at", "-id"]
        constraints = [
            # A return names who received it and who handed it over, or it is not a return.
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | (~Q(returned_to="") & Q(handed_over_by__isnull=False)),
                name="lostitem_return_complete",
            )
        ]
        indexes = [models.Index(fields=["found_at"], condition=Q(returned_at__isnull=True), name="lostitem_open_idx")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.returned_at is None
