"""Creating and editing the directory over JSON: for the roles whose permissions allow it (the system
administrator, as in the Django admin), with the models' rules, and nothing stored when a rule is broken."""

import pytest
from django.contrib.auth.models import Permission

from huiwu.directory.models import Contact, Department, Organization, Person
from huiwu.directory.selectors import people_search

ADMIN_ONLY = {"code": "forbidden", "message": "需要以下角色：系统管理员。", "roles": ["admin"]}


def _snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in (Organization, Department, Contact, Person)]


# --- organizations ------------------------------------------------------------------------------------


def test_it_creates_an_organization_with_the_text_trimmed(api, sysadmin):
    response = api(
        sysadmin, "post", "/organizations", {"name": " 市审计局 ", "short_name": "审计局", "phone": "0571-1"}
    )

    assert response.status_code == 201
    organization = Organization.objects.get(name="市审计局")
    assert response.json() == {
        "id": organization.pk,
        "name": "市审计局",
        "short_name": "审计局",
        "phone": "0571-1",
        "address": "",
        "departments": [],
        "contacts": [],
    }


def test_it_changes_only_the_fields_sent(api, sysadmin, finance_bureau):
    response = api(sysadmin, "patch", f"/organizations/{finance_bureau.pk}", {"short_name": "财政局"})

    assert response.status_code == 200
    finance_bureau.refresh_from_db()
    assert (finance_bureau.name, finance_bureau.short_name, finance_bureau.address) == (
        "市财政局",
        "财政局",
        "行政办事中心 10 楼",
    )
    assert [department["name"] for department in response.json()["departments"]] == ["办公室", "预算处"]


def test_it_refuses_a_second_organization_of_the_same_name_and_stores_nothing(api, sysadmin, finance_bureau):
    before = _snapshot()
    response = api(sysadmin, "post", "/organizations", {"name": "市财政局"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]
    assert "已存在" in response.json()["message"]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "局" * 101}, "name"),
        ({"name": "市审计局", "short_name": "审" * 31}, "short_name"),
        ({"name": "市审计局\u202e"}, "name"),
        ({"name": None}, "name"),
        ({"name": 12}, "name"),
    ],
)
def test_it_refuses_a_bad_organization_with_422_and_stores_nothing(api, sysadmin, finance_bureau, body, field):
    before = _snapshot()
    for method, path in (("post", "/organizations"), ("patch", f"/organizations/{finance_bureau.pk}")):
        response = api(sysadmin, method, path, body)
        assert response.status_code == 422, (method, body)
        assert field in response.json()["errors"]
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["manager", "hotline", "attendant", "security_officer"])
def test_it_refuses_staff_who_are_not_administrators_naming_the_role(api, request, persona, finance_bureau, mayor):
    user = request.getfixturevalue(persona)
    department, contact = finance_bureau.departments.first(), finance_bureau.contacts.first()
    before = _snapshot()
    for method, path, body in (
        ("post", "/organizations", {"name": "市审计局"}),
        ("patch", f"/organizations/{finance_bureau.pk}", {"name": "新名字"}),
        ("post", f"/organizations/{finance_bureau.pk}/departments", {"name": "综合处"}),
        ("patch", f"/departments/{department.pk}", {"name": "综合处"}),
        ("post", f"/organizations/{finance_bureau.pk}/contacts", {"name": "王芳"}),
        ("patch", f"/contacts/{contact.pk}", {"name": "王芳"}),
        ("post", "/people", {"name": "李四", "title": "处长"}),
        ("patch", f"/people/{mayor.pk}", {"title": "副市长"}),
    ):
        response = api(user, method, path, body)
        assert (response.status_code, response.json()) == (403, ADMIN_ONLY), (method, path)
    assert _snapshot() == before


def test_it_answers_404_to_a_client_for_another_organization(api, client_contact, finance_bureau, mayor):
    department, contact = finance_bureau.departments.first(), finance_bureau.contacts.first()
    for method, path, body in (
        ("patch", f"/organizations/{finance_bureau.pk}", {"name": "新名字"}),
        ("post", f"/organizations/{finance_bureau.pk}/departments", {"name": "综合处"}),
        ("patch", f"/departments/{department.pk}", {"name": "综合处"}),
        ("post", f"/organizations/{finance_bureau.pk}/contacts", {"name": "王芳"}),
        ("patch", f"/contacts/{contact.pk}", {"name": "王芳"}),
        ("patch", f"/people/{mayor.pk}", {"title": "副市长"}),
    ):
        assert api(client_contact, method, path, body).status_code == 404, (method, path)


