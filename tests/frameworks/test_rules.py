"""Scoring rules: parse_rule and score, pure functions without the database."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitycity.frameworks.rules import (
    RULE_TYPES,
    Binary,
    Count,
    Deduction,
    IndicatorRule,
    Manual,
    Rank,
    RuleError,
    Threshold,
    Tiers,
    criterion_maximum,
    describe,
    parse_rule,
    score,
)

D = Decimal
CHINESE = re.compile(r"[\u4e00-\u9fff]")

YONGZHOU_1_3 = {
    "type": "threshold",
    "unit": "‰",
    "bounds": [{"min": 1.0, "points": 30}, {"min": 0.6, "points": 20}, {"min": 0.3, "points": 10}],
    "otherwise": 0,
}
YONGZHOU_4_1 = {
    "type": "tiers",
    "tiers": [
        {"label": "机构由市长负责且定期召集和出席会议", "points": 20},
        {"label": "机构由副市长负责", "points": 15},
        {"label": "负责人不是市领导", "points": 10},
        {"label": "未成立专门领导机构", "points": 0},
    ],
}
YONGZHOU_5_2 = {
    "type": "rank",
    "bands": [
        {"band": "前列", "points": 30},
        {"band": "中游", "points": 15},
        {"band": "其余", "points": 5},
    ],
}


def refused(data) -> str:
    """parse_rule's refusal message for `data`; it must be Chinese."""
    with pytest.raises(RuleError) as exc:
        parse_rule(data)
    message = str(exc.value)
    assert CHINESE.search(message), message
    return message


def refused_input(rule, value, maximum) -> str:
    """score's refusal message for `value`; it must be Chinese."""
    with pytest.raises(RuleError) as exc:
        score(rule, value, D(maximum))
    message = str(exc.value)
    assert CHINESE.search(message), message
    return message


# --- parse_rule accepts ----------------------------------------------------------------------


def test_it_parses_every_rule_type():
    assert parse_rule({"type": "manual"}) == Manual(step=D(1))
    assert parse_rule({"type": "manual", "step": 0.5}) == Manual(step=D("0.5"))
    assert parse_rule({"type": "binary"}) == Binary()
    tiers = parse_rule(YONGZHOU_4_1)
    assert isinstance(tiers, Tiers)
    assert [t.points for t in tiers.tiers] == [D(20), D(15), D(10), D(0)]
    threshold = parse_rule(YONGZHOU_1_3)
    assert isinstance(threshold, Threshold)
    assert [b.min for b in threshold.bounds] == [D("1.0"), D("0.6"), D("0.3")]
    assert threshold.unit == "‰"
    assert threshold.otherwise == D(0)
    rank = parse_rule(YONGZHOU_5_2)
    assert isinstance(rank, Rank)
    assert [b.band for b in rank.bands] == ["前列", "中游", "其余"]
    count = parse_rule({"type": "count", "at_least": 50, "unit": "家", "period": "year"})
    assert count == Count(at_least=50, unit="家", period="year")
    assert parse_rule({"type": "count", "at_least": 1}).period == "year"
    assert parse_rule({"type": "count", "at_least": 1, "period": "campaign"}).period == "campaign"
    assert parse_rule({"type": "indicator", "indicator": " CERT_COVERAGE "}) == IndicatorRule(
        "CERT_COVERAGE"
    )


def test_it_strips_tier_labels():
    rule = parse_rule({"type": "tiers", "tiers": [{"label": "  好 ", "points": 5}]})
    assert rule.tiers[0].label == "好"


def test_threshold_otherwise_defaults_to_zero():
    rule = parse_rule({"type": "threshold", "bounds": [{"min": 1, "points": 5}]})
    assert rule.otherwise == D(0)
    assert rule.unit == ""


@pytest.mark.parametrize(
    "data",
    [
        {"type": "manual", "step": 2},
        {"type": "binary"},
        YONGZHOU_4_1,
        YONGZHOU_1_3,
        YONGZHOU_5_2,
        {"type": "count", "at_least": 3, "unit": "个", "period": "campaign"},
        {"type": "indicator", "indicator": "GREEN_BUILDING_SHARE"},
    ],
)
def test_to_data_parses_back_to_the_same_rule(data):
    rule = parse_rule(data)
    assert parse_rule(rule.to_data()) == rule
    assert rule.to_data()["type"] == data["type"]


