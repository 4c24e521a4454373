"""xlsx exports of list pages with the list's current filters."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_task

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return [r for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_the_task_list_exports_its_filtered_rows(client, office, campaign):
    make_task(campaign, office, title="建立质量工作联席会议制度")
    make_task(campaign, office, title="=1+2 公式样标题")
    client.force_login(office)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    page = client.get(url, {"q": "联席"}).content.decode()
    assert 'data-testid="export-xlsx"' in page
    rows = sheet(client.get(url, {"q": "联席", "format": "xlsx"}))
    titles = [r[0] for r in rows]
    assert "任务" in titles and "建立质量工作联席会议制度" in titles
    assert "=1+2 公式样标题" not in titles
    rows = sheet(client.get(url, {"format": "xlsx"}))
    assert "=1+2 公式样标题" in [r[0] for r in rows]  # text, not a formula


def test_a_liaisons_task_export_has_only_their_units_tasks(
    client, office, liaison, campaign, other_unit
):
    make_task(campaign, office, title="本单位任务")
    make_task(campaign, office, title="其他单位任务", unit_name=other_unit.name)
    client.force_login(liaison)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    titles = [r[0] for r in sheet(client.get(url, {"format": "xlsx"}))]
    assert "本单位任务" in titles and "其他单位任务" not in titles


def test_the_task_export_query_count_does_not_grow(
    client, office, campaign, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    make_task(campaign, office, title="任务0")
    with django_assert_max_num_queries(30) as few:
        sheet(client.get(url, {"format": "xlsx"}))
    for n in range(1, 8):
        make_task(campaign, office, title=f"任务{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        sheet(client.get(url, {"format": "xlsx"}))


def test_the_finding_list_exports_its_filtered_rows(client, office, open_round, outsider, settings):
    import datetime as dt

    from qualitycity.assessments import services as round_services
    from tests.factories import criteria_of

    settings.QC_TODAY = dt.date(2019, 4, 20)
    criteria = criteria_of(open_round)
    round_services.create_finding(
        open_round, criteria[0], by=office, due=dt.date(2019, 6, 30), title="=HYPERLINK(1) 问题"
    )
    round_services.create_finding(
        open_round, criteria[1], by=office, due=dt.date(2019, 6, 30), title="另一问题"
    )
    client.force_login(office)
    url = reverse("assessments:finding_list")
    assert 'data-testid="export-xlsx"' in client.get(url).content.decode()
    rows = sheet(client.get(url, {"format": "xlsx"}))
    titles = [r[2] for r in rows]
    assert "问题" in titles and "=HYPERLINK(1) 问题" in titles and "另一问题" in titles
    first = next(r for r in rows if r[2] == "另一问题")
    assert first[0] == open_round.name and first[1] == criteria[1].row
    rows = sheet(client.get(url, {"format": "xlsx", "status": "verified"}))
    assert rows[0][0].startswith("筛选条件:") and "另一问题" not in [r[2] for r in rows]
    client.force_login(outsider)  # scoped like the page: nothing of another region
    rows = sheet(client.get(url, {"format": "xlsx"}))
    assert "另一问题" not in [r[2] for r in rows]
