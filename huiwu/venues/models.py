import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.lib.versions import RowVersionField


class Site(models.Model):
    """A building whose meeting rooms the service centre runs (楼宇)."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The hours the room timeline shows by default; a meeting outside them widens that day's range.
    day_starts = models.TimeField(_("timeline from"), default=datetime.time(7, 0))
    day_ends = models.TimeField(_("timeline until"), default=datetime.time(22, 0))

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(day_ends__gt=models.F("day_starts")), name="site_day_in_order")
        ]

    def __str__(self) -> str:
        return self.name


class Floor(models.Model):
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="floors")
    name = models.CharField(
        pgettext_lazy("of a thing", "name"), max_length=20, help_text=_("As signed in the building, e.g. 7F.")
    )
    level = models.SmallIntegerField(_("level"), help_text=_("For ordering: 7 for 7F, -1 for B1."))

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["site__name", "level"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="venues_floor_unique_name")]

    def __str__(self) -> str:
        return f"{self.site.name} {self.name}"


class Layout(models.TextChoices):
    ROSTRUM_CLASSROOM = "rostrum_classroom", _("Rostrum and classroom rows")
    HOLLOW_SQUARE = "hollow_square", _("Hollow square")
    U_SHAPE = "u_shape", _("U-shape")
    THEATRE = "theatre", _("Theatre")
    ROUND_TABLE = "round_table", _("Round table")
    BOARDROOM = "boardroom", _("Boardroom table")


class Equipment(models.Model):
    """A kind of equipment a room may have (projector, video conference terminal, …)."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoomQuerySet(models.QuerySet):
    def active(self) -> "RoomQuerySet":
        return self.filter(is_active=True, floor__site__is_active=True)


class Room(models.Model):
    floor = models.ForeignKey(Floor, verbose_name=_("floor"), on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=50)
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Used in links and feeds."))
    capacity = models.PositiveIntegerField(_("capacity"))
    layouts = models.JSONField(_("supported layouts"), default=list, blank=True)
    equipment = models.ManyToManyField(Equipment, verbose_name=_("equipment"), blank=True)
    # Seed 篇3 (四): doors, lights, tea and water are ready 30 minutes before; cleaning follows the meeting.
    default_setup_minutes = models.PositiveSmallIntegerField(_("default setup minutes"), default=30)
    default_teardown_minutes = models.PositiveSmallIntegerField(_("default teardown minutes"), default=30)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["floor__site__name", "floor__level", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.layouts, list) or not set(self.layouts) <= set(Layout.values):
            raise ValidationError({"layouts": _("Choose layouts from the list.")})

    def get_layouts_display(self) -> list[str]:
        labels = dict(Layout.choices)
        return [str(labels[code]) for code in self.layouts if code in labels]