# --- parse_rule refuses ----------------------------------------------------------------------


def test_it_refuses_an_unknown_rule_type():
    message = refused({"type": "lottery"})
    assert "lottery" in message
    for kind in RULE_TYPES:
        assert kind in message


def test_it_refuses_a_rule_without_type():
    message = refused({})
    assert "manual" in message


def test_it_refuses_a_rule_that_is_not_a_mapping():
    assert "type" in refused("manual")
    assert "type" in refused(None)


@pytest.mark.parametrize("tiers", [None, [], "20/10/0", {"label": "好", "points": 1}])
def test_it_refuses_empty_or_missing_tiers(tiers):
    data = {"type": "tiers"} if tiers is None else {"type": "tiers", "tiers": tiers}
    assert "档次" in refused(data)


def test_it_refuses_empty_rank_bands():
    assert "排名档次" in refused({"type": "rank", "bands": []})


def test_it_refuses_tiers_not_written_as_label_and_points():
    message = refused({"type": "tiers", "tiers": [{"name": "好", "points": 5}]})
    assert "label" in message
    assert "points" in message
    message = refused({"type": "rank", "bands": [{"band": "前列"}]})
    assert "band" in message
    assert "points" in message


def test_it_refuses_a_blank_tier_label():
    assert "不能为空" in refused({"type": "tiers", "tiers": [{"label": "  ", "points": 5}]})


@pytest.mark.parametrize("label", [None, True, ["好"]])
def test_it_refuses_a_null_tier_label(label):
    # YAML `- {label: , points: 5}` reads the label as None; it must not become the text "None".
    assert "不能为空" in refused({"type": "tiers", "tiers": [{"label": label, "points": 5}]})


def test_it_refuses_duplicate_tier_labels():
    message = refused(
        {"type": "tiers", "tiers": [{"label": "好", "points": 5}, {"label": " 好", "points": 3}]}
    )
    assert "好" in message
    assert "重复" in message


def test_it_refuses_duplicate_rank_bands():
    message = refused(
        {"type": "rank", "bands": [{"band": "前列", "points": 5}, {"band": "前列", "points": 3}]}
    )
    assert "前列" in message
    assert "重复" in message


@pytest.mark.parametrize(
    "data",
    [
        {"type": "tiers", "tiers": [{"label": "好", "points": -1}]},
        {"type": "rank", "bands": [{"band": "前列", "points": -5}]},
        {"type": "threshold", "bounds": [{"min": 1, "points": -10}]},
        {"type": "threshold", "bounds": [{"min": 1, "points": 10}], "otherwise": -1},
        {"type": "manual", "step": -1},
    ],
)
def test_it_refuses_negative_points(data):
    assert "不能为负数" in refused(data)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("十分", "十分"), ("abc", "abc"), ([10], "[10]")],
)
def test_it_refuses_non_numeric_points(value, shown):
    message = refused({"type": "tiers", "tiers": [{"label": "好", "points": value}]})
    assert "必须是数字" in message
    assert shown in message


@pytest.mark.parametrize("value", [True, None, float("nan"), float("inf"), "Infinity", "NaN"])
def test_it_refuses_booleans_and_non_finite_points(value):
    message = refused({"type": "threshold", "bounds": [{"min": 1, "points": value}]})
    assert "数字" in message


@pytest.mark.parametrize("points", [D("2.555"), 0.001, "10.125"])
def test_it_refuses_points_with_more_than_two_decimals(points):
    message = refused({"type": "tiers", "tiers": [{"label": "好", "points": points}]})
    assert "两位小数" in message


def test_it_refuses_points_the_tables_cannot_store():
    message = refused({"type": "rank", "bands": [{"band": "前列", "points": 1_000_000}]})
    assert "999999.99" in message
    assert parse_rule({"type": "rank", "bands": [{"band": "前列", "points": D("999999.99")}]})


