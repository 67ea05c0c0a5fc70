"""The reception team's demo (huiwu demo): the leaders' offices and today's plan, then each part of the day,
ending with a day in progress. Each loader is idempotent."""

from django.utils import timezone

from huiwu.reception.demo import base, day, lunch, newspapers, offices, team
from huiwu.reception.services.routine import day_plan_ensure


def demo_load() -> None:
    base.demo_load()
    # Today is planned first, so that the registers' demos tick its items as their services do (the last
    # document handed over ticks the documents item, the round's last office the newspapers one).
    day_plan_ensure(timezone.localdate())
    offices.demo_load()
    # After the offices: today's presence decides who is expected at lunch.
    newspapers.demo_load()
    lunch.demo_load()
    team.demo_load()
    # After the team's demo (its grooming self-checks), so that the day in progress can tick grooming too.
    day.demo_load()
