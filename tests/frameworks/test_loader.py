"""Loading framework files as versions, refusing bad files whole, and exporting them back."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from qualitycity.audit.models import AuditEvent
from qualitycity.errors import ValidationFailed
from qualitycity.frameworks.lint import lint_framework
from qualitycity.frameworks.loader import (
    YONGZHOU_FILE,
    FrameworkRefused,
    check_file,
    export_framework,
    known_names,
    load_framework,
    read_framework_file,
    spec_from_db,
)
from qualitycity.frameworks.models import (
    Criterion,
    CriterionUnit,
    Dimension,
    Framework,
    Item,
    UnitRole,
)
from qualitycity.frameworks.spec import content_hash, spec_to_data
from qualitycity.frameworks.table import framework_table

D = Decimal
TABLES = (Framework, Dimension, Item, Criterion, CriterionUnit, AuditEvent)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def yongzhou_data() -> dict:
    return yaml.safe_load(YONGZHOU_FILE.read_text(encoding="utf-8"))


def write(tmp_path, name, data) -> object:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def small(**over) -> dict:
    """A valid framework of one item with rows 1 and 2, using known Yongzhou units."""
    row2 = {
        "row": 2,
        "text": "2.召开质量工作部门联席会议(10分)",
        "points": 10,
        "rule": {"type": "manual", "step": 1},
        "lead_units": ["市创质办"],
        "cooperating_units": ["质量强市工作领导小组成员单位"],
    }
    row2.update(over)
    return {
        "code": "small",
        "title": "小表",
        "dimensions": [
            {
                "number": 1,
                "title": "组织",
                "items": [
                    {
                        "code": "1.1",
                        "title": "机制",
                        "max_points": 20,
                        "criteria": [
                            {
                                "row": 1,
                                "text": "1.建立联席会议制度(10分)",
                                "points": 10,
                                "rule": {"type": "binary"},
                                "lead_units": ["市创质办"],
                            },
                            row2,
                        ],
                    }
                ],
            }
        ],
    }


def criterion(framework, row, item=None):
    qs = Criterion.objects.filter(framework=framework, row=str(row))
    if item is not None:
        qs = qs.filter(item__code=item)
    return qs.get()


def units(crit, role):
    return list(crit.units.filter(role=role).order_by("position"))


# --- loading ---------------------------------------------------------------------------------


def test_loading_yongzhou_creates_version_1(orgs, no_framework):
    before = counts()
    framework, created = load_framework(YONGZHOU_FILE)
    assert created is True
    assert framework.code == "yongzhou-2017"
    assert framework.version == 1
    assert framework.title == "永州市创建全国质量强市示范城市工作任务分解及考核评分表(送审稿)"
    assert framework.source_file == "yongzhou-2017.yaml"
    assert framework.dimensions.count() == 10
    assert framework.items.count() == 50
    assert framework.criteria.count() == 125
    assert framework.content_hash == content_hash(read_framework_file(YONGZHOU_FILE).spec)
    after = counts()
    assert after["Framework"] == before["Framework"] + 1
    assert after["Dimension"] == before["Dimension"] + 10
    assert after["Item"] == before["Item"] + 50
    assert after["Criterion"] == before["Criterion"] + 125


def test_loading_writes_one_audit_event(orgs, no_framework):
    before = AuditEvent.objects.count()
    framework, _created = load_framework(YONGZHOU_FILE)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="framework.loaded")
    assert event.object_type == "frameworks.framework"
    assert event.object_id == str(framework.pk)
    assert event.after["code"] == "yongzhou-2017"
    assert event.after["version"] == 1
    assert event.after["content_hash"] == framework.content_hash
    assert (event.after["dimensions"], event.after["items"], event.after["criteria"]) == (
        10,
        50,
        125,
    )


def test_stored_criteria_keep_printed_points_and_corrected_maximum(yongzhou):
    row19 = criterion(yongzhou, 19)
    assert (row19.key, row19.points, row19.max_points) == ("2.5.1", D(10), D(20))
    first, second = Criterion.objects.filter(framework=yongzhou, row="48").order_by("position")
    assert (first.key, first.item.code, first.points, first.max_points) == (
        "4.1.1",
        "4.1",
        None,
        20,
    )
    assert (second.key, second.item.code) == ("4.2.1", "4.2")
    assert yongzhou.errata[0]["row"] == 19
    assert yongzhou.errata[0]["corrected"] == 20


def test_loading_the_same_file_again_changes_nothing(yongzhou):
    before = counts()
    framework, created = load_framework(YONGZHOU_FILE)
    assert created is False
    assert framework.pk == yongzhou.pk
    assert framework.version == 1
    assert counts() == before


def test_a_changed_file_becomes_version_2_and_version_1_is_untouched(yongzhou, tmp_path):
    v1_hash = yongzhou.content_hash
    v1_texts = list(yongzhou.criteria.order_by("position").values_list("text", flat=True))
    data = yongzhou_data()
    data["dimensions"][9]["items"][2]["criteria"][1]["text"] += ")"
    path = write(tmp_path, "yongzhou-2017-fixed.yaml", data)

    framework, created = load_framework(path)

    assert created is True
    assert framework.version == 2
    assert framework.pk != yongzhou.pk
    assert framework.content_hash != v1_hash
    assert criterion(framework, 124).text.endswith("(10分)")
    yongzhou.refresh_from_db()
    assert yongzhou.version == 1
    assert yongzhou.content_hash == v1_hash
    assert list(yongzhou.criteria.order_by("position").values_list("text", flat=True)) == v1_texts
    assert Criterion.objects.count() == 250
    assert AuditEvent.objects.filter(action="framework.loaded").count() == 2
    # Loading version 1's file again still finds version 1.
    again, created = load_framework(YONGZHOU_FILE)
    assert (again.pk, created) == (yongzhou.pk, False)


def test_loading_by_a_user_records_who(orgs, admin_user, no_framework):
    framework, _created = load_framework(YONGZHOU_FILE, by=admin_user)
    assert framework.loaded_by == admin_user
    event = AuditEvent.objects.get(action="framework.loaded")
    assert event.actor == admin_user


# --- refusals --------------------------------------------------------------------------------


REFUSALS = [
    pytest.param(
        "code: small\ntitle: 小表\ndimensions:\n  - number: [1\n",
        ["YAML 语法错误", "行"],
        None,
        id="yaml-syntax",
    ),
    pytest.param(small(text=None), ["缺少 text"], "2", id="missing-field"),
    pytest.param(small(rule={"type": "lottery"}), ["lottery"], "2", id="unknown-rule-type"),
    pytest.param(small(points=-10), ["不能为负数"], "2", id="negative-points"),
    pytest.param(small(points="十分"), ["十分", "必须是数字"], "2", id="non-numeric-points"),
    pytest.param(
        small(
            rule={
                "type": "tiers",
                "tiers": [{"label": "好", "points": 15}, {"label": "差", "points": 0}],
            }
        ),
        ["最高可得 15 分", "10 分"],
        "2",
        id="tiers-above-maximum",
    ),
]


@pytest.mark.parametrize(("content", "fragments", "row"), REFUSALS)
def test_a_bad_file_is_refused_whole(orgs, tmp_path, content, fragments, row):
    load_framework(YONGZHOU_FILE)
    path = write(tmp_path, "bad.yaml", content)
    before = counts()
    with pytest.raises(FrameworkRefused) as exc:
        load_framework(path)
    assert counts() == before
    [message] = exc.value.messages
    assert message.startswith(f"{path}:")
    if row is not None:
        assert f"第{row}行" in message
    for fragment in fragments:
        assert fragment in message


def test_each_problem_is_one_message(orgs, tmp_path, no_framework):
    data = small(points=-10)
    data["dimensions"][0]["items"][0]["criteria"][0]["rule"] = {"type": "lottery"}
    path = write(tmp_path, "two.yaml", data)
    with pytest.raises(FrameworkRefused) as exc:
        load_framework(path)
    assert len(exc.value.messages) == 2
    assert any("第1行" in m and "lottery" in m for m in exc.value.messages)
    assert any("第2行" in m and "负数" in m for m in exc.value.messages)
    assert counts()["Framework"] == 0


def test_names_no_directory_knows_load_as_printed(orgs, city, tmp_path):
    """A framework keeps unit names as text: a name no directory knows does not stop loading,
    and the lint against a region's directory reports it (a warning, not a refusal)."""
    data = yongzhou_data()
    data["dimensions"][2]["items"][3]["criteria"][2]["cooperating_units"].append("市卫健委")
    path = write(tmp_path, "yz.yaml", data)
    framework, created = load_framework(path)
    assert created is True
    assert CriterionUnit.objects.filter(
        criterion__framework=framework, printed_name="市卫健委"
    ).exists()
    _spec, findings = check_file(path, city)
    unknown = [f for f in findings if f.check == "unknown-unit"]
    assert [(f.severity, f.item, f.row, f.message) for f in unknown] == [
        (
            "warning",
            "3.4",
            "36",
            "“市卫健委”不在该行政区名录的单位、别名或单位组中。可能是:市卫计委、市卫生计生委、市农委。",
        )
    ]
    _spec, without_region = check_file(path)
    assert not [f for f in without_region if f.check == "unknown-unit"]