def test_it_refuses_a_zero_manual_step():
    assert "大于 0" in refused({"type": "manual", "step": 0})


def test_it_refuses_non_numeric_threshold_bounds():
    assert "阈值下限" in refused({"type": "threshold", "bounds": [{"min": "高", "points": 5}]})


def test_it_refuses_threshold_without_bounds():
    assert "bounds" in refused({"type": "threshold"})
    assert "bounds" in refused({"type": "threshold", "bounds": []})
    assert "min" in refused({"type": "threshold", "bounds": [{"points": 5}]})


@pytest.mark.parametrize(
    "mins",
    [[0.3, 0.6, 1.0], [1.0, 0.3, 0.6], [1.0, 1.0], [0.6, 0.6, 0.3]],
)
def test_it_refuses_unordered_or_repeated_threshold_bounds(mins):
    data = {"type": "threshold", "bounds": [{"min": m, "points": 10} for m in mins]}
    assert "从高到低" in refused(data)


@pytest.mark.parametrize("at_least", [0, -1, True, False, 1.5, "3", None])
def test_it_refuses_count_at_least_below_one_or_not_an_integer(at_least):
    data = {"type": "count"} if at_least is None else {"type": "count", "at_least": at_least}
    message = refused(data)
    assert "at_least" in message
    assert "不小于 1 的整数" in message


@pytest.mark.parametrize("period", ["month", "", None, "Year"])
def test_it_refuses_a_bad_count_period(period):
    message = refused({"type": "count", "at_least": 1, "period": period})
    assert "year" in message
    assert "campaign" in message


@pytest.mark.parametrize("code", [None, "", "   ", 42])
def test_it_refuses_an_indicator_without_code(code):
    data = {"type": "indicator"} if code is None else {"type": "indicator", "indicator": code}
    assert "indicator" in refused(data)


# --- score: boundaries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("1", 30),
        (D("1.0"), 30),
        (1, 30),
        (D("2.5"), 30),
        (D("0.9999"), 20),
        ("0.6", 20),
        (0.6, 20),
        (D("0.5999"), 10),
        (D("0.3"), 10),
        (0.3, 10),
        (D("0.29"), 0),
        (D("0.2999"), 0),
        (0, 0),
        ("0", 0),
    ],
)
def test_threshold_picks_the_points_of_the_first_bound_reached(value, points):
    rule = parse_rule(YONGZHOU_1_3)
    assert score(rule, value, D(30)) == D(points)


@pytest.mark.parametrize("value", [D("-0.1"), -1, "-0.0001"])
def test_threshold_refuses_a_negative_value(value):
    message = refused_input(parse_rule(YONGZHOU_1_3), value, 30)
    assert "不小于 0" in message
    assert "‰" in message


@pytest.mark.parametrize("value", ["很多", None, True, [1], float("nan")])
def test_threshold_refuses_a_value_that_is_not_a_number(value):
    assert "数字" in refused_input(parse_rule(YONGZHOU_1_3), value, 30)


def test_threshold_gives_otherwise_below_the_lowest_bound():
    rule = parse_rule(
        {"type": "threshold", "bounds": [{"min": 90, "points": 10}], "otherwise": 4, "unit": "%"}
    )
    assert score(rule, 90, D(10)) == D(10)
    assert score(rule, D("89.99"), D(10)) == D(4)


@pytest.mark.parametrize(
    ("label", "points"),
    [
        ("机构由市长负责且定期召集和出席会议", 20),
        ("机构由副市长负责", 15),
        ("负责人不是市领导", 10),
        ("未成立专门领导机构", 0),
    ],
)
def test_tiers_give_the_chosen_tier_points(label, points):
    assert score(parse_rule(YONGZHOU_4_1), label, D(20)) == D(points)


@pytest.mark.parametrize("value", ["市长负责", "", None, 20, True])
def test_tiers_refuse_a_label_they_do_not_have_and_list_the_choices(value):
    message = refused_input(parse_rule(YONGZHOU_4_1), value, 20)
    for tier in YONGZHOU_4_1["tiers"]:
        assert tier["label"] in message


