"""The today page and the navigation gather what each app contributes (`<app>/today.py`,
`<app>/navigation.py`), listed in core: each role's own section once, in the roles' order, the sections of
its other work (titled, e.g. 委托事务) beside it; menu entries in the menu's order."""

from django.contrib.auth.models import Group

from huiwu.accounts.roles import Role
from huiwu.core.navigation import nav_items_for
from huiwu.core.today import today_sections


def _everyone(make_persona):
    user = make_persona("admin")
    user.groups.set(Group.objects.all())
    return type(user).objects.get(pk=user.pk)


def test_it_gives_a_user_of_every_role_one_section_per_role_in_the_roles_order(make_persona):
    sections = today_sections(_everyone(make_persona))
    assert [section.role for section in sections if not section.title] == list(Role)
    # Within a role, what waits for the user first; then the role's own section before its other work's.
    order = [(list(Role).index(section.role), not section.waiting, bool(section.title)) for section in sections]
    assert order == sorted(order)
    assert all(str(section.hint) for section in sections)


def test_it_gives_a_user_without_a_role_no_section(outsider):
    assert today_sections(outsider) == []


def test_it_links_each_role_to_where_its_work_is(make_persona):
    sections = today_sections(_everyone(make_persona))
    links = {section.role: section.link_url for section in sections if not section.title}
    assert links[Role.ATTENDANT] == "/service/mine/"
    assert {links[role] for role in (Role.MANAGER, Role.TEAM_LEADER, Role.ENV_SUPERVISOR, Role.HOTLINE)} == {
        "/service/board/"
    }
    assert links[Role.RECEPTION] == "/reception/"
    assert links[Role.SECURITY_OFFICER] == "/security/audit/"
    assert links[Role.CLIENT] == "/meetings/new/"
    assert links[Role.ADMIN] == "/admin/"


def test_it_orders_the_menu_by_capability_whatever_app_contributes_the_entry(make_persona):
    names = [item["url_name"] for item in nav_items_for(_everyone(make_persona))]
    assert names == [
        "core:today",
        "service:board",
        "service:my_tasks",
        "meetings:timeline",
        "meetings:list",
        "delegations:list",
        "feedback:complaints",
        "feedback:cases",
        "surveys:results",
        "reception:day",
        "reports:dashboard",
        "reports:monthly",
        "venues:list",
        "directory:people",
        "lostfound:list",
        "security:staff",
        "security:audit",
        "admin:index",
    ]


def test_it_shows_a_client_only_the_entries_of_their_role(client_contact):
    names = [item["url_name"] for item in nav_items_for(client_contact)]
    assert names == [
        "core:today",
        "meetings:timeline",
        "meetings:list",
        "delegations:list",
        "feedback:complaints",
        "reports:monthly",
        "venues:list",
    ]


def test_it_puts_what_waits_for_the_user_before_the_rest_of_their_role(client_contact, hotline, frozen_now):
    from django.utils import timezone

    from huiwu.delegations.models import DelegatedTask

    DelegatedTask.objects.create(
        title="代购水果",
        requester_name="办公室",
        organization=client_contact.organization,
        due_at=timezone.now(),
        state=DelegatedTask.State.AWAITING_CLIENT,
        done_at=timezone.now(),
        done_by=hotline,
        created_by=hotline,
    )
    first, *others = today_sections(client_contact)
    # The task to confirm comes before the list of the organization's meetings, where nothing waits.
    assert (first.role, str(first.title)) == (Role.CLIENT, "委托事务")
    assert first.waiting
    assert next(section.title for section in others if not section.waiting) == ""
