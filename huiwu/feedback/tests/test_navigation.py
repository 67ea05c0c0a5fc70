import pytest

from huiwu.core.navigation import nav_items_for


def names(user) -> list[str]:
    return [item["url_name"] for item in nav_items_for(user)]


@pytest.mark.parametrize(
    ("persona", "complaints", "cases"),
    [
        ("manager", True, True),
        ("team_leader", True, True),
        ("hotline", True, True),
        ("client", True, False),
        ("attendant", False, True),
        ("reception", False, True),
        ("env_supervisor", False, True),
        ("security_officer", False, True),
        ("admin", False, False),
    ],
)
def test_it_shows_complaints_to_handlers_and_clients_and_cases_to_staff(make_persona, persona, complaints, cases):
    shown = names(make_persona(persona))
    assert ("feedback:complaints" in shown) is complaints
    assert ("feedback:cases" in shown) is cases
