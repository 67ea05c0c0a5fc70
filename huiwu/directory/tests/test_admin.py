import pytest

from huiwu.directory.models import Department
from huiwu.testing import login_as


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "root-password-1")


def test_it_searches_people_in_the_admin_by_initials(client, superuser, mayor, finance_director):
    login_as(client, superuser)
    html = client.get("/admin/directory/person/", {"q": "zjg"}).content.decode()
    assert "张建国" in html
    assert "孙海涛" not in html


def test_it_filters_people_in_the_admin_by_kind_and_organization(client, superuser, mayor, finance_director):
    login_as(client, superuser)
    html = client.get("/admin/directory/person/", {"organization__id__exact": mayor.organization.pk}).content.decode()
    assert "张建国" in html
    assert "孙海涛" not in html
    assert "张建国" not in client.get("/admin/directory/person/", {"kind__exact": "guest"}).content.decode()


def test_it_edits_departments_and_contacts_with_their_organization(client, superuser, finance_bureau, city_hall):
    Department.objects.create(organization=city_hall, name="会务处")
    login_as(client, superuser)
    response = client.get(f"/admin/directory/organization/{finance_bureau.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="departments-0-name"' in html
    assert "蒋涛" in html
    # A contact's department can only be one of its own organization's.
    contact_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    choices = {str(label) for value, label in contact_form.fields["department"].choices if value}
    assert choices == {"市财政局 预算处", "市财政局 办公室"}
