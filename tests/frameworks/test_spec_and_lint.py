"""parse_framework and lint_framework on small in-memory frameworks, without the database."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from qualitycity.frameworks.lint import has_errors, lint_framework
from qualitycity.frameworks.spec import parse_framework

D = Decimal

KNOWN = {
    "市创质办": "市创质办",
    "市质监局": "市质监局",
    "市卫生计生委": "市卫生计生委",
    "市卫计委": "市卫生计生委",
    "质量强市工作领导小组成员单位": "质量强市工作领导小组成员单位",
}

TIERS_20 = {
    "type": "tiers",
    "tiers": [
        {"label": "好", "points": 20},
        {"label": "中", "points": 10},
        {"label": "差", "points": 0},
    ],
}


def criterion(row, points=10, text=None, rule=None, **extra):
    data = {
        "row": row,
        "text": text if text is not None else f"{row}.建立工作制度({points}分)",
        "points": points,
        "rule": rule or {"type": "binary"},
        "lead_units": ["市创质办"],
        "cooperating_units": ["质量强市工作领导小组成员单位"],
    }
    data.update(extra)
    return data


def minimal():
    """A valid framework: one dimension, item 1.1 (20 points) with rows 1 and 2 of 10 points."""
    return {
        "code": "test-fw",
        "title": "测试评分表",
        "source": "测试",
        "dimensions": [
            {
                "number": 1,
                "title": "质量战略",
                "items": [
                    {
                        "code": "1.1",
                        "title": "制定实施意见",
                        "max_points": 20,
                        "criteria": [
                            criterion(1),
                            criterion(2, rule={"type": "manual", "step": 1}),
                        ],
                    }
                ],
            }
        ],
    }


def item(data, code="1.1"):
    return next(i for d in data["dimensions"] for i in d["items"] if i["code"] == code)


def crit(data, row, code="1.1"):
    return next(c for c in item(data, code)["criteria"] if c["row"] == row)


def parsed(data):
    spec, findings = parse_framework(data)
    assert findings == [], [f.message for f in findings]
    return spec


def lint(data, known=KNOWN):
    return lint_framework(parsed(data), known)


def keys(findings):
    return {(f.severity, f.check, f.item, f.row) for f in findings}


def structural(data):
    spec, findings = parse_framework(data)
    assert findings, "expected structural findings"
    assert all(f.severity == "error" for f in findings)
    return spec, findings


# --- a clean framework -----------------------------------------------------------------------


def test_a_clean_framework_gives_no_findings():
    spec = parsed(minimal())
    assert lint_framework(spec, KNOWN) == []
    assert lint_framework(spec, None) == []
    assert not has_errors([])


def test_it_parses_the_framework_into_specs():
    data = minimal()
    data["errata"] = []
    spec = parsed(data)
    assert (spec.code, spec.title, spec.source) == ("test-fw", "测试评分表", "测试")
    [dim] = spec.dimensions
    assert (dim.number, dim.title) == (1, "质量战略")
    [it] = dim.items
    assert (it.code, it.max_points) == ("1.1", D(20))
    first, second = it.criteria
    assert (first.row, first.key, first.points, first.maximum) == ("1", "1.1.1", D(10), D(10))
    assert first.rule.type == "binary"
    assert first.lead_units == ("市创质办",)
    assert first.cooperating_units == ("质量强市工作领导小组成员单位",)
    assert (second.key, second.rule.type) == ("1.1.2", "manual")


def test_a_row_printed_as_text_is_kept():
    data = minimal()
    crit(data, 2)["row"] = "2-1"
    assert parsed(data).items()[0].criteria[1].row == "2-1"


# --- lint checks -----------------------------------------------------------------------------


def test_item_sum_is_an_error_when_criteria_do_not_add_up():
    data = minimal()
    item(data)["max_points"] = 25
    findings = lint(data)
    assert keys(findings) == {("error", "item-sum", "1.1", None)}
    assert "20" in findings[0].message
    assert "25" in findings[0].message
    assert has_errors(findings)


def test_duplicate_row_is_an_error_naming_both_items():
    data = minimal()
    data["dimensions"][0]["items"].append(
        {"code": "1.2", "title": "组织保障", "max_points": 10, "criteria": [criterion(2)]}
    )
    findings = lint(data)
    assert keys(findings) == {("error", "duplicate-row", None, "2")}
    assert "1.1" in findings[0].message
    assert "1.2" in findings[0].message
    assert "2 次" in findings[0].message


def test_duplicate_row_within_one_item():
    data = minimal()
    crit(data, 2)["row"] = 1
    assert keys(lint(data)) == {("error", "duplicate-row", None, "1")}


def test_row_numbers_and_row_strings_are_the_same_row():
    data = minimal()
    crit(data, 2)["row"] = "1"
    assert keys(lint(data)) == {("error", "duplicate-row", None, "1")}


def test_tier_max_is_an_error_when_stated_points_differ_from_the_rule_top():
    data = minimal()
    crit(data, 2)["rule"] = {
        "type": "tiers",
        "tiers": [{"label": "好", "points": 5}, {"label": "差", "points": 0}],
    }
    findings = lint(data)
    assert keys(findings) == {("error", "tier-max", "1.1", "2")}
    assert "10" in findings[0].message
    assert "5" in findings[0].message


def test_tier_max_is_a_warning_when_an_erratum_corrects_it():
    data = minimal()
    item(data)["max_points"] = 30
    crit(data, 2)["rule"] = TIERS_20
    data["errata"] = [
        {
            "item": "1.1",
            "row": 2,
            "field": "points",
            "printed": 10,
            "corrected": 20,
            "reason": "档次最高20分",
        }
    ]
    spec = parsed(data)
    assert spec.items()[0].criteria[1].points == D(10)
    assert spec.items()[0].criteria[1].maximum == D(20)
    findings = lint_framework(spec, KNOWN)
    assert keys(findings) == {
        ("warning", "tier-max", "1.1", "2"),
        ("warning", "item-sum", "1.1", None),
    }
    tier = next(f for f in findings if f.check == "tier-max")
    assert "勘误" in tier.message
    assert "档次最高20分" in tier.message
    assert not has_errors(findings)


def test_rule_above_max_is_an_error():
    # Printed 20 like the tiers, but an erratum lowers the row to 10: the tiers now exceed it.
    data = minimal()
    crit(data, 2).update(points=20, text="2.建立工作制度(20分)", rule=TIERS_20)
    data["errata"] = [
        {"item": "1.1", "row": 2, "field": "points", "printed": 20, "corrected": 10, "reason": "r"}
    ]
    findings = lint(data)
    assert ("error", "rule-above-max", "1.1", "2") in keys(findings)
    assert "tier-max" not in {f.check for f in findings}
    above = next(f for f in findings if f.check == "rule-above-max")
    assert "20" in above.message
    assert "10" in above.message


def test_tiers_above_stated_points_give_tier_max_and_rule_above_max():
    data = minimal()
    crit(data, 2)["rule"] = TIERS_20
    assert keys(lint(data)) == {
        ("error", "tier-max", "1.1", "2"),
        ("error", "rule-above-max", "1.1", "2"),
    }


def test_unknown_unit_is_a_warning_only_when_a_directory_is_given():
    data = minimal()
    crit(data, 1)["lead_units"] = ["市不存在局"]
    crit(data, 2)["cooperating_units"] = ["质量强市工作领导小组成员单位", "市外星局"]
    findings = lint(data, KNOWN)
    assert keys(findings) == {
        ("warning", "unknown-unit", "1.1", "1"),
        ("warning", "unknown-unit", "1.1", "2"),
    }
    assert {f.row: f.message for f in findings}["1"].count("市不存在局") == 1
    assert "市外星局" in {f.row: f.message for f in findings}["2"]
    assert lint(data, None) == []


def test_aliases_and_groups_are_known_units():
    data = minimal()
    crit(data, 1)["cooperating_units"] = ["市卫计委", "市卫生计生委"]
    assert lint(data, KNOWN) == []


def test_lead_and_cooperating_is_an_error():
    data = minimal()
    crit(data, 1)["cooperating_units"] = ["市创质办", "市质监局"]
    findings = lint(data)
    assert keys(findings) == {("error", "lead-and-cooperating", "1.1", "1")}
    assert "市创质办" in findings[0].message


def test_lead_and_cooperating_through_two_aliases_of_one_unit():
    data = minimal()
    crit(data, 1)["lead_units"] = ["市卫计委"]
    crit(data, 1)["cooperating_units"] = ["市卫生计生委"]
    findings = lint(data, KNOWN)
    assert keys(findings) == {("error", "lead-and-cooperating", "1.1", "1")}
    assert "市卫计委" in findings[0].message
    assert "市卫生计生委" in findings[0].message
    # Without the unit names the two spellings cannot be told to be one unit.
    assert lint(data, None) == []


def test_no_points_is_a_warning_with_the_rule_top():
    data = minimal()
    crit(data, 2).update(points=None, text="2.成立机构的得20分;未成立的得0分。", rule=TIERS_20)
    item(data)["max_points"] = 30
    findings = lint(data)
    assert keys(findings) == {("warning", "no-points", "1.1", "2")}
    assert "20" in findings[0].message
    assert parsed(data).items()[0].criteria[1].maximum == D(20)


def test_merged_criteria_is_a_warning():
    data = minimal()
    crit(data, 2)["text"] = "2. 农业标准化生产普及率达到30%以上 3. 全面完成示范市创建(10分)"
    findings = lint(data)
    assert keys(findings) == {("warning", "merged-criteria", "1.1", "2")}
    assert "2." in findings[0].message
    assert "3." in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "1.达到3.5%以上(10分)",
        "1、根据永州实际情况出台政策措施(10分)",
        "1.质量发展纲要2011-2020年(10分)",
    ],
)
def test_one_numbered_criterion_is_not_merged(text):
    data = minimal()
    crit(data, 1)["text"] = text
    assert lint(data) == []


def test_text_points_is_a_warning_when_the_text_states_other_points():
    data = minimal()
    crit(data, 2)["text"] = "2.召开联席会议(5分)"
    findings = lint(data)
    assert keys(findings) == {("warning", "text-points", "1.1", "2")}
    assert "5" in findings[0].message
    assert "10" in findings[0].message


def test_text_points_compares_the_last_stated_points():
    data = minimal()
    crit(data, 2)["text"] = "2.达到的(30分);其余(10分)"
    assert lint(data) == []


def test_text_points_reads_an_unclosed_bracket():
    data = minimal()
    crit(data, 2)["text"] = "2.在全国具有推广价值(10分"
    assert lint(data) == []


def test_text_points_is_a_warning_when_points_are_null():
    data = minimal()
    crit(data, 2).update(points=None, rule=TIERS_20, text="2.好的得20分(20分)")
    item(data)["max_points"] = 30
    assert keys(lint(data)) == {
        ("warning", "no-points", "1.1", "2"),
        ("warning", "text-points", "1.1", "2"),
    }


def test_na_condition_is_a_warning_when_missing():
    data = minimal()
    crit(data, 2)["not_applicable"] = {"allowed": True}
    findings = lint(data)
    assert keys(findings) == {("warning", "na-condition", "1.1", "2")}
    spec = parsed(data)
    assert spec.items()[0].criteria[1].na_allowed is True


def test_na_with_a_condition_is_clean():
    data = minimal()
    crit(data, 2)["not_applicable"] = {"allowed": True, "condition": "无口岸的城市"}
    assert lint(data) == []
    c = parsed(data).items()[0].criteria[1]
    assert (c.na_allowed, c.na_condition) == (True, "无口岸的城市")


def test_findings_are_rendered_with_file_row_and_item():
    data = minimal()
    crit(data, 2)["text"] = "2.召开联席会议(5分)"
    [finding] = lint(data)
    line = finding.render("fw.yaml")
    assert line.startswith("fw.yaml:第2行 指标 1.1:警告:")


# --- structural problems ---------------------------------------------------------------------


@pytest.mark.parametrize("field", ["text", "points", "rule"])
def test_a_criterion_missing_a_field_is_refused_with_its_row(field):
    data = minimal()
    del crit(data, 2)[field]
    spec, findings = structural(data)
    assert keys(findings) == {("error", "field", "1.1", "2")}
    assert field in findings[0].message
    assert [c.row for c in spec.items()[0].criteria] == ["1"]


def test_a_criterion_missing_its_row_is_refused_with_its_item():
    data = minimal()
    del crit(data, 2)["row"]
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "field", "1.1", None)}
    assert "row" in findings[0].message
    assert "第 2 条" in findings[0].message


@pytest.mark.parametrize("lead", [[], None])
def test_rows_without_lead_units_are_read_as_printed(lead):
    """Tables without a unit column: the campaign assigns the row's units."""
    data = minimal()
    if lead is None:
        del crit(data, 1)["lead_units"]
    else:
        crit(data, 1)["lead_units"] = lead
    spec, findings = parse_framework(data)
    assert findings == []
    assert spec.items()[0].criteria[0].lead_units == ()
    assert lint(data, KNOWN) == []


