"""The day timeline: rooms as rows, half-hours as columns.

The columns run from the site's day (venues.Site.day_starts/day_ends, by default 07:00–22:00) and widen, a
half-hour at a time, to take in every meeting of the day shown that starts earlier or ends later, its setup
and teardown included: the room is held from then, and someone has to be there. Such a meeting is marked
early or late (早场/晚场) by its own start and end against its site's day; within the day it is not, even when
its setup begins before the day does.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.lib.versions import PeriodVersions
from huiwu.meetings.access import meetings_visible_to, require_meeting_reader
from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import day_bounds, meetings_between
from huiwu.venues.access import rooms_for
from huiwu.venues.models import Floor, Room, Site

SLOT = timedelta(minutes=30)
TIMELINE_FIELDS = ("title", "room", "start", "end", "blocked_from", "blocked_until", "status", "confidentiality")
# The day of a site that has none of its own, and of a timeline without rooms.
DAY_START = time(7, 0)
DAY_END = time(22, 0)


@dataclass
class Segment:
    kind: str  # "free", "meeting" or "buffer" (setup or teardown around a meeting)
    start: datetime
    slots: int
    meeting: Meeting | None = None
    # False for a meeting the viewer may not see (another organization's): shown only as "taken".
    visible: bool = True
    # A meeting starting before or ending after its site's day.
    early: bool = False
    late: bool = False
    # A free half-hour outside the site's day: bookable all the same, shaded as out of hours.
    off_hours: bool = False

    @property
    def end(self) -> datetime:
        return self.start + self.slots * SLOT


@dataclass
class RoomRow:
    room: Room
    segments: list[Segment]


@dataclass(frozen=True)
class DayRange:
    """The half-hours a day's timeline shows, and the site's usual day within them."""

    day: date
    starts: datetime
    ends: datetime
    usual_starts: datetime
    usual_ends: datetime

    @property
    def slots(self) -> list[datetime]:
        return [self.starts + index * SLOT for index in range(int((self.ends - self.starts) / SLOT))]

    @property
    def columns(self) -> list[tuple[datetime, bool]]:
        """Each half-hour, and whether it lies outside the usual day (its heading is shaded)."""
        return [(slot, slot < self.usual_starts or slot >= self.usual_ends) for slot in self.slots]

    @property
    def widened(self) -> bool:
        return self.starts < self.usual_starts or self.ends > self.usual_ends


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _midnight(day: date) -> datetime:
    return _at(day, time.min)


def _floor_to_slot(moment: datetime, day: date) -> datetime:
    return _midnight(day) + ((moment - _midnight(day)) // SLOT) * SLOT


def _ceil_to_slot(moment: datetime, day: date) -> datetime:
    return _midnight(day) - ((_midnight(day) - moment) // SLOT) * SLOT


def site_day(day: date, site: Site | None) -> tuple[datetime, datetime]:
    """The site's usual day on `day`, as aware datetimes."""
    return _at(day, site.day_starts if site else DAY_START), _at(day, site.day_ends if site else DAY_END)


def day_range(*, day: date, rooms: Iterable[Room], meetings: Iterable[Meeting]) -> DayRange:
    """The usual day of the rooms' sites (the earliest start and latest end among them), widened to every
    meeting of these rooms held on `day`, buffers included, to whole half-hours within the day."""
    sites = {room.floor.site_id: room.floor.site for room in rooms}
    days = [site_day(day, site) for site in sites.values()] or [site_day(day, None)]
    usual_starts = _floor_to_slot(min(start for start, _end in days), day)
    usual_ends = _ceil_to_slot(max(end for _start, end in days), day)
    room_ids = {room.pk for room in rooms}
    held = [meeting for meeting in meetings if meeting.room_id in room_ids]
    first = min((meeting.blocked_from for meeting in held), default=usual_starts)
    last = max((meeting.blocked_until for meeting in held), default=usual_ends)
    return DayRange(
        day=day,
        starts=max(_midnight(day), _floor_to_slot(min(first, usual_starts), day)),
        ends=min(_midnight(day + timedelta(days=1)), _ceil_to_slot(max(last, usual_ends), day)),
        usual_starts=usual_starts,
        usual_ends=usual_ends,
    )