@pytest.mark.parametrize(("band", "points"), [("前列", 30), ("中游", 15), ("其余", 5)])
def test_rank_gives_the_chosen_band_points(band, points):
    assert score(parse_rule(YONGZHOU_5_2), band, D(30)) == D(points)


@pytest.mark.parametrize("value", ["末位", "第一", None, 1])
def test_rank_refuses_a_band_it_does_not_have_and_lists_the_choices(value):
    message = refused_input(parse_rule(YONGZHOU_5_2), value, 30)
    for band in ("前列", "中游", "其余"):
        assert band in message


@pytest.mark.parametrize(
    ("count", "points"),
    [(0, 0), (49, 0), (50, 5), (51, 5), (10_000, 5), ("49", 0), ("50", 5), (" 50 ", 5), (D(50), 5)],
)
def test_count_gives_the_maximum_from_at_least_on(count, points):
    rule = parse_rule({"type": "count", "at_least": 50, "unit": "家", "period": "year"})
    assert score(rule, count, D(5)) == D(points)


def test_count_of_at_least_one():
    rule = parse_rule({"type": "count", "at_least": 1, "unit": "个", "period": "campaign"})
    assert score(rule, 0, D(4)) == D(0)
    assert score(rule, 1, D(4)) == D(4)


@pytest.mark.parametrize("value", [-1, "-3", 1.5, 50.0, "1.5", "五十", None, True, False, [50]])
def test_count_refuses_what_is_not_a_whole_number_from_zero(value):
    rule = parse_rule({"type": "count", "at_least": 50})
    assert "不小于 0 的整数" in refused_input(rule, value, 5)


@pytest.mark.parametrize(("value", "points"), [(0, 0), (1, 1), (7, 7), ("10", 10), (D(10), 10)])
def test_manual_gives_the_points_entered(value, points):
    assert score(parse_rule({"type": "manual"}), value, D(10)) == D(points)


@pytest.mark.parametrize("value", [-1, D("10.01"), 11, "100"])
def test_manual_refuses_points_outside_zero_to_maximum(value):
    message = refused_input(parse_rule({"type": "manual"}), value, 10)
    assert "0 到 10 分" in message


@pytest.mark.parametrize("value", [D("0.5"), D("9.5"), "2.25"])
def test_manual_refuses_points_that_are_not_a_multiple_of_the_step(value):
    message = refused_input(parse_rule({"type": "manual", "step": 1}), value, 10)
    assert "1 的整数倍" in message


def test_manual_with_half_point_step():
    rule = parse_rule({"type": "manual", "step": 0.5})
    assert score(rule, D("2.5"), D(5)) == D("2.5")
    assert score(rule, 0.5, D(5)) == D("0.5")
    assert "0.5 的整数倍" in refused_input(rule, D("2.25"), 5)


@pytest.mark.parametrize("value", ["很好", None, True, False])
def test_manual_refuses_what_is_not_a_number(value):
    assert "数字" in refused_input(parse_rule({"type": "manual"}), value, 10)


@pytest.mark.parametrize(
    "data", [{"type": "binary"}, {"type": "indicator", "indicator": "CERT_COVERAGE"}]
)
def test_binary_and_indicator_give_maximum_or_zero(data):
    rule = parse_rule(data)
    assert score(rule, True, D(10)) == D(10)
    assert score(rule, False, D(10)) == D(0)


@pytest.mark.parametrize("value", [1, 0, "是", "yes", "true", None, D(1)])
def test_binary_accepts_only_yes_or_no(value):
    message = refused_input(parse_rule({"type": "binary"}), value, 10)
    assert "是" in message
    assert "否" in message


@pytest.mark.parametrize("value", [1, 0, "达标", None])
def test_indicator_accepts_only_met_or_not_met(value):
    rule = parse_rule({"type": "indicator", "indicator": "CERT_COVERAGE"})
    message = refused_input(rule, value, 10)
    assert "达标" in message
    assert "未达标" in message


