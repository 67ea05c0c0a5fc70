from huiwu.feedback.models import RootCause
from huiwu.testing import login_as


def test_it_lets_the_administrator_add_and_retire_root_causes(client, sysadmin):
    login_as(client, sysadmin)
    assert "沟通不及时" in client.get("/admin/feedback/rootcause/").content.decode()
    response = client.post("/admin/feedback/rootcause/add/", {"name": "空调温度", "order": 75, "is_active": "on"})
    assert response.status_code == 302
    cause = RootCause.objects.get(name="空调温度")
    client.post(f"/admin/feedback/rootcause/{cause.pk}/change/", {"name": "空调温度", "order": 75})
    cause.refresh_from_db()
    assert not cause.is_active
    # Closed cases keep their cause: retired, never deleted.
    assert client.post(f"/admin/feedback/rootcause/{cause.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RootCause.objects.filter(pk=cause.pk).exists()


def test_it_names_root_causes_in_chinese_in_the_admin(client, sysadmin, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    login_as(client, sysadmin)
    html = client.get("/admin/feedback/rootcause/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "原因分类" in html
