"""The demo's monthly service report: the demo client's organization, this month so far; loading again replaces
it."""

from django.utils import timezone

from huiwu.core.management.commands.demo import DEMO_LOADERS
from huiwu.reports.demo import demo_load
from huiwu.reports.models import MonthlyReport


def test_it_loads_the_demo_clients_report_of_this_month_idempotently(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    for load in DEMO_LOADERS:
        load()
    demo_load()
    report = MonthlyReport.objects.get()
    assert (report.organization.name, report.month) == ("市机关事务管理局", timezone.localdate().replace(day=1))
    assert report.generated_by is None