def test_scores_are_clamped_to_the_criterion_maximum():
    assert score(parse_rule(YONGZHOU_4_1), "机构由市长负责且定期召集和出席会议", D(10)) == D(10)
    assert score(parse_rule(YONGZHOU_1_3), 5, D(25)) == D(25)
    assert score(parse_rule(YONGZHOU_5_2), "中游", D(12)) == D(12)
    assert score(parse_rule(YONGZHOU_5_2), "其余", D(12)) == D(5)


def test_criterion_maximum_is_stated_points_else_the_rule_top():
    assert criterion_maximum(D(10), parse_rule(YONGZHOU_4_1)) == D(10)
    assert criterion_maximum(None, parse_rule(YONGZHOU_4_1)) == D(20)
    assert criterion_maximum(None, parse_rule(YONGZHOU_1_3)) == D(30)
    assert criterion_maximum(None, parse_rule(YONGZHOU_5_2)) == D(30)
    for data in (
        {"type": "manual"},
        {"type": "binary"},
        {"type": "count", "at_least": 1},
        {"type": "indicator", "indicator": "X"},
    ):
        assert criterion_maximum(None, parse_rule(data)) is None
        assert criterion_maximum(D(5), parse_rule(data)) == D(5)


def test_threshold_top_counts_otherwise():
    rule = parse_rule(
        {"type": "threshold", "bounds": [{"min": 5, "points": 0}], "otherwise": 10, "unit": "%"}
    )
    assert rule.top() == D(10)


def test_describe_says_how_each_yongzhou_rule_scores():
    assert describe(parse_rule(YONGZHOU_1_3)) == "阈值:≥1‰ 30;≥0.6‰ 20;≥0.3‰ 10;其余 0"
    assert describe(parse_rule(YONGZHOU_5_2)) == "排名:前列 30;中游 15;其余 5"
    assert describe(parse_rule({"type": "binary"})) == "是/否"
    assert describe(parse_rule({"type": "manual", "step": 0.5})) == "专家评分(步长 0.5)"
    assert (
        describe(parse_rule({"type": "count", "at_least": 50, "unit": "家"}))
        == "计数:每年不少于 50家"
    )
    assert describe(parse_rule({"type": "indicator", "indicator": "X1"})) == "指标达标:X1"


# --- properties ------------------------------------------------------------------------------

points_st = st.decimals(min_value=0, max_value=100, places=2)
maximum_st = st.decimals(min_value=0, max_value=60, places=2)
label_st = st.text(min_size=1, max_size=8).filter(lambda s: s.strip())
value_st = st.decimals(min_value=0, max_value=1000, places=4)


@st.composite
def tiers_data(draw, key="label", kind="tiers", list_key="tiers"):
    entries = draw(
        st.lists(
            st.tuples(label_st, points_st), min_size=1, max_size=6, unique_by=lambda t: t[0].strip()
        )
    )
    return {"type": kind, list_key: [{key: label, "points": p} for label, p in entries]}


@st.composite
def threshold_data(draw, monotone=False):
    mins = draw(
        st.lists(
            st.decimals(min_value=0, max_value=500, places=3), min_size=1, max_size=5, unique=True
        )
    )
    mins.sort(reverse=True)
    if monotone:
        points = sorted(
            draw(st.lists(points_st, min_size=len(mins) + 1, max_size=len(mins) + 1)), reverse=True
        )
        otherwise = points.pop()
    else:
        points = draw(st.lists(points_st, min_size=len(mins), max_size=len(mins)))
        otherwise = draw(points_st)
    return {
        "type": "threshold",
        "unit": draw(st.sampled_from(["‰", "%", ""])),
        "bounds": [{"min": m, "points": p} for m, p in zip(mins, points, strict=True)],
        "otherwise": otherwise,
    }


