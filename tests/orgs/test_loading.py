"""Loading an organisation file: plan (every row checked, nothing written), then apply."""

from __future__ import annotations

import pytest

from qualitycity.audit.models import AuditEvent
from qualitycity.errors import ValidationFailed
from qualitycity.orgs import loading
from qualitycity.orgs.models import Alias, Region, Unit, UnitGroup
from qualitycity.orgs.services import apply_org_plan
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

TAIZHOU = """\
regions:
  - {code: "320000", name: 江苏省, kind: province, parent: null}
  - {code: "321200", name: 泰州市, kind: city, parent: "320000"}
units:
  - code: szjj
    name: 市质监局
    full_name: 泰州市质量技术监督局
    kind: 政府部门
    region: "321200"
    aliases: [市质量技术监督局]
  - code: sfgw
    name: 市发改委
    full_name: 泰州市发展和改革委员会
    kind: 政府部门
    region: "321200"
groups:
  - code: lxz
    name: 质量强市工作领导小组成员单位
    region: "321200"
    aliases: [各成员单位]
    members: [市质监局, 市发改委]
"""


def plan(text: str, by=None, name: str = "org.yaml"):
    return loading.plan_from_upload(name, text.encode(), by=by)


def counts() -> tuple[int, ...]:
    return (
        Region.objects.count(),
        Unit.objects.count(),
        UnitGroup.objects.count(),
        Alias.objects.count(),
        AuditEvent.objects.count(),
    )


def yongzhou_state():
    city = Region.objects.get(code="431100")
    return (
        sorted(
            Unit.objects.filter(region=city).values_list("code", "name", "full_name", "position")
        ),
        sorted(Alias.objects.filter(region=city).values_list("name", flat=True)),
        sorted(UnitGroup.objects.filter(region=city).values_list("code", "name")),
    )


def test_another_city_loads_beside_yongzhou(orgs, admin_user):
    before = yongzhou_state()
    result = plan(TAIZHOU, admin_user)
    assert result.errors == []
    assert result.counts() == {"create": 5, "change": 0, "unchanged": 0}
    assert [c["code"] for c in result.by_region()] == ["320000", "321200"]
    written = apply_org_plan(result, by=admin_user)
    assert written == {"region": 2, "unit": 2, "group": 1}
    taizhou = Region.objects.get(code="321200")
    assert taizhou.parent.name == "江苏省" and taizhou.parent.kind == "province"
    assert set(taizhou.units.values_list("name", flat=True)) == {"市质监局", "市发改委"}
    assert Unit.objects.filter(name="市质监局").count() == 2
    group = taizhou.unit_groups.get()
    assert set(group.members.values_list("region__code", flat=True)) == {"321200"}
    assert yongzhou_state() == before
    assert AuditEvent.objects.filter(actor=admin_user).count() == 5


def test_the_same_file_twice_changes_nothing(orgs, admin_user):
    apply_org_plan(plan(TAIZHOU, admin_user), by=admin_user)
    before = counts()
    again = plan(TAIZHOU, admin_user)
    assert again.errors == [] and again.writes == []
    assert again.counts()["unchanged"] == 5
    assert apply_org_plan(again, by=admin_user) == {"region": 0, "unit": 0, "group": 0}
    assert counts() == before


BAD = """\
regions:
  - {code: "321200", name: 泰州市, kind: town, parent: "320000"}
units:
  - {code: a1, name: 市质监局, kind: 政府部门, region: "431100"}
  - {code: a2, name: 市某局, kind: 政府部门, region: "999999"}
  - {code: a3, name: 市甲局, kind: 不存在的类型, region: "431100"}
  - {code: a4, name: 市乙局, kind: 政府部门, region: "431100"}
  - {code: a4, name: 市丙局, kind: 政府部门, region: "431100"}
  - {code: a5, name: 市乙局, kind: 政府部门, region: "431100"}
groups:
  - {code: g1, name: 某组, region: "431100", members: [市乙局, 泰州的局]}
"""


