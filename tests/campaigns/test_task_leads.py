"""A cooperating (配合) task says which unit leads it: task detail, task list, 我的任务."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import WorkRole
from qualitycity.campaigns.leads import lead_names
from qualitycity.campaigns.models import MeasureUnit, ResponsibleUnit, Task
from tests.factories import TODAY, html, phase_of
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_day(settings):
    settings.QC_TODAY = TODAY


@pytest.fixture
def generated(campaign, office):
    """The phase's tasks generated from the responsibility table and the plan's measures."""
    campaign_services.load_measures(campaign, by=office)
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    return campaign


def expected_leads(task: Task) -> list[str]:
    if task.criterion_id:
        entries = ResponsibleUnit.objects.filter(
            campaign=task.campaign, criterion=task.criterion, role=WorkRole.LEAD
        ).select_related("unit", "group")
        names = [e.target_name or e.printed_name for e in entries.order_by("position")]
    else:
        entries = MeasureUnit.objects.filter(measure=task.measure, role=WorkRole.LEAD)
        names = [
            (e.unit.name if e.unit_id else e.group.name)
            for e in entries.select_related("unit", "group").order_by("position")
        ]
    return list(dict.fromkeys(names))


def test_lead_names_come_from_the_row_or_the_measure_in_one_query(generated):
    tasks = list(Task.objects.filter(campaign=generated).select_related("campaign"))
    coop_row = [t for t in tasks if t.role == WorkRole.COOPERATING and t.criterion_id]
    coop_measure = [
        t for t in tasks if t.role == WorkRole.COOPERATING and not t.criterion_id and t.measure_id
    ]
    assert coop_row and coop_measure
    found: dict[int, list[str]] = {}
    assert count_queries(lambda: found.update(lead_names(tasks))) == 1
    for task in coop_row[:20] + coop_measure[:20]:
        assert found[task.pk] == expected_leads(task) and found[task.pk], task
        assert task.unit.name not in found[task.pk] or len(found[task.pk]) > 1
    assert all(t.pk not in found for t in tasks if t.role == WorkRole.LEAD)
    assert count_queries(lambda: lead_names([t for t in tasks if t.role == WorkRole.LEAD])) == 0


def test_a_cooperating_task_names_its_lead_units(client, generated, liaison, zhijian):
    task = Task.objects.filter(
        campaign=generated, unit=zhijian, role=WorkRole.COOPERATING, criterion__isnull=False
    ).first()
    lead = Task.objects.filter(campaign=generated, unit=zhijian, role=WorkRole.LEAD).first()
    client.force_login(liaison)
    body = html(client.get(reverse("campaigns:task_detail", args=[task.pk])))
    names = expected_leads(task)
    assert 'data-testid="leads"' in body
    for name in names:
        assert name in body.split('data-testid="leads"')[1].split("</dd>")[0]
    lead_body = html(client.get(reverse("campaigns:task_detail", args=[lead.pk])))
    assert 'data-testid="leads"' not in lead_body


def _lead_cells(body: str) -> int:
    return body.count('data-testid="leads"')


def test_the_task_list_and_my_tasks_show_leads_in_constant_queries(
    client, campaign, office, liaison, zhijian
):
    list_url = reverse("campaigns:task_list", args=[campaign.pk])
    my_url = reverse("campaigns:my_tasks")
    rows = list(campaign.framework.criteria.order_by("position")[:40])
    for row in rows[:2]:
        campaign_services.add_task(
            campaign,
            by=office,
            title=f"配合 {row.key}",
            unit=zhijian,
            due=TODAY.replace(year=2019),
            role=WorkRole.COOPERATING,
            phase=phase_of(campaign),
            criterion=row,
        )
    client.force_login(office)
    client.get(list_url)
    few_list = count_queries(lambda: client.get(list_url))
    client.force_login(liaison)
    client.get(my_url)
    few_my = count_queries(lambda: client.get(my_url))
    for row in rows[2:]:
        campaign_services.add_task(
            campaign,
            by=office,
            title=f"配合 {row.key}",
            unit=zhijian,
            due=TODAY.replace(year=2019),
            role=WorkRole.COOPERATING,
            phase=phase_of(campaign),
            criterion=row,
        )
    body = html(client.get(my_url))
    assert _lead_cells(body) == 30  # 我的任务 lists 30 a page
    assert _lead_cells(html(client.get(my_url, {"page": 2}))) == 10
    assert count_queries(lambda: client.get(my_url)) == few_my
    client.force_login(office)
    body = html(client.get(list_url))
    assert _lead_cells(body) == 40
    assert count_queries(lambda: client.get(list_url)) == few_list
