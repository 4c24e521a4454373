"""Login, logout and lockout."""

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_chinese(client):
    response = client.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body and "用户名" in body and "密码" in body
    assert 'lang="zh-CN"' in body


def test_pages_need_login(client, yongzhou):
    for url in ("/", "/frameworks/", f"/frameworks/{yongzhou.pk}/", "/orgs/units/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_a_user_logs_in_and_out(client, office):
    response = client.post("/login/", {"username": office.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2(settings, orgs):
    """The app hashes with Argon2; only the test settings swap in a fast hasher."""
    from qualitycity import settings as app_settings
    from tests.factories import persona

    settings.PASSWORD_HASHERS = app_settings.PASSWORD_HASHERS
    office = persona("t-office-argon2", "office", "市创质办")
    assert office.password.startswith("argon2")


def test_a_wrong_password_shows_a_chinese_error(client, office):
    response = client.post("/login/", {"username": office.username, "password": "wrong"})
    assert response.status_code == 400
    assert "请输入一个正确的" in response.content.decode() or "不正确" in response.content.decode()


def test_repeated_failures_lock_the_account(office, settings):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": office.username, "password": "wrong"})
    response = client.post("/login/", {"username": office.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert client.get("/").status_code == 302