def test_a_table_without_a_unit_column_loads(orgs, tmp_path, no_framework):
    data = small()
    for crit in data["dimensions"][0]["items"][0]["criteria"]:
        crit.pop("lead_units")
        crit.pop("cooperating_units", None)
    path = write(tmp_path, "no-units.yaml", data)
    framework, created = load_framework(path)
    assert created is True
    assert framework.criteria.count() == 2
    assert not CriterionUnit.objects.filter(criterion__framework=framework).exists()
    _spec, findings = check_file(path)
    assert [f for f in findings if f.severity == "error"] == []


def test_a_missing_file_is_refused(orgs, tmp_path, no_framework):
    with pytest.raises(FrameworkRefused) as exc:
        load_framework(tmp_path / "nope.yaml")
    assert "文件不存在" in exc.value.messages[0]
    assert counts()["Framework"] == 0


def test_lint_errors_that_are_printed_defects_do_not_block_loading(orgs, tmp_path):
    # The Yongzhou table itself has item-sum, duplicate-row and lead-and-cooperating errors.
    path = write(tmp_path, "dup.yaml", small(row=1, cooperating_units=["市创质办"]))
    framework, created = load_framework(path)
    assert created is True
    assert framework.criteria.filter(row="1").count() == 2


# --- units -----------------------------------------------------------------------------------


