"""整改 on a liaison's 我的任务: the open findings its unit leads, through the section that
assessments registers with campaigns.my_sections (campaigns may not import assessments)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from qualitycity.assessments import my_tasks
from qualitycity.campaigns import my_sections
from tests.assessments.test_queues import TODAY, findings, frozen  # noqa: F401 (fixtures)
from tests.factories import html
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/campaigns/my/"


def listed(body: str) -> list[int]:
    match = re.search(r'data-testid="my-rectify".*?</table>', body, re.S)
    assert match, "no 整改 section"
    return [int(pk) for pk in re.findall(r'data-row="(\d+)"', match.group(0))]


def test_assessments_registers_the_section_when_django_starts():
    assert my_tasks.SECTION in my_sections.sections()


def test_a_liaison_sees_the_open_findings_its_unit_leads(client, liaison, findings):  # noqa: F811
    """Issue 11: 整改 items did not appear on the liaison's 我的任务."""
    client.force_login(liaison)
    body = html(client.get(URL))
    assert listed(body) == [findings[k].pk for k in ("overdue", "started", "sent_back")]
    assert body.count('data-overdue="1"') >= 1
    for key in ("overdue", "started", "sent_back"):
        link = reverse("assessments:finding_detail", args=[findings[key].pk])
        assert link in body
        assert client.get(link).status_code == 200  # every link opens


def test_the_section_is_the_liaisons_only(client, office, leader, findings):  # noqa: F811
    for user in (office, leader):
        client.force_login(user)
        assert 'data-testid="my-rectify"' not in html(client.get(URL))


def test_an_empty_section_says_so(client, liaison, campaign):
    client.force_login(liaison)
    body = html(client.get(URL))
    assert listed(body) == [] and "没有待整改的问题。" in body


def test_the_section_costs_one_query_however_many_findings(
    client,
    liaison,
    open_round,
    request,
):
    client.force_login(liaison)
    client.get(URL)
    none = count_queries(lambda: client.get(URL))
    request.getfixturevalue("findings")
    body = html(client.get(URL))
    assert len(listed(body)) == 3
    assert count_queries(lambda: client.get(URL)) == none
