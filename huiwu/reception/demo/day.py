"""Today's timeline as a day in progress (huiwu demo): planned like any working day, with the morning items the
reception attendant ticks by hand done at their usual times — the grooming self-check when the team's demo
recorded it, the door, the hot water — and the afternoon duty once it has begun. Whatever time the demo runs,
nothing is done before its time: run before 08:40, the day has not begun yet; on a day off there is no
timeline. The items kept in registers (documents, newspapers, lunch, cleaning) are ticked by their own demos'
services."""

from datetime import timedelta

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.reception.models import RoutineItem
from huiwu.reception.selectors.team import grooming_outstanding
from huiwu.reception.services.routine import day_plan_ensure, routine_item_complete

Code = RoutineItem.Code
# Minutes after each item's window opens at which the demo's attendant did it.
DONE_AFTER_MINUTES = {Code.GROOMING: 1, Code.DOOR: 2, Code.HOT_WATER: 10, Code.AFTERNOON_DUTY: 0}


def demo_load() -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    plan = day_plan_ensure(today)
    attendant = User.objects.filter(username="reception").first()
    if plan is None or attendant is None:
        return
    for item in plan.items.filter(code__in=DONE_AFTER_MINUTES, done_at__isnull=True):
        done_at = item.starts_at + timedelta(minutes=DONE_AFTER_MINUTES[item.code])
        if done_at > now or (item.code == Code.GROOMING and grooming_outstanding(today, attendant)):
            continue
        routine_item_complete(day=today, code=item.code, user=attendant, at=done_at)
