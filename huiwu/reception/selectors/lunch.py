"""Reads of the leaders' lunch in the 2F small dining room (seed 篇3 (二) 6): the tableware register, the day's
menu, the five checks to be done before 11:40, and the leaders' requests.

The first four checks are answers, each recorded with its time on the day's LunchDay. The fifth (each leader
told the menu and their request taken) is never asked: it is done when every expected leader has a request.
Expected are the leaders with an active tableware set who are not on a business trip (出差 on the presence
board). A leader marked 不在 is still expected: they are out of the office, not necessarily out at lunch, and
the attendant asks them (by phone if need be) — "not today" is an answer like any other.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from huiwu.directory.models import Person
from huiwu.reception.models import LeaderOffice, LunchDay, LunchRequest, TablewareSet
from huiwu.reception.selectors.newspapers import standard_of_day
from huiwu.reception.selectors.offices import presence_on


class LunchCheck(TextChoices):
    """The four checks answered with a tap, in the seed's order; the fifth is computed."""

    DOOR = "door", gettext_lazy("Open the small dining room door")
    HYGIENE = "hygiene", gettext_lazy("Check the small dining room's hygiene")
    TABLEWARE = "tableware", gettext_lazy("Match the tableware in the disinfection cabinet to names and numbers")
    MENU = "menu", gettext_lazy("Know today's menu")


# Each check's time on the LunchDay.
CHECK_FIELDS = {
    LunchCheck.DOOR: "door_opened_at",
    LunchCheck.HYGIENE: "hygiene_checked_at",
    LunchCheck.TABLEWARE: "tableware_matched_at",
    LunchCheck.MENU: "menu_known_at",
}
REQUESTS_CHECK_LABEL = gettext_lazy("Tell each leader the menu, take their request and see it served as asked")


def lunch_time(day: date) -> time:
    standard = standard_of_day(day)
    return settings.RECEPTION_LUNCH_AT if standard is None else standard.lunch_at


def is_late(at: datetime | None, by: time) -> bool:
    """Done after the lunch time (by the minute: 11:40 itself is still in time)."""
    return at is not None and timezone.localtime(at).time().replace(second=0, microsecond=0) > by


def tableware_register() -> QuerySet[TablewareSet]:
    return TablewareSet.objects.select_related("leader").order_by("number")


def tableware_leaders() -> QuerySet[Person]:
    """Who a set may be for: the directory's active leaders."""
    return Person.objects.filter(kind=Person.Kind.LEADER, is_active=True).order_by("precedence", "name_pinyin")


def sets_in_use() -> QuerySet[TablewareSet]:
    """The active sets of active leaders, in precedence order."""
    return (
        TablewareSet.objects.filter(is_active=True, leader__is_active=True, leader__kind=Person.Kind.LEADER)
        .select_related("leader__office")
        .order_by("leader__precedence", "leader__name_pinyin", "number")
    )


def _presence(tableware: TablewareSet, day: date) -> str | None:
    office = getattr(tableware.leader, "office", None)
    return presence_on(office, day) if office is not None else None


def expected_and_away(day: date) -> tuple[list[TablewareSet], list[TablewareSet]]:
    """The sets in use split by their leader's presence on `day`: expected, and on a business trip."""
    expected, away = [], []
    for tableware in sets_in_use():
        (away if _presence(tableware, day) == LeaderOffice.Presence.AWAY else expected).append(tableware)
    return expected, away


@dataclass
class CheckState:
    code: str
    label: str
    done_at: datetime | None
    late: bool

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass
class LeaderLunch:
    """A leader on the day's lunch: their set, and their answer once taken."""

    leader: Person
    tableware: TablewareSet | None
    request: LunchRequest | None
    expected: bool
    presence: str | None = None  # on the day: in, out, away, or None when not set

    @property
    def dietary_notes(self) -> str:
        # The notes kept on the request are the ones the answer was given against.
        return self.request.dietary_notes if self.request is not None else self.leader.dietary_notes


@dataclass
class LunchOverview:
    day: date
    lunch: LunchDay | None
    lunch_at: time
    checks: list[CheckState]
    leaders: list[LeaderLunch]
    away: list[TablewareSet]

    @property
    def menu(self) -> str:
        return self.lunch.menu if self.lunch is not None else ""

    @property
    def not_asked(self) -> list[LeaderLunch]:
        return [entry for entry in self.leaders if entry.expected and entry.request is None]

    @property
    def requests_done(self) -> bool:
        return not self.not_asked

    @property
    def eating(self) -> int:
        return sum(1 for entry in self.leaders if entry.request is not None and entry.request.eats)

    @property
    def done_count(self) -> int:
        return sum(1 for check in self.checks if check.done) + (1 if self.requests_done else 0)

    @property
    def all_done(self) -> bool:
        return self.done_count == len(self.checks) + 1


def lunch_overview(day: date) -> LunchOverview:
    """The day's lunch: the checks with their times, the expected leaders with their sets and answers, then any
    other leader whose answer was taken (one who left on a trip after being asked), and the sets of those
    away. Five queries."""
    lunch = LunchDay.objects.filter(day=day).select_related("checked_by").first()
    by = lunch_time(day)
    checks = []
    for code, field_name in CHECK_FIELDS.items():
        done_at = getattr(lunch, field_name) if lunch is not None else None
        checks.append(CheckState(code=code, label=str(code.label), done_at=done_at, late=is_late(done_at, by)))
    requests = {}
    if lunch is not None:
        requests = {
            request.leader_id: request
            for request in LunchRequest.objects.filter(lunch=lunch).select_related("leader__office", "taken_by")
        }
    expected, away = expected_and_away(day)
    leaders = [
        LeaderLunch(
            tableware.leader, tableware, requests.pop(tableware.leader_id, None), True, _presence(tableware, day)
        )
        for tableware in expected
    ]
    if requests:
        sets = {tableware.leader_id: tableware for tableware in TablewareSet.objects.filter(leader__in=requests)}
        for request in sorted(requests.values(), key=lambda request: request.leader.precedence):
            office = getattr(request.leader, "office", None)
            presence = presence_on(office, day) if office is not None else None
            leaders.append(LeaderLunch(request.leader, sets.get(request.leader_id), request, False, presence))
    return LunchOverview(day=day, lunch=lunch, lunch_at=by, checks=checks, leaders=leaders, away=away)


def lunch_outstanding(day: date) -> list[str]:
    """What keeps the day's lunch item open: the five checks not done yet (the fifth names the leaders not yet
    told the menu and asked), one line each. Empty: all five are done."""
    overview = lunch_overview(day)
    lines = [check.label for check in overview.checks if not check.done]
    if overview.not_asked:
        names = pgettext("list separator", ", ").join(entry.leader.name for entry in overview.not_asked)
        lines.append(_("Tell the menu and take the request of: %(leaders)s") % {"leaders": names})
    return lines