def test_lead_units_that_are_not_a_list_are_refused():
    data = minimal()
    crit(data, 1)["lead_units"] = {"name": "市创质办"}
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "field", "1.1", "1")}
    assert "lead_units" in findings[0].message


def test_an_item_missing_max_points_is_refused():
    data = minimal()
    del item(data)["max_points"]
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "field", "1.1", None)}
    assert "max_points" in findings[0].message


@pytest.mark.parametrize("field", ["code", "title", "dimensions"])
def test_a_framework_missing_a_top_level_field_is_refused(field):
    data = minimal()
    del data[field]
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "field", None, None)}
    assert field in findings[0].message


def test_a_framework_code_must_be_lowercase_letters_digits_and_hyphens():
    data = minimal()
    data["code"] = "Yongzhou 2017"
    _spec, findings = structural(data)
    assert "code" in findings[0].message


def test_a_framework_code_with_a_trailing_newline_is_refused():
    data = minimal()
    data["code"] = "test-fw\n"
    _spec, findings = structural(data)
    assert "code" in findings[0].message


def test_a_file_that_is_not_a_mapping_is_refused():
    spec, findings = parse_framework(["code", "title"])
    assert spec is None
    assert [f.check for f in findings] == ["structure"]


def test_an_unknown_rule_type_is_refused_with_its_row():
    data = minimal()
    crit(data, 2)["rule"] = {"type": "vote"}
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "rule", "1.1", "2")}
    assert "vote" in findings[0].message
    assert "manual" in findings[0].message


