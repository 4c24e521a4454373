"""Editing units, groups and memberships through services: validation, permission, audit."""

import pytest

from qualitycity.audit.models import AuditEvent
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Alias, Membership, Region, Unit, UnitGroup
from qualitycity.orgs.services import (
    add_membership,
    change_membership,
    remove_membership,
    save_group,
    save_unit,
)

pytestmark = pytest.mark.django_db


def _edit(unit, by, **changes):
    fields = {
        "name": unit.name,
        "full_name": unit.full_name,
        "kind": unit.kind,
        "region": unit.region,
        "aliases": list(unit.aliases.values_list("name", flat=True)),
    }
    fields.update(changes)
    return save_unit(unit, by=by, **fields)


def test_office_edits_a_unit_and_leaves_one_event(office):
    unit = Unit.objects.get(name="市质监局")
    before = AuditEvent.objects.count()
    _edit(unit, office, full_name="永州市质量技术监督局(更新)", aliases=["永州市质监局", "质监局"])
    unit.refresh_from_db()
    assert unit.full_name == "永州市质量技术监督局(更新)"
    assert set(unit.aliases.values_list("name", flat=True)) == {"永州市质监局", "质监局"}
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "unit.changed"
    assert event.actor == office
    assert event.object_id == str(unit.pk)
    assert event.before["full_name"] != event.after["full_name"]
    assert event.after["aliases"] == ["永州市质监局", "质监局"]


def test_an_unchanged_save_records_nothing(office):
    unit = Unit.objects.get(name="市质监局")
    before = AuditEvent.objects.count()
    _edit(unit, office)
    assert AuditEvent.objects.count() == before


def test_it_refuses_a_name_that_another_unit_uses_and_writes_nothing(office):
    unit = Unit.objects.get(name="市质监局")
    before_events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        _edit(unit, office, name="市财政局", aliases=["市卫计委"])
    messages = " ".join(exc.value.messages)
    assert "市财政局" in messages and "市卫计委" in messages
    unit.refresh_from_db()
    assert unit.name == "市质监局"
    assert AuditEvent.objects.count() == before_events


@pytest.mark.parametrize("persona", ["liaison", "assessor", "leader", "outsider"])
def test_only_the_office_may_edit_units(request, persona):
    user = request.getfixturevalue(persona)
    unit = Unit.objects.get(name="市质监局")
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        _edit(unit, user, full_name="x")
    assert AuditEvent.objects.count() == before


def test_office_changes_group_members(office):
    group = UnitGroup.objects.get(name="市打假办成员单位")
    members = list(group.members.all())
    extra = Unit.objects.get(name="市统计局")
    save_group(group, by=office, name=group.name, members=[*members, extra])
    assert group.members.filter(pk=extra.pk).exists()
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "group.changed"
    assert "市统计局" in event.after["members"]
    assert "市统计局" not in event.before["members"]


def test_group_alias_cannot_take_a_unit_name(office):
    group = UnitGroup.objects.get(name="市打假办成员单位")
    with pytest.raises(ValidationFailed):
        save_group(group, by=office, name=group.name, members=[], aliases=["市公安局"])
    assert group.members.exists()
    assert not Alias.objects.filter(name="市公安局").exists()


def test_membership_changes_are_audited(office, outsider):
    city = Region.objects.get(code="431100")
    unit = Unit.objects.get(name="市财政局")
    membership = add_membership(outsider, by=office, role=Role.LIAISON, region=city, unit=unit)
    added = AuditEvent.objects.order_by("-id").first()
    assert added.action == "membership.added"
    assert added.after["role"] == "liaison"

    change_membership(membership, by=office, role=Role.LEADER, region=city, unit=None)
    changed = AuditEvent.objects.order_by("-id").first()
    assert changed.action == "membership.changed"
    assert changed.before["role"] == "liaison"
    assert changed.after["role"] == "leader"

    remove_membership(membership, by=office)
    removed = AuditEvent.objects.order_by("-id").first()
    assert removed.action == "membership.removed"
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_liaison_needs_a_unit_and_nothing_is_written(office, outsider):
    city = Region.objects.get(code="431100")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        add_membership(outsider, by=office, role=Role.LIAISON, region=city, unit=None)
    with pytest.raises(ValidationFailed):
        add_membership(outsider, by=office, role="boss", region=city)
    assert not Membership.objects.filter(user=outsider).exists()
    assert AuditEvent.objects.count() == before


def test_a_duplicate_membership_is_refused(office, liaison):
    membership = liaison.memberships.get()
    with pytest.raises(ValidationFailed):
        add_membership(
            liaison, by=office, role=Role.LIAISON, region=membership.region, unit=membership.unit
        )
    assert liaison.memberships.count() == 1


def test_the_system_creates_a_user_with_one_event_and_no_password_in_it(orgs):
    from qualitycity.orgs.models import User
    from qualitycity.orgs.services import create_user

    before = AuditEvent.objects.count()
    user = create_user(
        by=None, username=" newcomer ", password="Yongzhou-2017", full_name="新 同事", is_staff=True
    )
    user.refresh_from_db()
    assert (user.username, user.full_name, user.is_staff, user.is_superuser) == (
        "newcomer",
        "新 同事",
        True,
        False,
    )
    assert user.check_password("Yongzhou-2017")
    assert User.objects.filter(username="newcomer").count() == 1
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.actor, event.object_id) == ("user.created", None, str(user.pk))
    assert event.after["username"] == "newcomer" and "password" not in event.after


def test_only_an_administrator_creates_users(office, admin_user):
    from qualitycity.orgs.models import User
    from qualitycity.orgs.services import create_user

    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        create_user(by=office, username="by-office", password="Yongzhou-2017")
    assert not User.objects.filter(username="by-office").exists()
    assert AuditEvent.objects.count() == before
    user = create_user(by=admin_user, username="by-admin", password="Yongzhou-2017")
    event = AuditEvent.objects.order_by("-id").first()
    assert event.actor == admin_user and event.object_id == str(user.pk)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("t-office", "Yongzhou-2017"),  # taken
        ("", "Yongzhou-2017"),
        ("bad name!", "Yongzhou-2017"),
        ("weak", "12345678"),
        ("short", "Yz-1"),
    ],
)
def test_a_taken_or_invalid_username_or_a_weak_password_is_refused(office, username, password):
    from qualitycity.orgs.models import User
    from qualitycity.orgs.services import create_user

    users, events = User.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        create_user(by=None, username=username, password=password)
    assert exc.value.messages
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)
