"""The league table (各地得分排行): every campaign the user compares, ranked by its latest round's
final total, as a page (/league/) and an endpoint (/api/v1/league), in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from qualitycity.assessments import league as league_module
from qualitycity.assessments.league import framework_structure, league
from qualitycity.assessments.queries import round_data
from qualitycity.assessments.services import create_round
from qualitycity.campaigns.models import Campaign
from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region
from tests.factories import criteria_of, html, persona, score_criteria
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

COUNTIES = ["431103", "431102", "431121"]  # 冷水滩区, 零陵区, 祁阳县 (祁阳市)


@pytest.fixture
def county_offices(orgs):
    return {code: persona(f"t-office-{code}", Role.OFFICE, region_code=code) for code in COUNTIES}


def county_campaign(code: str, by, yongzhou) -> Campaign:
    region = Region.objects.get(code=code)
    return create_campaign(
        by=by,
        name=f"{region.name}创建质量强县",
        region=region,
        framework=yongzhou,
        start=dt.date(2017, 9, 1),
        end=dt.date(2019, 10, 31),
        phases=YONGZHOU_PHASES,
    )


def scored_round(campaign, by, *, kind="self", start=dt.date(2019, 3, 1), high=0, low=0):
    rnd = create_round(
        campaign,
        by=by,
        kind=kind,
        name=f"{start.year}年{kind}",
        start=start,
        end=start + dt.timedelta(days=30),
    )
    criteria = criteria_of(rnd)
    score_criteria(rnd, criteria[:high], by=by, high=True)
    score_criteria(rnd, criteria[high : high + low], by=by)
    return rnd


@pytest.fixture
def province(campaign, office, yongzhou, county_offices):
    """The city and three counties: 冷水滩 scores high, 零陵 lower, the city in between;
    祁阳 has no round yet."""
    lengshuitan = county_campaign("431103", county_offices["431103"], yongzhou)
    lingling = county_campaign("431102", county_offices["431102"], yongzhou)
    qiyang = county_campaign("431121", county_offices["431121"], yongzhou)
    rounds = {
        "city": scored_round(campaign, office, high=30, low=10),
        "lengshuitan": scored_round(lengshuitan, county_offices["431103"], high=50),
        "lingling": scored_round(lingling, county_offices["431102"], high=10, low=30),
    }
    return {
        "campaigns": {
            "city": campaign,
            "lengshuitan": lengshuitan,
            "lingling": lingling,
            "qiyang": qiyang,
        },
        "rounds": rounds,
    }


def all_campaigns():
    return list(
        Campaign.objects.select_related("region__parent", "framework").order_by("region__code")
    )


def test_campaigns_are_ranked_by_their_latest_rounds_final_total(province):
    rows = league(all_campaigns())
    names = [r.campaign.region.name for r in rows]
    rounds = province["rounds"]
    finals = {k: round_data(r, with_units=False).totals().final for k, r in rounds.items()}
    assert finals["lengshuitan"] > finals["city"] > finals["lingling"] > 0
    assert names[:3] == ["冷水滩区", "永州市", "零陵区"]
    assert [r.rank for r in rows] == [1, 2, 3, None]  # 祁阳 has no round: last, unranked
    assert rows[-1].round is None and rows[-1].total is None
    by_region = {r.campaign.pk: r for r in rows}
    for key, rnd in rounds.items():
        # the league's totals are the round page's totals, computed from tuples
        assert by_region[rnd.campaign_id].total.final == finals[key]
    assert by_region[rounds["lengshuitan"].campaign_id].scored == 50


def test_the_latest_round_counts_and_a_kind_picks_the_latest_of_that_kind(province, office):
    city = province["campaigns"]["city"]
    later = scored_round(city, office, kind="mock", start=dt.date(2019, 8, 1), high=120)
    rows = league(all_campaigns())
    assert rows[0].campaign == city and rows[0].round == later
    rows = league(all_campaigns(), kind="self")
    city_row = next(r for r in rows if r.campaign == city)
    assert city_row.round == province["rounds"]["city"]
    assert [r.rank for r in league(all_campaigns(), kind="national")] == [None] * 4


def test_equal_totals_share_a_rank(campaign, office, yongzhou, county_offices):
    other = county_campaign("431103", county_offices["431103"], yongzhou)
    scored_round(campaign, office, high=20)
    scored_round(other, county_offices["431103"], high=20)
    rows = league(all_campaigns())
    assert [r.rank for r in rows] == [1, 1]


def test_the_structure_of_a_framework_is_read_once_per_process(yongzhou):
    # built from the framework's kept table (frameworks/structure.py): its two queries, once
    assert count_queries(lambda: framework_structure(yongzhou)) == 2
    assert count_queries(lambda: framework_structure(yongzhou)) == 0
    structure = framework_structure(yongzhou)
    assert len(structure.criteria) == 125


def test_the_city_office_compares_the_city_and_its_counties(client, office, province):
    client.force_login(office)
    response = client.get(reverse("reports:league"))
    assert response.status_code == 200
    body = html(response)
    assert body.count('data-testid="league-row"') == 4
    assert (
        body.index("冷水滩区") < body.index("永州市创建全国质量强市示范城市") < body.index("零陵区")
    )
    assert "尚无考核轮次" in body


def test_a_county_office_sees_only_its_own_campaign(client, county_offices, province):
    client.force_login(county_offices["431102"])
    body = html(client.get(reverse("reports:league")))
    assert body.count('data-testid="league-row"') == 1 and "零陵区" in body
    assert "冷水滩区" not in body


def test_the_province_office_compares_every_campaign(client, province_office, province):
    client.force_login(province_office)
    assert html(client.get(reverse("reports:league"))).count('data-testid="league-row"') == 4


@pytest.mark.parametrize("who", ["liaison", "assessor"])
def test_liaisons_and_assessors_get_the_404(client, request, who, province):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reports:league")).status_code == 404
    assert client.get("/api/v1/league").status_code == 404


def test_an_unknown_kind_is_a_400_with_a_message(client, office, province):
    client.force_login(office)
    response = client.get(reverse("reports:league"), {"kind": "<script>"})
    assert response.status_code == 400
    assert "选择一个有效的选项" in html(response)
    assert client.get("/api/v1/league", {"kind": "bogus"}).status_code == 422


def test_the_endpoint_answers_the_same_ranking(client, office, province):
    client.force_login(office)
    response = client.get("/api/v1/league")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["count"] == 4
    items = data["items"]
    assert [i["region"] for i in items[:3]] == ["冷水滩区", "永州市", "零陵区"]
    assert [i["rank"] for i in items] == [1, 2, 3, None]
    first = items[0]
    rnd = province["rounds"]["lengshuitan"]
    assert first["round"]["id"] == rnd.pk and first["scored"] == 50 and first["criteria"] == 125
    assert first["final"] == float(round_data(rnd, with_units=False).totals().final)
    assert first["parent_region"] == "永州市"


def test_the_query_count_does_not_grow_with_campaigns_or_rounds(
    client, office, campaign, yongzhou, county_offices
):
    client.force_login(office)
    scored_round(campaign, office, high=5)
    league_module._STRUCTURES.clear()
    client.get(reverse("reports:league"))  # the framework's structure, once per process

    def page():
        assert client.get(reverse("reports:league")).status_code == 200

    def api():
        assert client.get("/api/v1/league").status_code == 200

    small = (count_queries(page), count_queries(api))
    for code in COUNTIES:
        other = county_campaign(code, county_offices[code], yongzhou)
        scored_round(other, county_offices[code], high=40, low=20)
        scored_round(other, county_offices[code], kind="mock", start=dt.date(2019, 6, 1), high=3)
    # the new rounds' standings are computed once (their scores, and veto inputs where the
    # table has vetoes: at most two queries for all of them), then kept
    cold = count_queries(page)
    assert (count_queries(page), count_queries(api)) == small
    assert small[0] < cold <= small[0] + 2


def test_a_saved_score_changes_the_standing_at_once(client, office, province):
    city = province["rounds"]["city"]
    before = next(r for r in league(all_campaigns()) if r.round == city).total.final
    criteria = criteria_of(city)
    score_criteria(city, criteria[40:60], by=office, high=True)
    after = next(r for r in league(all_campaigns()) if r.round == city).total.final
    assert after > before
    assert after == round_data(city, with_units=False).totals().final


def test_a_round_not_begun_does_not_displace_the_last_one_held(settings, province, office):
    settings.QC_TODAY = dt.date(2019, 6, 30)
    city = province["campaigns"]["city"]
    create_round(
        city,
        by=office,
        kind="mock",
        name="下半年模拟",
        start=dt.date(2019, 9, 1),
        end=dt.date(2019, 9, 30),
    )
    row = next(r for r in league(all_campaigns()) if r.campaign == city)
    assert row.round == province["rounds"]["city"]


def test_the_evidence_units_filter_lists_one_regions_units(client, province_office, province):
    """Across several campaigns the unit filter waits for a campaign (a province holds thousands
    of units); with one chosen it lists that campaign's region's units."""
    client.force_login(province_office)
    body = html(client.get(reverse("assessments:evidence_list")))
    assert "先选择创建工作可按单位筛选" in body and ">市质监局<" not in body
    city = province["campaigns"]["city"]
    body = html(client.get(reverse("assessments:evidence_list"), {"campaign": city.pk}))
    assert ">市质监局<" in body
