from django.contrib.auth.models import Group
from django.utils import translation

from huiwu.accounts.roles import ROLE_PERMISSIONS, Role
from huiwu.accounts.services import roles_sync
from huiwu.testing import login_as


def test_it_creates_one_group_per_role_with_exactly_its_permissions(db):
    assert set(Group.objects.values_list("name", flat=True)) == {role.value for role in Role}
    admin_group = Group.objects.get(name="admin")
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in admin_group.permissions.all()}
    assert granted == set(ROLE_PERMISSIONS[Role.ADMIN])
    client_group = Group.objects.get(name="client")
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in client_group.permissions.all()}
    assert granted == {"meetings.add_meeting", "delegations.add_delegatedtask"}


def test_it_restores_permissions_changed_by_hand(db):
    attendant_group = Group.objects.get(name="attendant")
    attendant_group.permissions.clear()
    roles_sync()
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in attendant_group.permissions.all()}
    assert granted == set(ROLE_PERMISSIONS[Role.ATTENDANT])


def test_it_lists_a_users_roles_in_design_order(team_leader):
    team_leader.groups.add(Group.objects.get(name="manager"))
    fresh = type(team_leader).objects.get(pk=team_leader.pk)
    assert fresh.roles == [Role.MANAGER, Role.TEAM_LEADER]
    assert fresh.has_role(Role.TEAM_LEADER)
    assert not fresh.has_role(Role.ADMIN)


def test_it_lets_only_administrators_into_django_admin(client, sysadmin, manager):
    login_as(client, manager)
    assert client.get("/admin/").status_code == 302
    login_as(client, sysadmin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_it_names_roles_in_chinese():
    with translation.override("zh-hans"):
        assert [str(role.label) for role in Role] == [
            "服务中心经理",
            "会务服务组长",
            "环境主管",
            "服务热线",
            "会务服务员",
            "礼仪接待员",
            "保密管理员",
            "客户联系人",
            "系统管理员",
        ]


def test_it_tells_service_staff_from_clients(attendant, client_contact, outsider):
    assert attendant.is_service_staff
    assert not client_contact.is_service_staff
    assert not outsider.is_service_staff
