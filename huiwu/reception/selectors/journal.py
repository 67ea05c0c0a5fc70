"""Reads of the work journal, for its page, the end-of-day review, the day sheet and the API. Callers pass
entries already limited by access.journal_visible_to."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext

from huiwu.accounts.models import User
from huiwu.delegations.models import DelegatedTask
from huiwu.meetings.access import meetings_busy_for, meetings_visible_to
from huiwu.meetings.describe import CONFIDENTIAL_LABEL
from huiwu.meetings.selectors import day_bounds
from huiwu.reception.access import documents_visible_to, journal_visible_to, require_reader, routine_items_visible_to
from huiwu.reception.models import JournalEntry, ReviewedDocument, RoutineItem
from huiwu.reception.selectors.team import open_matters
from huiwu.reception.workdays import next_workday_after

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class JournalFilters:
    day_from: date | None = None
    day_to: date | None = None
    author_id: int | None = None
    q: str = ""


def journal_filtered(entries: QuerySet[JournalEntry], filters: JournalFilters) -> QuerySet[JournalEntry]:
    """The entries of the days from `day_from` to `day_to` (inclusive), by `author_id`, whose text contains
    `q`; newest first."""
    if filters.day_from is not None:
        entries = entries.filter(day__gte=filters.day_from)
    if filters.day_to is not None:
        entries = entries.filter(day__lte=filters.day_to)
    if filters.author_id is not None:
        entries = entries.filter(author_id=filters.author_id)
    q = filters.q.strip()
    if q:
        entries = entries.filter(text__icontains=q)
    return entries.order_by("-at", "-id")


def journal_of_day(entries: QuerySet[JournalEntry], day: date) -> list[JournalEntry]:
    """The day's entries in the order they were written down: the day read from its start."""
    return list(entries.filter(day=day).order_by("at", "id"))


def journal_authors() -> QuerySet[User]:
    """Who wrote in the journal: the people its search offers."""
    return User.objects.filter(pk__in=JournalEntry.objects.values("author_id")).order_by("display_name", "username")


# --- the end-of-day review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingLine:
    """A meeting of a day as the user may see it: a confidential one they may not see is a busy block (its
    room and time only, `hidden`)."""

    start: datetime
    end: datetime
    room: str
    title: str
    hidden: bool
    meeting_id: int | None = None
    organizer: str = ""
    headcount: int | None = None


def meetings_of_day(user: User, day: date) -> list[MeetingLine]:
    """The active meetings starting on `day` in the user's view, by start: two queries."""
    start, end = day_bounds(day)
    shown = (
        meetings_visible_to(user).active().filter(start__gte=start, start__lt=end).select_related("room", "organizer")
    )
    busy = meetings_busy_for(user).active().filter(start__gte=start, start__lt=end).select_related("room")
    lines = [
        MeetingLine(
            start=meeting.start,
            end=meeting.end,
            room=meeting.room.name,
            title=meeting.title,
            hidden=False,
            meeting_id=meeting.pk,
            organizer=meeting.organizer.name if meeting.organizer_id else "",
            headcount=meeting.headcount,
        )
        for meeting in shown
    ]
    lines += [
        MeetingLine(
            start=meeting.start, end=meeting.end, room=meeting.room.name, title=str(CONFIDENTIAL_LABEL), hidden=True
        )
        for meeting in busy
    ]
    return sorted(lines, key=lambda line: (line.start, line.room))


def next_workday_of(day: date) -> tuple[date | None, str]:
    """(the next working day after `day`, "") — or (None, why) when the override table leaves none."""
    try:
        return next_workday_after(day), ""
    except ValueError:
        return None, gettext(
            "The working-day calendar has no working day in the year after %(day)s: check the override table."
        ) % {"day": f"{day:%Y-%m-%d}"}


@dataclass(frozen=True)
class Review:
    """What is looked at before leaving (seed 篇3 (二) 9): today's journal, the next working day's meetings,
    the team's open matters and the documents still to hand over, and today's review item to tick."""

    day: date
    journal: list[JournalEntry]
    next_day: date | None
    calendar_problem: str
    meetings: list[MeetingLine]
    matters: list[DelegatedTask]
    documents: list[ReviewedDocument]
    item: RoutineItem | None


def end_of_day_review(user: User, day: date) -> Review:
    """The review of `day` as `user` may see it. RoleRequired (403) for who may not read the reception day. A
    fixed number of queries."""
    require_reader(user)
    next_day, problem = next_workday_of(day)
    documents = documents_visible_to(user).filter(handed_at__isnull=True).order_by("due_at", "id")
    return Review(
        day=day,
        journal=journal_of_day(journal_visible_to(user), day),
        next_day=next_day,
        calendar_problem=problem,
        meetings=meetings_of_day(user, next_day) if next_day else [],
        matters=open_matters(user),
        documents=list(documents),
        item=routine_items_visible_to(user).filter(plan__day=day, code=RoutineItem.Code.REVIEW).first(),
    )
