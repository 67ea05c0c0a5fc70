import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from huiwu.accounts.services import api_token_create
from huiwu.directory.models import Person
from huiwu.directory.tests.test_pages import PIXEL_GIF
from huiwu.testing import login_as


def _get(user, path: str, **params):
    headers = {"Accept-Language": "zh-hans"}
    if user is not None:
        _token, secret = api_token_create(user=user, name="测试")
        headers["Authorization"] = f"Bearer {secret}"
    return Client().get(f"/api/v1{path}", params, headers=headers)


@pytest.mark.parametrize("path", ["/organizations", "/organizations/1", "/people", "/people/1"])
def test_it_answers_401_without_authentication(db, path):
    response = _get(None, path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_searches_people_for_staff_most_senior_first(hotline, mayor, finance_director):
    everybody = _get(hotline, "/people").json()
    assert [person["name"] for person in everybody] == ["张建国", "孙海涛"]
    found = _get(hotline, "/people", q="ZJG").json()
    with translation.override("zh-hans"):
        leader_label = str(Person.Kind.LEADER.label)
    assert found == [
        {
            "id": mayor.pk,
            "name": "张建国",
            "name_pinyin": "zhangjianguo",
            "title": "市长",
            "kind": "leader",
            "kind_label": leader_label,
            "organization": {"id": mayor.organization.pk, "name": "市人民政府办公厅"},
            "precedence": 1,
        }
    ]


def test_it_refuses_an_overlong_search(hotline):
    response = _get(hotline, "/people", q="张" * 101)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_it_returns_a_person_with_service_details(attendant, mayor):
    body = _get(attendant, f"/people/{mayor.pk}").json()
    assert body["name"] == "张建国"
    assert body["tea_preference"] == "龙井"
    assert body["dietary_notes"] == "清淡"
    assert body["habits"].startswith("会前十分钟到场")
    assert body["photo_url"] is None


def test_it_serves_the_photo_only_through_the_access_check(attendant, client_contact, mayor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mayor.photo = SimpleUploadedFile("zhang.gif", PIXEL_GIF, content_type="image/gif")
    mayor.save()
    photo_url = _get(attendant, f"/people/{mayor.pk}").json()["photo_url"]
    assert photo_url == f"/directory/people/{mayor.pk}/photo/"
    staff = Client()
    login_as(staff, attendant)
    response = staff.get(photo_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PIXEL_GIF
    assert response["Cache-Control"] == "private, max-age=3600"
    outsider_client = Client()
    login_as(outsider_client, client_contact)
    assert outsider_client.get(photo_url).status_code == 404


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_answers_404_for_people_a_user_may_not_see(request, mayor, persona):
    user = request.getfixturevalue(persona)
    for path in ["/people", f"/people/{mayor.pk}"]:
        response = _get(user, path)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "未找到。"}


def test_it_answers_404_for_an_inactive_or_missing_person(hotline, mayor):
    mayor.is_active = False
    mayor.save(update_fields=["is_active"])
    assert _get(hotline, f"/people/{mayor.pk}").status_code == 404
    assert _get(hotline, "/people/4242").status_code == 404
    assert _get(hotline, "/people").json() == []


def test_it_lists_every_organization_for_staff(manager, city_hall, finance_bureau):
    body = _get(manager, "/organizations").json()
    assert [organization["name"] for organization in body] == ["市人民政府办公厅", "市财政局"]
    assert body[1]["address"] == "行政办事中心 10 楼"


def test_it_lists_only_a_clients_own_organization(client_contact, city_hall, finance_bureau):
    body = _get(client_contact, "/organizations").json()
    assert [organization["name"] for organization in body] == ["测试委办局"]
    response = _get(client_contact, f"/organizations/{finance_bureau.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_it_returns_an_organization_with_departments_and_contacts(hotline, finance_bureau):
    body = _get(hotline, f"/organizations/{finance_bureau.pk}").json()
    assert body["name"] == "市财政局"
    assert [department["name"] for department in body["departments"]] == ["办公室", "预算处"]
    contact = body["contacts"][0]
    assert {key: contact[key] for key in ["name", "title", "department", "phone", "email"]} == {
        "name": "蒋涛",
        "title": "预算处副处长",
        "department": "预算处",
        "phone": "0571-87003028",
        "email": "jiangtao@czj.example",
    }


def test_it_documents_the_directory_endpoints(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ["/organizations", "/organizations/{organization_id}", "/people", "/people/{person_id}"]:
        assert f"/api/v1{path}" in paths