def test_it_refuses_a_client_their_own_organization_naming_the_role(api, client_contact):
    own = client_contact.organization
    response = api(client_contact, "patch", f"/organizations/{own.pk}", {"phone": "110"})
    assert (response.status_code, response.json()) == (403, ADMIN_ONLY)
    own.refresh_from_db()
    assert own.phone == ""


@pytest.mark.parametrize("path", ["/organizations/999999", "/departments/999999", "/contacts/999999", "/people/999999"])
def test_it_answers_404_for_what_does_not_exist(api, sysadmin, path):
    assert api(sysadmin, "patch", path, {"name": "x"}).status_code == 404


# --- departments and contacts -------------------------------------------------------------------------


def test_it_adds_and_renames_a_department(api, sysadmin, finance_bureau):
    created = api(sysadmin, "post", f"/organizations/{finance_bureau.pk}/departments", {"name": "综合处"})
    assert created.status_code == 201
    department = Department.objects.get(pk=created.json()["id"])
    assert (department.organization, department.name) == (finance_bureau, "综合处")

    renamed = api(sysadmin, "patch", f"/departments/{department.pk}", {"name": "综合规划处"})
    assert renamed.json() == {"id": department.pk, "name": "综合规划处"}


def test_it_refuses_a_department_name_taken_in_the_same_organization_only(api, sysadmin, finance_bureau, city_hall):
    before = _snapshot()
    response = api(sysadmin, "post", f"/organizations/{finance_bureau.pk}/departments", {"name": "预算处"})
    assert response.status_code == 422
    assert response.json()["errors"].keys() == {"__all__"}
    assert _snapshot() == before
    assert api(sysadmin, "post", f"/organizations/{city_hall.pk}/departments", {"name": "预算处"}).status_code == 201


def test_it_adds_a_contact_in_a_department_with_their_account(api, sysadmin, finance_bureau, client_contact):
    budget = finance_bureau.departments.get(name="预算处")
    body = {"name": "王芳", "department_id": budget.pk, "phone": "8888", "email": "wf@czj.example"}

    response = api(
        sysadmin, "post", f"/organizations/{finance_bureau.pk}/contacts", body | {"account_id": client_contact.pk}
    )

    assert response.status_code == 201
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.organization, contact.department, contact.user) == (finance_bureau, budget, client_contact)
    assert response.json()["department"] == "预算处"
    assert response.json()["account"] == {"id": client_contact.pk, "display_name": "client 测试"}


