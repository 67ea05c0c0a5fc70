from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pypinyin import Style, lazy_pinyin

from huiwu.lib.versions import RowVersionField


def pinyin_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese name: 张建国 → ("zhangjianguo", "zjg")."""
    syllables = [syllable.lower() for syllable in lazy_pinyin(name, errors="default") if syllable.strip()]
    initials = [syllable.lower() for syllable in lazy_pinyin(name, style=Style.FIRST_LETTER) if syllable.strip()]
    return "".join(syllables).replace(" ", ""), "".join(initials).replace(" ", "")


class Organization(models.Model):
    """A client unit whose meetings the service team hosts (a bureau, an office, a tenant company)."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="directory_department_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.organization.short_name or self.organization.name} {self.name}"


class Contact(models.Model):
    """Somebody at a client organization the service team deals with (books meetings, confirms purchases)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="contacts"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.SET_NULL, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # The contact's own account, when they sign in to the client portal: reminders reach them there.
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_contact",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organization__name", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organization.short_name or self.organization.name}）"

    def clean(self) -> None:
        # The admin offers only the organization's own departments; every other writer is held to the same.
        if self.department_id is not None and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("Choose a department of the contact's own organization.")})


class Person(models.Model):
    """A leader or guest the service team serves. Not a user: a record of rank, title and habits."""

    class Kind(models.TextChoices):
        LEADER = "leader", _("Leader")
        GUEST = "guest", _("Guest")

    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("job title"), max_length=80, help_text=_("e.g. 局长, 副主任"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LEADER)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    precedence = models.PositiveSmallIntegerField(
        _("precedence"),
        default=100,
        help_text=_("1 is the most senior. Orders leaders for refills and seating."),
    )
    tea_preference = models.CharField(_("tea preference"), max_length=100, blank=True)
    dietary_notes = models.CharField(_("dietary notes"), max_length=200, blank=True)
    habits = models.TextField(_("habits and preferences"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Search keys derived from the name, so that 张建国 is found by "zhang", "zhangjianguo" and "zjg".
    name_pinyin = models.CharField(max_length=200, editable=False, db_index=True)
    name_initials = models.CharField(max_length=50, editable=False, db_index=True)

    class Meta:
        verbose_name = _("leader or guest")
        verbose_name_plural = _("leaders and guests")
        ordering = ["precedence", "name_pinyin"]

    def __str__(self) -> str:
        return f"{self.name} {self.title}"

    def save(self, *args, **kwargs) -> None:
        # Derived search keys, kept with the name they come from (not business logic). Fifty long syllables
        # (庄 × 50) spell more than the column holds: the search matches within the first 200 letters.
        pinyin, initials = pinyin_keys(self.name)
        self.name_pinyin = pinyin[: self._meta.get_field("name_pinyin").max_length]
        self.name_initials = initials[: self._meta.get_field("name_initials").max_length]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)
