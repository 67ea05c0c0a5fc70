"""The seed's case (篇2) as demo data, through the services: for a meeting of the demo client organization
today or tomorrow, a fruit purchase done by the attendant and awaiting the client's confirmation, with the
service plan behind it ("水果仅在休息时提供，分批摆放以保持新鲜"); beside it a banner done and notified to the client
by phone, flowers the client confirmed, and printing the client requested herself."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.delegations.models import DelegationNotice
from huiwu.delegations.services import task_confirm, task_create, task_done, task_notice_record, task_start
from huiwu.directory.demo import CLIENT_ORGANIZATION
from huiwu.directory.models import Contact, Organization
from huiwu.meetings.models import Meeting, Status
from huiwu.meetings.selectors import day_bounds
from huiwu.meetings.services import BookingConflict, MeetingDraft, meeting_create
from huiwu.venues.models import Room

FRUIT = "代购水果"
MEETING_TITLE = "机关事务工作协调会"
# Long enough before the meeting that the tasks' due times (half an hour before it) are still to come.
LEAD = timedelta(hours=2)


def _meeting(client: Organization, contact: Contact | None, booker: User) -> Meeting:
    """The meeting of the demo: the one the fruit was bought for while it is still to come, else the client's
    next meeting of today or tomorrow, else one booked for tomorrow afternoon."""
    now = timezone.now()
    upcoming = Meeting.objects.filter(
        organizer=client, status=Status.CONFIRMED, confidentiality=0, start__gt=now + LEAD
    )
    fruit = upcoming.filter(delegated_tasks__title=FRUIT).order_by("start").first()
    if fruit is not None:
        return fruit
    tomorrow = timezone.localdate() + timedelta(days=1)
    found = upcoming.filter(start__lt=day_bounds(tomorrow)[1]).order_by("start").first()
    if found is not None:
        return found
    for room in Room.objects.active().filter(capacity__gte=20).order_by("code"):
        for clock in ("14:00", "15:30", "10:00"):
            start = timezone.make_aware(datetime.combine(tomorrow, time.fromisoformat(clock)))
            draft = MeetingDraft(
                title=MEETING_TITLE,
                organizer=client,
                contact=contact,
                room=room,
                start=start,
                end=start + timedelta(hours=2),
                headcount=20,
                service_items={"tea": (20, ""), "fruit": (4, "休息时提供")},
            )
            try:
                return meeting_create(user=booker, draft=draft)
            except BookingConflict:
                continue
    raise RuntimeError("no room is free tomorrow for the delegated tasks' demo meeting")


def demo_load() -> None:
    hotline = User.objects.get(username="hotline")
    attendant = User.objects.get(username="attendant")
    client_user = User.objects.get(username="client")
    client = Organization.objects.get(name=CLIENT_ORGANIZATION)
    contact = Contact.objects.filter(organization=client, user=client_user).first()
    meeting = _meeting(client, contact, User.objects.get(username="manager"))
    if meeting.delegated_tasks.filter(title=FRUIT).exists():
        return
    due = meeting.start - timedelta(minutes=30)
    requester = {"requester_contact": contact} if contact else {"requester_name": str(client_user)}

    fruit = task_create(
        user=hotline,
        title=FRUIT,
        quantity="时令水果 5 公斤（20 人份）",
        budget=Decimal("300.00"),
        due_at=due,
        meeting=meeting,
        assignee=attendant,
        service_plan="水果仅在休息时提供，分批摆放以保持新鲜",
        details="周敏来电委托；会议休息时间约 15:00。",
        **requester,
    )
    task_start(user=attendant, task=fruit)
    task_done(
        user=attendant,
        task=fruit,
        actual_cost=Decimal("268.50"),
        note="已购时令水果 5 公斤，存放在 7 楼备餐间，休息时分三批摆放。",
    )

    banner = task_create(
        user=hotline,
        title="制作横幅",
        quantity="红底白字横幅 1 条（6 米）",
        budget=Decimal("150.00"),
        due_at=due,
        meeting=meeting,
        assignee=attendant,
        service_plan="会前一小时悬挂于主席台后方",
        **requester,
    )
    task_done(user=attendant, task=banner, actual_cost=Decimal("120.00"), note="已悬挂。")
    task_notice_record(
        user=hotline,
        task=banner,
        method=DelegationNotice.Method.PHONE,
        notified_at=timezone.now(),
        notified_person=contact.name if contact else str(client_user),
        client_answer="已知悉，谢谢。",
    )

    flowers = task_create(
        user=hotline,
        title="会场鲜花",
        quantity="台花 2 盆",
        budget=Decimal("200.00"),
        due_at=due,
        meeting=meeting,
        assignee=attendant,
        **requester,
    )
    task_done(user=attendant, task=flowers, actual_cost=Decimal("180.00"))
    task_confirm(user=client_user, task=flowers)

    task_create(
        user=client_user,
        title="打印会议材料",
        quantity="A4 双面 30 份",
        budget=Decimal("60.00"),
        due_at=due,
        meeting=meeting,
        details="电子版已发至会务邮箱。",
    )
