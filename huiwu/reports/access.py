"""Who reads which figures. The service centre's manager reads every organizer's, or one's; a client contact
reads only their own organization's (another organization's answers 404, as its meetings do) and not the
building's own (reception, staff); nobody else reads them."""

from django.db.models import QuerySet
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, RoleRequired
from huiwu.reports.models import MonthlyReport

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


def monthly_reports_visible_to(user: User) -> QuerySet[MonthlyReport]:
    """Every organization's monthly reports for the manager; a client contact's own organization's."""
    reports = MonthlyReport.objects.select_related("organization", "generated_by")
    if reads_every_organizer(user):
        return reports
    return reports.filter(organization_id=figures_organizer(user, None))


def get_monthly_report_for_user(user: User, report_id: int) -> MonthlyReport:
    """The one fetch of a monthly report, for its page, its download and the API: 404 for one of another
    organization, as if it did not exist."""
    try:
        return monthly_reports_visible_to(user).get(pk=report_id)
    except MonthlyReport.DoesNotExist:
        raise Http404 from None


def require_report_maker(user: User) -> None:
    """Only the manager makes a report on demand (the worker makes the monthly ones)."""
    if not reads_every_organizer(user):
        raise RoleRequired((Role.MANAGER,))
