"""A reviewed document's deadline (key reception:document:<id>), kept in step by `document_deadline_sync` after
every write to the document: reception is reminded the routine's `reminder_minutes` before the document is due
(09:30 on the next working day after it was retrieved); not handed over by then, it is escalated to the team
leaders — an overdue document is the team's worst failure (seed 篇3 (二) 4). The handover completes it.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.roles import Role
from huiwu.lib.i18n import site_language
from huiwu.notify.models import Kind
from huiwu.notify.services import deadline_complete, deadline_upsert
from huiwu.reception.models import ReviewedDocument
from huiwu.reception.selectors.documents import document_line


def document_key(document: ReviewedDocument) -> str:
    return f"reception:document:{document.pk}"


def document_url(document: ReviewedDocument) -> str:
    return reverse("reception:document", args=[document.pk])


def document_deadline_handed_over(document: ReviewedDocument) -> None:
    deadline_complete(key=document_key(document))


def document_deadline_sync(document: ReviewedDocument, *, reminder_minutes: int) -> None:
    """Bring the document's deadline in line with the document as it now is."""
    if document.handed_at is not None:
        document_deadline_handed_over(document)
        return
    # Not before it was recorded: a document recorded late reminds at once instead of a reminder long missed
    # (and one recorded after it fell due is escalated at once).
    reminder_at = document.due_at - timedelta(minutes=reminder_minutes)
    opens_at = min(max(reminder_at, document.created_at), document.due_at)
    with site_language():
        deadline_upsert(
            key=document_key(document),
            kind=Kind.RECEPTION,
            title=_("Hand over the reviewed document by %(time)s: %(document)s")
            % {"time": f"{timezone.localtime(document.due_at):%m-%d %H:%M}", "document": document_line(document)},
            url=document_url(document),
            opens_at=opens_at,
            due_at=document.due_at,
            responsible_role=Role.RECEPTION,
            awaits_completion=True,
            escalate_to_role=Role.TEAM_LEADER,
        )
