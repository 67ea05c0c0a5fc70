import pytest

from huiwu.testing import login_as


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "root-password-1")


def test_it_shows_the_register_in_the_admin_read_only(client, superuser, item):
    login_as(client, superuser)
    html = client.get("/admin/lostfound/lostitem/").content.decode()
    assert "黑色保温杯" in html
    assert client.get(f"/admin/lostfound/lostitem/{item.pk}/change/").status_code == 200
    assert client.get("/admin/lostfound/lostitem/add/").status_code == 403
    assert client.post(f"/admin/lostfound/lostitem/{item.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/lostfound/lostitem/", {"q": "主席台", "returned_at__isempty": "1"}).status_code == 200