def test_a_file_with_errors_lists_each_and_writes_nothing(orgs, admin_user):
    before = counts()
    result = plan(BAD, admin_user)
    found = {(e.section, e.line, e.field) for e in result.errors}
    assert ("regions", 2, "kind") in found  # bad kind
    assert ("regions", 2, "parent") in found  # unknown parent
    assert ("units", 4, "name") in found  # 市质监局 taken in Yongzhou's directory
    assert ("units", 5, "region") in found  # unknown region
    assert ("units", 6, "kind") in found
    assert ("units", 8, "code") in found  # duplicate code in the file
    assert ("units", 9, "name") in found  # duplicate name in the file
    assert ("groups", 11, "members") in found  # not in the directory
    lines = result.error_lines()
    assert any("单位 第 4 行" in line and "市质监局" in line for line in lines)
    assert any("泰州的局" in line for line in lines)
    with pytest.raises(ValidationFailed):
        apply_org_plan(result, by=admin_user)
    assert counts() == before


def test_round_trip_yaml_and_xlsx_of_the_builtin_data(orgs, admin_user):
    data = loading.export_data()
    for name, content in (
        ("org.yaml", loading.to_yaml(data).encode()),
        ("org.xlsx", loading.to_xlsx(data)),
    ):
        result = loading.plan_from_upload(name, content, by=admin_user)
        assert result.errors == [], result.error_lines()[:5]
        assert result.writes == [], [(c.kind, c.code, c.diffs) for c in result.writes[:5]]
        assert result.counts()["unchanged"] == len(data["regions"]) + len(data["units"]) + len(
            data["groups"]
        )


def test_round_trip_of_one_region(orgs, city):
    data = loading.export_data(city)
    assert {r["code"] for r in data["regions"]} >= {"430000", "431100", "431124"}
    assert {u["region"] for u in data["units"]} == {"431100"}
    result = loading.plan_from_upload("o.xlsx", loading.to_xlsx(data), by=None)
    assert result.errors == [] and result.writes == []


OWN = """\
units:
  - {code: xinju, name: 市新局, kind: 政府部门, region: "431100", aliases: [新局]}
groups:
  - {code: xinzu, name: 新组, region: "431100", members: [市新局, 市质监局]}
"""


def test_an_office_loads_into_its_own_directory_only(orgs, office):
    own = plan(OWN, office)
    assert own.errors == [], own.error_lines()
    assert [(c.kind, c.action) for c in own.writes] == [("unit", "create"), ("group", "create")]
    apply_org_plan(own, by=office)
    assert UnitGroup.objects.get(code="xinzu").members.count() == 2

    before = counts()
    result = plan(TAIZHOU, office)
    found = {(e.section, e.field) for e in result.errors}
    assert found == {
        ("regions", "kind"),  # 江苏省: no province
        ("regions", "parent"),  # 泰州市: not below a region the office manages
        ("units", "region"),
        ("groups", "region"),
    }
    with pytest.raises(ValidationFailed):
        apply_org_plan(result, by=office)
    assert counts() == before


def test_an_office_may_not_write_another_regions_directory(orgs, office, admin_user):
    apply_org_plan(plan(TAIZHOU, admin_user), by=admin_user)
    changed = TAIZHOU.replace("泰州市质量技术监督局", "泰州市质监局(改)")
    result = plan(changed, office)
    assert [(e.section, e.field) for e in result.errors] == [("units", "region")]
    assert "泰州市" in result.error_lines()[0]


def test_an_office_creates_a_region_below_its_own_but_no_province(orgs, office):
    county = 'regions:\n  - {code: "431199", name: 新设区, kind: district, parent: "431100"}\n'
    assert plan(county, office).errors == []
    province = 'regions:\n  - {code: "440000", name: 广东省, kind: province, parent: null}\n'
    assert [e.field for e in plan(province, office).errors] == ["kind"]
    elsewhere = 'regions:\n  - {code: "430199", name: 某区, kind: district, parent: "430000"}\n'
    assert [e.field for e in plan(elsewhere, office).errors] == ["parent"]
    rename = 'regions:\n  - {code: "430000", name: 湖南, kind: province, parent: null}\n'
    assert plan(rename, office).errors


def test_only_an_admin_moves_a_unit_to_another_directory(orgs, office, admin_user):
    extra = '  - {code: tz-only, name: 市某办, kind: 政府部门, region: "321200"}\ngroups:'
    apply_org_plan(plan(TAIZHOU.replace("groups:", extra), admin_user), by=admin_user)
    move = (
        'units:\n  - {code: tz-only, name: 市某办, kind: 政府部门, region: "431100", '
        'moved_from: "321200"}\n'
    )
    refused = plan(move, office)
    assert [(e.section, e.line, e.field) for e in refused.errors] == [("units", 2, "region")]
    assert "只有系统管理员" in refused.error_lines()[0]
    allowed = plan(move, admin_user)
    assert allowed.errors == []
    [change] = allowed.writes
    assert ("region", "321200", "431100") in [(d.field, d.before, d.after) for d in change.diffs]
    apply_org_plan(allowed, by=admin_user)
    assert Unit.objects.get(code="tz-only").region.code == "431100"


