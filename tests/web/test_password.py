"""Every user changes their own password: Django's validators, audited, the session kept."""

from __future__ import annotations

import pytest

from qualitycity.audit.models import AuditEvent
from tests.factories import PASSWORD, html

pytestmark = pytest.mark.django_db

NEW = "Lengshuitan-2018!"


def _post(client, old, new1, new2=None):
    return client.post(
        "/password/",
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


@pytest.mark.parametrize("persona", ["liaison", "assessor", "leader", "office", "outsider"])
def test_every_user_changes_their_own_password(request, client, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/password/").status_code == 200
    response = _post(client, PASSWORD, NEW)
    assert response.status_code == 302 and response.url == "/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # still signed in
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor == user and PASSWORD not in str(event.after) and NEW not in str(event.after)


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("wrong-password", NEW, NEW, "原密码不正确。"),
        (PASSWORD, NEW, NEW + "x", "两次输入的新密码不一致。"),
        (PASSWORD, "", "", "请填写新密码。"),
        (PASSWORD, "12345678", "12345678", "密码只包含数字。"),
        (PASSWORD, "abc", "abc", "密码太短"),
        (PASSWORD, PASSWORD, PASSWORD, "新密码不能与原密码相同。"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(client, liaison, old, new1, new2, message):
    client.force_login(liaison)
    response = _post(client, old, new1, new2)
    assert response.status_code == 400
    assert message in html(response)
    liaison.refresh_from_db()
    assert liaison.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_the_header_links_to_the_password_page(client, liaison):
    client.force_login(liaison)
    assert 'href="/password/"' in html(client.get("/"))


def test_signed_out_visitors_are_sent_to_login(client):
    response = client.get("/password/")
    assert response.status_code == 302 and "/login/" in response.url
