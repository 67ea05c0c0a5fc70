"""The demo's surveys: meetings of the last days rated by the client contact 周敏 (mostly 4 and 5, one with a 2
that opened a follow-up for the hotline), and a meeting that ended yesterday still waiting for her rating, so
that her today page and inbox ask "请评价". Invitations are made by the worker's own sweep, answers through the
service; nothing secret (no link) is printed."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.directory.demo import CLIENT_ORGANIZATION
from huiwu.directory.models import Contact, Organization
from huiwu.meetings.models import Meeting
from huiwu.meetings.services import BookingConflict, MeetingDraft, meeting_create
from huiwu.surveys.models import SurveyInvitation
from huiwu.surveys.services import survey_answer, surveys_send_due
from huiwu.venues.models import Room

CLIENT_CONTACT = "周敏"
# days ago, start, end, title, rooms to try, scores (venue, tea, equipment, attitude, overall) or None: not yet
# rated, comment
MEETINGS = [
    (6, "16:30", "17:30", "政务服务工作座谈会", ["401", "601"], (5, 5, 4, 5, 5), "茶水及时，服务周到。"),
    (5, "16:30", "17:30", "机关后勤保障例会", ["601", "401"], (4, 4, 5, 4, 4), ""),
    (4, "16:30", "17:30", "节能工作推进会", ["701", "301"], (4, 3, 2, 4, 3), "投影仪中途黑屏两次，影响了汇报。"),
    (3, "16:30", "17:30", "物业服务季度考评会", ["501", "702"], (5, 4, 5, 5, 5), "会场布置整洁，感谢！"),
    (2, "16:30", "17:30", "办公用房调整协调会", ["301", "401"], (4, 5, 4, 5, 4), ""),
    (1, "16:30", "17:30", "公务用车管理专题会", ["401", "601"], None, ""),
]


def _at(day, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


def _meeting(booker: User, organizer: Organization, contact: Contact, days_ago: int, row) -> Meeting | None:
    _days, start, end, title, rooms, _scores, _comment = row
    day = timezone.localdate() - timedelta(days=days_ago)
    existing = Meeting.objects.filter(title=title, start=_at(day, start)).first()
    if existing is not None:
        return existing
    for room in Room.objects.filter(code__in=rooms):
        draft = MeetingDraft(
            title=title,
            organizer=organizer,
            contact=contact,
            room=room,
            start=_at(day, start),
            end=_at(day, end),
            headcount=min(12, room.capacity),
            service_items={"tea": (12, "龙井")},
        )
        try:
            return meeting_create(user=booker, draft=draft)
        except (BookingConflict, ValidationError):  # the room is taken then: the next one
            continue
    return None


def demo_load() -> None:
    booker = User.objects.get(username="manager")  # may record meetings that already took place
    organizer = Organization.objects.get(name=CLIENT_ORGANIZATION)
    contact = Contact.objects.get(organization=organizer, name=CLIENT_CONTACT)
    meetings = [(row, _meeting(booker, organizer, contact, row[0], row)) for row in MEETINGS]
    # The worker's sweep: the contacts of every meeting ended in the last days are invited (周敏 in her inbox).
    surveys_send_due()
    for row, meeting in meetings:
        scores, comment = row[5], row[6]
        if meeting is None or scores is None:
            continue
        invitation = SurveyInvitation.objects.filter(meeting=meeting, contact=contact, answered_at__isnull=True).first()
        if invitation is None:
            continue
        venue, tea, equipment, attitude, overall = scores
        survey_answer(
            invitation=invitation,
            venue=venue,
            tea=tea,
            equipment=equipment,
            attitude=attitude,
            overall=overall,
            comment=comment,
        )
