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
    """confirm(meeting, level): the level's own role confirms it with every item passed."""
    from huiwu.service.services import check_confirm

    people = {1: team_leader, 2: env_supervisor, 3: hotline}

    def make(meeting, level):
        return check_confirm(user=people[level], meeting=meeting, level=level, results=ok(meeting, level))

    return make
