"""The demo's confidentiality: the demo attendant is cleared for classified meetings and serves one
tomorrow; the second attendant is not cleared (they see it as a busy block), and one of their papers
expires soon, so that the security officer has a reminder to look at."""

from contextlib import suppress
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory.demo import CLIENT_ORGANIZATION
from huiwu.directory.models import Organization, Person
from huiwu.meetings.models import Meeting
from huiwu.meetings.services import BookingConflict, MeetingDraft, meeting_create
from huiwu.security.levels import highest_level
from huiwu.security.models import StaffProfile, TrainingRecord
from huiwu.security.services import (
    agreement_add,
    authorization_grant,
    background_check_add,
    staff_profile_update,
    training_record_add,
)
from huiwu.service.services import assignment_add
from huiwu.venues.models import Room

CONFIDENTIAL_TITLE = "保密工作专题会"


def _qualify(user: User, *, officer: User, level: int, papers_until: date) -> None:
    """Through the services, so that the papers' expiry reminders and the audit entries exist too."""
    if StaffProfile.objects.filter(user=user).exists():
        return
    today = timezone.localdate()
    staff_profile_update(user=officer, staff=user, clearance_level=level, hire_date=date(2021, 3, 1))
    since = today - timedelta(days=200)
    background_check_add(user=officer, staff=user, issuer="市公安局", valid_from=since, valid_until=papers_until)
    agreement_add(user=officer, staff=user, valid_from=since, valid_until=papers_until)
    if level:
        authorization_grant(user=officer, staff=user, valid_from=today, valid_until=papers_until)
    for course in (TrainingRecord.Course.ETIQUETTE, TrainingRecord.Course.CONFIDENTIALITY):
        training_record_add(
            user=officer, staff=user, course=course, completed_on=today - timedelta(days=90), passed=True, score=92
        )


def demo_load() -> None:
    officer = User.objects.get(username=Role.SECURITY_OFFICER.value)
    manager = User.objects.get(username=Role.MANAGER.value)
    team_leader = User.objects.get(username=Role.TEAM_LEADER.value)
    attendant = User.objects.get(username=Role.ATTENDANT.value)
    second = User.objects.filter(username="attendant2").first()
    today = timezone.localdate()
    _qualify(attendant, officer=officer, level=highest_level(), papers_until=today + timedelta(days=365))
    if second:
        # Ordinary meetings only, and a certificate that runs out in three weeks.
        _qualify(second, officer=officer, level=0, papers_until=today + timedelta(days=21))

    tomorrow = today + timedelta(days=1)
    if Meeting.objects.filter(title=CONFIDENTIAL_TITLE, start__date__gte=today).exists():
        return
    start = timezone.make_aware(datetime.combine(tomorrow, time(15, 0)))
    organizer = Organization.objects.get(name=CLIENT_ORGANIZATION)
    for room in Room.objects.active().order_by("capacity"):
        draft = MeetingDraft(
            title=CONFIDENTIAL_TITLE,
            organizer=organizer,
            room=room,
            start=start,
            end=start + timedelta(minutes=90),
            headcount=min(10, room.capacity),
            confidentiality=highest_level(),
            attendees=list(Person.objects.filter(is_active=True).order_by("precedence")[:2]),
            service_items={"tea": (10, "龙井")},
            notes="与会人员手机统一收存；不使用无线话筒；会议材料编号发放、会后收回。",
        )
        try:
            meeting = meeting_create(user=manager, draft=draft)
        except (BookingConflict, ValidationError):
            continue
        # If the demo attendant serves another meeting then, the team leader staffs it by hand.
        with suppress(ValidationError):
            assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
        return
