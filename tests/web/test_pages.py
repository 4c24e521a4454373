"""Pages: who sees what, and the framework table."""

from pathlib import Path

import pytest
import yaml

from qualitycity.frameworks.loader import load_framework
from qualitycity.orgs.models import Unit, UnitGroup
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def test_home_shows_roles_and_frameworks(client, office, yongzhou):
    client.force_login(office)
    body = client.get("/").content.decode()
    assert "创质办" in body
    assert yongzhou.title in body


def test_framework_page_shows_the_table_with_findings(client, office, yongzhou):
    client.force_login(office)
    response = client.get(f"/frameworks/{yongzhou.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-criterion="') == 125
    assert "城市质量发展战略规划明确清晰" in body
    assert "1.1 制定并出台质量发展实施意见" in body
    assert "序号 48 出现 2 次" in body
    assert "各评分细则分值合计 21 分" in body
    assert "“市农委”同时列为牵头单位和配合单位" in body
    assert 'data-testid="total-points">1055<' in body
    assert "无口岸的城市" in body
    # the same findings as `framework lint`: 5 errors, 14 warnings
    assert "5 个错误" in body and "14 个警告" in body


@pytest.mark.parametrize("persona", ["office", "liaison", "assessor", "leader", "admin_user"])
def test_every_role_reads_the_framework(request, client, yongzhou, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/frameworks/{yongzhou.pk}/").status_code == 200


def test_a_user_without_a_role_gets_404(client, outsider, yongzhou):
    client.force_login(outsider)
    assert client.get(f"/frameworks/{yongzhou.pk}/").status_code == 404
    assert client.get("/frameworks/999999/").status_code == 404


def _small_framework(tmp_path: Path) -> Path:
    data = {
        "code": "small",
        "title": "小表",
        "dimensions": [
            {
                "number": 1,
                "title": "一",
                "items": [
                    {
                        "code": "1.1",
                        "title": "甲",
                        "max_points": 10,
                        "criteria": [
                            {
                                "row": 1,
                                "text": "1.甲(10分)",
                                "points": 10,
                                "rule": {"type": "binary"},
                                "lead_units": ["市创质办"],
                                "cooperating_units": ["质量强市工作领导小组成员单位"],
                            }
                        ],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_framework_page_queries_do_not_grow_with_rows(client, office, yongzhou, tmp_path):
    small, _ = load_framework(_small_framework(tmp_path))
    client.force_login(office)
    client.get("/")  # warm the session
    n_small = count_queries(lambda: client.get(f"/frameworks/{small.pk}/"))
    n_large = count_queries(lambda: client.get(f"/frameworks/{yongzhou.pk}/"))
    # Yongzhou's rules read indicators: their names are one query more, however many rows
    assert n_large == n_small + 1
    assert n_large <= 17  # includes the unread-notification badge in the header


def test_unit_and_group_lists_do_not_grow_with_units(client, office):
    client.force_login(office)
    client.get("/")
    units = count_queries(lambda: client.get("/orgs/units/"))
    groups = count_queries(lambda: client.get("/orgs/groups/"))
    Unit.objects.create(
        code="x1", name="测试单位一", kind="政府部门", region_id=office.memberships.get().region_id
    )
    UnitGroup.objects.create(code="g1", name="测试组", region_id=office.memberships.get().region_id)
    assert count_queries(lambda: client.get("/orgs/units/")) == units
    assert count_queries(lambda: client.get("/orgs/groups/")) == groups


def test_the_office_edits_a_unit_on_its_page(client, office):
    unit = Unit.objects.get(name="市质监局")
    client.force_login(office)
    page = client.get(f"/orgs/units/{unit.pk}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/orgs/units/{unit.pk}/edit/",
        {
            "name": "市质监局",
            "full_name": "新全称",
            "kind": unit.kind,
            "region": unit.region_id,
            "aliases": "质监局",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.full_name == "新全称"
    assert list(unit.aliases.values_list("name", flat=True)) == ["质监局"]


def test_a_refused_unit_edit_shows_why_and_changes_nothing(client, office):
    unit = Unit.objects.get(name="市食药局")
    client.force_login(office)
    response = client.post(
        f"/orgs/units/{unit.pk}/edit/",
        {
            "name": "市财政局",
            "full_name": "x",
            "kind": unit.kind,
            "region": unit.region_id,
            "aliases": "",
        },
    )
    assert response.status_code == 400
    assert "名称“市财政局”已被本名录中其他单位、单位组或别名使用" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "市食药局"
    assert list(unit.aliases.values_list("name", flat=True)) == ["市食品药品监管局"]


@pytest.mark.parametrize("persona", ["liaison", "assessor", "leader", "outsider"])
def test_only_the_office_opens_edit_pages(request, client, orgs, persona):
    unit = Unit.objects.get(name="市质监局")
    group = UnitGroup.objects.first()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/orgs/units/{unit.pk}/edit/").status_code == 404
    assert client.post(f"/orgs/units/{unit.pk}/edit/", {"name": "x"}).status_code == 404
    assert client.get(f"/orgs/groups/{group.pk}/edit/").status_code == 404


def test_the_office_edits_group_members(client, office):
    group = UnitGroup.objects.get(name="各园区管委会")
    members = list(group.members.values_list("pk", flat=True))
    extra = Unit.objects.get(name="市统计局")
    client.force_login(office)
    response = client.post(
        f"/orgs/groups/{group.pk}/edit/",
        {
            "name": group.name,
            "description": group.description,
            "aliases": "",
            "members": [*members, extra.pk],
        },
    )
    assert response.status_code == 302
    assert group.members.filter(pk=extra.pk).exists()


def test_admin_pages_open_in_chinese(client, admin_user, yongzhou):
    client.force_login(admin_user)
    for url in (
        "/admin/",
        "/admin/orgs/unit/",
        "/admin/orgs/unitgroup/",
        "/admin/orgs/alias/",
        "/admin/orgs/region/",
        "/admin/orgs/membership/",
        "/admin/orgs/user/",
        "/admin/frameworks/framework/",
        "/admin/frameworks/criterion/",
        "/admin/frameworks/item/",
        "/admin/frameworks/dimension/",
        "/admin/frameworks/criterionunit/",
        "/admin/audit/auditevent/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "质量强市创建管理平台" in client.get("/admin/").content.decode()


def test_no_template_adds_a_second_htmx_config_which_htmx_would_ignore():
    """htmx reads the first htmx-config meta only: base.html's block. A page that adds its own
    meta (the 月报 did, in the head block) silently loses its settings, e.g. the 422 swap that
    shows an upload's refusal in place."""
    from pathlib import Path

    import qualitycity

    root = Path(qualitycity.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("templates/**/*.html")
        if 'name="htmx-config"' in p.read_text(encoding="utf-8") and p.name != "base.html"
    ]
    assert offenders == []
