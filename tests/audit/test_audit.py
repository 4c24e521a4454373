"""The audit trail: one event per write, in the write's transaction, with the request id."""

import pytest
from django.db import transaction

from qualitycity.audit.context import acting
from qualitycity.audit.models import AuditEvent
from qualitycity.audit.services import record
from qualitycity.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_record_refuses_to_run_outside_a_transaction(orgs, settings):
    unit = Unit.objects.first()
    # pytest-django wraps tests in a transaction; leave it to check the guard.
    conn = transaction.get_connection()
    saved = conn.in_atomic_block
    conn.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError):
            record(None, "x", unit)
    finally:
        conn.in_atomic_block = saved


def test_an_event_rolls_back_with_its_change(office):
    unit = Unit.objects.get(name="市质监局")
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(office, "unit.changed", unit, before={"a": 1}, after={"a": 2})
        1 / 0  # noqa: B018 — the change fails after its event was written
    assert AuditEvent.objects.count() == before


def test_events_carry_the_request_id_and_source(office):
    unit = Unit.objects.get(name="市质监局")
    with acting("cli", "abc123"), transaction.atomic():
        event = record(office, "unit.changed", unit, before={}, after={})
    assert event.request_id == "abc123"
    assert event.source == "cli"
    assert event.actor_name == office.username
    assert event.object_type == "orgs.unit"


def test_a_page_write_records_the_request_id_it_answers_with(client, office):
    unit = Unit.objects.get(name="市质监局")
    client.force_login(office)
    response = client.post(
        f"/orgs/units/{unit.pk}/edit/",
        {
            "name": "市质监局",
            "full_name": "永州市质量技术监督局(页面修改)",
            "kind": unit.kind,
            "region": unit.region_id,
            "aliases": "\n".join(unit.aliases.values_list("name", flat=True)),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "unit.changed"
    assert event.source == "web"
    assert event.request_id == response["X-Request-ID"]


def test_an_admin_change_is_audited(client, admin_user):
    unit = Unit.objects.get(name="市统计局")
    client.force_login(admin_user)
    url = f"/admin/orgs/unit/{unit.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    aliases = list(unit.aliases.all())
    data = {
        "code": unit.code,
        "name": unit.name,
        "full_name": "永州市统计局(后台修改)",
        "kind": unit.kind,
        "region": unit.region_id,
        "is_active": "on",
        "position": unit.position,
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for i, alias in enumerate(aliases):
        data[f"aliases-{i}-id"] = alias.pk
        data[f"aliases-{i}-name"] = alias.name
        data[f"aliases-{i}-unit"] = unit.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "unit.changed"
    assert event.source == "admin"
    assert event.before["full_name"] != "永州市统计局(后台修改)"
    assert event.after["full_name"] == "永州市统计局(后台修改)"
