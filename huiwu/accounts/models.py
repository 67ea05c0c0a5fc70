import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.roles import STAFF_ROLES, Role
from huiwu.lib.versions import RowVersionField

phone_validator = RegexValidator(
    r"^[0-9+\-() ]{5,20}$", _("Enter a phone number: digits, spaces, +, - and brackets only.")
)


class User(AbstractUser):
    # Chinese names are not split into first and last name: one display name replaces both.
    first_name = None
    last_name = None
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("For client contacts: the organization they book meetings for."),
    )

    # Raised by the database on every update: how the pages kept as snapshots notice a change (lib/versions.py).
    row_version = RowVersionField()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name or self.username

    @cached_property
    def roles(self) -> list[Role]:
        """The user's roles in the order of DESIGN.md §2 (one query, then cached on the instance)."""
        codes = set(self.groups.values_list("name", flat=True)) if self.pk else set()
        return [role for role in Role if role.value in codes]

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_service_staff(self) -> bool:
        return any(role in STAFF_ROLES for role in self.roles)


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the JSON API; only its SHA-256 digest is stored."""

    PREFIX = "hw_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=60)
    # The first characters of the secret, shown so that a user can tell tokens apart.
    hint = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        # Secrets carry 256 random bits, so a fast unsalted hash keeps a leaked table useless.
        return hashlib.sha256(secret.encode()).hexdigest()
