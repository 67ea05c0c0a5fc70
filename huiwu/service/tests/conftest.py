import pytest


@pytest.fixture
def ok():
    """All items of a checklist passed: ok(meeting, level) → {item: True, …}."""
    from huiwu.service.standards import level_items, standard_for

    def make(meeting, level):
        return dict.fromkeys(level_items(standard_for(meeting), level), True)

    return make


@pytest.fixture
def confirm(ok, team_leader, env_supervisor, hotline):
    """confirm(meeting, level): the level's own role confirms it with every item passed, when its window
    opens if that is still to come (the clock then goes back to where the test had it). Level 1 verifies that
    someone is assigned: assign(meeting) first."""
    import time_machine
    from django.utils import timezone

    from huiwu.service.models import MeetingCheck
    from huiwu.service.services import check_confirm
    from huiwu.service.standards import confirmable_from, standard_for

    people = {1: team_leader, 2: env_supervisor, 3: hotline}

    def make(meeting, level):
        def run():
            return check_confirm(user=people[level], meeting=meeting, level=level, results=ok(meeting, level))

        check = MeetingCheck.objects.filter(meeting=meeting, level=level).first()
        opens = confirmable_from(standard_for(meeting), check) if check else None
        if opens is None or opens <= timezone.now():
            return run()
        with time_machine.travel(opens, tick=False):
            return run()

    return make


@pytest.fixture
def assign(team_leader, attendant):
    """assign(meeting, person=attendant): the team leader assigns them to serve it, as lead unless told."""
    from huiwu.service.services import assignment_add

    def make(meeting, person=None, duty="lead"):
        return assignment_add(user=team_leader, meeting=meeting, attendant=person or attendant, duty=duty)

    return make
