from huiwu.core.management.commands.demo import DEMO_LOADERS
from huiwu.service.models import Assignment, MeetingService


def test_it_loads_a_running_staffed_meeting_idempotently(db, frozen_now):
    for load in DEMO_LOADERS:
        load()
    counts = (Assignment.objects.count(), MeetingService.objects.count())
    for load in DEMO_LOADERS:
        load()
    assert (Assignment.objects.count(), MeetingService.objects.count()) == counts
    running = MeetingService.objects.get(ended_at__isnull=True)
    assert running.meeting.refills.filter(done_at__isnull=False).count() == 1
    assert running.meeting.assignments.exists()
