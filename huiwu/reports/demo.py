"""The demo's monthly service report: the demo client's organization, this month so far, so that
/reports/monthly/ has one to open at once (the worker adds the month before's on its first pass)."""

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.reports.services import monthly_report_generate


def demo_load() -> None:
    contact = User.objects.filter(username=Role.CLIENT.value).select_related("organization").first()
    if contact is None or contact.organization is None:
        return
    # Made again on each load (it replaces the one before): the month so far, as of now.
    monthly_report_generate(organization=contact.organization, month=timezone.localdate(), user=None)
