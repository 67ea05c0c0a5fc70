"""The seed's case as demo data: the fruit done and awaiting the client, beside a task notified by phone, one
confirmed by the client and one the client requested; loading it again changes nothing."""

from decimal import Decimal

from huiwu.core.management.commands.demo import DEMO_LOADERS
from huiwu.delegations.demo import demo_load
from huiwu.delegations.models import DelegatedTask


def test_it_loads_the_seeds_fruit_purchase_awaiting_the_client_idempotently(db):
    for load in DEMO_LOADERS:
        load()
    demo_load()
    # The clients' tasks: reception's own matters are errands without a client (reception/demo/team.py).
    clients_tasks = DelegatedTask.objects.filter(organization__isnull=False)
    states = dict(clients_tasks.values_list("title", "state"))
    demo_load()
    assert dict(clients_tasks.values_list("title", "state")) == states
    assert states == {
        "代购水果": "awaiting_client",
        "制作横幅": "notified",
        "会场鲜花": "confirmed",
        "打印会议材料": "requested",
    }
    fruit = DelegatedTask.objects.get(title="代购水果")
    assert (fruit.budget, fruit.actual_cost) == (Decimal("300.00"), Decimal("268.50"))
    assert fruit.service_plan == "水果仅在休息时提供，分批摆放以保持新鲜"
    assert (fruit.done_by.username, fruit.organization.name) == ("attendant", "市机关事务管理局")
    assert fruit.requester_contact.name == "周敏"
    assert fruit.meeting.organizer == fruit.organization
    assert DelegatedTask.objects.get(title="制作横幅").notices.get().method == "phone"
