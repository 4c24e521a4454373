"""The campaign list: phase dates in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """A request in English leaves English active in this thread (the locale middleware does not
    reset it); later tests that send e-mails without a request expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def phases(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'data-testid="phase">(.*?)</li>', body)]


def test_phase_dates_are_chinese_in_chinese(client, office, campaign):
    client.force_login(office)
    shown = phases(html(client.get("/campaigns/")))
    assert shown and all(re.search(r"\d{4}年\d{1,2}月", p) for p in shown)


def test_phase_dates_follow_english(client, office, campaign):
    """Issue 11: campaigns/list.html printed dates as Y年n月 in English too."""
    client.force_login(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = html(client.get("/campaigns/"))
    assert 'lang="en"' in body
    shown = phases(body)
    assert shown
    first = campaign.phases.order_by("start").first()
    assert f"{first.start:%B %Y}" in shown[0]
    for text in shown:
        assert not re.search(r"\d年|\d月", text), text