@st.composite
def rule_and_input(draw):
    """A random valid rule, a criterion maximum, and an input the rule accepts."""
    kind = draw(st.sampled_from(RULE_TYPES))
    maximum = draw(maximum_st)
    if kind == "manual":
        step = draw(st.sampled_from([D("0.5"), D(1), D(2), D(5)]))
        value = step * draw(st.integers(min_value=0, max_value=int(maximum // step)))
        return parse_rule({"type": "manual", "step": step}), value, maximum
    if kind == "binary":
        return parse_rule({"type": "binary"}), draw(st.booleans()), maximum
    if kind == "indicator":
        return parse_rule({"type": "indicator", "indicator": "X"}), draw(st.booleans()), maximum
    if kind == "tiers":
        rule = parse_rule(draw(tiers_data()))
        return rule, draw(st.sampled_from([t.label for t in rule.tiers])), maximum
    if kind == "rank":
        rule = parse_rule(draw(tiers_data(key="band", kind="rank", list_key="bands")))
        return rule, draw(st.sampled_from([b.band for b in rule.bands])), maximum
    if kind == "threshold":
        return parse_rule(draw(threshold_data())), draw(value_st), maximum
    if kind in ("all", "any"):
        n = draw(st.integers(min_value=2, max_value=4))
        conditions = [{"label": f"条件{i}", "rule": {"type": "binary"}} for i in range(n)]
        rule = parse_rule({"type": kind, "conditions": conditions})
        return rule, draw(st.lists(st.booleans(), min_size=n, max_size=n)), maximum
    if kind == "parts":
        points = draw(st.lists(points_st, min_size=2, max_size=4))
        parts = [
            {"text": f"分项{i}", "points": p, "rule": {"type": "binary"}}
            for i, p in enumerate(points)
        ]
        rule = parse_rule({"type": "parts", "parts": parts})
        return (
            rule,
            draw(st.lists(st.booleans(), min_size=len(points), max_size=len(points))),
            maximum,
        )
    if kind == "deduction":
        per = draw(st.sampled_from([D("0.5"), D(1), D(2), D(5), D(10)]))
        rule = parse_rule({"type": "deduction", "per": per, "unit": "起"})
        return rule, draw(st.integers(min_value=0, max_value=400)), maximum
    rule = parse_rule(
        {
            "type": "count",
            "at_least": draw(st.integers(min_value=1, max_value=200)),
            "period": draw(st.sampled_from(["year", "campaign"])),
        }
    )
    return rule, draw(st.integers(min_value=0, max_value=400)), maximum


@settings(deadline=None)
@given(rule_and_input())
def test_score_is_between_zero_and_the_maximum(case):
    rule, value, maximum = case
    points = score(rule, value, maximum)
    assert isinstance(points, Decimal)
    assert D(0) <= points <= maximum


@settings(deadline=None)
@given(rule_and_input())
def test_every_rule_has_a_description(case):
    rule, _value, _maximum = case
    text = describe(rule)
    assert isinstance(text, str)
    assert text.strip()


@settings(deadline=None)
@given(rule_and_input())
def test_every_rule_parses_back_from_its_data(case):
    rule, _value, _maximum = case
    assert parse_rule(rule.to_data()) == rule


@settings(deadline=None)
@given(threshold_data(monotone=True), value_st, value_st, maximum_st)
def test_threshold_is_monotone_in_the_value(data, a, b, maximum):
    rule = parse_rule(data)
    low, high = sorted([a, b])
    assert score(rule, low, maximum) <= score(rule, high, maximum)


@settings(deadline=None)
@given(threshold_data(), value_st, maximum_st)
def test_threshold_gives_the_first_bound_reached_clamped(data, value, maximum):
    rule = parse_rule(data)
    reached = [b.points for b in rule.bounds if value >= b.min]
    expected = reached[0] if reached else rule.otherwise
    assert score(rule, value, maximum) == min(expected, maximum)


@settings(deadline=None)
@given(tiers_data(), maximum_st, st.data())
def test_tiers_score_is_the_chosen_tier_points_clamped(data, maximum, pick):
    rule = parse_rule(data)
    tier = pick.draw(st.sampled_from(rule.tiers))
    assert score(rule, tier.label, maximum) == min(tier.points, maximum)
    assert rule.top() == max(t.points for t in rule.tiers)


@settings(deadline=None)
@given(
    st.integers(min_value=1, max_value=500), st.integers(min_value=0, max_value=1000), maximum_st
)
def test_count_is_maximum_exactly_from_at_least(at_least, count, maximum):
    rule = parse_rule({"type": "count", "at_least": at_least})
    assert score(rule, count, maximum) == (maximum if count >= at_least else D(0))


@settings(deadline=None)
@given(st.text().filter(lambda s: s not in RULE_TYPES))
def test_any_other_type_is_refused(kind):
    with pytest.raises(RuleError):
        parse_rule({"type": kind})


# --- 扣分制 (deduction) ---------------------------------------------------------------------


def test_a_deduction_takes_per_points_for_each_occurrence_down_to_zero():
    rule = parse_rule({"type": "deduction", "per": 2, "unit": "起"})
    assert rule == Deduction(per=D(2), unit="起")
    assert [score(rule, n, D(10)) for n in (0, 1, 4, 5, 6, 100)] == [
        D(10),
        D(8),
        D(2),
        D(0),
        D(0),
        D(0),
    ]
    assert score(rule, "3", D(10)) == D(4)  # what a form sends
    assert describe(rule) == "扣分:每起扣 2 分,扣完为止"
    assert describe(parse_rule({"type": "deduction", "per": 0.5})) == "扣分:每次扣 0.5 分,扣完为止"


@pytest.mark.parametrize("per", [None, 0, -1, "两分", True])
def test_a_deduction_needs_a_positive_per(per):
    data = {"type": "deduction"} if per is None else {"type": "deduction", "per": per}
    with pytest.raises(RuleError):
        parse_rule(data)


@pytest.mark.parametrize("value", [-1, "-1", "2.5", "三", True, None, [1]])
def test_a_deduction_takes_only_a_count(value):
    rule = parse_rule({"type": "deduction", "per": 2})
    with pytest.raises(RuleError):
        score(rule, value, D(10))


@settings(deadline=None)
@given(
    st.sampled_from([D("0.5"), D(1), D(2), D(3)]),
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=300),
    maximum_st,
)
def test_a_deduction_never_rises_with_more_occurrences(per, a, b, maximum):
    rule = Deduction(per=per)
    low, high = sorted([a, b])
    assert score(rule, high, maximum) <= score(rule, low, maximum)
    assert score(rule, low, maximum) == max(D(0), maximum - per * low)


# --- strict thresholds (大于 vs 不低于) -------------------------------------------------------

STRICT = {
    "type": "threshold",
    "unit": "%",
    "bounds": [{"min": 80, "points": 10, "strict": True}, {"min": 60, "points": 5}],
    "otherwise": 0,
}


def test_a_strict_bound_needs_a_value_above_it():
    rule = parse_rule(STRICT)
    assert [score(rule, v, D(10)) for v in ("80", "80.1", "60", "59.9")] == [D(5), D(10), D(5), 0]
    assert describe(rule) == "阈值:>80% 10;≥60% 5;其余 0"


def test_strict_is_written_only_when_set_so_old_tables_keep_their_hash():
    data = parse_rule(STRICT).to_data()
    assert data["bounds"] == [{"min": 80, "points": 10, "strict": True}, {"min": 60, "points": 5}]
    assert parse_rule(data) == parse_rule(STRICT)
    assert "strict" not in str(parse_rule(YONGZHOU_1_3).to_data())


@pytest.mark.parametrize("strict", ["yes", 1, None])
def test_strict_must_be_true_or_false(strict):
    data = {**STRICT, "bounds": [{"min": 80, "points": 10, "strict": strict}]}
    with pytest.raises(RuleError, match="strict"):
        parse_rule(data)


@settings(deadline=None)
@given(value_st, st.booleans())
def test_a_bound_is_reached_above_its_min_and_at_it_unless_strict(value, strict):
    rule = parse_rule(
        {"type": "threshold", "bounds": [{"min": 50, "points": 10, "strict": strict}]}
    )
    reached = value > 50 or (value == 50 and not strict)
    assert score(rule, value, D(10)) == (D(10) if reached else D(0))
