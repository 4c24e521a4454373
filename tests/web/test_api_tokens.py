"""The API token page: a person makes, sees once, lists and revokes their own tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qualitycity.orgs import services as org_services
from qualitycity.orgs.models import ApiToken
from tests.factories import html
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/account/tokens/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_is_for_signed_in_people(orgs):
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_token_is_shown_once_then_only_its_prefix(office):
    client = signed_in(office)
    made = client.post(URL, {"name": "政务平台", "days": "30"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=office)
    body = html(made)
    assert 'data-testid="new-token"' in body and token.prefix in body
    secret = body.split('user-select-all">')[1].split("<")[0]
    assert secret.startswith(token.prefix) and len(secret) > 40
    again = html(client.get(URL))
    assert secret not in again and token.prefix in again and "政务平台" in again
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "days": "30"}, "请填写令牌名称"),
        ({"name": "x", "days": "0"}, "有效天数必须在"),
        ({"name": "x", "days": "abc"}, "有效天数必须是整数"),
        ({"name": "x" * 101, "days": "30"}, "不能超过 100"),
    ],
)
def test_bad_input_is_a_400_with_the_reason_and_no_token(office, data, message):
    response = signed_in(office).post(URL, data)
    assert response.status_code == 400 and message in html(response)
    assert not ApiToken.objects.exists()


def test_only_the_owner_revokes(office, liaison):
    token, raw = org_services.create_token(office, name="对接")
    assert signed_in(liaison).post(URL, {"revoke": token.pk}).status_code == 404
    assert signed_in(liaison).post(URL, {"revoke": "99999999999999999999999"}).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    done = signed_in(office).post(URL, {"revoke": token.pk})
    assert done.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert token.prefix not in html(signed_in(liaison).get(URL))


def test_the_list_does_not_grow_in_queries(office):
    client = signed_in(office)
    org_services.create_token(office, name="一")
    client.get(URL)
    one = count_queries(lambda: client.get(URL))
    for i in range(5):
        org_services.create_token(office, name=f"令牌{i}")
    assert count_queries(lambda: client.get(URL)) == one
