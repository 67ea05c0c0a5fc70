import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from huiwu.testing import PERSONA_PASSWORD, login_as

LOGIN = "/accounts/login/"


def _attempt(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_serves_the_login_page_in_chinese(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "会务服务管理系统" in html
    assert "用户名" in html


def test_it_signs_in_with_the_right_password(client, attendant):
    response = _attempt(client, "attendant", PERSONA_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:today")
    assert client.get("/").context["user"] == attendant


def test_it_refuses_a_wrong_password_in_chinese(client, attendant):
    response = _attempt(client, "attendant", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_it_locks_out_after_five_wrong_passwords_in_a_row(client, attendant):
    for _ in range(4):
        assert _attempt(client, "attendant", "wrong").status_code == 200
    fifth = _attempt(client, "attendant", "wrong")
    assert fifth.status_code == 429
    assert "登录失败次数过多" in fifth.content.decode()
    assert "15 分钟" in fifth.content.decode()
    # Even the right password is refused while locked out.
    sixth = _attempt(client, "attendant", PERSONA_PASSWORD)
    assert sixth.status_code == 429
    assert not client.get("/accounts/tokens/").wsgi_request.user.is_authenticated


def test_it_lifts_the_lockout_after_the_cool_off(client, attendant):
    with time_machine.travel("2026-11-26 09:00 +0800", tick=False):
        for _ in range(5):
            _attempt(client, "attendant", "wrong")
        assert _attempt(client, "attendant", PERSONA_PASSWORD).status_code == 429
    with time_machine.travel("2026-11-26 09:16 +0800", tick=False):
        assert _attempt(client, "attendant", PERSONA_PASSWORD).status_code == 302


def test_it_counts_only_failures_in_a_row(client, attendant):
    for _ in range(4):
        _attempt(client, "attendant", "wrong")
    assert _attempt(client, "attendant", PERSONA_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert _attempt(client, "attendant", "wrong").status_code == 200
    assert _attempt(client, "attendant", PERSONA_PASSWORD).status_code == 302


def test_it_locks_the_username_from_that_address_only(client, attendant, hotline):
    for _ in range(5):
        _attempt(client, "attendant", "wrong", ip="10.1.1.1")
    assert _attempt(client, "hotline", PERSONA_PASSWORD, ip="10.1.1.1").status_code == 302
    client.post("/accounts/logout/")
    assert _attempt(client, "attendant", PERSONA_PASSWORD, ip="10.2.2.2").status_code == 302


def test_it_hashes_passwords_with_argon2(settings, make_persona):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_persona("attendant")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_it_changes_the_password(client, attendant):
    login_as(client, attendant)
    response = client.post(
        "/accounts/password/",
        {"old_password": PERSONA_PASSWORD, "new_password1": "xin-mima-2026", "new_password2": "xin-mima-2026"},
    )
    assert response.status_code == 302
    attendant.refresh_from_db()
    assert attendant.check_password("xin-mima-2026")


def test_it_refuses_a_wrong_old_password_and_keeps_the_password(client, attendant):
    login_as(client, attendant)
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "xin-mima-2026", "new_password2": "xin-mima-2026"},
    )
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode()
    attendant.refresh_from_db()
    assert attendant.check_password(PERSONA_PASSWORD)


def test_it_signs_out_only_with_post(client, attendant):
    login_as(client, attendant)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302
