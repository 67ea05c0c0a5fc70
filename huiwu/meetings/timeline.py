"""The day timeline: rooms as rows, half-hours from 07:00 to 22:00 as columns."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from huiwu.meetings.models import Meeting
from huiwu.venues.models import Room

SLOT = timedelta(minutes=30)
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


@dataclass
class RoomRow:
    room: Room
    segments: list[Segment]


def day_slots(day: date) -> list[datetime]:
    first = timezone.make_aware(datetime.combine(day, DAY_START))
    count = int((datetime.combine(day, DAY_END) - datetime.combine(day, DAY_START)) / SLOT)
    return [first + index * SLOT for index in range(count)]


def _cell(slot: datetime, meetings: list[Meeting]) -> tuple[str, Meeting | None]:
    slot_end = slot + SLOT
    for meeting in meetings:
        if meeting.start < slot_end and meeting.end > slot:
            return "meeting", meeting
    for meeting in meetings:
        if meeting.blocked_from < slot_end and meeting.blocked_until > slot:
            return "buffer", meeting
    return "free", None


def day_timeline(*, day: date, rooms: list[Room], meetings: list[Meeting], visible_ids: set[int]) -> list[RoomRow]:
    """`meetings` are the active meetings near the day, `visible_ids` those the viewer may open."""
    slots = day_slots(day)
    by_room: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_room.setdefault(meeting.room_id, []).append(meeting)
    rows = []
    for room in rooms:
        segments: list[Segment] = []
        for slot in slots:
            kind, meeting = _cell(slot, by_room.get(room.pk, []))
            previous = segments[-1] if segments else None
            if kind != "free" and previous and previous.kind == kind and previous.meeting == meeting:
                previous.slots += 1
            else:
                visible = meeting is None or meeting.pk in visible_ids
                segments.append(Segment(kind=kind, start=slot, slots=1, meeting=meeting, visible=visible))
        rows.append(RoomRow(room=room, segments=segments))
    return rows


def week_days(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]
