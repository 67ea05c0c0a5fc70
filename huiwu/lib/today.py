"""A section of the today page, as each app contributes it (`<app>/today.py`, listed in core/today.py).

A section shows the work itself: a few counts at its head and the rows to act on (a meeting to assign, a
check to confirm, a request to decide), each with its time, place, state and the link where it is done.
The page and the API (GET /api/v1/today) render the same sections."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet, TextChoices, Window
from django.utils.functional import Promise

# How many rows a section lists; the rest are behind its link (the counts still count them all).
MAX_ITEMS = 20


def first_items(queryset: QuerySet) -> tuple[list, int]:
    """The first MAX_ITEMS rows of a list and how many it has in all, in one query whatever the number: the
    total is a window over the whole result, counted before the limit."""
    shown = list(queryset.annotate(today_total=Window(Count("pk")))[:MAX_ITEMS])
    return shown, shown[0].today_total if shown else 0


class Tone(TextChoices):
    """How a row's state or a count is coloured: what is fine, what waits, what is wrong."""

    NEUTRAL = "neutral"
    OK = "ok"
    WAITING = "waiting"
    ALERT = "alert"


@dataclass
class TodayCount:
    label: Promise | str
    value: int
    tone: str = Tone.NEUTRAL
    url: str = ""


@dataclass
class TodayItem:
    """One row of a section: what (title), when (at: a clock time, with the day when it is not today),
    where (place), its state (status, coloured by tone), a second line (detail) and where to act (url,
    action: the link's label)."""

    title: str
    at: datetime | None = None
    place: str = ""
    status: Promise | str = ""
    tone: str = Tone.NEUTRAL
    detail: str = ""
    url: str = ""
    action: Promise | str = ""


@dataclass
class TodayList:
    """Rows of one kind in a section (e.g. "requests waiting for confirmation"), the first MAX_ITEMS of
    `total`; the rest are behind `url`."""

    title: Promise | str
    items: list[TodayItem]
    total: int
    empty: Promise | str = ""  # what the list says when it has no rows, e.g. "No request is waiting."
    url: str = ""

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass
class TodaySection:
    """What one of the user's roles (an accounts.roles.Role) has waiting today, and where to go about it."""

    role: TextChoices
    hint: Promise | str
    # What the section is about when one role has several (e.g. the hotline's 委托事务 beside its checks);
    # empty: the role's own section, headed by the role's name.
    title: Promise | str = ""
    waiting: str = ""  # e.g. "2 checks to confirm today"; empty: nothing waiting
    link_url: str = ""
    link_label: Promise | str = ""
    counts: list[TodayCount] = field(default_factory=list)
    lists: list[TodayList] = field(default_factory=list)