def test_it_changes_a_contacts_fields_sent_and_clears_the_department(api, sysadmin, finance_bureau):
    contact = finance_bureau.contacts.get()
    response = api(sysadmin, "patch", f"/contacts/{contact.pk}", {"department_id": None, "title": "处长"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.name, contact.title, contact.department, contact.phone) == ("蒋涛", "处长", None, "0571-87003028")


def test_it_refuses_a_department_of_another_organization_and_stores_nothing(api, sysadmin, finance_bureau, city_hall):
    elsewhere = Department.objects.create(organization=city_hall, name="秘书处")
    contact = finance_bureau.contacts.get()
    before = _snapshot()

    created = api(
        sysadmin,
        "post",
        f"/organizations/{finance_bureau.pk}/contacts",
        {"name": "王芳", "department_id": elsewhere.pk},
    )
    changed = api(sysadmin, "patch", f"/contacts/{contact.pk}", {"department_id": elsewhere.pk})

    for response in (created, changed):
        assert response.status_code == 422
        assert response.json()["errors"] == {"department_id": ["请选择该联系人所在单位的部门。"]}
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "王芳", "department_id": 999999}, "department_id"),
        ({"name": "王芳", "account_id": 999999}, "account_id"),
        ({"name": "王芳", "email": "not an address"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "王芳", "department_id": True}, "department_id"),
    ],
)
def test_it_refuses_a_bad_contact_with_422_and_stores_nothing(api, sysadmin, finance_bureau, body, field):
    before = _snapshot()
    response = api(sysadmin, "post", f"/organizations/{finance_bureau.pk}/contacts", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert _snapshot() == before


def test_it_refuses_an_account_that_is_already_another_contacts(api, sysadmin, finance_bureau, client_contact):
    finance_bureau.contacts.update(user=client_contact)
    before = _snapshot()
    response = api(
        sysadmin,
        "post",
        f"/organizations/{finance_bureau.pk}/contacts",
        {"name": "王芳", "account_id": client_contact.pk},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["account_id"]
    assert _snapshot() == before


# --- leaders and guests -------------------------------------------------------------------------------


def test_it_adds_a_leader_found_by_pinyin(api, sysadmin, attendant, city_hall):
    body = {
        "name": "李建华",
        "title": "副市长",
        "organization_id": city_hall.pk,
        "precedence": 2,
        "tea_preference": "龙井",
    }

    response = api(sysadmin, "post", "/people", body)

    assert response.status_code == 201
    answer = response.json()
    assert (answer["name_pinyin"], answer["kind"], answer["is_active"]) == ("lijianhua", "leader", True)
    assert answer["organization"] == {"id": city_hall.pk, "name": city_hall.name}
    assert [person["name"] for person in api(attendant, "get", "/people", {"q": "ljh"}).json()] == ["李建华"]


def test_it_renews_the_search_keys_when_the_name_changes(api, sysadmin, mayor):
    response = api(sysadmin, "patch", f"/people/{mayor.pk}", {"name": "王建国"})
    assert response.json()["name_pinyin"] == "wangjianguo"
    mayor.refresh_from_db()
    assert (mayor.name_initials, mayor.title, mayor.tea_preference) == ("wjg", "市长", "龙井")
    assert list(people_search(Person.objects.all(), "zjg")) == []
    assert list(people_search(Person.objects.all(), "wjg")) == [mayor]


def test_it_keeps_the_search_keys_of_a_long_name_within_their_columns(api, sysadmin):
    response = api(sysadmin, "post", "/people", {"name": "庄" * 50, "title": "顾问"})
    assert response.status_code == 201
    person = Person.objects.get()
    assert (len(person.name_pinyin), person.name_initials) == (200, "z" * 50)
    assert list(people_search(Person.objects.all(), "zhuangzhuang")) == [person]


def test_it_deactivates_a_leader_and_brings_them_back(api, sysadmin, attendant, mayor):
    assert api(sysadmin, "patch", f"/people/{mayor.pk}", {"is_active": False}).json()["is_active"] is False
    assert api(attendant, "get", f"/people/{mayor.pk}").status_code == 404
    assert api(sysadmin, "get", f"/people/{mayor.pk}").status_code == 404
    assert api(sysadmin, "patch", f"/people/{mayor.pk}", {"is_active": True}).status_code == 200
    assert api(attendant, "get", f"/people/{mayor.pk}").status_code == 200


def test_it_moves_a_leader_out_of_any_organization(api, sysadmin, mayor):
    assert api(sysadmin, "patch", f"/people/{mayor.pk}", {"organization_id": None}).json()["organization"] is None
    mayor.refresh_from_db()
    assert mayor.organization is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "李四"}, "title"),
        ({"name": "李四", "title": ""}, "title"),
        ({"name": "李四", "title": "处长", "kind": "boss"}, "kind"),
        ({"name": "李四", "title": "处长", "precedence": -1}, "precedence"),
        ({"name": "李四", "title": "处长", "precedence": 40000}, "precedence"),
        ({"name": "李四", "title": "处长", "precedence": True}, "precedence"),
        ({"name": "李四", "title": "处长", "organization_id": 999999}, "organization_id"),
        ({"name": "李" * 51, "title": "处长"}, "name"),
        ({"name": "李四", "title": "处长", "habits": "爱喝\x00茶"}, "habits"),
    ],
)
def test_it_refuses_a_bad_leader_with_422_and_stores_nothing(api, sysadmin, mayor, body, field):
    before = _snapshot()
    response = api(sysadmin, "post", "/people", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert _snapshot() == before


def test_it_refuses_a_change_that_breaks_a_rule_and_keeps_the_leader(api, sysadmin, mayor):
    before = _snapshot()
    response = api(sysadmin, "patch", f"/people/{mayor.pk}", {"name": "", "title": "副市长"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]
    assert _snapshot() == before


def test_it_lets_whoever_holds_the_permission_write(api, hotline, finance_bureau):
    # The permission is the rule, not the role's name: granted it, the hotline may change organizations.
    assert api(hotline, "patch", f"/organizations/{finance_bureau.pk}", {"phone": "110"}).status_code == 403
    hotline.user_permissions.add(Permission.objects.get(codename="change_organization"))
    hotline = type(hotline).objects.get(pk=hotline.pk)
    assert api(hotline, "patch", f"/organizations/{finance_bureau.pk}", {"phone": "110"}).status_code == 200
    finance_bureau.refresh_from_db()
    assert finance_bureau.phone == "110"
