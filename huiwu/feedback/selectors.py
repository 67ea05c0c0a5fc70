"""Reads shared by the pages, the API, the today page and the deadlines. Callers pass querysets already
limited by access.py (or a user, for the case library)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.models import User
from huiwu.feedback.access import cases_visible_to
from huiwu.feedback.models import COMPLAINT_STEPS, Complaint, ComplaintQuerySet, FollowUp, RootCause

SEARCH_MAX_LENGTH = 100
# How long the hotline has for the return visit once it opens, before the manager hears of it.
RETURN_VISIT_WINDOW = timedelta(days=1)


class State(TextChoices):
    OPEN = "open", pgettext_lazy("complaint", "Open")
    CLOSED = "closed", pgettext_lazy("complaint", "Closed")
    ALL = "all", _("All")


def step_label(step: str) -> str:
    """致歉, 调查结果, 向客户如实反映, 整改措施, 客户谅解, 回访: the name of the step's note."""
    return str(Complaint._meta.get_field(f"{step}_note").verbose_name)


def apology_due(complaint: Complaint) -> datetime:
    return complaint.received_at + timedelta(minutes=settings.COMPLAINT_APOLOGY_MINUTES)


def findings_due(complaint: Complaint) -> datetime:
    return complaint.received_at + timedelta(hours=settings.COMPLAINT_FINDINGS_HOURS)


def return_visit_opens(complaint: Complaint) -> datetime:
    return complaint.closed_at + timedelta(days=settings.COMPLAINT_RETURN_VISIT_DAYS)


def return_visit_due(complaint: Complaint) -> datetime:
    return return_visit_opens(complaint) + RETURN_VISIT_WINDOW


def follow_up_due(follow_up: FollowUp) -> datetime:
    return follow_up.opened_at + timedelta(hours=settings.FOLLOW_UP_HOURS)


def next_step(complaint: Complaint) -> str | None:
    """The step the open complaint waits for (None once the client's acceptance is recorded: it waits to be
    closed), or, once it is closed, "return_visit" until that is recorded."""
    if complaint.is_closed:
        return "return_visit" if complaint.return_visit_at is None else None
    return next((step for step in COMPLAINT_STEPS if getattr(complaint, f"{step}_at") is None), None)


@dataclass(frozen=True)
class Due:
    """What a complaint waits for and by when: the next step, its due time (None: no deadline of its own) and
    whether that time has passed."""

    step: str
    label: str
    due_at: datetime | None
    late: bool


def complaint_due(complaint: Complaint, now: datetime | None = None) -> Due | None:
    """The complaint's next step with its deadline: the apology and the findings have one, counted from the
    receipt, and the return visit one after closing; reporting, correcting and the client's acceptance have
    none of their own (they wait on the client), nor has closing once the client accepted."""
    step = next_step(complaint)
    if step is None:
        if complaint.is_closed:
            return None
        return Due("close", str(pgettext_lazy("complaint", "closing")), None, False)
    now = now or timezone.now()
    if step == "apology":
        due_at = apology_due(complaint)
    elif step == "investigation":
        due_at = findings_due(complaint)
    elif step == "return_visit":
        due_at = return_visit_due(complaint)
    else:
        due_at = None
    return Due(step, step_label(step), due_at, due_at is not None and now >= due_at)


def complaints_filtered(complaints: ComplaintQuerySet, *, state: str = State.OPEN, q: str = "") -> ComplaintQuerySet:
    """Complaints in `state` whose subject or statement contain `q`: open ones first, newest received first."""
    if state == State.OPEN:
        complaints = complaints.open()
    elif state == State.CLOSED:
        complaints = complaints.cases()
    q = q.strip()
    if q:
        complaints = complaints.filter(Q(summary__icontains=q) | Q(statement__icontains=q))
    return complaints.order_by(F("closed_at").desc(nulls_first=True), "-received_at", "-id")


def cases_search(
    user: User, q: str = "", cause: RootCause | int | None = None, room: int | None = None
) -> ComplaintQuerySet:
    """The case library the user may read, most recently closed first: the cases whose subject, statement,
    findings, corrective action or lesson contain `q` (icontains: the same on SQLite and PostgreSQL), filed
    under `cause`, in `room`. The caller pages through it."""
    cases = cases_visible_to(user)
    q = q.strip()
    if q:
        cases = cases.filter(
            Q(summary__icontains=q)
            | Q(statement__icontains=q)
            | Q(investigation_note__icontains=q)
            | Q(rectification_note__icontains=q)
            | Q(lesson__icontains=q)
        )
    if cause is not None:
        cases = cases.filter(root_cause=cause)
    if room is not None:
        cases = cases.filter(room_id=room)
    return cases.order_by("-closed_at", "-id")


def follow_ups_filtered(follow_ups: QuerySet[FollowUp], *, state: str = State.OPEN) -> QuerySet[FollowUp]:
    """Follow-ups in `state`, open ones first (oldest first: the nearest to escalation), then closed ones."""
    if state == State.OPEN:
        return follow_ups.filter(closed_at__isnull=True).order_by("opened_at", "id")
    if state == State.CLOSED:
        follow_ups = follow_ups.filter(closed_at__isnull=False)
    return follow_ups.order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-id")


def root_causes_offered() -> QuerySet[RootCause]:
    """The causes a complaint may be closed under now (administrators retire old ones)."""
    return RootCause.objects.filter(is_active=True)


def complaint_counts_by_cause(
    complaints: ComplaintQuerySet, *, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[str, int]]:
    """(cause, number of complaints closed under it) for those closed in [since, until), most frequent first:
    one query, for reports."""
    closed = complaints.cases()
    if since is not None:
        closed = closed.filter(closed_at__gte=since)
    if until is not None:
        closed = closed.filter(closed_at__lt=until)
    rows = closed.values("root_cause__name").annotate(total=Count("pk")).order_by("-total", "root_cause__name")
    return [(row["root_cause__name"], row["total"]) for row in rows]
