from django.core.management.base import BaseCommand
from django.db import transaction

from huiwu.accounts import demo as accounts_demo
from huiwu.accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE
from huiwu.delegations import demo as delegations_demo
from huiwu.directory import demo as directory_demo
from huiwu.feedback import demo as feedback_demo
from huiwu.meetings import demo as meetings_demo
from huiwu.reception import demo as reception_demo
from huiwu.reports import demo as reports_demo
from huiwu.seating import demo as seating_demo
from huiwu.security import demo as security_demo
from huiwu.service import demo as service_demo
from huiwu.surveys import demo as surveys_demo
from huiwu.venues import demo as venues_demo

# In dependency order; each loader is idempotent (update_or_create), so `huiwu demo` can run any time.
DEMO_LOADERS = [
    directory_demo.demo_load,
    venues_demo.demo_load,
    accounts_demo.demo_load,
    meetings_demo.demo_load,
    service_demo.demo_load,
    # The coming rostrums seated by protocol.
    seating_demo.demo_load,
    # The seed's case (篇2): the fruit purchase awaiting the client, then the complaint it led to.
    delegations_demo.demo_load,
    feedback_demo.demo_load,
    surveys_demo.demo_load,
    # The reception team's day (篇3): leaders' offices, documents, newspapers, lunch, a day in progress.
    reception_demo.demo_load,
    security_demo.demo_load,
    # Last: the client's monthly service report of this month so far, from all of the above.
    reports_demo.demo_load,
]


class Command(BaseCommand):
    help = "Load (or refresh) the demo data: sites, a client organization and one account per role."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for load in DEMO_LOADERS:
                load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Demo logins (password: {DEMO_PASSWORD}):"))
        for role, (display_name, _phone) in DEMO_PEOPLE.items():
            self.stdout.write(f"  {role.value:<18} {display_name}  ({role.label})")