def test_planning_queries_do_not_grow_with_the_file(orgs, office):
    def file_of(n: int) -> str:
        rows = "".join(
            f'  - {{code: n{i}, name: 市新{i}局, kind: 政府部门, region: "431100", aliases: [新{i}]}}\n'
            for i in range(n)
        )
        members = ", ".join(f"市新{i}局" for i in range(n))
        return f'units:\n{rows}groups:\n  - {{code: ng, name: 新组, region: "431100", members: [{members}]}}\n'

    plan(file_of(1), office)  # the user's scope is computed once and kept on the user
    small = count_queries(lambda: plan(file_of(2), office))
    large = count_queries(lambda: plan(file_of(60), office))
    assert large == small
    assert small <= 10


def test_hostile_files_are_refused(orgs):
    assert plan("a: &a [1]\nb: *a\n").errors
    assert plan('units:\n  - {code: x, name: "a\\0b", kind: 政府部门, region: "431100"}\n').errors
    assert plan(
        "units:\n  - {code: x, name: " + "长" * 101 + ', kind: 政府部门, region: "431100"}\n'
    ).errors
    big = loading.plan_from_upload("big.yaml", b"#" * (loading.MAX_BYTES + 1), by=None)
    assert "MB" in big.error_lines()[0]
    assert loading.plan_from_upload("x.txt", b"units: []", by=None).errors


def test_a_partial_file_keeps_the_directory_order(orgs, office, city):
    last = Unit.objects.filter(region=city).order_by("-position").first()
    result = plan(OWN, office)
    [unit] = [c for c in result.writes if c.kind == "unit"]
    assert unit.values["position"] == last.position + 1
    changed = (
        "units:\n  - {code: sfgw, name: 市发改委, full_name: 永州市发改委(新), kind: 政府部门, "
        'region: "431100"}\n'
    )
    [change] = plan(changed, office).writes
    assert [d.field for d in change.diffs] == ["full_name"]


def test_xlsx_rows_are_numbered_as_in_the_sheet_and_formulas_are_refused(orgs, office):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["代码", "简称", "全称", "类型", "行政区代码", "别名"])
    sheet.append(["n1", "市新一局", "", "政府部门", "431100", "新一局、一局\n第一局"])
    sheet.append(["n2", '=HYPERLINK("http://x")', "", "政府部门", "431100", ""])
    sheet.append(["n3", "市新三局", "", "政府部门", "430000", ""])
    groups = book.create_sheet("单位组")
    groups.append(["代码", "名称", "行政区代码", "成员单位"])
    groups.append(["g1", "新组", "431100", "市新一局、一局"])
    out = io.BytesIO()
    book.save(out)
    result = loading.plan_from_upload("u.xlsx", out.getvalue(), by=office)
    assert {(e.section, e.line) for e in result.errors} == {("units", 3), ("units", 4)}
    assert any("公式" in line for line in result.error_lines())
    assert any("单位 第 4 行" in line and "湖南省" in line for line in result.error_lines())
    [unit] = [c for c in result.changes if c.kind == "unit"]
    assert unit.values["aliases"] == ["一局", "新一局", "第一局"]
    [group] = [c for c in result.changes if c.kind == "group"]
    assert group.values["member_names"] == ["市新一局"]


def test_xlsx_that_expands_too_far_is_refused(orgs):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/bomb.xml", b"0" * (loading.MAX_UNZIPPED + 1))
    result = loading.plan_from_upload("b.xlsx", out.getvalue(), by=None)
    assert "过大" in result.error_lines()[0]


def test_xlsx_whose_sizes_lie_is_measured_by_inflating(orgs):
    """The archive's headers claim 10 bytes and it holds 60 MB: reading it through finds the lie
    (zipfile stops at the claimed size and the checksum fails), so it is refused unparsed."""
    from tests.test_archives import lying

    content = lying(b"0" * (loading.MAX_UNZIPPED + 10 * 1024 * 1024), claimed=10)
    result = loading.plan_from_upload("b.xlsx", content, by=None)
    assert "无法读取该 Excel 文件" in result.error_lines()[0]
