"""The built-in Yongzhou organisation: regions, units, aliases and groups."""

import re

import pytest

from qualitycity.audit.models import AuditEvent
from qualitycity.orgs.models import Alias, Region, Unit, UnitGroup
from qualitycity.orgs.services import load_org_data, name_index

pytestmark = pytest.mark.django_db

REGIONS_2017 = {
    "永州市",
    "零陵区",
    "冷水滩区",
    "祁阳县",
    "东安县",
    "双牌县",
    "道县",
    "江永县",
    "宁远县",
    "蓝山县",
    "新田县",
    "江华瑶族自治县",
    "回龙圩管理区",
    "金洞管理区",
    "永州经济技术开发区",
}


def test_it_creates_yongzhou_and_its_2017_regions(orgs):
    assert REGIONS_2017 <= set(Region.objects.values_list("name", flat=True))
    city = Region.objects.get(name="永州市")
    assert (city.parent.name, city.parent.kind) == ("湖南省", "province")
    assert Region.objects.get(name="祁阳县").parent == city
    assert Region.objects.get(name="零陵区").kind == "district"
    assert Region.objects.get(name="回龙圩管理区").kind == "management_zone"


@pytest.mark.parametrize(
    ("alias", "canonical_alias"),
    [
        ("市卫计委", "市卫生计生委"),
        ("市交通局", "市交通运输局"),
        ("市文广新局", "市文体广新局"),
        ("市食药局", "市食品药品监管局"),
        ("省检验检疫局永州办事处", "湖南出入境检验检疫局永州办事处"),
        ("永州电视台", "市广播电视台"),
    ],
)
def test_aliases_merge_names_the_seed_uses_for_one_unit(orgs, city, alias, canonical_alias):
    index = name_index(city)
    assert index[alias].kind == "unit"
    assert index[alias].pk == index[canonical_alias].pk


def test_every_unit_name_in_the_seed_resolves(orgs, city, seed_text):
    """Every name in the measures' brackets and in the table's unit columns is in the city's
    directory."""
    index = name_index(city)
    names: set[str] = set()
    for bracket in re.findall(r"[((]([^()()]*?牵头[^()()]*?配合落实)[))]", seed_text):
        lead, _sep, coop = bracket.partition("牵头")
        coop = coop.lstrip(",、,").removesuffix("配合落实").removesuffix("等单位")  # noqa: B005
        for part in re.split(r"[、,,]", lead + "、" + coop):
            if part.strip():
                names.add(part.strip())
    missing = sorted(n for n in names if n not in index)
    assert missing == []
    assert len(names) > 30


def test_groups_have_members(orgs):
    lead_group = UnitGroup.objects.get(name="质量强市工作领导小组成员单位")
    assert lead_group.members.count() >= 30
    assert not lead_group.members.filter(name="市创质办").exists()
    counties = UnitGroup.objects.get(name="各县区政府")
    assert counties.members.count() == 11
    assert set(counties.members.values_list("kind", flat=True)) == {"县区政府"}
    for name in (
        "市打假办成员单位",
        "市食安委成员单位",
        "市服务业发展领导小组各成员单位",
        "各园区管委会",
    ):
        assert UnitGroup.objects.get(name=name).members.exists(), name


def test_names_are_unique_across_units_groups_and_aliases(orgs):
    names = (
        list(Unit.objects.values_list("name", flat=True))
        + list(UnitGroup.objects.values_list("name", flat=True))
        + list(Alias.objects.values_list("name", flat=True))
    )
    assert len(names) == len(set(names))


def test_loading_twice_changes_nothing(orgs):
    events = AuditEvent.objects.count()
    counts = load_org_data()
    assert counts == {"regions": 0, "units": 0, "groups": 0}
    assert AuditEvent.objects.count() == events