def test_negative_points_are_refused_with_their_row():
    data = minimal()
    crit(data, 2)["points"] = -10
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "points", "1.1", "2")}
    assert "负数" in findings[0].message


def test_non_numeric_points_are_refused_with_their_row():
    data = minimal()
    crit(data, 2)["points"] = "十分"
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "points", "1.1", "2")}
    assert "十分" in findings[0].message


def test_negative_item_maximum_is_refused():
    data = minimal()
    item(data)["max_points"] = -20
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "points", "1.1", None)}


def test_stated_points_are_required_for_manual_rules():
    data = minimal()
    crit(data, 2)["points"] = None
    _spec, findings = structural(data)
    assert keys(findings) == {("error", "points", "1.1", "2")}
    assert "manual" in findings[0].message


def test_every_problem_is_one_finding():
    data = minimal()
    crit(data, 1)["points"] = -1
    crit(data, 2)["rule"] = {"type": "vote"}
    item(data)["title"] = ""
    _spec, findings = structural(data)
    assert keys(findings) == {
        ("error", "points", "1.1", "1"),
        ("error", "rule", "1.1", "2"),
        ("error", "field", "1.1", None),
    }
    assert len(findings) == 3


def test_duplicate_item_codes_and_dimension_numbers_are_refused():
    data = minimal()
    data["dimensions"].append(copy.deepcopy(data["dimensions"][0]))
    _spec, findings = structural(data)
    assert ("error", "field", "1.1", None) in keys(findings)
    assert any("编号 1 重复" in f.message for f in findings)


