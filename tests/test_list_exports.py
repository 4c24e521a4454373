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
