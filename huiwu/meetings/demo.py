"""Two weeks of meetings around today, including a weekly 例会, booked through the service layer."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.directory.demo import CLIENT_ORGANIZATION
from huiwu.directory.models import Contact, Organization, Person
from huiwu.meetings.models import Meeting, MeetingSeries
from huiwu.meetings.services import (
    BookingConflict,
    MeetingDraft,
    Recurrence,
    meeting_create,
    series_create,
)
from huiwu.venues.models import Layout, Room

# weekday (0 = Monday), start, end, room code, title, headcount, nature, layout, items
WEEK = [
    (
        0,
        "14:30",
        "16:00",
        "301",
        "季度工作部署会",
        28,
        "work_assignment",
        "rostrum_classroom",
        {"tea": (28, "龙井"), "name_cards": (6, "")},
    ),
    (
        1,
        "10:00",
        "11:30",
        "601",
        "预算执行情况座谈会",
        12,
        "symposium",
        "round_table",
        {"tea": (12, "普洱"), "fruit": (2, "")},
    ),
    (1, "15:00", "16:00", "702", "来宾接待", 6, "reception", "boardroom", {"tea": (6, "龙井"), "flowers": (1, "")}),
    (
        2,
        "09:30",
        "11:00",
        "hall",
        "安全生产培训",
        150,
        "training",
        "theatre",
        {"water": (150, ""), "microphones": (4, "")},
    ),
    (3, "14:00", "15:30", "401", "重点项目推进会", 18, "work_assignment", "hollow_square", {"tea": (18, "")}),
    (3, "16:00", "17:00", "601", "省厅视频会议", 10, "video_conference", "boardroom", {"video_conference": (1, "")}),
    (4, "09:00", "10:00", "501", "办公室周例会", 10, "work_assignment", "boardroom", {"tea": (10, "")}),
]


def _at(day, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


def _attendees(layout: str, nature: str, leaders: list[Person], rostrum: list[Person]) -> list[Person]:
    if layout == Layout.ROSTRUM_CLASSROOM:
        return rostrum
    return leaders[:2] if nature in ("work_assignment", "symposium") else []


def demo_load() -> None:
    booker = User.objects.get(username="manager")  # may record meetings that already started
    client = Organization.objects.get(name=CLIENT_ORGANIZATION)
    organizations = list(Organization.objects.order_by("name")) or [client]
    contacts = {contact.organization_id: contact for contact in Contact.objects.order_by("-id")}
    leaders = list(Person.objects.filter(is_active=True).order_by("precedence", "name_pinyin")[:7])
    rostrum, leaders = leaders, leaders[:4]  # a work-assignment meeting seats seven on its rostrum
    rooms = {room.code: room for room in Room.objects.all()}
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())

    if not MeetingSeries.objects.filter(occurrences__title="局务会").exists():
        first = _at(monday, "09:00")
        draft = MeetingDraft(
            title="局务会",
            organizer=client,
            contact=contacts.get(client.pk),
            room=rooms["701"],
            start=first,
            end=first + timedelta(minutes=90),
            headcount=20,
            nature="work_assignment",
            layout="hollow_square",
            table_count=8,
            chair_count=20,
            attendees=leaders,
            # The booked tea differs from some leaders' own preferences (the vice-mayor drinks 菊花茶): the
            # service page shows both, the booking first.
            service_items={"tea": (20, "西湖龙井"), "name_cards": (len(leaders), "")},
            restroom_arrangement="出门右转 20 米；领导使用 7 楼贵宾休息室卫生间，会前检查纸巾、洗手液。",
            smoking_arrangement="7 楼东侧楼梯间吸烟室，会前开窗通风。",
            notes="主要领导参加，会前半小时开门开灯、备好茶水。王志强副市长的茶也按西湖龙井上，续水续在其自带保温杯里。",
        )
        series_create(user=booker, draft=draft, recurrence=Recurrence(frequency="weekly", count=4), skip_conflicts=True)

    for week in (0, 1):
        for index, (weekday, start, end, room, title, headcount, nature, layout, items) in enumerate(WEEK):
            day = monday + timedelta(days=7 * week + weekday)
            if Meeting.objects.filter(title=title, start=_at(day, start), room=rooms[room]).exists():
                continue
            organizer = organizations[index % len(organizations)]
            draft = MeetingDraft(
                title=title,
                organizer=organizer,
                contact=contacts.get(organizer.pk),
                room=rooms[room],
                start=_at(day, start),
                end=_at(day, end),
                headcount=headcount,
                nature=nature,
                layout=layout,
                attendees=_attendees(layout, nature, leaders, rostrum),
                service_items=items,
            )
            try:
                meeting_create(user=booker, draft=draft)
            except BookingConflict:
                continue
