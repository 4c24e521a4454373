"""Composite rules (`all` / `any` of conditions) and `parts` (sub-criteria that add up): pure."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitycity.frameworks.lint import lint_framework
from qualitycity.frameworks.rules import (
    Binary,
    Composite,
    Condition,
    IndicatorRule,
    Parts,
    RuleError,
    coerce,
    describe,
    parse_rule,
    score,
    value_to_json,
)
from qualitycity.frameworks.spec import parse_framework
from tests.frameworks.test_spec_and_lint import KNOWN, criterion, item, keys, minimal, parsed

D = Decimal
CHINESE = re.compile(r"[\u4e00-\u9fff]")

ROW_82 = {
    "type": "all",
    "conditions": [
        {"label": "当年未发生出口商品遭境外通报或退运", "rule": {"type": "binary"}},
        {"label": "通报比率低于全国平均水平", "rule": {"type": "indicator", "indicator": "X"}},
    ],
}
ROW_110 = {
    "type": "any",
    "conditions": [
        {"label": "满意度连续3年不断提高", "rule": {"type": "indicator", "indicator": "S"}},
        {"label": "投诉率连续3年不断递减", "rule": {"type": "binary"}},
    ],
}
HALF_AND_HALF = {
    "type": "parts",
    "parts": [
        {"text": "出台实施意见", "points": 0.5, "rule": {"type": "binary"}},
        {"text": "召开推进会", "points": 0.5, "rule": {"type": "binary"}},
    ],
}


def refused(data) -> str:
    with pytest.raises(RuleError) as exc:
        parse_rule(data)
    assert CHINESE.search(str(exc.value)), str(exc.value)
    return str(exc.value)


# --- all / any --------------------------------------------------------------------------------


def test_all_gives_the_points_only_when_every_condition_holds():
    rule = parse_rule(ROW_82)
    assert rule == Composite(
        "all",
        (
            Condition("当年未发生出口商品遭境外通报或退运", Binary()),
            Condition("通报比率低于全国平均水平", IndicatorRule("X")),
        ),
    )
    assert score(rule, [True, True], D(10)) == D(10)
    assert score(rule, [True, False], D(10)) == D(0)
    assert score(rule, [False, True], D(10)) == D(0)


def test_any_gives_the_points_when_one_condition_holds():
    rule = parse_rule(ROW_110)
    assert score(rule, [False, True], D(5)) == D(5)
    assert score(rule, [True, False], D(5)) == D(5)
    assert score(rule, [False, False], D(5)) == D(0)


def test_all_with_partial_points_gives_those_of_the_conditions_that_hold():
    data = {
        "type": "all",
        "conditions": [
            {"label": "甲", "rule": {"type": "binary"}, "points": 3},
            {"label": "乙", "rule": {"type": "binary"}, "points": 2},
            {"label": "丙", "rule": {"type": "binary"}},
        ],
    }
    rule = parse_rule(data)
    assert score(rule, [True, True, True], D(10)) == D(10)
    assert score(rule, [True, True, False], D(10)) == D(5)
    assert score(rule, [False, True, False], D(10)) == D(2)
    assert score(rule, [False, False, True], D(10)) == D(0)
    assert rule.to_data() == data  # `points` only where set


def test_conditions_of_every_kind_hold_when_their_rule_gives_points():
    rule = parse_rule(
        {
            "type": "all",
            "conditions": [
                {
                    "label": "满意度达到80%",
                    "rule": {
                        "type": "threshold",
                        "unit": "%",
                        "bounds": [{"min": 80, "points": 1}],
                    },
                },
                {"label": "建成3个试点", "rule": {"type": "count", "at_least": 3, "unit": "个"}},
                {
                    "label": "排名",
                    "rule": {
                        "type": "rank",
                        "bands": [{"band": "前列", "points": 1}, {"band": "其余", "points": 0}],
                    },
                },
            ],
        }
    )
    assert score(rule, [D(80), 3, "前列"], D(6)) == D(6)
    assert score(rule, [D("79.9"), 3, "前列"], D(6)) == D(0)
    assert score(rule, [D(90), 2, "前列"], D(6)) == D(0)
    assert score(rule, [D(90), 5, "其余"], D(6)) == D(0)


def test_a_composite_takes_one_value_per_condition():
    rule = parse_rule(ROW_82)
    for value in (True, [True], [True, True, True], "yes"):
        with pytest.raises(RuleError, match="逐项填写 2 个"):
            score(rule, value, D(10))


def test_coerce_turns_form_values_per_condition_and_names_the_bad_one():
    rule = parse_rule(ROW_82)
    assert coerce(rule, ["是", "未达标"]) == [True, False]
    with pytest.raises(RuleError, match="“通报比率低于全国平均水平”:请填写评分输入"):
        coerce(rule, ["yes", ""])
    with pytest.raises(RuleError, match="“当年未发生出口商品遭境外通报或退运”:此项只接受"):
        coerce(rule, ["也许", "yes"])
    assert value_to_json([D("1.5"), True]) == ["1.5", True]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "all"}, "至少需要 2 个条件"),
        ({"type": "any", "conditions": [{"label": "甲", "rule": {"type": "binary"}}]}, "至少需要"),
        (
            {"type": "all", "conditions": [{"rule": {"type": "binary"}}, {"label": "乙"}]},
            "第 1 个条件必须写成",
        ),
        (
            {"type": "all", "conditions": [{"label": "甲"}, {"label": "乙"}]},
            "条件“甲”缺少 rule",
        ),
        (
            {
                "type": "all",
                "conditions": [
                    {"label": "甲", "rule": {"type": "manual"}},
                    {"label": "乙", "rule": {"type": "binary"}},
                ],
            },
            "条件“甲”的规则类型“manual”不能使用",
        ),
        (
            {
                "type": "all",
                "conditions": [
                    {"label": "甲", "rule": ROW_82},
                    {"label": "乙", "rule": {"type": "binary"}},
                ],
            },
            "规则类型“all”不能使用",
        ),
        (
            {
                "type": "all",
                "conditions": [
                    {"label": "甲", "rule": {"type": "binary"}},
                    {"label": "甲", "rule": {"type": "binary"}},
                ],
            },
            "条件“甲”重复",
        ),
        (
            {
                "type": "any",
                "conditions": [
                    {"label": "甲", "rule": {"type": "binary"}, "points": 1},
                    {"label": "乙", "rule": {"type": "binary"}},
                ],
            },
            "不能另设分值",
        ),
        (
            {
                "type": "all",
                "conditions": [
                    {"label": "甲", "rule": {"type": "count", "at_least": 0}},
                    {"label": "乙", "rule": {"type": "binary"}},
                ],
            },
            "条件“甲”:计数规则的 at_least",
        ),
    ],
)
def test_bad_composites_are_refused_with_what_is_wrong(data, message):
    assert message in refused(data)


def test_describe_says_all_or_any_and_lists_the_conditions():
    assert describe(parse_rule(ROW_82)) == (
        "全部满足:当年未发生出口商品遭境外通报或退运;通报比率低于全国平均水平(指标达标:X)"
    )
    assert describe(parse_rule(ROW_110)).startswith("满足其一:满意度连续3年不断提高")


# --- parts ------------------------------------------------------------------------------------


def test_parts_add_up_per_part():
    rule = parse_rule(HALF_AND_HALF)
    assert isinstance(rule, Parts) and rule.top() == D(1)
    assert score(rule, [True, True], D(1)) == D(1)
    assert score(rule, [True, False], D(1)) == D("0.5")
    assert score(rule, [False, False], D(1)) == D(0)
    assert rule.to_data() == {
        "type": "parts",
        "parts": [
            {"text": "出台实施意见", "points": 0.5, "rule": {"type": "binary"}},
            {"text": "召开推进会", "points": 0.5, "rule": {"type": "binary"}},
        ],
    }
    assert describe(rule) == "分项计分:出台实施意见 0.5(是/否);召开推进会 0.5(是/否)"


def test_a_part_is_scored_out_of_its_own_points():
    rule = parse_rule(
        {
            "type": "parts",
            "parts": [
                {"text": "甲", "points": 4, "rule": {"type": "manual", "step": 0.5}},
                {"text": "乙", "points": 6, "rule": {"type": "deduction", "per": 2}},
            ],
        }
    )
    assert score(rule, [D("3.5"), 1], D(10)) == D("7.5")
    with pytest.raises(RuleError, match="0 到 4 分"):
        score(rule, [D(5), 0], D(10))
    assert score(rule, [D(4), 0], D(8)) == D(8)  # never above the row's maximum


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "parts", "parts": []}, "至少需要 2 个分项"),
        (
            {
                "type": "parts",
                "parts": [{"text": "甲", "rule": {"type": "binary"}}, {"text": "乙"}],
            },
            "分项“甲”缺少 points",
        ),
        (
            {
                "type": "parts",
                "parts": [
                    {"text": "甲", "points": 1, "rule": {"type": "binary"}},
                    {"text": "乙", "points": 1, "rule": HALF_AND_HALF},
                ],
            },
            "分项“乙”的规则类型“parts”不能使用",
        ),
        (
            {
                "type": "parts",
                "parts": [
                    {
                        "text": "甲",
                        "points": 1,
                        "rule": {"type": "tiers", "tiers": [{"label": "好", "points": 2}]},
                    },
                    {"text": "乙", "points": 1, "rule": {"type": "binary"}},
                ],
            },
            "最高可得 2 分,超过该分项的分值 1 分",
        ),
    ],
)
def test_bad_parts_are_refused_with_what_is_wrong(data, message):
    assert message in refused(data)


# --- properties -------------------------------------------------------------------------------

maximum_st = st.decimals(min_value=0, max_value=60, places=2)


@st.composite
def composite_case(draw):
    kind = draw(st.sampled_from(["all", "any"]))
    n = draw(st.integers(min_value=2, max_value=5))
    partial = [
        draw(st.none() | st.decimals(min_value=0, max_value=10, places=1))
        if kind == "all"
        else None
        for _ in range(n)
    ]
    conditions = [
        {"label": f"条件{i}", "rule": {"type": "binary"}} | ({} if p is None else {"points": p})
        for i, p in enumerate(partial)
    ]
    values = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return parse_rule({"type": kind, "conditions": conditions}), values, draw(maximum_st)


@settings(deadline=None)
@given(composite_case())
def test_a_composite_is_all_or_nothing_but_its_partials(case):
    rule, values, maximum = case
    points = score(rule, values, maximum)
    assert D(0) <= points <= maximum
    holds = all(values) if rule.type == "all" else any(values)
    if holds:
        assert points == maximum
    else:
        partial = sum(
            (c.points or D(0) for c, v in zip(rule.conditions, values, strict=True) if v), D(0)
        )
        assert points == min(partial, maximum)
    assert parse_rule(rule.to_data()) == rule


@settings(deadline=None)
@given(composite_case(), st.integers(min_value=0, max_value=4))
def test_meeting_one_more_condition_never_lowers_the_points(case, flip):
    rule, values, maximum = case
    index = flip % len(values)
    more = [True if i == index else v for i, v in enumerate(values)]
    assert score(rule, more, maximum) >= score(rule, values, maximum)


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.decimals(min_value=0, max_value=20, places=1), st.booleans()),
        min_size=2,
        max_size=6,
    ),
    maximum_st,
)
def test_parts_earn_the_sum_of_the_parts_met_capped_at_the_maximum(parts, maximum):
    rule = parse_rule(
        {
            "type": "parts",
            "parts": [
                {"text": f"分项{i}", "points": p, "rule": {"type": "binary"}}
                for i, (p, _met) in enumerate(parts)
            ],
        }
    )
    points = score(rule, [met for _p, met in parts], maximum)
    assert points == min(maximum, sum((p for p, met in parts if met), D(0)))
    assert parse_rule(rule.to_data()) == rule


# --- in a framework file: unknown keys and the lint --------------------------------------------


def with_rule(rule, points=10, row=1):
    data = minimal()
    criteria = item(data)["criteria"]
    criteria[row - 1] = criterion(row, points=points, rule=rule)
    return data


def test_unknown_keys_inside_conditions_and_their_rules_are_refused():
    rule = {
        "type": "all",
        "conditions": [
            {"label": "甲", "rule": {"type": "binary"}, "point": 2},
            {
                "label": "乙",
                "rule": {
                    "type": "threshold",
                    "bounds": [{"min": 1, "points": 1, "strikt": True}],
                },
            },
        ],
    }
    _spec, findings = parse_framework(with_rule(rule))
    messages = [f.message for f in findings if f.check == "unknown_key"]
    assert any("“point”,是否应为“points”" in m for m in messages), messages
    assert any("“strikt”,是否应为“strict”" in m for m in messages), messages
    assert all(f.row == "1" for f in findings)


def test_unknown_keys_inside_parts_are_refused():
    rule = {
        "type": "parts",
        "parts": [
            {"text": "甲", "points": 5, "rule": {"type": "manual", "stepp": 1}},
            {"text": "乙", "points": 5, "rule": {"type": "binary"}, "note": "x"},
        ],
    }
    _spec, findings = parse_framework(with_rule(rule))
    messages = [f.message for f in findings if f.check == "unknown_key"]
    assert any("“stepp”,是否应为“step”" in m for m in messages), messages
    assert any("“note”" in m for m in messages), messages


def test_the_lint_flags_parts_that_do_not_add_up_to_the_row_points():
    rule = {
        "type": "parts",
        "parts": [
            {"text": "甲", "points": 5, "rule": {"type": "binary"}},
            {"text": "乙", "points": 4, "rule": {"type": "binary"}},
        ],
    }
    findings = lint_framework(parsed(with_rule(rule)), KNOWN)
    assert keys(findings) == {("error", "parts-sum", "1.1", "1")}  # the row keeps its 10 points
    parts_sum = next(f for f in findings if f.check == "parts-sum")
    assert "合计 9 分,与该评分细则的分值 10 分不符" in parts_sum.message
    good = dict(rule, parts=[rule["parts"][0], dict(rule["parts"][1], points=5)])
    assert lint_framework(parsed(with_rule(good)), KNOWN) == []


def test_a_parts_row_printed_as_several_numbered_sentences_is_not_a_merged_row():
    rule = {
        "type": "parts",
        "parts": [
            {"text": "1.甲", "points": 5, "rule": {"type": "binary"}},
            {"text": "2.乙", "points": 5, "rule": {"type": "binary"}},
        ],
    }
    data = with_rule(rule)
    item(data)["criteria"][0]["text"] = "1.甲(5分) 2.乙(5分)"
    assert "merged-criteria" not in {f.check for f in lint_framework(parsed(data), KNOWN)}


def test_the_lint_flags_partial_points_above_the_row_points():
    rule = {
        "type": "all",
        "conditions": [
            {"label": "甲", "rule": {"type": "binary"}, "points": 6},
            {"label": "乙", "rule": {"type": "binary"}, "points": 5},
        ],
    }
    findings = lint_framework(parsed(with_rule(rule)), KNOWN)
    assert keys(findings) == {("error", "composite-partial", "1.1", "1")}
    rule["conditions"][1]["points"] = 4
    assert lint_framework(parsed(with_rule(rule)), KNOWN) == []


def test_a_composite_needs_stated_points():
    _spec, findings = parse_framework(with_rule(ROW_82, points=None))
    assert [f.check for f in findings] == ["points"]
    assert "“all”规则的评分细则必须标明分值" in findings[0].message
