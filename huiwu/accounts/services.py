"""Writes that touch accounts: users with their roles, role groups, personal API tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import ApiToken, User
from huiwu.accounts.roles import ROLE_PERMISSIONS, Role
from huiwu.directory.models import Organization

# Writing last_used_at on every API call would turn every read into a write; a minute is precise enough.
_LAST_USED_PRECISION = timedelta(minutes=1)


def roles_sync() -> None:
    """Create one group per role and give it exactly the permissions of ROLE_PERMISSIONS."""
    by_code = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.select_related("content_type")
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        # A KeyError here means ROLE_PERMISSIONS names a permission that no model defines.
        group.permissions.set([by_code[code] for code in codes])


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password: str,
    display_name: str,
    roles: list[Role],
    phone: str = "",
    email: str = "",
    organization: Organization | None = None,
) -> User:
    """Create the user, or bring an existing one of that username to exactly these details and roles."""
    user, _created = User.objects.get_or_create(username=username)
    user.display_name = display_name
    user.phone = phone
    user.email = email
    user.organization = organization
    # Only system administrators may enter Django's admin site.
    user.is_staff = Role.ADMIN in roles
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    return user


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token and return it with its secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the system that will use it.")})
    if user.api_tokens.active().count() >= settings.API_TOKENS_PER_USER:
        raise ValidationError(
            _("You already have %(limit)d active tokens. Revoke one you no longer use first.")
            % {"limit": settings.API_TOKENS_PER_USER}
        )
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name[:60], hint=secret[: len(ApiToken.PREFIX) + 6], digest=ApiToken.digest_of(secret)
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(secret: str) -> User | None:
    """The active user behind an unrevoked token, or None."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
