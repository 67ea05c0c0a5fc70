"""The leaders whose offices the reception team keeps (the bureau's and the four companies' leaders, seed 篇3):
the bureau's from the directory's demo, two more created here, and their offices on the 7th floor."""

from huiwu.directory.models import Person
from huiwu.reception.models import LeaderOffice

# (name, title, precedence) of the leaders the directory's demo does not have.
EXTRA_LEADERS = [
    ("宋家明", "市机关事务管理局党组成员、副局长", 13),
    ("韩立", "第一物业公司总经理", 30),
]
# (leader, office, principal leader)
OFFICES = [
    ("周国庆", "7楼 706室", True),
    ("吴晓峰", "7楼 705室", False),
    ("宋家明", "7楼 704室", False),
    ("郑思远", "7楼 702室", False),
    ("韩立", "6楼 608室", False),
]


def demo_load() -> None:
    for name, title, precedence in EXTRA_LEADERS:
        Person.objects.update_or_create(
            name=name, kind=Person.Kind.LEADER, defaults={"title": title, "precedence": precedence}
        )
    for name, room, principal in OFFICES:
        leader = Person.objects.get(name=name, kind=Person.Kind.LEADER)
        LeaderOffice.objects.update_or_create(leader=leader, defaults={"room": room, "is_principal": principal})
