"""Text an attacker (or a broken paste) sends: NUL characters anywhere in a request, and text
longer than its column. Each is a clear 4xx or a refusal, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity import clock
from qualitycity.campaigns import services
from qualitycity.campaigns.models import Task
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.models import Alias, Unit
from qualitycity.orgs.services import save_unit
from tests.factories import TODAY, html, make_task, unit

pytestmark = pytest.mark.django_db


def test_nul_in_a_query_is_a_400_with_a_chinese_message(client, office, campaign):
    client.force_login(office)
    response = client.get(f"/campaigns/{campaign.pk}/tasks/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "不允许的控制字符" in html(response)


def test_nul_in_a_posted_reason_changes_nothing(client, office, campaign):
    with clock.pinned(TODAY):
        task = make_task(campaign, office)
    client.force_login(office)
    response = client.post(f"/campaigns/tasks/{task.pk}/cancel/", {"reason": "重复\x00任务"})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status != "cancelled" and task.cancel_reason == ""


def test_nul_in_a_multipart_field_is_refused(client, liaison, campaign, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(liaison)
    response = client.post(
        "/assessments/evidence/upload/",
        {"title": "a\x00", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 400  # (file names: Django drops non-printable characters)


def test_a_title_longer_than_its_column_is_refused_everywhere(campaign, office):
    long_title = "长" * 501
    with pytest.raises(ValidationFailed) as refused:
        make_task(campaign, office, title=long_title)
    assert "不能超过 500 个字符" in str(refused.value)
    with clock.pinned(TODAY):
        task = make_task(campaign, office)
    with pytest.raises(ValidationFailed):
        services.split_task(
            task,
            by=office,
            parts=[
                (long_title, unit("市质监局"), task.due),
                ("第二部分", unit("市住建局"), task.due),
            ],
        )
    meeting = services.create_meeting(
        campaign, by=office, kind="coordination", title="协调会", date=dt.date(2018, 9, 1)
    )
    with pytest.raises(ValidationFailed) as refused:
        services.decisions_to_tasks(
            meeting, by=office, decisions=[(long_title, unit("市质监局"), task.due)]
        )
    assert "决定事项不能超过 500 个字符" in str(refused.value)
    assert Task.objects.filter(campaign=campaign).count() == 1


def test_an_alias_line_longer_than_its_column_is_refused(office):
    target = Unit.objects.get(name="市质监局")
    before = set(target.aliases.values_list("name", flat=True))
    with pytest.raises(ValidationFailed) as refused:
        save_unit(
            target,
            by=office,
            name=target.name,
            full_name=target.full_name,
            kind=target.kind,
            region=target.region,
            aliases=["质监", "别" * 101],
            is_active=True,
        )
    assert "超过 100 个字符" in str(refused.value)
    assert set(Alias.objects.filter(unit=target).values_list("name", flat=True)) == before
