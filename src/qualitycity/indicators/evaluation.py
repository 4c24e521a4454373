"""Indicator targets and their evaluation: pure functions, no database.

A target is data, stored on the indicator as a mapping (see indicators/data/targets.yaml):

    {type: compare, op: ">=", value: 94}            the latest value (or the latest `years` values)
    {type: below_benchmark, years: 3}                below the national average in each of the
                                                     latest `years` periods
    {type: rank_within, rank: 10, years: 3}          national rank ≤ `rank` for `years` periods
    {type: rising, years: 3}                         strictly rising over `years` periods
    {type: falling, years: 3}                        strictly falling over `years` periods
    {type: at_least_by, value: 1, date: 2018-12-31}  at least `value` by a date

`evaluate` gives 达标 / 未达标 / 数据不足 and the reason in words, e.g.
"2016–2018年:31.2% → 33.0% → 32.5%,未连续提高".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from qualitycity import numbers

from .periods import Period, one, span

MET = "met"
NOT_MET = "not_met"
NO_DATA = "no_data"
STATUSES = (MET, NOT_MET, NO_DATA)
TARGET_TYPES = ("compare", "below_benchmark", "rank_within", "rising", "falling", "at_least_by")
OPS = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<"}
_OP_ALIASES = {
    "≥": ">=",
    "≤": "<=",
    "==": "=",
    ">=": ">=",
    ">": ">",
    "=": "=",
    "<=": "<=",
    "<": "<",
}
MAX_YEARS = 20


class TargetError(ValueError):
    """A target mapping that cannot be read."""


def to_number(value: Any, *, what: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise TargetError(_("%(what)s必须是数字。") % {"what": what})
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TargetError(_("%(what)s必须是有限的数字。") % {"what": what})
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise TargetError(
            _("%(what)s必须是数字,收到“%(value)s”。") % {"what": what, "value": value}
        ) from exc
    if not number.is_finite():
        raise TargetError(_("%(what)s必须是有限的数字。") % {"what": what})
    return number


@dataclass(frozen=True)
class Compare:
    op: str
    value: Decimal
    years: int = 1
    type: str = "compare"


@dataclass(frozen=True)
class BelowBenchmark:
    years: int = 1
    type: str = "below_benchmark"


@dataclass(frozen=True)
class RankWithin:
    rank: int
    years: int
    type: str = "rank_within"


@dataclass(frozen=True)
class Trend:
    years: int
    type: str = "rising"  # or "falling"

    @property
    def rising(self) -> bool:
        return self.type == "rising"


@dataclass(frozen=True)
class AtLeastBy:
    value: Decimal
    date: dt.date
    type: str = "at_least_by"


Target = Compare | BelowBenchmark | RankWithin | Trend | AtLeastBy


def _years(data: Mapping[str, Any], default: int | None) -> int:
    raw = data.get("years", default)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_YEARS:
        raise TargetError(_("years 必须是 1 到 %(max)s 之间的整数。") % {"max": MAX_YEARS})
    return raw


def parse_target(data: Any) -> Target:
    """Build a target from its mapping, or raise TargetError saying what is wrong."""
    if not isinstance(data, Mapping):
        raise TargetError(_('指标目标必须是一个映射,例如 {type: compare, op: ">=", value: 90}。'))
    kind = data.get("type")
    if kind not in TARGET_TYPES:
        raise TargetError(
            _("未知的指标目标类型“%(type)s”,可用类型:%(types)s。")
            % {"type": kind, "types": ", ".join(TARGET_TYPES)}
        )
    if kind == "compare":
        op = _OP_ALIASES.get(str(data.get("op", "")).strip())
        if op is None:
            raise TargetError(
                _("比较符“%(op)s”无效,可用:%(ops)s。")
                % {"op": data.get("op"), "ops": " ".join(OPS)}
            )
        return Compare(op, to_number(data.get("value"), what=_("目标值")), _years(data, 1))
    if kind == "below_benchmark":
        return BelowBenchmark(_years(data, 1))
    if kind == "rank_within":
        rank = data.get("rank")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise TargetError(_("排名目标的 rank 必须是不小于 1 的整数。"))
        return RankWithin(rank, _years(data, 1))
    if kind in ("rising", "falling"):
        years = _years(data, None) if "years" in data else 0
        if years < 2:
            raise TargetError(_("连续提高或下降的目标需要 years ≥ 2。"))
        return Trend(years, kind)
    raw_date = data.get("date")
    if isinstance(raw_date, dt.datetime):
        raw_date = raw_date.date()
    if isinstance(raw_date, str):
        try:
            raw_date = dt.date.fromisoformat(raw_date.strip())
        except ValueError:
            raw_date = None
    if not isinstance(raw_date, dt.date):
        raise TargetError(_("期限目标的 date 必须是日期,例如 2018-12-31。"))
    return AtLeastBy(to_number(data.get("value"), what=_("目标值")), raw_date)


def target_to_data(target: Target) -> dict[str, Any]:
    def num(v: Decimal) -> int | float:
        return int(v) if v == v.to_integral_value() else float(v)

    if isinstance(target, Compare):
        data: dict[str, Any] = {"type": target.type, "op": target.op, "value": num(target.value)}
        if target.years != 1:
            data["years"] = target.years
        return data
    if isinstance(target, BelowBenchmark):
        return {"type": target.type, "years": target.years}
    if isinstance(target, RankWithin):
        return {"type": target.type, "rank": target.rank, "years": target.years}
    if isinstance(target, Trend):
        return {"type": target.type, "years": target.years}
    return {"type": target.type, "value": num(target.value), "date": target.date.isoformat()}


# --- words ------------------------------------------------------------------------------------


def _decimals(number: Decimal) -> int:
    return numbers.places_of(number)


def fmt_number(number: Decimal, decimals: int | None = None) -> str:
    """95.3, 100, 0.12; with `decimals`, that many places (33.0 beside 31.2)."""
    return numbers.format_number(number, places=decimals)


with_unit = numbers.with_unit


def fmt_value(number: Decimal, unit: str = "", decimals: int | None = None) -> str:
    return numbers.format_number(number, unit, places=decimals)


def fmt_values(numbers: Iterable[Decimal], unit: str = "") -> list[str]:
    """Values of one statement with the same number of decimals, each with its unit."""
    numbers = list(numbers)
    places = min(max((_decimals(n) for n in numbers), default=0), 4)
    return [fmt_value(n, unit, places) for n in numbers]


def describe_target(target: Target, unit: str = "") -> str:
    """A short Chinese statement of the target, for pages and exports."""
    if isinstance(target, Compare):
        text = f"{OPS[target.op]} {fmt_value(target.value, unit)}"
        if target.years > 1:
            return _("连续 %(n)s 年 %(target)s") % {"n": target.years, "target": text}
        return text
    if isinstance(target, BelowBenchmark):
        if target.years > 1:
            return _("连续 %(n)s 年低于全国平均水平") % {"n": target.years}
        return _("低于全国平均水平")
    if isinstance(target, RankWithin):
        return _("连续 %(n)s 年居全国前 %(rank)s 位") % {"n": target.years, "rank": target.rank}
    if isinstance(target, Trend):
        if target.rising:
            return _("连续 %(n)s 年不断提高") % {"n": target.years}
        return _("连续 %(n)s 年不断下降") % {"n": target.years}
    return _("%(date)s 前达到 %(value)s以上") % {
        "date": target.date.isoformat(),
        "value": fmt_value(target.value, unit),
    }


def target_line(target: Target) -> Decimal | None:
    """The level a chart draws as the target, where the target has one."""
    if isinstance(target, Compare | AtLeastBy):
        return target.value
    if isinstance(target, RankWithin):
        return Decimal(target.rank)
    return None


# --- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    period: Period
    value: Decimal


@dataclass(frozen=True)
class Evaluation:
    status: str  # MET, NOT_MET or NO_DATA
    reason: str
    periods: tuple[Period, ...] = ()

    @property
    def met(self) -> bool | None:
        return {MET: True, NOT_MET: False}.get(self.status)

    @property
    def label(self) -> str:
        return {MET: _("达标"), NOT_MET: _("未达标"), NO_DATA: _("数据不足")}[self.status]


def _known(points: Iterable[Point], as_of: dt.date | None) -> list[Point]:
    """Points whose period has ended by `as_of`, latest last, one per period (the last given)."""
    by_period: dict[Period, Point] = {}
    for point in points:
        if as_of is None or point.period.end <= as_of:
            by_period[point.period] = point
    return [by_period[p] for p in sorted(by_period)]


def window(points: list[Point], years: int) -> tuple[list[Period], list[Point], list[Period]]:
    """The `years` consecutive periods ending at the latest point: (periods, points, missing)."""
    if not points:
        return [], [], []
    periods = [points[-1].period]
    while len(periods) < years:
        periods.insert(0, periods[0].previous())
    by_period = {p.period: p for p in points}
    have = [by_period[p] for p in periods if p in by_period]
    missing = [p for p in periods if p not in by_period]
    return periods, have, missing


def _missing_reason(periods: list[Period], missing: list[Period], what: str = "") -> str:
    names = "、".join(one(p) for p in missing)
    return _("需要 %(span)s连续 %(n)s 期的%(what)s数据,缺少 %(missing)s。") % {
        "span": span(periods),
        "n": len(periods),
        "what": what,
        "missing": names,
    }


def _holds(op: str, value: Decimal, target: Decimal) -> bool:
    return {
        ">=": value >= target,
        ">": value > target,
        "=": value == target,
        "<=": value <= target,
        "<": value < target,
    }[op]


def _no_data(what: str = "") -> Evaluation:
    if what:
        return Evaluation(NO_DATA, _("暂无%(what)s数据。") % {"what": what})
    return Evaluation(NO_DATA, _("暂无数据。"))


def evaluate(
    target: Target,
    values: Iterable[Point],
    *,
    benchmarks: Iterable[Point] = (),
    ranks: Iterable[Point] = (),
    as_of: dt.date | None = None,
    unit: str = "",
) -> Evaluation:
    """Whether the indicator meets its target with what was known on `as_of` (None: everything).

    `values` are the region's own values, `benchmarks` the national averages, `ranks` the
    region's national ranks. A period counts from its last day on.
    """
    own = _known(values, as_of)
    if isinstance(target, Compare):
        return _compare(target, own, unit)
    if isinstance(target, BelowBenchmark):
        return _below(target, own, _known(benchmarks, as_of), unit)
    if isinstance(target, RankWithin):
        return _rank(target, _known(ranks, as_of))
    if isinstance(target, Trend):
        return _trend(target, own, unit)
    return _by_date(target, own, as_of, unit)


def _compare(target: Compare, own: list[Point], unit: str) -> Evaluation:
    if not own:
        return _no_data()
    periods, have, missing = window(own, target.years)
    if missing:
        return Evaluation(NO_DATA, _missing_reason(periods, missing), tuple(periods))
    goal = f"{OPS[target.op]} {fmt_value(target.value, unit)}"
    shown = " → ".join(fmt_values((p.value for p in have), unit))
    failing = [p for p in have if not _holds(target.op, p.value, target.value)]
    if not failing:
        if len(have) == 1:
            reason = _("%(period)s:%(values)s,达到目标(%(goal)s)") % {
                "period": span(periods),
                "values": shown,
                "goal": goal,
            }
        else:
            reason = _("%(period)s:%(values)s,均达到目标(%(goal)s)") % {
                "period": span(periods),
                "values": shown,
                "goal": goal,
            }
        return Evaluation(MET, reason, tuple(periods))
    if len(have) == 1:
        reason = _("%(period)s:%(values)s,未达到目标(%(goal)s)") % {
            "period": span(periods),
            "values": shown,
            "goal": goal,
        }
    else:
        reason = _("%(period)s:%(values)s,%(failing)s未达到目标(%(goal)s)") % {
            "period": span(periods),
            "values": shown,
            "failing": "、".join(one(p.period) for p in failing),
            "goal": goal,
        }
    return Evaluation(NOT_MET, reason, tuple(periods))


def _below(
    target: BelowBenchmark, own: list[Point], national: list[Point], unit: str
) -> Evaluation:
    """National averages come out later than the city's own figures: the window ends at the
    latest period that has both."""
    if not own:
        return _no_data()
    bench = {p.period: p.value for p in national}
    paired = [p for p in own if p.period in bench]
    if not paired:
        return Evaluation(
            NO_DATA,
            _("缺少 %(periods)s的全国平均值,无法比较。") % {"periods": one(own[-1].period)},
            (own[-1].period,),
        )
    periods, _have, missing = window(paired, target.years)
    own_periods = {p.period for p in own}
    lacking_own = [p for p in missing if p not in own_periods]
    if lacking_own:
        return Evaluation(NO_DATA, _missing_reason(periods, lacking_own), tuple(periods))
    if missing:
        return Evaluation(
            NO_DATA,
            _("缺少 %(periods)s的全国平均值,无法比较。")
            % {"periods": "、".join(one(p) for p in missing)},
            tuple(periods),
        )
    have = [p for p in paired if p.period in set(periods)]
    texts = fmt_values([p.value for p in have] + [bench[p.period] for p in have], unit)
    n = len(have)
    parts = []
    failing = []
    for i, point in enumerate(have):
        below = point.value < bench[point.period]
        if not below:
            failing.append(point.period)
        parts.append(
            _("%(period)s %(value)s %(sign)s 全国平均 %(national)s")
            % {
                "period": one(point.period),
                "value": texts[i],
                "sign": "<" if below else "≥",
                "national": texts[n + i],
            }
        )
    detail = ";".join(parts)
    if not failing:
        return Evaluation(
            MET, _("%(detail)s,低于全国平均水平") % {"detail": detail}, tuple(periods)
        )
    if len(have) == 1:
        return Evaluation(
            NOT_MET, _("%(detail)s,未低于全国平均水平") % {"detail": detail}, tuple(periods)
        )
    return Evaluation(
        NOT_MET,
        _("%(detail)s,%(failing)s未低于全国平均水平")
        % {"detail": detail, "failing": "、".join(one(p) for p in failing)},
        tuple(periods),
    )


def _rank(target: RankWithin, ranks: list[Point]) -> Evaluation:
    if not ranks:
        return _no_data(_("排名"))
    periods, have, missing = window(ranks, target.years)
    if missing:
        return Evaluation(NO_DATA, _missing_reason(periods, missing, _("排名")), tuple(periods))
    shown = " → ".join(_("第 %(n)s 位") % {"n": fmt_number(p.value)} for p in have)
    ok = all(p.value <= target.rank for p in have)
    if ok:
        reason = _("%(period)s全国排名:%(ranks)s,连续 %(n)s 年居前 %(rank)s 位")
    else:
        reason = _("%(period)s全国排名:%(ranks)s,未连续 %(n)s 年居前 %(rank)s 位")
    return Evaluation(
        MET if ok else NOT_MET,
        reason % {"period": span(periods), "ranks": shown, "n": target.years, "rank": target.rank},
        tuple(periods),
    )


def _trend(target: Trend, own: list[Point], unit: str) -> Evaluation:
    if not own:
        return _no_data()
    periods, have, missing = window(own, target.years)
    if missing:
        return Evaluation(NO_DATA, _missing_reason(periods, missing), tuple(periods))
    shown = " → ".join(fmt_values((p.value for p in have), unit))
    pairs = list(pairwise(have))
    if target.rising:
        ok = all(b.value > a.value for a, b in pairs)
        reason = (
            _("%(period)s:%(values)s,连续提高") if ok else _("%(period)s:%(values)s,未连续提高")
        )
    else:
        ok = all(b.value < a.value for a, b in pairs)
        reason = (
            _("%(period)s:%(values)s,连续下降") if ok else _("%(period)s:%(values)s,未连续下降")
        )
    return Evaluation(
        MET if ok else NOT_MET, reason % {"period": span(periods), "values": shown}, tuple(periods)
    )


def _by_date(target: AtLeastBy, own: list[Point], as_of: dt.date | None, unit: str) -> Evaluation:
    deadline = target.date
    in_time = [p for p in own if p.period.end <= deadline]
    goal = fmt_value(target.value, unit)
    if in_time and in_time[-1].value >= target.value:
        latest = in_time[-1]
        return Evaluation(
            MET,
            _("截至 %(period)s:%(value)s,已在 %(date)s 前达到 %(goal)s以上")
            % {
                "period": one(latest.period),
                "value": fmt_value(latest.value, unit),
                "date": deadline.isoformat(),
                "goal": goal,
            },
            (latest.period,),
        )
    if as_of is not None and as_of < deadline:
        current = (
            _("目前 %(period)s 为 %(value)s")
            % {"period": one(in_time[-1].period), "value": fmt_value(in_time[-1].value, unit)}
            if in_time
            else _("目前暂无数据")
        )
        return Evaluation(
            NO_DATA,
            _("期限 %(date)s 未到,%(current)s(目标 %(goal)s以上)")
            % {"date": deadline.isoformat(), "current": current, "goal": goal},
        )
    if not in_time:
        return Evaluation(NO_DATA, _("%(date)s 前暂无数据。") % {"date": deadline.isoformat()})
    latest = in_time[-1]
    return Evaluation(
        NOT_MET,
        _("截至 %(period)s:%(value)s,未在 %(date)s 前达到 %(goal)s以上")
        % {
            "period": one(latest.period),
            "value": fmt_value(latest.value, unit),
            "date": deadline.isoformat(),
            "goal": goal,
        },
        (latest.period,),
    )
