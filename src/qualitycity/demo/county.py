"""The demo's county campaign: 冷水滩区 runs the city's table with its own directory, mapped by
its own office; the city office reads it (read-only), the county office runs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from qualitycity.campaigns.models import Campaign
from qualitycity.campaigns.services import (
    PhaseSpec,
    create_campaign,
    generate_tasks,
    map_name,
)
from qualitycity.frameworks.models import CriterionUnit, Framework
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region, Unit, UnitGroup, User
from qualitycity.orgs.services import load_org_data

from .people import DemoUser, ensure_user

COUNTY_CODE = "431103"  # 冷水滩区
COUNTY_FILE = Path(__file__).resolve().parent / "data" / "lengshuitan.yaml"
COUNTY_CAMPAIGN = "冷水滩区创建质量强区"
COUNTY_USERS = (
    DemoUser("lst-office", "冷水滩区创质办 刘主任", Role.OFFICE, "区创质办"),
    DemoUser("lst-liaison", "冷水滩区质监局 周联络员", Role.LIAISON, "区质监局"),
)
COUNTY_PHASES = (
    PhaseSpec("规划筹建", dt.date(2018, 3, 1), dt.date(2018, 6, 30)),
    PhaseSpec("全面推进", dt.date(2018, 7, 1), dt.date(2019, 12, 31)),
    PhaseSpec("巩固提升", dt.date(2020, 1, 1), dt.date(2020, 6, 30)),
    PhaseSpec("总结验收", dt.date(2020, 7, 1), dt.date(2020, 12, 31)),
)
# The city table's groups read as the district's own.
GROUP_MAPPINGS = {"质量强市工作领导小组成员单位": "区质量强区工作领导小组成员单位"}


def county_counterpart(printed: str) -> str | None:
    """The district form of a city unit's printed name: 市质监局 → 区质监局."""
    return "区" + printed[1:] if printed.startswith("市") and len(printed) > 2 else None


@transaction.atomic
def ensure_county_campaign() -> Campaign:
    """Create the county's directory, users and campaign once; later calls change nothing."""
    load_org_data(COUNTY_FILE)
    county = Region.objects.get(code=COUNTY_CODE)
    users = [ensure_user(demo, county) for demo in COUNTY_USERS]
    existing = Campaign.objects.filter(name=COUNTY_CAMPAIGN, region=county).first()
    if existing is not None:
        return existing
    office: User = users[0]
    framework = Framework.objects.filter(code="yongzhou-2017").order_by("version").first()
    campaign = create_campaign(
        by=office,
        name=COUNTY_CAMPAIGN,
        region=county,
        framework=framework,
        start=dt.date(2018, 3, 1),
        end=dt.date(2020, 12, 31),
        phases=COUNTY_PHASES,
        reports_from="lead",
    )
    units = {u.name: u for u in Unit.objects.filter(region=county)}
    groups = {g.name: g for g in UnitGroup.objects.filter(region=county)}
    printed = (
        CriterionUnit.objects.filter(criterion__framework=framework)
        .values_list("printed_name", flat=True)
        .distinct()
    )
    for name in sorted(set(printed)):
        target = groups.get(GROUP_MAPPINGS.get(name, "")) or units.get(
            county_counterpart(name) or ""
        )
        if target is not None and target.name != name:
            map_name(campaign, by=office, printed_name=name, target=target)
    generate_tasks(campaign, by=office, phase=campaign.phases.get(name="全面推进"))
    return campaign
