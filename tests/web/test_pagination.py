"""The one pager of the list pages: web/_pagination.html."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from qualitycity.campaigns.models import Notification
from tests.test_i18n import compiled_messages  # noqa: F401  (the English catalog, compiled)

SRC = Path(__file__).resolve().parents[2] / "src"
PARTIAL = "web/_pagination.html"


def render(number: int, *, pages: int, query: str = "") -> str:
    page = Paginator(range(pages * 10), 10).get_page(number)
    request = RequestFactory().get(f"/list/{query}")
    with translation.override("zh-hans"):
        return render_to_string(PARTIAL, {"page_obj": page}, request=request)


def test_a_single_page_shows_no_pager():
    assert render(1, pages=1).strip() == ""


def test_the_first_page_links_forward_and_keeps_the_query():
    body = render(1, pages=3, query="?unit=7")
    assert 'data-testid="pagination"' in body
    assert "第 1 页,共 3 页" in body
    assert '<li class="page-item disabled"><span class="page-link">首页</span></li>' in body
    assert '<li class="page-item disabled"><span class="page-link">上一页</span></li>' in body
    assert 'href="?unit=7&amp;page=2" rel="next">下一页</a>' in body
    assert 'href="?unit=7&amp;page=3">末页</a>' in body


def test_the_last_page_links_back():
    body = render(3, pages=3)
    assert 'href="?page=1">首页</a>' in body
    assert 'href="?page=2" rel="prev">上一页</a>' in body
    assert '<li class="page-item disabled"><span class="page-link">末页</span></li>' in body


@pytest.mark.usefixtures("compiled_messages")
def test_the_pager_follows_the_language():
    page = Paginator(range(30), 10).get_page(2)
    with translation.override("en"):
        body = render_to_string(PARTIAL, {"page_obj": page}, request=RequestFactory().get("/"))
    assert "上一页" not in body and "下一页" not in body and "第 2 页" not in body


@pytest.mark.django_db
def test_the_notifications_page_uses_the_pager(client, liaison):
    Notification.objects.bulk_create(
        Notification(user=liaison, text=f"提醒{n}", url="/") for n in range(51)
    )
    client.force_login(liaison)
    url = reverse("campaigns:notifications")
    body = client.get(url).content.decode()
    assert 'data-testid="pagination"' in body and 'href="?page=2" rel="next"' in body
    second = client.get(url, {"page": 2}).content.decode()
    assert "第 2 页,共 2 页" in second


def test_no_other_template_writes_its_own_pager():
    own = []
    for path in SRC.rglob("templates/**/*.html"):
        if path.match(f"*/templates/{PARTIAL}"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(
            r'class="pagination\b|querystring page=|page_obj\.has_(?:next|previous)', text
        ):
            own.append(str(path.relative_to(SRC)))
    assert own == []
