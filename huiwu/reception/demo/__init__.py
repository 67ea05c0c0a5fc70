"""The reception team's demo (huiwu demo): the leaders' offices, then each part of the day, ending with a
day in progress. Each loader is idempotent."""

from huiwu.reception.demo import base


def demo_load() -> None:
    base.demo_load()
