"""The office keeps the accounts of its own region: create with a first role, roles added and
removed, deactivation, the one-time link to set a password; nothing of another region."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from qualitycity.audit.models import AuditEvent
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs import services
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, User
from tests.factories import html, persona, unit
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_office(orgs):
    return persona("t-lst-office", Role.OFFICE, region_code="431103")


def _new(client, **over):
    data = {
        "username": "zhang-liaison",
        "full_name": "张联络员",
        "email": "zhang@example.cn",
        "role": Role.LIAISON,
        "unit": unit("市住建局").pk,
    }
    data.update(over)
    return client.post("/orgs/users/new/", data)


def test_the_office_creates_a_liaison_who_sets_a_password_by_the_link(client, office):
    client.force_login(office)
    assert client.get("/orgs/users/new/").status_code == 200
    response = _new(client)
    person = User.objects.get(username="zhang-liaison")
    assert response.status_code == 302 and response.url == f"/orgs/users/{person.pk}/"
    assert not person.has_usable_password()
    [m] = person.memberships.all()
    assert (m.role, m.unit, m.region.code) == (Role.LIAISON, unit("市住建局"), "431100")
    assert {"user.created", "membership.added"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    # The one-time link by e-mail.
    response = client.post(f"/orgs/users/{person.pk}/password-link/")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["zhang@example.cn"] and "zhang-liaison" in message.body
    link = re.search(r"http://testserver(/reset/\S+/)", message.body).group(1)
    client.logout()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in html(form)
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "密码只包含数字。" in html(weak)
    done = client.post(
        set_url, {"new_password1": "Zhujian-2018!", "new_password2": "Zhujian-2018!"}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Zhujian-2018!")
    # Used once: the link no longer works.
    assert 'data-testid="invalid-link"' in html(client.get(link, follow=True))
    signed_in = client.post("/login/", {"username": "zhang-liaison", "password": "Zhujian-2018!"})
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"unit": ""}, "成员单位联络员必须属于一个单位。"),
        ({"full_name": ""}, "姓名"),
        ({"username": "t-office"}, "已存在一位使用该名字的用户。"),
        ({"role": Role.ADMIN}, "选择一个有效的选项"),
        ({"email": "not-an-email"}, "请填写有效的电子邮箱。"),
    ],
)
def test_a_refused_account_says_why_and_writes_nothing(client, office, over, message):
    client.force_login(office)
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    response = _new(client, **over)
    assert response.status_code == 400
    assert message in html(response)
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_a_unit_of_another_directory_is_refused(client, county_office):
    client.force_login(county_office)
    response = _new(client)  # 市住建局 is the city's
    assert response.status_code == 400
    assert "所选单位不在本行政区的单位名录中。" in html(response)
    county = Region.objects.get(code="431103")
    with pytest.raises(ValidationFailed, match="不在冷水滩区的单位名录中"):
        services.create_member(
            by=county_office,
            region=county,
            username="x",
            full_name="某",
            role=Role.LIAISON,
            unit=unit("市住建局"),
        )


def test_another_regions_office_reaches_none_of_the_citys_people(client, county_office, liaison):
    client.force_login(county_office)
    assert client.get(f"/orgs/users/{liaison.pk}/").status_code == 404
    assert client.post(f"/orgs/users/{liaison.pk}/deactivate/").status_code == 404
    assert client.post(f"/orgs/users/{liaison.pk}/password-link/").status_code == 404
    assert "t-liaison" not in html(client.get("/orgs/users/"))
    with pytest.raises(NotAllowed):
        services.set_user_active(liaison, by=county_office, active=False)
    liaison.refresh_from_db()
    assert liaison.is_active and not mail.outbox
    with pytest.raises(NotAllowed):
        services.create_member(
            by=county_office,
            region=Region.objects.get(code="431100"),
            username="x",
            full_name="某",
            role=Role.LEADER,
        )


@pytest.mark.parametrize("persona_name", ["liaison", "assessor", "leader", "outsider"])
def test_only_offices_and_admins_open_the_people_pages(request, client, persona_name, office):
    client.force_login(request.getfixturevalue(persona_name))
    assert client.get("/orgs/users/").status_code == 404
    assert client.get("/orgs/users/new/").status_code == 404
    assert client.get(f"/orgs/users/{office.pk}/").status_code == 404


def test_deactivated_accounts_cannot_sign_in_and_come_back(client, office, liaison):
    client.force_login(office)
    response = client.post(f"/orgs/users/{liaison.pk}/deactivate/")
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert not liaison.is_active
    assert AuditEvent.objects.filter(action="user.deactivated").count() == 1
    # Its own account: refused.
    own = client.post(f"/orgs/users/{office.pk}/deactivate/")
    assert own.status_code == 400 and "不能停用自己的账号。" in html(own)
    client.post(f"/orgs/users/{liaison.pk}/activate/")
    liaison.refresh_from_db()
    assert liaison.is_active


def test_roles_are_added_and_removed_in_the_offices_region(client, office, liaison):
    client.force_login(office)
    response = client.post(f"/orgs/users/{liaison.pk}/add-role/", {"role": Role.LEADER})
    assert response.status_code == 302
    assert set(liaison.memberships.values_list("role", flat=True)) == {Role.LIAISON, Role.LEADER}
    dup = client.post(f"/orgs/users/{liaison.pk}/add-role/", {"role": Role.LEADER})
    assert dup.status_code == 400 and "该用户已有此角色。" in html(dup)
    leader = liaison.memberships.get(role=Role.LEADER)
    client.post(f"/orgs/users/{liaison.pk}/remove-role/", {"membership": leader.pk})
    assert list(liaison.memberships.values_list("role", flat=True)) == [Role.LIAISON]


def test_a_person_without_an_email_gets_no_link(client, office, liaison):
    client.force_login(office)
    response = client.post(f"/orgs/users/{liaison.pk}/password-link/")
    assert response.status_code == 400 and "没有填写电子邮箱" in html(response)
    assert not mail.outbox


def test_the_people_list_does_not_grow_in_queries(client, office):
    client.force_login(office)
    client.get("/orgs/users/")
    before = count_queries(lambda: client.get("/orgs/users/"))
    for i in range(12):
        persona(f"t-extra-{i}", Role.LIAISON, "市质监局")
    assert count_queries(lambda: client.get("/orgs/users/")) == before


def test_oversized_ids_are_no_such_row_not_a_500(client, office, liaison):
    huge = "9" * 23
    client.force_login(office)
    assert client.get(f"/orgs/users/?region={huge}").status_code == 404  # no such region
    response = client.post(f"/orgs/users/{liaison.pk}/remove-role/", {"membership": huge})
    assert response.status_code == 400 and "所选角色不存在。" in html(response)
