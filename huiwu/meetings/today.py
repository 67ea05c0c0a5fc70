"""The client contact's section of the today page (listed in core/today.py)."""

from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import TodaySection

HINT = _("Your organization's meetings and the items awaiting your confirmation will appear here.")


def today_sections(user: User) -> list[TodaySection]:
    return [TodaySection(role=Role.CLIENT, hint=HINT)] if user.has_role(Role.CLIENT) else []
