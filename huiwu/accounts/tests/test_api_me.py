import time_machine
from django.test import Client

from huiwu.accounts.models import ApiToken
from huiwu.accounts.services import api_token_create, api_token_revoke
from huiwu.testing import login_as


def _me(secret: str | None, language: str = "zh-hans"):
    headers = {"Accept-Language": language}
    if secret:
        headers["Authorization"] = f"Bearer {secret}"
    return Client().get("/api/v1/me", headers=headers)


def test_it_returns_the_user_and_roles_for_a_valid_token(client_contact):
    _token, secret = api_token_create(user=client_contact, name="OA")
    response = _me(secret)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "client"
    assert body["roles"] == [{"code": "client", "label": "客户联系人"}]
    assert body["organization"]["name"] == "测试委办局"


def test_it_answers_401_json_without_a_token(db):
    response = _me(None)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == "not_authenticated"
    assert "需要身份认证" in response.json()["message"]


def test_it_answers_in_english_when_asked(db):
    response = _me(None, language="en")
    assert response.json()["message"].startswith("Authentication required")


def test_it_refuses_unknown_revoked_and_inactive_tokens(hotline):
    assert _me("hw_not-a-real-token").status_code == 401
    token, secret = api_token_create(user=hotline, name="OA")
    api_token_revoke(token=token)
    assert _me(secret).status_code == 401
    _token, other_secret = api_token_create(user=hotline, name="OA2")
    hotline.is_active = False
    hotline.save(update_fields=["is_active"])
    assert _me(other_secret).status_code == 401


def test_it_accepts_the_session_of_the_web_pages(client, attendant):
    login_as(client, attendant)
    assert client.get("/api/v1/me").json()["username"] == "attendant"


def test_it_records_when_a_token_was_last_used_at_most_once_a_minute(hotline):
    token, secret = api_token_create(user=hotline, name="OA")
    with time_machine.travel("2026-11-26 09:00:00 +0800", tick=False):
        _me(secret)
    with time_machine.travel("2026-11-26 09:00:30 +0800", tick=False):
        _me(secret)
    token.refresh_from_db()
    assert token.last_used_at.isoformat() == "2026-11-26T01:00:00+00:00"
    with time_machine.travel("2026-11-26 09:02:00 +0800", tick=False):
        _me(secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at.isoformat() == "2026-11-26T01:02:00+00:00"


def test_it_answers_404_json_for_unknown_api_paths(db):
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到。"}


def test_it_answers_500_json_when_something_breaks(hotline, monkeypatch):
    def broken(secret):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("huiwu.api.api_token_authenticate", broken)
    response = Client(raise_request_exception=False).get("/api/v1/me", headers={"Authorization": "Bearer x"})
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert response.json()["request_id"] == response["X-Request-ID"]  # what to quote when reporting it
    assert "database on fire" not in response.content.decode()


def test_it_publishes_an_openapi_schema_with_token_auth(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


def test_it_serves_interactive_docs_from_its_own_files(db):
    html = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # The settings are the escaped text of an element (no script block but the files): validator off.
    assert "&quot;validatorUrl&quot;: null" in html
