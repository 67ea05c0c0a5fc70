"""The demo's seating: each coming meeting with a rostrum has its seven leaders seated on it by protocol, so that
the chart on its service page, the chart's PDF and the name cards have something to show."""

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.meetings.models import Meeting
from huiwu.seating.models import SeatingPlan
from huiwu.seating.services import seating_plan_generate
from huiwu.venues.models import Layout


def demo_load() -> None:
    team_leader = User.objects.get(username="team_leader")
    coming = Meeting.objects.active().filter(
        end__gt=timezone.now(), layout=Layout.ROSTRUM_CLASSROOM, seating_plan__isnull=True
    )
    for meeting in coming.filter(attendee_links__isnull=False).distinct():
        seating_plan_generate(user=team_leader, meeting=meeting, arrangement=SeatingPlan.Arrangement.ROSTRUM)