ERRATUM = {
    "item": "1.1",
    "row": 2,
    "field": "points",
    "printed": 10,
    "corrected": 20,
    "reason": "r",
}


@pytest.mark.parametrize(
    ("change", "fragment", "where"),
    [
        ({"printed": 5}, "原印分值 5", ("1.1", "2")),
        ({"row": 9}, "不存在", ("1.1", "9")),
        ({"item": "9.9"}, "不存在", ("9.9", "2")),
        ({"reason": ""}, "理由", ("1.1", "2")),
        ({"reason": None}, "理由", ("1.1", "2")),
        ({"field": "text"}, "只能更正 points", ("1.1", "2")),
        ({"corrected": "二十"}, "二十", ("1.1", "2")),
        ({"corrected": -1}, "负数", ("1.1", "2")),
    ],
)
def test_bad_errata_are_refused(change, fragment, where):
    data = minimal()
    data["errata"] = [{**ERRATUM, **change}]
    spec, findings = structural(data)
    assert keys(findings) == {("error", "errata", *where)}
    assert fragment in findings[0].message
    assert spec.errata == []
    assert spec.items()[0].criteria[1].maximum == D(10)


def test_two_errata_for_the_same_row_are_refused():
    data = minimal()
    item(data)["max_points"] = 30
    crit(data, 2)["rule"] = TIERS_20
    data["errata"] = [ERRATUM, {**ERRATUM, "corrected": 15, "reason": "另一理由"}]
    _spec, findings = parse_framework(data)
    assert ("error", "errata", "1.1", "2") in keys(findings)


