"""Who reads which figures. The service centre's manager reads every organizer's, or one's; a client contact
reads only their own organization's (another organization's answers 404, as its meetings do) and not the
building's own (reception, staff); nobody else reads them."""

from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, RoleRequired

READERS = (Role.MANAGER, Role.CLIENT)


def reads_every_organizer(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.MANAGER)


def figures_organizer(user: User, asked: int | None) -> int | None:
    """The organizer whose figures `user` reads when asking for `asked` (None: every organizer)."""
    if reads_every_organizer(user):
        return asked
    if user.is_authenticated and user.is_active and user.has_role(Role.CLIENT) and user.organization_id:
        if asked not in (None, user.organization_id):
            raise Http404
        return user.organization_id
    raise RoleRequired(READERS)
