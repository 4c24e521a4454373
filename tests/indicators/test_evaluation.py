"""Indicator targets and their evaluation: pure functions, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qualitycity.indicators import evaluation as ev
from qualitycity.indicators.periods import ANNUAL, Period

D = Decimal


def year(y: int) -> Period:
    return Period(y, 0, ANNUAL)


def points(start: int, values) -> list[ev.Point]:
    return [ev.Point(year(start + i), D(str(v))) for i, v in enumerate(values)]


decimals = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"type": "compare", "op": ">=", "value": 94}, ev.Compare(">=", D(94))),
        ({"type": "compare", "op": "≥", "value": "94.5"}, ev.Compare(">=", D("94.5"))),
        ({"type": "compare", "op": "<", "value": 1, "years": 3}, ev.Compare("<", D(1), 3)),
        ({"type": "below_benchmark"}, ev.BelowBenchmark(1)),
        ({"type": "below_benchmark", "years": 3}, ev.BelowBenchmark(3)),
        ({"type": "rank_within", "rank": 10, "years": 3}, ev.RankWithin(10, 3)),
        ({"type": "rising", "years": 3}, ev.Trend(3, "rising")),
        ({"type": "falling", "years": 2}, ev.Trend(2, "falling")),
        (
            {"type": "at_least_by", "value": 1, "date": dt.date(2018, 12, 31)},
            ev.AtLeastBy(D(1), dt.date(2018, 12, 31)),
        ),
        (
            {"type": "at_least_by", "value": 1, "date": "2018-12-31"},
            ev.AtLeastBy(D(1), dt.date(2018, 12, 31)),
        ),
    ],
)
def test_it_parses_every_target_kind_and_writes_it_back(data, expected):
    target = ev.parse_target(data)
    assert target == expected
    assert ev.parse_target(ev.target_to_data(target)) == target


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("x", "映射"),
        ({"type": "between"}, "未知的指标目标类型"),
        ({"type": "compare", "op": "~", "value": 1}, "比较符"),
        ({"type": "compare", "op": ">=", "value": "abc"}, "目标值必须是数字"),
        ({"type": "compare", "op": ">=", "value": True}, "目标值必须是数字"),
        ({"type": "rank_within", "rank": 0, "years": 3}, "rank"),
        ({"type": "rank_within", "rank": 10, "years": 0}, "years"),
        ({"type": "rising"}, "years ≥ 2"),
        ({"type": "rising", "years": 1}, "years ≥ 2"),
        ({"type": "at_least_by", "value": 1, "date": "end of 2018"}, "date"),
    ],
)
def test_it_refuses_a_bad_target_with_a_message(data, message):
    with pytest.raises(ev.TargetError, match=message):
        ev.parse_target(data)


def test_it_describes_targets_in_chinese():
    assert ev.describe_target(ev.Compare(">=", D(94)), "%") == "≥ 94%"
    assert ev.describe_target(ev.Compare(">", D(30)), "%") == "> 30%"
    assert ev.describe_target(ev.RankWithin(10, 3)) == "连续 3 年居全国前 10 位"
    assert ev.describe_target(ev.Trend(3, "rising")) == "连续 3 年不断提高"
    assert ev.describe_target(ev.BelowBenchmark(1)) == "低于全国平均水平"
    assert (
        ev.describe_target(ev.AtLeastBy(D(1), dt.date(2018, 12, 31)), "个")
        == "2018-12-31 前达到 1 个以上"
    )


# --- comparison -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "met"),
    [
        (">=", "94", True),
        (">=", "93.99", False),
        (">", "30", False),
        (">", "30.01", True),
        ("=", "100", True),
        ("=", "99.99", False),
        ("<=", "5", True),
        ("<=", "5.01", False),
        ("<", "5", False),
        ("<", "4.99", True),
    ],
)
def test_comparison_boundaries(op, value, met):
    target_value = {">=": 94, ">": 30, "=": 100, "<=": 5, "<": 5}[op]
    target = ev.Compare(op, D(target_value))
    result = ev.evaluate(target, points(2018, [value]), unit="%")
    assert result.status == (ev.MET if met else ev.NOT_MET)
    assert result.reason.startswith("2018年:")


def test_comparison_uses_the_latest_value_known_on_the_date():
    target = ev.Compare(">=", D(94))
    values = points(2016, ["95", "93"])
    assert ev.evaluate(target, values, as_of=dt.date(2017, 12, 30)).status == ev.MET
    assert ev.evaluate(target, values, as_of=dt.date(2017, 12, 31)).status == ev.NOT_MET
    result = ev.evaluate(target, values, as_of=dt.date(2015, 12, 31))
    assert result.status == ev.NO_DATA and result.reason == "暂无数据。"


def test_comparison_over_several_years_names_the_failing_year():
    target = ev.Compare(">=", D(90), 3)
    result = ev.evaluate(target, points(2016, ["91", "89.5", "92"]), unit="%")
    assert result.status == ev.NOT_MET
    assert result.reason == "2016–2018年:91.0% → 89.5% → 92.0%,2017年未达到目标(≥ 90%)"
    gap = ev.evaluate(target, points(2016, ["91"]) + points(2018, ["92"]))
    assert gap.status == ev.NO_DATA and "缺少 2017年" in gap.reason


@given(decimals, decimals)
def test_comparison_agrees_with_the_operator(value, goal):
    for op, holds in {
        ">=": value >= goal,
        ">": value > goal,
        "=": value == goal,
        "<=": value <= goal,
        "<": value < goal,
    }.items():
        result = ev.evaluate(ev.Compare(op, goal), [ev.Point(year(2018), value)])
        assert result.met is holds


# --- rising / falling -------------------------------------------------------------------------


def test_rising_reason_matches_the_example():
    result = ev.evaluate(ev.Trend(3), points(2016, ["31.2", "33.0", "32.5"]), unit="%")
    assert result.status == ev.NOT_MET
    assert result.reason == "2016–2018年:31.2% → 33.0% → 32.5%,未连续提高"


def test_rising_needs_every_year_of_the_window():
    target = ev.Trend(3)
    assert ev.evaluate(target, points(2017, [1, 2])).status == ev.NO_DATA
    gap = points(2015, [1]) + points(2017, [2, 3])
    result = ev.evaluate(target, gap)
    assert result.status == ev.NO_DATA
    assert result.reason == "需要 2016–2018年连续 3 期的数据,缺少 2016年。"


def test_rising_looks_at_the_latest_years_only():
    # An early dip does not matter once the last three years rise.
    assert ev.evaluate(ev.Trend(3), points(2014, [5, 4, 1, 2, 3])).status == ev.MET


def test_equal_values_are_not_rising_nor_falling():
    assert ev.evaluate(ev.Trend(2), points(2017, [3, 3])).status == ev.NOT_MET
    assert ev.evaluate(ev.Trend(2, "falling"), points(2017, [3, 3])).status == ev.NOT_MET


@given(st.lists(decimals, min_size=2, max_size=8, unique=True))
def test_strictly_increasing_sequences_are_rising(values):
    values = sorted(values)
    target = ev.Trend(len(values))
    assert ev.evaluate(target, [ev.Point(year(2010 + i), v) for i, v in enumerate(values)]).met
    falling = ev.Trend(len(values), "falling")
    ordered = [ev.Point(year(2010 + i), v) for i, v in enumerate(reversed(values))]
    assert ev.evaluate(falling, ordered).met


@given(
    st.lists(decimals, min_size=2, max_size=8, unique=True),
    st.integers(min_value=1, max_value=7),
    st.decimals(min_value=0, max_value=10, places=2),
)
def test_any_dip_breaks_a_rise(values, at, drop):
    values = sorted(values)
    assume(at < len(values))
    values[at] = values[at - 1] - drop  # not above the year before
    series = [ev.Point(year(2010 + i), v) for i, v in enumerate(values)]
    assert ev.evaluate(ev.Trend(len(values)), series).status == ev.NOT_MET


# --- rank -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ranks", "status"),
    [
        ([10, 10, 10], ev.MET),
        ([1, 5, 10], ev.MET),
        ([10, 11, 10], ev.NOT_MET),
        ([11, 3, 4], ev.NOT_MET),
        ([3, 4], ev.NO_DATA),
        ([], ev.NO_DATA),
    ],
)
def test_rank_within_for_consecutive_years(ranks, status):
    result = ev.evaluate(ev.RankWithin(10, 3), [], ranks=points(2018 - len(ranks) + 1, ranks))
    assert result.status == status


def test_rank_reason_names_the_ranks():
    result = ev.evaluate(ev.RankWithin(10, 3), [], ranks=points(2016, [8, 9, 12]))
    assert result.reason == "2016–2018年全国排名:第 8 位 → 第 9 位 → 第 12 位,未连续 3 年居前 10 位"


@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=10),
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=1, max_value=6),
)
def test_rank_window_is_the_latest_k_years(ranks, n, k):
    series = points(2000, ranks)
    result = ev.evaluate(ev.RankWithin(n, k), [], ranks=series)
    if len(ranks) < k:
        assert result.status == ev.NO_DATA
    else:
        assert result.met is all(r <= n for r in ranks[-k:])


# --- below the national average ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "national", "status"),
    [("0.35", "0.36", ev.MET), ("0.36", "0.36", ev.NOT_MET), ("0.37", "0.36", ev.NOT_MET)],
)
def test_below_benchmark_boundary(city, national, status):
    result = ev.evaluate(
        ev.BelowBenchmark(), points(2018, [city]), benchmarks=points(2018, [national])
    )
    assert result.status == status


def test_below_benchmark_needs_the_benchmark_of_each_year():
    result = ev.evaluate(
        ev.BelowBenchmark(3),
        points(2016, ["1", "1", "1"]),
        benchmarks=points(2016, ["2"]) + points(2018, ["2"]),
    )
    assert result.status == ev.NO_DATA
    assert result.reason == "缺少 2017年的全国平均值,无法比较。"


def test_below_benchmark_waits_for_the_national_average():
    values = points(2017, ["0.30", "0.20", "0.10"])
    national = points(2017, ["0.28", "0.24"])  # 2019 not published yet
    result = ev.evaluate(ev.BelowBenchmark(1), values, benchmarks=national)
    assert result.status == ev.MET and result.reason.startswith("2018年 0.20 < 全国平均 0.24")
    alone = ev.evaluate(ev.BelowBenchmark(1), values, benchmarks=[])
    assert alone.status == ev.NO_DATA and alone.reason == "缺少 2019年的全国平均值,无法比较。"
    gap = ev.evaluate(
        ev.BelowBenchmark(2),
        points(2016, ["1"]) + points(2018, ["1"]),
        benchmarks=points(2016, ["2", "2", "2"]),
    )
    assert gap.status == ev.NO_DATA and gap.reason.endswith("缺少 2017年。")


def test_below_benchmark_over_three_years():
    values = points(2016, ["0.041", "0.036", "0.044"])
    national = points(2016, ["0.043", "0.040", "0.038"])
    result = ev.evaluate(ev.BelowBenchmark(3), values, benchmarks=national, unit="%")
    assert result.status == ev.NOT_MET
    assert result.reason.endswith("2018年未低于全国平均水平")
    assert "2016年 0.041% < 全国平均 0.043%" in result.reason


@given(st.lists(st.tuples(decimals, decimals), min_size=1, max_size=6))
def test_below_benchmark_is_below_in_every_year(pairs):
    values = [ev.Point(year(2010 + i), a) for i, (a, _b) in enumerate(pairs)]
    national = [ev.Point(year(2010 + i), b) for i, (_a, b) in enumerate(pairs)]
    result = ev.evaluate(ev.BelowBenchmark(len(pairs)), values, benchmarks=national)
    assert result.met is all(a < b for a, b in pairs)


# --- at least N by a date ---------------------------------------------------------------------

BY_2018 = ev.AtLeastBy(D(1), dt.date(2018, 12, 31))


def test_at_least_by_is_met_when_reached_in_time():
    result = ev.evaluate(BY_2018, points(2017, [0, 1]), unit="个")
    assert result.status == ev.MET
    assert result.reason == "截至 2018年:1 个,已在 2018-12-31 前达到 1 个以上"


def test_at_least_by_a_value_after_the_deadline_is_too_late():
    result = ev.evaluate(BY_2018, points(2017, [0, 0, 2]), as_of=dt.date(2020, 1, 1))
    assert result.status == ev.NOT_MET


def test_at_least_by_waits_for_the_deadline():
    result = ev.evaluate(BY_2018, points(2017, [0]), as_of=dt.date(2018, 6, 30))
    assert result.status == ev.NO_DATA
    assert "期限 2018-12-31 未到" in result.reason
    # reached early: met before the deadline
    assert ev.evaluate(BY_2018, points(2017, [1]), as_of=dt.date(2018, 6, 30)).met is True


def test_at_least_by_boundary_value():
    assert ev.evaluate(BY_2018, points(2018, ["0.99"])).met is False
    assert ev.evaluate(BY_2018, points(2018, ["1"])).met is True


def test_at_least_by_without_data_after_the_deadline():
    result = ev.evaluate(BY_2018, [], as_of=dt.date(2019, 5, 31))
    assert result.status == ev.NO_DATA and "2018-12-31 前暂无数据" in result.reason


# --- words ------------------------------------------------------------------------------------


def test_values_of_one_statement_share_their_decimals():
    assert ev.fmt_values([D("31.2"), D("33"), D("32.50")], "%") == ["31.2%", "33.0%", "32.5%"]
    assert ev.fmt_value(D("0.2700"), "人/万台") == "0.27 人/万台"
    assert ev.fmt_value(D("100.0000"), "%") == "100%"


def test_labels_of_the_three_states():
    assert ev.Evaluation(ev.MET, "").label == "达标"
    assert ev.Evaluation(ev.NOT_MET, "").label == "未达标"
    assert ev.Evaluation(ev.NO_DATA, "").label == "数据不足"
