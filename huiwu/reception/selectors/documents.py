"""Reads of the reviewed-documents register (已批阅文件, seed 篇3 (二) 4): what is waiting to be handed over,
the register searched by day, reviewing leader and text, and what keeps a day's documents item open.
Callers pass a queryset already limited by access.py."""

from datetime import date, time, timedelta

from django.db.models import Q, QuerySet

from huiwu.reception.models import ReviewedDocument
from huiwu.reception.workdays import at_local

SEARCH_MAX_LENGTH = 100


def _start_of(day: date):
    return at_local(day, time(0))


def documents_waiting(documents: QuerySet[ReviewedDocument]) -> QuerySet[ReviewedDocument]:
    """Not handed over yet, the soonest due first."""
    return documents.filter(handed_at__isnull=True).order_by("due_at", "id")


def documents_filtered(
    documents: QuerySet[ReviewedDocument],
    *,
    since: date | None = None,
    until: date | None = None,
    leader_id: int | None = None,
    q: str = "",
) -> QuerySet[ReviewedDocument]:
    """The register: documents retrieved from `since` to `until` (Shanghai days, inclusive), reviewed by the
    leader `leader_id`, whose title or document number contains `q`; the latest retrieved first."""
    if since is not None:
        documents = documents.filter(retrieved_at__gte=_start_of(since))
    if until is not None:
        documents = documents.filter(retrieved_at__lt=_start_of(until + timedelta(days=1)))
    if leader_id is not None:
        documents = documents.filter(reviewing_leader_id=leader_id)
    q = q.strip()
    if q:
        documents = documents.filter(Q(title__icontains=q) | Q(document_number__icontains=q))
    return documents.order_by("-retrieved_at", "-id")


def documents_due_by(day: date) -> QuerySet[ReviewedDocument]:
    """Every document due on `day` or before and not handed over. Due times fall on the handover time of a
    working day, so "by the end of the day" is "by that day's handover time"."""
    return ReviewedDocument.objects.filter(
        handed_at__isnull=True, due_at__lt=_start_of(day + timedelta(days=1))
    ).order_by("due_at", "id")


def document_line(document: ReviewedDocument) -> str:
    """ "京政办发〔2026〕12号 关于…的通知": how a document is named in lists, the journal and notifications."""
    return f"{document.document_number} {document.title}"


def documents_outstanding(day: date) -> list[str]:
    """What keeps the day's documents item open: the documents due by that day's handover time and not handed
    over yet, one line each (e.g. "京政办发〔2026〕12号 关于…的通知"). Empty: nothing left to hand over."""
    return [document_line(document) for document in documents_due_by(day).only("document_number", "title")]


def recent_clerk_names(limit: int = 5) -> list[str]:
    """The names documents were last handed to, the latest first: offered as suggestions, never filled in."""
    names: list[str] = []
    handed = ReviewedDocument.objects.filter(handed_at__isnull=False).order_by("-handed_at", "-id")
    for name in handed.values_list("handed_to", flat=True)[: limit * 10]:
        if name not in names:
            names.append(name)
    return names[:limit]
