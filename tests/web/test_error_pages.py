"""The error pages speak the users' language: 403, the CSRF 403, 404 and 500 in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_chinese_404_with_the_site_around_it(client, office):
    client.force_login(office)
    response = client.get("/campaigns/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "返回首页" in body and "Not Found" not in body
    assert office.username in body  # the header, with the user


def test_an_expired_form_is_a_chinese_403(office):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(office)
    response = strict.post("/campaigns/notifications/")
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_a_server_error_page_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出错" in body and "Server Error" not in body
