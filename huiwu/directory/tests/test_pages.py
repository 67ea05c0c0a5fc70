import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huiwu.accounts.roles import STAFF_ROLES, Role
from huiwu.directory.models import Organization, Person
from huiwu.testing import login_as

PEOPLE = "/directory/people/"
ORGANIZATIONS = "/directory/organizations/"

# The smallest valid GIF, so that the photo field accepts it as an image.
PIXEL_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_it_shows_every_staff_role_the_leaders_and_guests(client, make_persona, mayor, finance_director, role):
    login_as(client, make_persona(role.value))
    response = client.get(PEOPLE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("张建国") < html.index("孙海涛")
    assert "市人民政府办公厅" in html
    assert f'href="/directory/people/{mayor.pk}/"' in html


def test_it_shows_a_person_with_habits_to_staff(client, attendant, mayor):
    login_as(client, attendant)
    response = client.get(f"/directory/people/{mayor.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["张建国", "市长", "龙井", "清淡", "会前十分钟到场。<br>续水时不要打断讲话。"]:
        assert text in html
    assert f'href="/directory/organizations/{mayor.organization.pk}/"' in html
    assert 'data-testid="person-photo"' not in html


def test_it_shows_the_photo_from_our_own_storage(client, attendant, mayor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mayor.photo = SimpleUploadedFile("zhang.gif", PIXEL_GIF, content_type="image/gif")
    mayor.save()
    login_as(client, attendant)
    html = client.get(f"/directory/people/{mayor.pk}/").content.decode()
    assert f'src="/directory/people/{mayor.pk}/photo/"' in html


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_hides_leaders_and_guests_from_clients_and_users_without_a_role(client, request, mayor, persona):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(PEOPLE).status_code == 404
    assert client.get(PEOPLE, {"q": "zjg"}, headers={"HX-Request": "true"}).status_code == 404
    assert client.get(f"/directory/people/{mayor.pk}/").status_code == 404


def test_it_hides_a_person_who_is_no_longer_active(client, hotline, mayor):
    mayor.is_active = False
    mayor.save(update_fields=["is_active"])
    login_as(client, hotline)
    assert "张建国" not in client.get(PEOPLE).content.decode()
    assert client.get(f"/directory/people/{mayor.pk}/").status_code == 404


def test_it_answers_404_for_a_person_that_does_not_exist(client, hotline):
    login_as(client, hotline)
    assert client.get("/directory/people/4242/").status_code == 404
    assert client.get("/directory/people/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize("path", [PEOPLE, "/directory/people/1/", ORGANIZATIONS, "/directory/organizations/1/"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_it_searches_without_javascript(client, hotline, mayor, finance_director):
    login_as(client, hotline)
    response = client.get(PEOPLE, {"q": "zjg"})
    html = response.content.decode()
    assert "<html" in html
    assert 'value="zjg"' in html
    assert "张建国" in html
    assert "孙海涛" not in html


def test_it_answers_htmx_with_the_results_alone(client, hotline, mayor, finance_director):
    login_as(client, hotline)
    response = client.get(PEOPLE, {"q": "sun"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert ' id="people-results"' not in html
    assert 'data-testid="people-results"' in html
    assert "孙海涛" in html
    assert "张建国" not in html
    assert "HX-Request" in response["Vary"]


def test_it_answers_an_htmx_history_restore_with_the_whole_page(client, hotline, mayor):
    login_as(client, hotline)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get(PEOPLE, {"q": "zjg"}, headers=headers).content.decode()
    assert "<html" in html
    assert "张建国" in html


def test_it_wires_the_live_search_to_the_results(client, hotline):
    login_as(client, hotline)
    html = client.get(PEOPLE).content.decode()
    assert 'hx-get="/directory/people/"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#people-results"' in html
    assert 'id="people-results"' in html


def test_it_says_when_nobody_matches(client, hotline, mayor):
    login_as(client, hotline)
    html = client.get(PEOPLE, {"q": "不存在的人"}, headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="people-none"' in html
    assert "不存在的人" in html
    assert 'data-testid="person"' not in html


def test_it_lists_many_people_in_a_fixed_number_of_queries(client, hotline, django_assert_max_num_queries):
    for number in range(40):
        organization = Organization.objects.create(name=f"单位{number}")
        Person.objects.create(name=f"领导{number}", title="局长", organization=organization, precedence=number + 1)
    login_as(client, hotline)
    with django_assert_max_num_queries(5):
        response = client.get(PEOPLE)
    assert response.content.decode().count('data-testid="person"') == 40


def test_it_shows_staff_every_organization(client, hotline, city_hall, finance_bureau):
    login_as(client, hotline)
    html = client.get(ORGANIZATIONS).content.decode()
    assert "市人民政府办公厅" in html
    assert "市财政局" in html
    assert 'href="/directory/people/"' in html


def test_it_shows_an_organization_with_departments_contacts_and_leaders(client, hotline, finance_director):
    login_as(client, hotline)
    response = client.get(f"/directory/organizations/{finance_director.organization.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["市财政局", "预算处", "办公室", "蒋涛", "预算处副处长", "行政办事中心 10 楼"]:
        assert text in html
    assert 'href="tel:0571-87003028"' in html
    assert 'href="mailto:jiangtao@czj.example"' in html
    assert 'href="tel:0571-87003000"' in html
    assert f'href="/directory/people/{finance_director.pk}/"' in html


def test_it_shows_a_client_only_their_own_organization(client, client_contact, city_hall, finance_bureau):
    login_as(client, client_contact)
    html = client.get(ORGANIZATIONS).content.decode()
    assert "测试委办局" in html
    assert "市人民政府办公厅" not in html
    assert "市财政局" not in html
    assert 'href="/directory/people/"' not in html
    assert client.get(f"/directory/organizations/{client_contact.organization.pk}/").status_code == 200
    assert client.get(f"/directory/organizations/{finance_bureau.pk}/").status_code == 404


def test_it_keeps_the_leaders_of_a_clients_own_organization_from_them(client, client_contact):
    Person.objects.create(name="周国庆", title="局长", organization=client_contact.organization, precedence=10)
    login_as(client, client_contact)
    html = client.get(f"/directory/organizations/{client_contact.organization.pk}/").content.decode()
    assert "测试委办局" in html
    assert "周国庆" not in html


def test_it_shows_a_user_without_a_role_no_organization(client, outsider, city_hall):
    login_as(client, outsider)
    response = client.get(ORGANIZATIONS)
    assert response.status_code == 200
    assert "市人民政府办公厅" not in response.content.decode()
    assert client.get(f"/directory/organizations/{city_hall.pk}/").status_code == 404


def test_it_shows_a_client_without_an_organization_none(client, client_contact, city_hall):
    client_contact.organization = None
    client_contact.save(update_fields=["organization"])
    login_as(client, client_contact)
    assert 'data-testid="organization"' not in client.get(ORGANIZATIONS).content.decode()


def test_it_puts_the_directory_in_the_navigation_of_staff_only(client, attendant, client_contact):
    login_as(client, attendant)
    assert 'href="/directory/people/"' in client.get("/").content.decode()
    login_as(client, client_contact)
    assert 'href="/directory/people/"' not in client.get("/").content.decode()


def test_it_lets_a_user_who_is_both_staff_and_client_see_the_people(client, client_contact, mayor):
    from django.contrib.auth.models import Group

    client_contact.groups.add(Group.objects.get(name=Role.HOTLINE.value))
    login_as(client, client_contact)
    assert "张建国" in client.get(PEOPLE).content.decode()
