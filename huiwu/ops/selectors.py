"""The reads of /readyz and /metrics: workers' heartbeats, and the figures a scrape reports from the database.

Each is one small indexed query (or a few rows), because a scraper or a proxy asks every few seconds."""

from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Q

from huiwu.notify.models import Channel, Deadline, Delivery
from huiwu.notify.services import deadline_next_at
from huiwu.ops.models import WorkerBeat

DELIVERY_STATES = (Delivery.State.QUEUED, Delivery.State.FAILED)


def worker_max_age() -> timedelta:
    return timedelta(seconds=settings.READY_WORKER_MAX_AGE_SECONDS)


def workers_alive(*, now: datetime) -> int:
    """Workers that beat within READY_WORKER_MAX_AGE_SECONDS: an older beat is a worker that died."""
    return WorkerBeat.objects.filter(beat_at__gt=now - worker_max_age()).count()


def worker_beat_newest() -> datetime | None:
    return WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def _overdue(now: datetime) -> Q:
    """What the worker's next pass acts on (notify.services.deadlines_process): a pending deadline whose
    reminder time has come, and one awaiting completion whose due time has come."""
    return Q(state=Deadline.State.PENDING, opens_at__lte=now) | Q(
        state__in=[Deadline.State.PENDING, Deadline.State.REMINDED], awaits_completion=True, due_at__lte=now
    )


def deadline_counts(*, now: datetime) -> dict[str, int]:
    """{"pending": open and not yet due, "overdue": due and not yet handled by the worker}. Open is what the
    worker still has to act on: pending, or reminded and awaiting completion (the two partial indexes)."""
    open_deadlines = Q(state=Deadline.State.PENDING) | Q(state=Deadline.State.REMINDED, awaits_completion=True)
    counts = Deadline.objects.filter(open_deadlines).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=_overdue(now))
    )
    return {"pending": counts["open"] - counts["overdue"], "overdue": counts["overdue"]}


def worker_lag(*, now: datetime) -> timedelta:
    """How late the worker is: since the earliest moment it should have acted on and has not; zero when
    nothing due is waiting. The same two questions the idle worker asks to know how long it may sleep."""
    earliest = deadline_next_at()
    if earliest is None or earliest > now:
        return timedelta(0)
    return now - earliest


def delivery_counts() -> dict[tuple[str, str], int]:
    """(channel, state) → deliveries queued or failed, every channel and state present (zero when none)."""
    counts = dict.fromkeys(((channel, state) for channel in Channel.values for state in DELIVERY_STATES), 0)
    rows = Delivery.objects.filter(state__in=DELIVERY_STATES).values("channel", "state").annotate(n=Count("pk"))
    for row in rows.order_by():
        counts[(row["channel"], row["state"])] = row["n"]
    return counts


def login_lockouts(*, now: datetime) -> int:
    """Username and address pairs locked out now, as django-axes decides: as many failures as the limit, the
    last one within the cool-off time."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=now - get_cool_off()
    ).count()
