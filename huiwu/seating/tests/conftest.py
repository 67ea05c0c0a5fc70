"""A meeting of seven leaders (the organizer's five and two guests from another bureau), for the plans."""

import pytest

from huiwu.directory.models import Organization, Person

# (name, title, precedence): the organizer's people first, then the guests, mixed in rank.
LEADERS = [
    ("周国庆", "局长", 1),
    ("吴晓峰", "副局长", 3),
    ("宋家明", "副局长", 4),
    ("郑思远", "办公室主任", 6),
    ("韩立", "处长", 7),
]
GUESTS = [("李建华", "副市长", 2), ("陈静", "秘书长", 5)]


@pytest.fixture
def people(organization):
    guests_bureau = Organization.objects.create(name="市政府办公厅")
    made = {}
    for names, bureau in ((LEADERS, organization), (GUESTS, guests_bureau)):
        for name, title, precedence in names:
            made[name] = Person.objects.create(name=name, title=title, precedence=precedence, organization=bureau)
    return made


@pytest.fixture
def meeting(book, people):
    return book(title="全市机关事务工作会", attendees=list(people.values()))
