"""The reception team's demo (huiwu demo): the leaders' offices, then each part of the day, ending with a
day in progress. Each loader is idempotent."""

from huiwu.reception.demo import base, day, lunch, newspapers, offices, team


def demo_load() -> None:
    base.demo_load()
    offices.demo_load()
    # After the offices: today's presence decides who is expected at lunch.
    newspapers.demo_load()
    lunch.demo_load()
    team.demo_load()
    # After the team's demo (its grooming self-checks), so that the day in progress can tick grooming too.
    day.demo_load()
