"""The security officer's section of the today page (listed in core/today.py)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import TodaySection

HINT = _("Clearances about to expire and access to confidential meetings will appear here.")


def today_sections(user: User) -> list[TodaySection]:
    return [TodaySection(role=Role.SECURITY_OFFICER, hint=HINT)] if user.has_role(Role.SECURITY_OFFICER) else []
