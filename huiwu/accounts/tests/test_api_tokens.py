import re

from huiwu.accounts.models import ApiToken
from huiwu.accounts.services import api_token_create
from huiwu.testing import login_as


def test_it_shows_a_new_token_once_and_stores_only_its_digest(client, hotline):
    login_as(client, hotline)
    response = client.post("/accounts/tokens/", {"name": "OA 对接"})
    assert response.status_code == 200
    secret = re.search(r'data-testid="new-token">(hw_[\w-]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=hotline)
    assert token.name == "OA 对接"
    assert token.digest == ApiToken.digest_of(secret)
    assert secret not in str(ApiToken.objects.values_list().get())
    listing = client.get("/accounts/tokens/").content.decode()
    assert "OA 对接" in listing
    assert secret not in listing


def test_it_refuses_a_token_without_a_name(client, hotline):
    login_as(client, hotline)
    response = client.post("/accounts/tokens/", {"name": "   "})
    assert "这个字段是必填项" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_limits_the_number_of_active_tokens(client, hotline, settings):
    settings.API_TOKENS_PER_USER = 2
    api_token_create(user=hotline, name="a")
    api_token_create(user=hotline, name="b")
    login_as(client, hotline)
    response = client.post("/accounts/tokens/", {"name": "c"})
    assert "您已有 2 个有效令牌" in response.content.decode()
    assert ApiToken.objects.count() == 2


def test_it_revokes_a_token(client, hotline):
    token, secret = api_token_create(user=hotline, name="脚本")
    login_as(client, hotline)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_it_hides_other_users_tokens(client, hotline, attendant):
    token, _secret = api_token_create(user=hotline, name="热线脚本")
    login_as(client, attendant)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "热线脚本" not in client.get("/accounts/tokens/").content.decode()


def test_it_revokes_only_with_post(client, hotline):
    token, _secret = api_token_create(user=hotline, name="脚本")
    login_as(client, hotline)
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_refuses_an_overlong_name_in_chinese(client, hotline):
    login_as(client, hotline)
    response = client.post("/accounts/tokens/", {"name": "令" * 61})
    assert "不超过 60 字符" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_answers_404_for_a_token_id_out_of_range(client, hotline):
    login_as(client, hotline)
    assert client.post("/accounts/tokens/99999999999999999999999/revoke/").status_code == 404