def _slot_span(day_range: DayRange, start: datetime, end: datetime, count: int) -> range:
    """The indexes of the half-hours that [start, end) touches, within the timeline's `count` columns."""
    first = (start - day_range.starts) // SLOT
    last = -((day_range.starts - end) // SLOT)  # the ceiling: the half-hour after the last one touched
    return range(max(first, 0), min(last, count))


def _room_cells(day_range: DayRange, meetings: list[Meeting], count: int) -> list[tuple[str, Meeting | None]]:
    """Each half-hour's (kind, meeting): the meeting held in it, else the one whose setup or teardown holds it
    (the first in `meetings` when two buffers share a half-hour), else free. One pass over the room's meetings."""
    cells: list[tuple[str, Meeting | None]] = [("free", None)] * count
    for meeting in reversed(meetings):
        for index in _slot_span(day_range, meeting.blocked_from, meeting.blocked_until, count):
            cells[index] = ("buffer", meeting)
    for meeting in reversed(meetings):
        for index in _slot_span(day_range, meeting.start, meeting.end, count):
            cells[index] = ("meeting", meeting)
    return cells


def day_timeline(
    *, day_range: DayRange, rooms: list[Room], meetings: list[Meeting], visible_ids: set[int]
) -> list[RoomRow]:
    """`meetings` are the active meetings near the day, `visible_ids` those the viewer may open."""
    by_room: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_room.setdefault(meeting.room_id, []).append(meeting)
    slots = day_range.slots
    rows = []
    for room in rooms:
        usual_starts, usual_ends = site_day(day_range.day, room.floor.site)
        segments: list[Segment] = []
        for slot, (kind, meeting) in zip(
            slots, _room_cells(day_range, by_room.get(room.pk, []), len(slots)), strict=True
        ):
            previous = segments[-1] if segments else None
            if kind != "free" and previous and previous.kind == kind and previous.meeting == meeting:
                previous.slots += 1
                continue
            segment = Segment(kind=kind, start=slot, slots=1, meeting=meeting)
            if meeting is None:
                segment.off_hours = slot < usual_starts or slot >= usual_ends
            else:
                segment.visible = meeting.pk in visible_ids
                segment.early = kind == "meeting" and meeting.start < usual_starts
                segment.late = kind == "meeting" and meeting.end > usual_ends
            segments.append(segment)
        rows.append(RoomRow(room=room, segments=segments))
    return rows


def timeline_of(user: User, day: date) -> tuple[DayRange, list[RoomRow]]:
    """The day's timeline as `user` sees it, for the page and the API: every active meeting marks its room
    as taken, only the ones the user may see are named. RoleRequired (403) for who may not read meetings."""
    require_meeting_reader(user)
    return timeline_for(day, rooms=list(rooms_for(user)), visible_ids=timeline_visible_ids(user, day))


def timeline_visible_ids(user: User, day: date) -> tuple[int, ...]:
    """The ids of the day's active meetings that `user` may open, in order (a snapshot's key, views.py)."""
    start, end = day_bounds(day)
    visible = meetings_between(meetings_visible_to(user).active(), start, end)
    return tuple(visible.order_by("pk").values_list("pk", flat=True))


def timeline_for(day: date, *, rooms: list[Room], visible_ids: Iterable[int]) -> tuple[DayRange, list[RoomRow]]:
    """The day's timeline of these rooms, naming only the meetings of `visible_ids`."""
    start, end = day_bounds(day)
    # Only what a segment shows: the timeline lists hundreds of meetings on a busy day.
    nearby = list(meetings_between(Meeting.objects.active().only(*TIMELINE_FIELDS), start, end))
    hours = day_range(day=day, rooms=rooms, meetings=nearby)
    return hours, day_timeline(day_range=hours, rooms=rooms, meetings=nearby, visible_ids=set(visible_ids))


def _timeline_parts(start: datetime, end: datetime) -> list[QuerySet]:
    # What the timeline shows: the meetings near the day, and the rooms, floors and sites (their names and
    # usual hours), counted over their whole, small tables.
    nearby = meetings_between(Meeting.objects.active(), start, end)
    return [nearby, Room.objects.all(), Floor.objects.all(), Site.objects.all()]


_TIMELINE_VERSIONS = PeriodVersions(_timeline_parts)


def timeline_version(day: date) -> tuple:
    """What the timeline of `day` is built from, as numbers any committed change alters (lib/versions.py), for
    every reader alike. One query."""
    return _TIMELINE_VERSIONS(*day_bounds(day))


def week_days(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]
