"""Round totals, gaps and projections: pure functions over plain values, no database.

Rules (docs/architecture.md, Scoring rules):
- a criterion's points lie between 0 and its maximum;
- an item never earns more than its stated maximum, even where the seed's criteria add up to more
  (the result says where capping happened);
- an approved 合理缺项 (not applicable) criterion takes its maximum out of the item's reachable
  points, and the round total is earned × full ÷ (full − not-applicable maximum).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")


def q(value: Decimal) -> Decimal:
    """Two decimals, half up, as the score sheets print."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemInfo:
    code: str
    dimension: int
    max_points: Decimal


@dataclass(frozen=True)
class CriterionResult:
    key: str
    item: str
    maximum: Decimal
    points: Decimal | None = None  # None: not scored
    not_applicable: bool = False  # an approved 合理缺项 only

    @property
    def clamped(self) -> Decimal | None:
        if self.points is None:
            return None
        return max(ZERO, min(self.points, self.maximum))


@dataclass
class ItemTotal:
    code: str
    dimension: int
    max_points: Decimal
    earned: Decimal = ZERO
    raw: Decimal = ZERO
    na_max: Decimal = ZERO
    scored: int = 0
    unscored: int = 0

    @property
    def capped(self) -> bool:
        return self.raw > self.earned

    @property
    def reachable(self) -> Decimal:
        return self.max_points - self.na_max


@dataclass
class DimensionTotal:
    number: int
    max_points: Decimal = ZERO
    earned: Decimal = ZERO
    na_max: Decimal = ZERO

    @property
    def reachable(self) -> Decimal:
        return self.max_points - self.na_max

    @property
    def percent(self) -> Decimal:
        if self.reachable <= 0:
            return ZERO
        return q(self.earned * 100 / self.reachable)


@dataclass
class RoundTotal:
    full: Decimal
    earned: Decimal
    na_max: Decimal
    items: dict[str, ItemTotal] = field(default_factory=dict)
    dimensions: dict[int, DimensionTotal] = field(default_factory=dict)

    @property
    def adjusted(self) -> Decimal:
        """earned × full ÷ (full − not-applicable maximum), two decimals."""
        reachable = self.full - self.na_max
        if reachable <= 0:
            return ZERO
        return q(self.earned * self.full / reachable)

    @property
    def capped_items(self) -> list[ItemTotal]:
        return [i for i in self.items.values() if i.capped]

    @property
    def unscored(self) -> int:
        return sum(i.unscored for i in self.items.values())


def totals(items: Sequence[ItemInfo], criteria: Iterable[CriterionResult]) -> RoundTotal:
    """Totals per item, dimension and round."""
    item_totals = {i.code: ItemTotal(i.code, i.dimension, i.max_points) for i in items}
    na_sum: dict[str, Decimal] = {}
    for c in criteria:
        total = item_totals[c.item]
        if c.not_applicable:
            na_sum[c.item] = na_sum.get(c.item, ZERO) + c.maximum
            continue
        points = c.clamped
        if points is None:
            total.unscored += 1
            continue
        total.scored += 1
        total.raw += points
    dims: dict[int, DimensionTotal] = {}
    for total in item_totals.values():
        total.na_max = min(na_sum.get(total.code, ZERO), total.max_points)
        total.earned = min(total.raw, total.reachable)
        dim = dims.setdefault(total.dimension, DimensionTotal(total.dimension))
        dim.max_points += total.max_points
        dim.earned += total.earned
        dim.na_max += total.na_max
    full = sum((i.max_points for i in item_totals.values()), ZERO)
    earned = sum((i.earned for i in item_totals.values()), ZERO)
    na = sum((i.na_max for i in item_totals.values()), ZERO)
    return RoundTotal(full=full, earned=earned, na_max=na, items=item_totals, dimensions=dims)


@dataclass(frozen=True)
class Gap:
    key: str
    item: str
    maximum: Decimal
    points: Decimal | None
    lost: Decimal
    scored: bool


def gaps(criteria: Iterable[CriterionResult]) -> list[Gap]:
    """Criteria ranked by points lost (unscored ones count as wholly lost), largest first."""
    out = []
    for c in criteria:
        if c.not_applicable:
            continue
        points = c.clamped
        lost = c.maximum - (points or ZERO)
        if lost > 0:
            out.append(Gap(c.key, c.item, c.maximum, points, lost, points is not None))
    return sorted(out, key=lambda g: (-g.lost, g.key))


def projected(
    items: Sequence[ItemInfo], criteria: Sequence[CriterionResult], fixed_keys: set[str]
) -> RoundTotal:
    """Totals if the criteria in `fixed_keys` (open rectifications) earned their maximum."""
    lifted = [
        CriterionResult(c.key, c.item, c.maximum, c.maximum, c.not_applicable)
        if c.key in fixed_keys and not c.not_applicable
        else c
        for c in criteria
    ]
    return totals(items, lifted)