def test_units_keep_their_printed_order_and_role(yongzhou):
    row43 = criterion(yongzhou, 43)
    assert [u.printed_name for u in units(row43, UnitRole.LEAD)] == [
        "湖南出入境检验检疫局永州办事处",
        "市农委",
    ]
    assert [u.printed_name for u in units(row43, UnitRole.COOPERATING)] == [
        "市农委",
        "市畜牧水产局",
        "市食药局",
    ]


# --- export ----------------------------------------------------------------------------------


def test_json_export_has_the_documented_shape(yongzhou):
    data = json.loads(export_framework(yongzhou, "json"))
    assert set(data) == {"code", "title", "source", "errata", "dimensions"}
    assert data["code"] == "yongzhou-2017"
    assert len(data["dimensions"]) == 10
    for dim in data["dimensions"]:
        assert set(dim) == {"number", "title", "items"}
        for it in dim["items"]:
            assert set(it) == {"code", "title", "max_points", "criteria"}
            assert isinstance(it["code"], str)
            for c in it["criteria"]:
                assert set(c) == {
                    "row",
                    "text",
                    "points",
                    "rule",
                    "not_applicable",
                    "lead_units",
                    "cooperating_units",
                    "remarks",
                    "note",
                }
                assert isinstance(c["row"], int)
                assert isinstance(c["lead_units"], list)
                assert isinstance(c["cooperating_units"], list)
    items = {it["code"]: it for dim in data["dimensions"] for it in dim["items"]}
    [row48] = items["4.1"]["criteria"]
    assert row48["row"] == 48
    assert row48["points"] is None
    assert row48["rule"]["type"] == "tiers"
    assert items["1.1"]["criteria"][0]["lead_units"] == ["市创质办"]
    assert items["1.1"]["criteria"][0]["cooperating_units"] == ["质量强市工作领导小组成员单位"]
    assert "市卫计委" in items["3.4"]["criteria"][2]["cooperating_units"]
    assert "市经济金融办" in items["8.4"]["criteria"][0]["cooperating_units"]
    assert items["3.6"]["criteria"][1]["not_applicable"] == {
        "allowed": True,
        "condition": "无口岸的城市",
    }
    assert items["1.3"]["criteria"][0]["rule"]["bounds"][1] == {"min": 0.6, "points": 20}
    assert data["errata"][0]["row"] == 19


