"""Who may serve (and so see) a confidential meeting (DESIGN §3.6): a clearance of the meeting's level, a
valid background-check certificate, a signed agreement and an authorization to serve, each covering the
meeting's days, and passed confidentiality education. Computed from the records, never stored, so an
expiry takes effect by itself."""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.meetings.models import MAX_DURATION
from huiwu.security.levels import level_label
from huiwu.security.models import (
    Authorization,
    BackgroundCheck,
    ConfidentialityAgreement,
    StaffProfile,
    TrainingRecord,
)


def _days(start: datetime, end: datetime) -> tuple[date, date]:
    """The Shanghai days a meeting touches (an end at midnight belongs to the day before)."""
    return timezone.localdate(start), timezone.localdate(end - timedelta(microseconds=1))


def missing_for(user: User, *, level: int, start: datetime, end: datetime) -> list[str]:
    """What the person lacks to serve a meeting of this level at this time (empty: eligible)."""
    if level <= 0:
        return []
    first, last = _days(start, end)
    missing = []
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None or profile.clearance_level < level:
        missing.append(_("a clearance of level %(level)s") % {"level": level_label(level)})
    if not any(c.covers(first, last) for c in BackgroundCheck.objects.filter(user=user)):
        missing.append(_("a valid background-check certificate"))
    if not any(a.covers(first, last) for a in ConfidentialityAgreement.objects.filter(user=user)):
        missing.append(_("a signed confidentiality agreement in force"))
    if not TrainingRecord.objects.filter(user=user, course=TrainingRecord.Course.CONFIDENTIALITY, passed=True).exists():
        missing.append(_("passed confidentiality education"))
    authorizations = Authorization.objects.filter(user=user, revoked_at__isnull=True)
    if not any(a.covers(first, last) for a in authorizations):
        missing.append(_("an authorization to serve covering the meeting's time"))
    return missing


@dataclass(frozen=True)
class Window:
    """Days over which every paper is valid at once."""

    first: date
    last: date


# Two papers sharing this many days leave no meeting within the two outside both: a meeting touches at most
# this many days plus one (24 hours from 09:00 end on the next day's morning).
_DAYS_TO_SHARE = math.ceil(MAX_DURATION / timedelta(days=1))


def _joined(periods: list[Window]) -> list[Window]:
    """The periods of one kind of paper in order, joined where they share enough days that every meeting
    within the joined period still lies within one of the papers, as `missing_for` asks. Periods that merely
    touch (one ends on the 5th, the next starts on the 6th) stay apart: no paper covers a meeting from the
    evening of the 5th into the 6th."""
    joined: list[Window] = []
    for period in sorted(periods, key=lambda period: period.first):
        if joined and period.first + timedelta(days=_DAYS_TO_SHARE - 1) <= joined[-1].last:
            joined[-1] = Window(joined[-1].first, max(joined[-1].last, period.last))
        else:
            joined.append(period)
    return joined


def _intersect(left: list[Window], right: list[Window]) -> list[Window]:
    """Where windows of two ordered lists of disjoint windows overlap: at most one window per window given,
    found in one pass."""
    windows, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        first, last = max(left[i].first, right[j].first), min(left[i].last, right[j].last)
        if first <= last:
            windows.append(Window(first, last))
        if left[i].last < right[j].last:  # pragma: no mutate (on equal ends either may go first)
            i += 1
        else:
            j += 1
    return windows


def eligible_meetings_q(user: User) -> Q:
    """A filter on meetings: the confidential ones this person is eligible to serve. Worked out once per user
    object, as Django keeps its permissions and accounts.User its roles: a request reads its user afresh, and
    a page that lists meetings in several places (the today page) reads the papers once, not once a list."""
    try:
        return user._eligible_meetings_q
    except AttributeError:
        user._eligible_meetings_q = _eligible_meetings_q(user)
        return user._eligible_meetings_q


def _eligible_meetings_q(user: User) -> Q:
    """A few queries, then one condition per period in which all their papers overlap. Each kind's papers are
    joined first: one condition per combination of papers made a staff member with 35 certificates, 11
    agreements and 12 authorizations a query too large for the database, and a 500 on every meeting page."""
    nothing = Q(pk__in=[])
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None or profile.clearance_level <= 0:  # pragma: no mutate (level 0 would match nothing anyway)
        return nothing
    if not TrainingRecord.objects.filter(user=user, course=TrainingRecord.Course.CONFIDENTIALITY, passed=True).exists():
        return nothing
    windows = None
    for records in (
        BackgroundCheck.objects.filter(user=user),
        ConfidentialityAgreement.objects.filter(user=user),
        Authorization.objects.filter(user=user, revoked_at__isnull=True),
    ):
        periods = _joined([Window(record.valid_from, record.valid_until) for record in records])
        windows = periods if windows is None else _intersect(windows, periods)
    condition = nothing
    for window in windows or []:
        opens = timezone.make_aware(datetime.combine(window.first, time.min))
        closes = timezone.make_aware(datetime.combine(window.last + timedelta(days=1), time.min))
        condition |= Q(start__gte=opens, end__lte=closes)
    return Q(confidentiality__gte=1, confidentiality__lte=profile.clearance_level) & condition