def test_errata_must_be_a_list_of_mappings():
    data = minimal()
    data["errata"] = {"item": "1.1"}
    assert [f.check for f in structural(data)[1]] == ["errata"]
    data["errata"] = ["1.1"]
    assert [f.check for f in structural(data)[1]] == ["errata"]


def test_a_good_erratum_changes_the_maximum_not_the_printed_points():
    data = minimal()
    item(data)["max_points"] = 30
    data["errata"] = [ERRATUM]
    spec = parsed(data)
    c = spec.items()[0].criteria[1]
    assert (c.points, c.effective_points, c.maximum) == (D(10), D(20), D(20))
    [erratum] = spec.errata
    assert (erratum.item, erratum.row, erratum.printed, erratum.corrected) == (
        "1.1",
        "2",
        D(10),
        D(20),
    )
    # An erratum on a row with no other defect is no finding by itself; the sums now agree.
    assert keys(lint_framework(spec, KNOWN)) == {("warning", "item-sum", "1.1", None)}


# --- unknown keys are refused, with the nearest known key ------------------------------------


def test_a_misspelt_criterion_key_is_refused_with_the_nearest_known_one():
    data = minimal()
    c = crit(data, 1)
    c["cooperating_unit"] = c.pop("cooperating_units")
    _spec, findings = structural(data)
    [finding] = findings
    assert (finding.check, finding.item, finding.row) == ("unknown_key", "1.1", "1")
    assert finding.message == "未知的字段“cooperating_unit”,是否应为“cooperating_units”?"


def test_a_key_like_no_known_one_lists_the_known_keys():
    data = minimal()
    data["自定义"] = "x"
    _spec, findings = structural(data)
    assert [f.message for f in findings] == [
        "未知的字段“自定义”,可用的字段:code, title, source, errata, bonus_cap, grades, total_points, dimensions。"
    ]


@pytest.mark.parametrize(
    ("where", "key"),
    [("dimension", "titel"), ("item", "max_point"), ("na", "conditon"), ("erratum", "reson")],
)
def test_unknown_keys_are_refused_at_every_level(where, key):
    data = minimal()
    if where == "dimension":
        data["dimensions"][0][key] = "x"
    elif where == "item":
        item(data)[key] = 20
    elif where == "na":
        crit(data, 1)["not_applicable"] = {"allowed": True, key: "无此类企业"}
    else:
        data["errata"] = [
            {"item": "1.1", "row": 1, "field": "points", "printed": 5, "corrected": 10, key: "x"}
        ]
    _spec, findings = parse_framework(data)
    assert any(f.check == "unknown_key" and f"“{key}”" in f.message for f in findings)


def test_unknown_keys_inside_a_rule_and_its_entries_are_refused():
    data = minimal()
    crit(data, 1)["rule"] = {"type": "manual", "stepp": 1}
    crit(data, 2)["rule"] = {
        "type": "tiers",
        "tiers": [{"label": "全部完成", "points": 10}, {"label": "部分", "points": 5, "pionts": 3}],
    }
    _spec, findings = parse_framework(data)
    messages = [f.message for f in findings if f.check == "unknown_key"]
    assert "未知的字段“stepp”,是否应为“step”?" in messages
    assert "未知的字段“pionts”,是否应为“points”?" in messages


def test_the_built_in_framework_has_no_unknown_keys():
    import yaml

    from qualitycity.frameworks.loader import YONGZHOU_FILE

    _spec, findings = parse_framework(yaml.safe_load(YONGZHOU_FILE.read_text(encoding="utf-8")))
    assert [f for f in findings if f.check == "unknown_key"] == []


def test_a_deduction_without_stated_points_is_refused():
    data = minimal()
    c = crit(data, 2)
    c["rule"] = {"type": "deduction", "per": 2}
    c["points"] = None
    _spec, findings = structural(data)
    assert [f.message for f in findings] == ["“deduction”规则的评分细则必须标明分值(points)。"]
    c["points"] = 10
    assert lint(data) == []


def test_a_bound_may_say_strict_and_a_misspelt_strict_is_refused():
    data = minimal()
    crit(data, 2)["rule"] = {
        "type": "threshold",
        "bounds": [{"min": 80, "points": 10}, {"min": 60, "points": 5, "strict": True}],
    }
    parsed(data)
    crit(data, 2)["rule"]["bounds"][1] = {"min": 60, "points": 5, "strikt": True}
    _spec, findings = parse_framework(data)
    assert [f.message for f in findings] == ["未知的字段“strikt”,是否应为“strict”?"]
