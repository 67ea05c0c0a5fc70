"""The work journal (工作笔记, seed 篇3 (二) 3): every action of the day writes its line here, and people add
theirs by hand. Entries are only ever added."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.lib.text import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from huiwu.reception.access import require_worker
from huiwu.reception.models import JournalEntry

_TEXT_LIMIT = JournalEntry._meta.get_field("text").max_length
# A phone or an API client whose clock runs a little fast is not writing the future.
CLOCK_SKEW = timedelta(minutes=1)
# An entry by hand may be for a recent day (written up the morning after, or after a weekend or a long
# holiday), never for an old one: the journal is what was noted at the time.
BACKDATE_DAYS = 7


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


def journal_entry_add(*, user: User, text: str, at: datetime | None = None) -> JournalEntry:
    """An entry written by hand by `user`, for now or a moment of the last BACKDATE_DAYS days."""
    require_worker(user)
    now = timezone.now()
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write what happened.")
    elif has_unsafe_characters(text):
        errors["text"] = str(UNSAFE_CHARACTERS_MESSAGE)
    elif len(text) > _TEXT_LIMIT:
        errors["text"] = _("At most %(limit)d characters.") % {"limit": _TEXT_LIMIT}
    if at is None:
        at = now
    else:
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        earliest = timezone.localdate(now) - timedelta(days=BACKDATE_DAYS)
        if at > now + CLOCK_SKEW:
            errors["at"] = _("The time of an entry cannot be in the future.")
        elif timezone.localtime(at).date() < earliest:
            errors["at"] = _(
                "An entry can be written for the last %(days)d days only (from %(first)s); the journal is what "
                "was noted at the time."
            ) % {"days": BACKDATE_DAYS, "first": f"{earliest:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    return journal_write(author=user, source=JournalEntry.Source.MANUAL, text=text, at=at)
