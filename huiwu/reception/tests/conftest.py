"""Fixtures of the reception tests: leaders and their offices."""

import pytest

from huiwu.directory.models import Person
from huiwu.reception.models import LeaderOffice


@pytest.fixture
def leader(db):
    return Person.objects.create(
        name="周国庆", title="局长", kind=Person.Kind.LEADER, precedence=1, dietary_notes="不吃辣"
    )


@pytest.fixture
def other_leader(db):
    return Person.objects.create(name="吴晓峰", title="副局长", kind=Person.Kind.LEADER, precedence=2)


@pytest.fixture
def principal_office(leader):
    return LeaderOffice.objects.create(leader=leader, room="7楼 706室", is_principal=True)


@pytest.fixture
def office(other_leader):
    return LeaderOffice.objects.create(leader=other_leader, room="7楼 705室")
