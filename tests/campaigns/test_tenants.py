"""Regions as tenants: two cities and a county on one installation never mix, and each office
keeps only its own region (docs/architecture.md, Regions as tenants)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from qualitycity.assessments import services as round_services
from qualitycity.assessments.access import access_round, visible_findings
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.access import (
    access_campaign,
    manages_campaign,
    sees_all_work,
    visible_campaigns,
    visible_tasks,
)
from qualitycity.campaigns.models import ResponsibleUnit, Task
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.evidence.access import may_upload_for
from qualitycity.frameworks.models import CriterionUnit
from qualitycity.indicators.services import save_observation
from qualitycity.orgs import services as org_services
from qualitycity.orgs.access import access_group, access_unit, visible_units
from qualitycity.orgs.choices import RegionKind, Role
from qualitycity.orgs.models import Region, Unit, UnitGroup
from tests.factories import persona, phase_of

pytestmark = pytest.mark.django_db

TAIZHOU_UNITS = ["市创质办", "市质监局", "市发改委", "市住建局"]


@pytest.fixture
def taizhou(orgs, admin_user):
    """A second city of another province, with its own 市质监局 and an office."""
    province = Region.objects.create(code="320000", name="江苏省", kind=RegionKind.PROVINCE)
    city = Region.objects.create(
        code="321200", name="泰州市", kind=RegionKind.CITY, parent=province
    )
    units = {
        name: org_services.save_unit(
            None, by=admin_user, name=name, kind="政府部门", region=city, code=f"tz{i}"
        )
        for i, name in enumerate(TAIZHOU_UNITS)
    }
    org_services.save_group(
        None,
        by=admin_user,
        region=city,
        code="lxz",
        name="质量强市工作领导小组成员单位",
        members=[units["市质监局"], units["市发改委"]],
    )
    return city


@pytest.fixture
def taizhou_office(taizhou):
    return persona("t-tz-office", Role.OFFICE, region_code="321200")


@pytest.fixture
def taizhou_campaign(taizhou, taizhou_office, yongzhou):
    return campaign_services.create_campaign(
        by=taizhou_office,
        name="泰州市创建全国质量强市示范城市",
        region=taizhou,
        framework=yongzhou,
        start=dt.date(2018, 1, 1),
        end=dt.date(2019, 12, 31),
        phases=[
            campaign_services.PhaseSpec("全面推进", dt.date(2018, 1, 1), dt.date(2019, 12, 31))
        ],
    )


@pytest.fixture
def county(orgs):
    return Region.objects.get(code="431103")  # 冷水滩区


@pytest.fixture
def county_office(county):
    return persona("t-lst-office", Role.OFFICE, region_code="431103")


@pytest.fixture
def county_campaign(county, county_office, yongzhou):
    org_services.save_unit(
        None, by=county_office, name="区质监局", kind="政府部门", region=county, code="lst-zjj"
    )
    return campaign_services.create_campaign(
        by=county_office,
        name="冷水滩区创建质量强区",
        region=county,
        framework=yongzhou,
        start=dt.date(2018, 1, 1),
        end=dt.date(2019, 12, 31),
        phases=[
            campaign_services.PhaseSpec("全面推进", dt.date(2018, 1, 1), dt.date(2019, 12, 31))
        ],
    )


# --- two cities -------------------------------------------------------------------------------


def test_two_cities_each_have_their_own_units_of_the_same_name(taizhou, city):
    assert Unit.objects.filter(name="市质监局").count() == 2
    yz = org_services.name_index(city)["市质监局"]
    tz = org_services.name_index(taizhou)["市质监局"]
    assert yz.pk != tz.pk
    assert Unit.objects.get(pk=tz.pk).region == taizhou


def test_each_campaign_resolves_the_printed_names_in_its_own_directory(
    campaign, taizhou_campaign, taizhou
):
    yz_table = ResponsibleUnit.objects.filter(campaign=campaign)
    tz_table = ResponsibleUnit.objects.filter(campaign=taizhou_campaign)
    printed = CriterionUnit.objects.filter(criterion__framework=campaign.framework).count()
    assert yz_table.count() == tz_table.count() == printed
    # Yongzhou's own campaign resolves every printed name, as before.
    assert not yz_table.filter(unit__isnull=True, group__isnull=True).exists()
    # Taizhou's names resolve only to Taizhou's units and groups; the rest are listed unresolved.
    assert set(tz_table.exclude(unit=None).values_list("unit__region", flat=True)) == {taizhou.pk}
    assert set(tz_table.exclude(group=None).values_list("group__region", flat=True)) == {taizhou.pk}
    resolved = set(tz_table.exclude(unit=None).values_list("printed_name", flat=True))
    assert resolved == {"市创质办", "市质监局", "市发改委", "市住建局"}
    assert tz_table.filter(unit__isnull=True, group__isnull=True).exists()


def test_tasks_scores_and_access_never_cross_cities(
    campaign, taizhou_campaign, office, taizhou_office, liaison, taizhou
):
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    campaign_services.generate_tasks(
        taizhou_campaign, by=taizhou_office, phase=taizhou_campaign.phases.get()
    )
    tz_tasks = Task.objects.filter(campaign=taizhou_campaign)
    assert tz_tasks.exists()
    assert set(tz_tasks.values_list("unit__region", flat=True)) == {taizhou.pk}
    # The Yongzhou liaison of 市质监局 sees none of Taizhou's 市质监局 work.
    assert not visible_tasks(liaison).filter(campaign=taizhou_campaign).exists()
    assert list(visible_campaigns(liaison)) == [campaign]
    # Each office sees only its own campaign; the other is a 404 like a missing one.
    with pytest.raises(Http404):
        access_campaign(office, taizhou_campaign.pk)
    with pytest.raises(Http404):
        access_campaign(taizhou_office, campaign.pk)
    with pytest.raises(NotAllowed):
        campaign_services.generate_tasks(campaign, by=taizhou_office, phase=phase_of(campaign))
    # Work goes only to units of the campaign's own directory.
    yz_unit = Unit.objects.get(name="市质监局", region__code="431100")
    with pytest.raises(ValidationFailed, match="不在本创建工作所在行政区的单位名录中"):
        campaign_services.add_task(
            taizhou_campaign,
            by=taizhou_office,
            title="跨市任务",
            unit=yz_unit,
            start=dt.date(2018, 2, 1),
            due=dt.date(2018, 3, 1),
        )
    assert not may_upload_for(taizhou_office, taizhou_campaign, yz_unit)
    # Rounds and scores.
    rnd = round_services.create_round(
        taizhou_campaign,
        by=taizhou_office,
        kind="self",
        name="2019年自评",
        start=dt.date(2019, 3, 1),
        end=dt.date(2019, 5, 31),
    )
    with pytest.raises(Http404):
        access_round(office, rnd.pk)
    with pytest.raises(NotAllowed):
        round_services.create_round(
            campaign,
            by=taizhou_office,
            kind="self",
            name="越权",
            start=dt.date(2019, 3, 1),
            end=dt.date(2019, 5, 31),
        )
    assert not visible_findings(office).filter(round=rnd).exists()


def test_an_office_sees_and_edits_only_its_own_directory(taizhou, office, taizhou_office):
    tz_unit = Unit.objects.get(name="市质监局", region=taizhou)
    assert not visible_units(office).filter(pk=tz_unit.pk).exists()
    with pytest.raises(Http404):
        access_unit(office, tz_unit.pk)
    with pytest.raises(NotAllowed):
        org_services.save_unit(
            tz_unit, by=office, name="改名", kind=tz_unit.kind, region=tz_unit.region
        )


# --- a county and its city --------------------------------------------------------------------


def test_a_county_office_can_change_nothing_of_the_citys(county, county_office, campaign, city):
    zhijian = Unit.objects.get(name="市质监局", region=city)
    group = UnitGroup.objects.get(name="质量强市工作领导小组成员单位", region=city)
    members = group.members.count()
    # Neither through the pages' access helpers …
    with pytest.raises(Http404):
        access_unit(county_office, zhijian.pk, write=True)
    with pytest.raises(Http404):
        access_group(county_office, group.pk, write=True)
    # … nor through the services: moving, deactivating, emptying a group.
    with pytest.raises(NotAllowed):
        org_services.save_unit(
            zhijian, by=county_office, name=zhijian.name, kind=zhijian.kind, region=county
        )
    with pytest.raises(NotAllowed):
        org_services.save_unit(
            zhijian,
            by=county_office,
            name=zhijian.name,
            kind=zhijian.kind,
            region=city,
            is_active=False,
        )
    with pytest.raises(NotAllowed):
        org_services.save_group(group, by=county_office, name=group.name, members=[])
    zhijian.refresh_from_db()
    assert (zhijian.region, zhijian.is_active) == (city, True)
    assert group.members.count() == members
    # It does not see the city's campaign and cannot create one in the city.
    with pytest.raises(Http404):
        access_campaign(county_office, campaign.pk)
    with pytest.raises(NotAllowed):
        campaign_services.create_campaign(
            by=county_office,
            name="越权",
            region=city,
            framework=campaign.framework,
            start=dt.date(2018, 1, 1),
            end=dt.date(2018, 12, 31),
        )


def test_a_county_office_cannot_touch_the_national_series(county_office, indicators):
    ind = indicators["SPECIAL_EQUIPMENT_DEATH_RATE"]
    with pytest.raises(NotAllowed, match="省级创质办"):
        save_observation(
            ind,
            by=county_office,
            series="national_average",
            region=None,
            period="2018",
            value="0.2",
        )


def test_a_county_office_cannot_move_a_unit_of_its_own_directory_away(county, county_office, city):
    unit = org_services.save_unit(
        None, by=county_office, name="区住建局", kind="政府部门", region=county, code="lst-zj"
    )
    with pytest.raises(NotAllowed):
        org_services.save_unit(unit, by=county_office, name=unit.name, kind=unit.kind, region=city)


def test_the_county_campaign_reads_its_own_directory(county_campaign, county, county_office):
    table = ResponsibleUnit.objects.filter(campaign=county_campaign)
    # The county's directory knows none of the city's printed names: they wait for the office.
    assert not table.exclude(unit=None).exists()
    unresolved = table.filter(unit__isnull=True, group__isnull=True).count()
    assert unresolved == table.count()
    # The county office reads the table's 市质监局 as its own 区质监局, for every row at once.
    own = Unit.objects.get(name="区质监局", region=county)
    campaign_services.map_name(
        county_campaign, by=county_office, printed_name="市质监局", target=own
    )
    mapped = table.filter(printed_name="市质监局")
    assert mapped.count() > 10 and set(mapped.values_list("unit", flat=True)) == {own.pk}
    # A unit of another directory cannot be mapped.
    city_unit = Unit.objects.get(name="市发改委", region__code="431100")
    with pytest.raises(ValidationFailed, match="不在本创建工作所在行政区的单位名录中"):
        campaign_services.map_name(
            county_campaign, by=county_office, printed_name="市发改委", target=city_unit
        )
    assert not table.filter(printed_name="市发改委").exclude(unit=None).exists()


def test_a_city_office_reads_but_cannot_write_its_counties_campaigns(
    county_campaign, office, county_office, leader
):
    assert access_campaign(office, county_campaign.pk) == county_campaign
    assert sees_all_work(office, county_campaign) and sees_all_work(leader, county_campaign)
    assert not manages_campaign(office, county_campaign)
    with pytest.raises(Http404):
        access_campaign(office, county_campaign.pk, manage=True)
    with pytest.raises(NotAllowed):
        campaign_services.generate_tasks(
            county_campaign, by=office, phase=county_campaign.phases.get()
        )
    with pytest.raises(NotAllowed):
        campaign_services.resolve_responsibilities(county_campaign, by=office)
    assert manages_campaign(county_office, county_campaign)


def test_a_city_office_gets_read_only_county_pages(client, county_campaign, office, county_office):
    client.force_login(office)
    page = client.get(f"/campaigns/{county_campaign.pk}/")
    assert page.status_code == 200
    assert "本创建工作由冷水滩区创质办管理,您可以查看,不能修改。" in page.content.decode()
    assert "新建考核轮次" not in page.content.decode()
    assert client.get(f"/campaigns/{county_campaign.pk}/board/").status_code == 200
    phase = county_campaign.phases.get()
    response = client.post(f"/campaigns/{county_campaign.pk}/tasks/generate/", {"phase": phase.pk})
    assert response.status_code == 404
    assert not Task.objects.filter(campaign=county_campaign).exists()
    client.force_login(county_office)
    own = client.get(f"/campaigns/{county_campaign.pk}/").content.decode()
    assert 'data-testid="read-only"' not in own and "新建考核轮次" in own


def test_a_province_office_reads_every_campaign_of_its_province(
    province_office, campaign, county_campaign, taizhou_campaign
):
    seen = set(visible_campaigns(province_office))
    assert {campaign, county_campaign} <= seen
    assert taizhou_campaign not in seen  # another province
    assert not manages_campaign(province_office, campaign)


def test_each_office_reads_only_the_directories_of_its_region_and_below(
    county_campaign, county, county_office, office, city
):
    assert set(visible_units(county_office)) == set(Unit.objects.filter(region=county))
    city_and_below = Unit.objects.filter(region__in=[city, *city.children.all()])
    assert set(visible_units(office)) == set(city_and_below)
