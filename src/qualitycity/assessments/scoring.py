"""Round totals, gaps and projections: pure functions over plain values, no database.

Rules (docs/architecture.md, Scoring rules):
- a criterion's points lie between 0 and its maximum;
- an item never earns more than its stated maximum, even where the seed's criteria add up to more
  (the result says where capping happened);
- an approved 合理缺项 (not applicable) criterion takes its maximum out of the item's reachable
  points, and the round total is earned × full ÷ (full − not-applicable maximum);
- 加分 (bonus) items and criteria are outside the full and base totals: the round's final total is
  the adjusted base total + min(bonus earned, the framework's bonus cap);
- a triggered 一票否决 (veto) fails the round or forces its grade; otherwise the grade is the band
  of the final total (min ≤ total < max).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

VETO_FAIL = "fail"

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
    bonus: bool = False  # a 加分 item: outside the full and base totals


@dataclass(frozen=True)
class GradeBand:
    label: str
    min: Decimal
    max: Decimal | None = None  # exclusive; None: no upper bound


def grade_for(total: Decimal, bands: Sequence[GradeBand]) -> str | None:
    """The label of the first band holding `total` (min ≤ total < max), None when none does."""
    for band in bands:
        if total >= band.min and (band.max is None or total < band.max):
            return band.label
    return None


@dataclass(frozen=True)
class CriterionResult:
    key: str
    item: str
    maximum: Decimal
    points: Decimal | None = None  # None: not scored
    not_applicable: bool = False  # an approved 合理缺项 only
    bonus: bool = False  # a 加分 criterion (or one of a 加分 item)
    veto: str | None = None  # a 一票否决 criterion: "fail" or the grade it forces
    triggered: bool = False  # the veto was entered as triggered

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
    bonus_earned: Decimal = ZERO  # before the cap
    bonus_cap: Decimal | None = None
    has_bonus: bool = False  # the framework has 加分 items or criteria
    vetoes: list[CriterionResult] = field(default_factory=list)  # triggered ones
    grades: tuple[GradeBand, ...] = ()

    @property
    def bonus(self) -> Decimal:
        """Bonus points counted: the earned bonus, never above the framework's cap."""
        if self.bonus_cap is None:
            return self.bonus_earned
        return min(self.bonus_earned, self.bonus_cap)

    @property
    def final(self) -> Decimal:
        """The adjusted base total plus the counted bonus."""
        return q(self.adjusted + self.bonus)

    @property
    def failed(self) -> bool:
        """A triggered veto whose consequence is to fail the round (一票否决)."""
        return any(v.veto == VETO_FAIL for v in self.vetoes)

    @property
    def grade(self) -> str | None:
        """The round's grade: None when failed by a veto; a forced grade (the lowest band among
        several); else the band of the final total (None without bands)."""
        if self.failed:
            return None
        forced = [v.veto for v in self.vetoes if v.veto]
        if forced:
            order = {b.label: b.min for b in self.grades}
            return min(forced, key=lambda g: order.get(g or "", ZERO))
        return grade_for(self.final, self.grades)

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

    @property
    def unscored_by_dimension(self) -> dict[int, int]:
        """Unscored criteria per dimension number, 加分 items included, so the counts add up to
        `unscored` (a dimension with nothing left to score maps to 0)."""
        out: dict[int, int] = {}
        for item in self.items.values():
            out[item.dimension] = out.get(item.dimension, 0) + item.unscored
        return out


def totals(
    items: Sequence[ItemInfo],
    criteria: Iterable[CriterionResult],
    *,
    bonus_cap: Decimal | None = None,
    grades: Sequence[GradeBand] = (),
) -> RoundTotal:
    """Totals per item, dimension and round; bonus, vetoes and grade beside them."""
    item_totals = {i.code: ItemTotal(i.code, i.dimension, i.max_points) for i in items}
    bonus_items = {i.code for i in items if i.bonus}
    na_sum: dict[str, Decimal] = {}
    bonus_rows = ZERO
    vetoes: list[CriterionResult] = []
    has_bonus = bool(bonus_items)
    for c in criteria:
        total = item_totals[c.item]
        if c.veto is not None and c.triggered:
            vetoes.append(c)
        if c.bonus and c.item not in bonus_items:
            has_bonus = True
            if not c.not_applicable and c.clamped is not None:
                bonus_rows += c.clamped
            elif c.clamped is None and not c.not_applicable:
                total.unscored += 1
            continue
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
    base = []
    for total in item_totals.values():
        total.na_max = min(na_sum.get(total.code, ZERO), total.max_points)
        total.earned = min(total.raw, total.reachable)
        if total.code in bonus_items:
            continue
        base.append(total)
        dim = dims.setdefault(total.dimension, DimensionTotal(total.dimension))
        dim.max_points += total.max_points
        dim.earned += total.earned
        dim.na_max += total.na_max
    full = sum((i.max_points for i in base), ZERO)
    earned = sum((i.earned for i in base), ZERO)
    na = sum((i.na_max for i in base), ZERO)
    bonus = bonus_rows + sum((item_totals[code].earned for code in bonus_items), ZERO)
    return RoundTotal(
        full=full,
        earned=earned,
        na_max=na,
        items=item_totals,
        dimensions=dims,
        bonus_earned=bonus,
        bonus_cap=bonus_cap,
        has_bonus=has_bonus,
        vetoes=vetoes,
        grades=tuple(grades),
    )


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
        if c.not_applicable or c.bonus:  # a 加分 row not earned is no lost point
            continue
        points = c.clamped
        lost = c.maximum - (points or ZERO)
        if lost > 0:
            out.append(Gap(c.key, c.item, c.maximum, points, lost, points is not None))
    return sorted(out, key=lambda g: (-g.lost, g.key))


# The states of a rectification (`FindingStatus` values) whose criterion the projection lifts to
# its maximum: every one. A rectification under way is expected to regain the row's points and a
# verified one has regained them, though the round's score stays as assessed; leaving verified
# ones out made verifying a finding lower the projected total.
REGAINING = frozenset({"open", "in_progress", "fixed", "verified"})


def regained_keys(findings: Iterable[tuple[str, str]]) -> set[str]:
    """The criterion keys a rectification regains, from (criterion key, finding status) pairs."""
    return {key for key, status in findings if status in REGAINING}


def projected(
    items: Sequence[ItemInfo],
    criteria: Sequence[CriterionResult],
    findings: Iterable[tuple[str, str]],
    **scheme: object,
) -> RoundTotal:
    """Totals once the rectifications are done: the criteria of `findings` ((criterion key,
    finding status) pairs, `REGAINING`) earn their maximum. Never below `totals`, and moving a
    finding along its workflow (verifying it included) never lowers it."""
    keys = regained_keys(findings)
    lifted = [
        replace(c, points=c.maximum) if c.key in keys and not c.not_applicable else c
        for c in criteria
    ]
    return totals(items, lifted, **scheme)  # type: ignore[arg-type]
