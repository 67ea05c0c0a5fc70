"""Who may see and do what with the staff's qualifications and the audit log. Every page, API call and
export goes through these.

Managers and security officers read the staff's qualifications; only security officers record them and read
the audit log. "Staff" are the active users holding any role other than client; anyone else has no staff
profile, and asking for one answers 404 like an id that does not exist. Who may not read qualifications at
all is refused (403) before anything is looked up.
"""

from django.db.models import QuerySet
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import STAFF_ROLES, RoleRequired
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


def require_staff_reader(user: User) -> None:
    if not can_view_staff(user):
        raise RoleRequired.holding("security.view_staffprofile")


def require_clearance_manager(user: User) -> None:
    if not can_manage_clearances(user):
        raise RoleRequired.holding("security.view_staffprofile", "security.manage_clearances")


def require_audit_reader(user: User) -> None:
    if not can_view_audit(user):
        raise RoleRequired.holding("security.view_auditentry")


def staff_visible_to(user: User) -> QuerySet[User]:
    if not can_view_staff(user):
        return User.objects.none()
    return staff_members()


def get_staff_for_user(user: User, user_id: int) -> User:
    """403 for who may not read qualifications, 404 for who is not staff."""
    require_staff_reader(user)
    # Ids beyond 64 bits cannot exist; asking the database would overflow instead of finding nothing.
    if not 1 <= user_id <= MAX_ID:
        raise Http404
    try:
        return staff_visible_to(user).get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def get_staff_to_manage(user: User, user_id: int) -> User:
    """The member of staff whose qualifications the user records: as get_staff_for_user, then 403 for
    readers who may not record."""
    staff = get_staff_for_user(user, user_id)
    require_clearance_manager(user)
    return staff


def get_authorization_for_user(user: User, authorization_id: int) -> Authorization:
    """An authorization of a member of staff the user may see (403 for who may not read qualifications)."""
    require_staff_reader(user)
    if not 1 <= authorization_id <= MAX_ID:
        raise Http404
    try:
        return Authorization.objects.select_related("user").get(pk=authorization_id, user__in=staff_visible_to(user))
    except Authorization.DoesNotExist:
        raise Http404 from None


def get_authorization_to_manage(user: User, authorization_id: int) -> Authorization:
    """An authorization the user may revoke: as get_authorization_for_user, then 403 for readers."""
    authorization = get_authorization_for_user(user, authorization_id)
    require_clearance_manager(user)
    return authorization
