"""The work journal (工作笔记, seed 篇3 (二) 3): every action of the day writes its line here, and people add
theirs by hand. Entries are only ever added."""

from datetime import datetime

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.reception.models import JournalEntry

_TEXT_LIMIT = JournalEntry._meta.get_field("text").max_length


def journal_write(*, author: User, source: str, text: str, at: datetime | None = None, url: str = "") -> JournalEntry:
    """Record what `author` did at `at` (now): called by the services of the day's actions, inside their
    transaction, after they checked the user may act. The day is Shanghai's date of `at`."""
    at = at or timezone.now()
    return JournalEntry.objects.create(
        day=timezone.localtime(at).date(),
        at=at,
        author=author,
        source=source,
        text=text[:_TEXT_LIMIT],
        url=url,
    )