def test_export_equals_the_loaded_file(yongzhou):
    data = json.loads(export_framework(yongzhou, "json"))
    assert data == spec_to_data(read_framework_file(YONGZHOU_FILE).spec)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_exported_file_loads_as_the_same_version(yongzhou, tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    path.write_text(export_framework(yongzhou, fmt), encoding="utf-8")
    before = counts()
    framework, created = load_framework(path)
    assert (framework.pk, created) == (yongzhou.pk, False)
    assert counts() == before


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_exported_file_loads_into_a_fresh_database_as_the_same_framework(yongzhou, tmp_path, fmt):
    original = spec_to_data(spec_from_db(yongzhou))
    path = tmp_path / f"export.{fmt}"
    path.write_text(export_framework(yongzhou, fmt), encoding="utf-8")
    Framework.objects.all().delete()
    assert Criterion.objects.count() == 0

    framework, created = load_framework(path)

    assert created is True
    assert framework.version == 1
    assert framework.content_hash == yongzhou.content_hash
    assert spec_to_data(spec_from_db(framework)) == original
    assert (
        CriterionUnit.objects.count()
        == CriterionUnit.objects.filter(criterion__framework=framework).count()
    )


def test_export_keeps_the_dimension_order_of_the_file(orgs, tmp_path):
    data = small()
    second = {
        "number": 2,
        "title": "文化",
        "items": [
            {
                "code": "2.1",
                "title": "质量精神",
                "max_points": 10,
                "criteria": [
                    {
                        "row": 3,
                        "text": "1.形成质量精神(10分)",
                        "points": 10,
                        "rule": {"type": "binary"},
                        "lead_units": ["市委宣传部"],
                    }
                ],
            }
        ],
    }
    data["dimensions"].insert(0, second)
    framework, _created = load_framework(write(tmp_path, "order.yaml", data))
    again = write(tmp_path, "again.yaml", export_framework(framework, "yaml"))
    assert load_framework(again) == (framework, False)


def test_export_refuses_an_unknown_format(yongzhou):
    with pytest.raises(ValidationFailed, match="json、yaml"):
        export_framework(yongzhou, "xml")


def test_a_stored_framework_keeps_its_errata_and_lints_like_its_file(yongzhou, city):
    spec = spec_from_db(yongzhou)
    row19 = next(c for it, c in spec.criteria() if it.code == "2.5")
    assert row19.maximum == D(20)
    _file_spec, file_findings = check_file(YONGZHOU_FILE, city)
    stored = lint_framework(spec, known_names(city))
    assert {(f.severity, f.check, f.item, f.row) for f in stored} == {
        (f.severity, f.check, f.item, f.row) for f in file_findings
    }
    table = framework_table(yongzhou)
    assert (table.errors, table.warnings, table.criteria_count) == (5, 14, 125)
    assert table.total_points == D(1055)


def test_a_row_printed_as_a_circled_number_loads_and_exports_as_printed(orgs, tmp_path):
    # Regression: "②".isdigit() is true but int("②") fails; export used to crash on it.
    path = write(tmp_path, "circled.yaml", small(row="②"))
    framework, created = load_framework(path)
    assert created is True
    assert framework.criteria.filter(row="②").exists()
    data = json.loads(export_framework(framework, "json"))
    assert [c["row"] for c in data["dimensions"][0]["items"][0]["criteria"]] == [1, "②"]
    again = write(tmp_path, "again.json", export_framework(framework, "json"))
    assert load_framework(again) == (framework, False)


@pytest.mark.parametrize(
    ("points", "max_points", "fragment"),
    [
        (2.555, 12.555, "两位小数"),
        (1_000_000, 1_000_010, "999999.99"),
    ],
)
def test_points_the_tables_cannot_store_are_refused(orgs, tmp_path, points, max_points, fragment):
    # Regression: 2.555 was rounded to 2.56 by the database (so its export loaded as a new
    # version), and 1000000 overflowed DecimalField(max_digits=8, decimal_places=2).
    data = small(points=points, text=f"2.召开会议({points}分)")
    data["dimensions"][0]["items"][0]["max_points"] = max_points
    path = write(tmp_path, "points.yaml", data)
    before = counts()
    with pytest.raises(FrameworkRefused) as exc:
        load_framework(path)
    assert counts() == before
    assert len(exc.value.messages) == 2
    assert any(m.startswith(f"{path}:指标 1.1:错误:") for m in exc.value.messages)
    assert any(m.startswith(f"{path}:第2行 指标 1.1:错误:") for m in exc.value.messages)
    assert all(fragment in m for m in exc.value.messages)


def test_points_with_two_decimals_round_trip(orgs, tmp_path):
    data = small(points=2.55, text="2.召开会议(2.55分)")
    data["dimensions"][0]["items"][0]["max_points"] = 12.55
    framework, _created = load_framework(write(tmp_path, "two.yaml", data))
    assert criterion(framework, 2).points == D("2.55")
    again = write(tmp_path, "again.yaml", export_framework(framework, "yaml"))
    assert load_framework(again) == (framework, False)


# --- commands --------------------------------------------------------------------------------


def test_export_command_writes_json(yongzhou):
    out = StringIO()
    call_command("framework", "export", "yongzhou-2017", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == json.loads(export_framework(yongzhou, "json"))


def test_export_command_writes_yaml_to_a_file(yongzhou, tmp_path):
    path = tmp_path / "out.yaml"
    call_command("framework", "export", "yongzhou-2017", "--format", "yaml", "--output", str(path))
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == json.loads(
        export_framework(yongzhou, "json")
    )


def test_export_command_picks_a_version(yongzhou, tmp_path):
    data = yongzhou_data()
    data["title"] = "永州评分表(修订)"
    load_framework(write(tmp_path, "v2.yaml", data))
    out = StringIO()
    call_command("framework", "export", "yongzhou-2017", "--version", "1", stdout=out)
    assert json.loads(out.getvalue())["title"] == yongzhou.title
    out = StringIO()
    call_command("framework", "export", "yongzhou-2017", stdout=out)
    assert json.loads(out.getvalue())["title"] == "永州评分表(修订)"


def test_export_command_refuses_an_unknown_code(orgs):
    with pytest.raises(CommandError, match="不存在"):
        call_command("framework", "export", "nowhere-2020", stdout=StringIO())


def test_load_command_loads_then_changes_nothing(orgs, no_framework):
    out = StringIO()
    call_command("framework", "load", str(YONGZHOU_FILE), stdout=out)
    assert out.getvalue().strip() == "已导入 yongzhou-2017 第 1 版:125 条评分细则。"
    event = AuditEvent.objects.get(action="framework.loaded")
    assert event.source == "cli"
    before = counts()
    out = StringIO()
    call_command("framework", "load", str(YONGZHOU_FILE), stdout=out)
    assert out.getvalue().strip() == "yongzhou-2017 第 1 版内容相同,未作更改。"
    assert counts() == before


def test_load_command_refuses_a_bad_file_and_writes_nothing(orgs, tmp_path):
    path = write(tmp_path, "bad.yaml", small(points=-10))
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="没有写入任何数据"):
        call_command("framework", "load", str(path), stdout=StringIO(), stderr=err)
    assert counts() == before
    [line] = err.getvalue().splitlines()
    assert line.startswith(f"{path}:第2行 指标 1.1:错误:points")
    assert "不能为负数" in line


def test_a_misspelt_key_refuses_the_file_and_writes_nothing(orgs, tmp_path):
    data = yongzhou_data()
    c = data["dimensions"][2]["items"][3]["criteria"][2]
    c["cooperating_unit"] = c.pop("cooperating_units")
    path = write(tmp_path, "yz.yaml", data)
    before = counts()
    with pytest.raises(FrameworkRefused) as exc:
        load_framework(path)
    assert exc.value.messages == [
        f"{path}:第36行 指标 3.4:错误:未知的字段“cooperating_unit”,是否应为“cooperating_units”?"
    ]
    assert counts() == before
