"""Who may see and do what with the staff's qualifications and the audit log. Every page, API call and
export goes through these.

Managers and security officers read the staff's qualifications; only security officers record them and read
the audit log. "Staff" are the active users holding any role other than client; anyone else has no staff
profile, and asking for one answers 404 like an id that does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import STAFF_ROLES
from huiwu.lib.params import MAX_ID
from huiwu.security.models import Authorization


def can_view_staff(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("security.view_staffprofile")


def can_manage_clearances(user: User) -> bool:
    """Records training, papers, clearances and authorizations (the security officer)."""
    return can_view_staff(user) and user.has_perm("security.manage_clearances")


def can_view_audit(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("security.view_auditentry")


def staff_members() -> QuerySet[User]:
    """Active users holding a role other than client."""
    roles = [role.value for role in STAFF_ROLES]
    return User.objects.filter(is_active=True, pk__in=User.objects.filter(groups__name__in=roles).values("pk"))


def is_staff_member(user: User) -> bool:
    return staff_members().filter(pk=user.pk).exists()


def staff_visible_to(user: User) -> QuerySet[User]:
    if not can_view_staff(user):
        return User.objects.none()
    return staff_members()


def get_staff_for_user(user: User, user_id: int) -> User:
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= user_id <= MAX_ID:
        raise Http404
    try:
        return staff_visible_to(user).get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def get_authorization_for_user(user: User, authorization_id: int) -> Authorization:
    """An authorization of a member of staff the user may see."""
    if not 1 <= authorization_id <= MAX_ID:
        raise Http404
    try:
        return Authorization.objects.select_related("user").get(pk=authorization_id, user__in=staff_visible_to(user))
    except Authorization.DoesNotExist:
        raise Http404 from None
