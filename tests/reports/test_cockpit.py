"""The cockpit (领导驾驶舱): what the office and leaders see on their home page and at
/cockpit/<campaign>/, that every figure links to the list behind it, who may open it, and that its
queries do not grow with the campaign."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from qualitycity.assessments import services as round_services
from qualitycity.assessments.queries import gap_report
from qualitycity.campaigns import queries, services
from qualitycity.campaigns.models import Task
from qualitycity.orgs.choices import Role
from qualitycity.reports.cockpit import recent_activity
from tests.factories import criteria_of, html, make_task, persona, score_criteria, unit
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 4, 20)


@pytest.fixture
def scored(settings, campaign, office, open_round, assessor):
    """The campaign on 2019-04-20: a scored round with one finding, red and yellow tasks."""
    settings.QC_TODAY = TODAY
    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[:40], by=assessor)  # lowest: every row loses points
    score_criteria(open_round, criteria[40:], by=assessor, high=True)
    round_services.create_finding(
        open_round, criteria[0], by=office, due=TODAY + dt.timedelta(days=30)
    )
    make_task(
        campaign, office, title="逾期任务", start=dt.date(2019, 1, 1), due=dt.date(2019, 3, 1)
    )
    make_task(
        campaign, office, title="落后任务", start=dt.date(2019, 1, 1), due=dt.date(2019, 9, 1)
    )
    return open_round


def cockpit_html(client, user, campaign=None) -> str:
    client.force_login(user)
    url = reverse("reports:cockpit", args=[campaign.pk]) if campaign else reverse("home")
    response = client.get(url)
    assert response.status_code == 200
    return html(response)


def test_the_office_home_is_the_cockpit_of_its_campaign(client, office, campaign, scored):
    body = cockpit_html(client, office)
    assert 'data-testid="cockpit"' in body and f'data-campaign="{campaign.pk}"' in body
    report = gap_report(scored)
    total = f"{report.total.final.normalize():f}".rstrip("0").rstrip(".")
    assert re.search(rf'data-testid="current-total">{re.escape(total)}', body)
    board = queries.board(campaign, TODAY)
    assert re.search(rf'data-testid="cockpit-red">{board.counts.red}<', body)
    assert re.search(rf'data-testid="cockpit-yellow">{board.counts.yellow}<', body)
    assert board.counts.red >= 1 and board.counts.yellow >= 1
    assert re.search(r'data-testid="cockpit-findings">1<', body)
    assert 'data-testid="cockpit-radar"' in body and 'data-testid="cockpit-lost"' in body


def test_a_leader_reads_the_same_cockpit(client, leader, campaign, scored):
    body = cockpit_html(client, leader)
    assert 'data-testid="cockpit"' in body
    assert 'data-testid="print-cockpit"' in body


@pytest.mark.parametrize("who", ["liaison", "assessor"])
def test_liaisons_and_experts_have_no_cockpit(client, request, campaign, scored, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert 'data-testid="cockpit"' not in html(client.get(reverse("home")))
    assert client.get(reverse("reports:cockpit", args=[campaign.pk])).status_code == 404


def test_a_county_office_cannot_open_the_city_cockpit(client, campaign, scored):
    county = persona("t-county-office", Role.OFFICE, region_code="431103")
    client.force_login(county)
    assert client.get(reverse("reports:cockpit", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("reports:cockpit", args=[999_999])).status_code == 404
    assert 'data-testid="cockpit"' not in html(client.get(reverse("home")))


def test_every_figure_links_to_a_list_that_opens(client, office, campaign, scored):
    body = cockpit_html(client, office, campaign)
    section = body[body.index('data-testid="cockpit"') :]
    links = set(re.findall(r'href="(/[^"#]*)', section))
    assert len(links) >= 15
    for link in sorted(links):
        url = link.replace("&amp;", "&")
        assert client.get(url).status_code == 200, url
    unit_id = unit("市质监局").pk
    assert f"/campaigns/{campaign.pk}/tasks/?unit={unit_id}&amp;colour=red" in section
    assert f"/findings/?round={scored.pk}" in section
    assert f"/rounds/{scored.pk}/gaps/" in section
    # each unit's lost points open the gap rows charged to it
    first = gap_report(scored).by_unit[0].party
    assert f"/rounds/{scored.pk}/gaps/?party={quote(first)}#gap-rows" in section


def test_the_red_figure_leads_to_exactly_the_red_tasks(client, office, campaign, scored):
    client.force_login(office)
    unit_id = unit("市质监局").pk
    listed = html(client.get(f"/campaigns/{campaign.pk}/tasks/?unit={unit_id}&colour=red"))
    assert "逾期任务" in listed and "落后任务" not in listed


def test_recent_activity_is_the_campaigns_own_in_words(campaign, office, scored, yongzhou):
    from qualitycity.campaigns.services import create_campaign
    from qualitycity.orgs.models import Region
    from qualitycity.orgs.services import save_unit

    county = Region.objects.get(code="431103")
    county_office = persona("t-lst-office", Role.OFFICE, region_code="431103")
    county_unit = save_unit(
        None, by=county_office, name="区质监局", kind="政府部门", region=county, code="lst-zjj"
    )
    other = create_campaign(
        by=county_office,
        name="冷水滩区创建质量强区",
        region=county,
        framework=yongzhou,
        start=dt.date(2017, 9, 1),
        end=dt.date(2019, 10, 31),
    )
    services.add_task(
        other,
        by=county_office,
        title="别处的任务",
        unit=county_unit,
        start=dt.date(2019, 1, 1),
        due=dt.date(2019, 6, 1),
    )
    rows = recent_activity(campaign)
    assert 0 < len(rows) <= 10
    labels = [r.label for r in rows]
    assert "生成整改任务" in labels and "新增任务" in labels
    assert not any(re.fullmatch(r"[a-z_]+\.[a-z_]+", label) for label in labels)
    assert not any("别处的任务" in r.object_repr or "冷水滩" in r.object_repr for r in rows)
    assert any("别处的任务" in r.object_repr for r in recent_activity(other))


def _more(campaign, office, rnd, n: int, rows: slice) -> None:
    """n more tasks over several units, notices and findings: more of everything."""
    units = [unit(name) for name in ("市质监局", "市住建局", "市发改委", "市财政局")]
    Task.objects.bulk_create(
        Task(
            campaign=campaign,
            title=f"批量{i}",
            unit=units[i % len(units)],
            role="lead" if i % 2 else "cooperating",
            start=dt.date(2019, 1, 1),
            due=dt.date(2019, 3, 1) if i % 3 == 0 else dt.date(2019, 12, 1 + i % 20),
            status="in_progress",
        )
        for i in range(n)
    )
    tasks = list(Task.objects.filter(campaign=campaign, unit=units[0])[:3])
    services.issue_notice(
        campaign,
        by=office,
        unit=units[0],
        tasks=tasks,
        content="请加快进度",
        response_due=TODAY + dt.timedelta(days=5),
        today=TODAY,
    )
    for criterion in criteria_of(rnd)[rows]:
        round_services.create_finding(rnd, criterion, by=office, due=TODAY + dt.timedelta(days=9))


@pytest.mark.parametrize("reports_from", ["all", "lead"])
def test_the_cockpit_runs_the_same_queries_for_a_small_and_a_large_campaign(
    client, office, campaign, scored, reports_from
):
    campaign.reports_from = reports_from
    campaign.save()
    client.force_login(office)
    url = reverse("reports:cockpit", args=[campaign.pk])
    client.get(url)  # warm caches
    few = count_queries(lambda: client.get(url))
    _more(campaign, office, scored, 200, slice(1, 6))
    many = count_queries(lambda: client.get(url))
    assert few == many, (few, many)
    home_few = count_queries(lambda: client.get(reverse("home")))
    _more(campaign, office, scored, 50, slice(6, 9))
    assert count_queries(lambda: client.get(reverse("home"))) == home_few


def test_without_a_round_the_cockpit_says_what_to_do_next(client, settings, office, campaign):
    settings.QC_TODAY = TODAY
    body = cockpit_html(client, office, campaign)
    assert "尚无考核轮次" in body
    assert reverse("assessments:round_create", args=[campaign.pk]) in body


def test_an_office_without_a_campaign_is_told_what_to_do_next(client, office):
    client.force_login(office)
    body = html(client.get(reverse("home")))
    assert 'data-testid="cockpit-empty"' in body and reverse("campaigns:list") in body
