"""Read models: indicators with their series and evaluations, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Region

from . import evaluation
from .choices import Series
from .evaluation import Evaluation, Point
from .models import Indicator, Observation


@dataclass
class IndicatorData:
    """One indicator with its region's values, national averages and ranks."""

    indicator: Indicator
    values: list[Point] = field(default_factory=list)
    benchmarks: list[Point] = field(default_factory=list)
    ranks: list[Point] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)

    def evaluate(self, as_of: dt.date | None) -> Evaluation:
        try:
            target = self.indicator.target()
        except evaluation.TargetError as exc:
            return Evaluation(evaluation.NO_DATA, _("目标规则无效:%(error)s") % {"error": exc})
        return evaluation.evaluate(
            target,
            self.values,
            benchmarks=self.benchmarks,
            ranks=self.ranks,
            as_of=as_of,
            unit=self.indicator.measure_unit,
        )

    @property
    def uses_rank(self) -> bool:
        return self.indicator.rule.get("type") == "rank_within"

    def main_series(self) -> list[Point]:
        return self.ranks if self.uses_rank else self.values

    def latest(self) -> Point | None:
        points = self.main_series()
        return points[-1] if points else None

    def latest_text(self) -> str:
        point = self.latest()
        if point is None:
            return ""
        if self.uses_rank:
            return _("第 %(n)s 位") % {"n": evaluation.fmt_number(point.value)}
        return evaluation.fmt_value(point.value, self.indicator.measure_unit)

    def chart(self, *, compact: bool = False) -> dict[str, Any]:
        """What indicators.js draws: periods, the region's line, the national line, the target."""
        ind = self.indicator
        main = self.main_series()
        labels = sorted({p.period for p in main} | {p.period for p in self.benchmarks})
        if compact:
            labels = labels[-6:]

        def line(points: list[Point]) -> list[float | None]:
            by = {p.period: p.value for p in points}
            return [float(by[p]) if p in by else None for p in labels]

        series = [
            {
                "name": str(Series.RANK.label if self.uses_rank else Series.VALUE.label),
                "values": line(main),
                "kind": "value",
            }
        ]
        if self.benchmarks and not self.uses_rank:
            series.append(
                {
                    "name": str(Series.NATIONAL_AVERAGE.label),
                    "values": line(self.benchmarks),
                    "kind": "benchmark",
                }
            )
        data: dict[str, Any] = {
            "labels": [p.label for p in labels],
            "series": series,
            "unit": "" if self.uses_rank else ind.measure_unit,
            "inverse": self.uses_rank,
            "target": None,
        }
        try:
            target = ind.target()
        except evaluation.TargetError:
            return data
        level = evaluation.target_line(target)
        if level is not None:
            data["target"] = {
                "value": float(level),
                "name": _("目标:%(target)s") % {"target": ind.target_text()},
            }
        return data


def _point(obs: Observation, indicator: Indicator) -> Point:
    return Point(indicator.parse_period(obs.period), Decimal(obs.value))


def indicator_data(
    indicators: Iterable[Indicator], region: Region | None, *, with_rows: bool = False
) -> dict[int, IndicatorData]:
    """Each indicator's series for a region (national averages whatever the region): 1 query."""
    out = {ind.pk: IndicatorData(ind) for ind in indicators}
    if not out:
        return out
    where = Q(region__isnull=True)
    if region is not None:
        where |= Q(region=region)
    qs = Observation.objects.filter(where, indicator_id__in=list(out)).order_by(
        "indicator_id", "period_end", "series"
    )
    if with_rows:
        qs = qs.select_related("entered_by")
    for obs in qs:
        data = out[obs.indicator_id]
        point = _point(obs, data.indicator)
        if obs.series == Series.NATIONAL_AVERAGE:
            data.benchmarks.append(point)
        elif obs.series == Series.RANK:
            data.ranks.append(point)
        else:
            data.values.append(point)
        if with_rows:
            obs.region = region if obs.region_id else None
            data.observations.append(obs)
    return out


# --- criteria and rounds ----------------------------------------------------------------------


def indicator_code(criterion: Criterion) -> str | None:
    rule = criterion.rule if isinstance(criterion.rule, dict) else {}
    if rule.get("type") != "indicator":
        return None
    code = rule.get("indicator")
    return code.strip() if isinstance(code, str) else None


def evaluation_for_criterion(
    criterion: Criterion, as_of: dt.date | None, *, region: Region
) -> Evaluation | None:
    """The evaluation behind an `indicator` criterion (None for other rules or an unknown code).

    For one criterion (2 queries); for many use `evaluations_for_criteria`.
    """
    code = indicator_code(criterion)
    if code is None:
        return None
    indicator = Indicator.objects.select_related("responsible_unit").filter(code=code).first()
    if indicator is None:
        return None
    return indicator_data([indicator], region)[indicator.pk].evaluate(as_of)


def evaluations_for_criteria(
    criteria: list[Criterion], *, region: Region, as_of: dt.date | None
) -> dict[int, tuple[Indicator, Evaluation]]:
    """criterion id → (indicator, evaluation as of `as_of` for `region`), for every `indicator`
    criterion among `criteria` whose indicator exists (2 queries)."""
    codes = {c.pk: indicator_code(c) for c in criteria}
    indicators = {
        ind.code: ind
        for ind in Indicator.objects.select_related("responsible_unit").filter(
            code__in=[c for c in codes.values() if c]
        )
    }
    data = indicator_data(indicators.values(), region)
    out = {}
    for criterion_id, code in codes.items():
        indicator = indicators.get(code or "")
        if indicator is not None:
            out[criterion_id] = (indicator, data[indicator.pk].evaluate(as_of))
    return out


def indicator_names(codes: Collection[str]) -> dict[str, str]:
    """Indicators' names by code (one query), for rules that name an indicator by its code."""
    return dict(Indicator.objects.filter(code__in=list(codes)).values_list("code", "name"))
