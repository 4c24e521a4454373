"""Scoring rules: pure functions from a criterion's rule and an input to points.

A rule is data (see docs/framework-format.md). `parse_rule` turns a mapping into a rule object,
`score` turns an input into points between 0 and the criterion's maximum, and refuses an input the
rule cannot take with a message that says what it accepts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

RULE_TYPES = (
    "manual",
    "binary",
    "tiers",
    "threshold",
    "rank",
    "count",
    "indicator",
    "deduction",
    "all",
    "any",
    "parts",
    "veto",
)
VETO_FAIL = "fail"
# Rules a composite's condition may use: each says whether it holds (its rule gives points).
CONDITION_TYPES = ("binary", "indicator", "count", "threshold", "tiers", "rank")
# Rules a part of a `parts` criterion may use (each part is scored out of its own points).
PART_TYPES = ("manual", "binary", "indicator", "count", "threshold", "tiers", "rank", "deduction")
COUNT_PERIODS = ("year", "campaign")


class RuleError(ValueError):
    """A rule that cannot be built, or an input that a rule cannot take."""


def to_decimal(value: Any, *, what: str) -> Decimal:
    """A finite Decimal from an int, float, Decimal or numeric string; bools are refused."""
    if isinstance(value, bool) or value is None:
        raise RuleError(_("%(what)s必须是数字。") % {"what": what})
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RuleError(_("%(what)s必须是有限的数字。") % {"what": what})
        value = repr(value)
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise RuleError(
            _("%(what)s必须是数字,收到“%(value)s”。") % {"what": what, "value": value}
        ) from exc
    if not number.is_finite():
        raise RuleError(_("%(what)s必须是有限的数字。") % {"what": what})
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        # 1E+999999999 is a finite Decimal; printed in full it has a billion digits
        # (decimal.Overflow while building the message, a 500).
        raise RuleError(_("%(what)s超出可接受的范围。") % {"what": what})
    return number


MAX_POINTS = Decimal("999999.99")
MAX_EXPONENT = 30  # no measured value or score needs more than 30 digits either side of the point


def _points(value: Any, *, what: str) -> Decimal:
    """Points: a number from 0 to 999999.99 with at most two decimals (what the tables store)."""
    number = to_decimal(value, what=what)
    if number < 0:
        raise RuleError(_("%(what)s不能为负数。") % {"what": what})
    if number > MAX_POINTS:
        raise RuleError(_("%(what)s不能超过 999999.99。") % {"what": what})
    if number != number.quantize(Decimal("0.01")):
        raise RuleError(_("%(what)s最多保留两位小数。") % {"what": what})
    return number


points_value = _points


def fmt(number: Decimal) -> str:
    """Points as people write them: 10, 7.5, 0.25 (never 1E+1 or 10.00)."""
    text = format(number.normalize(), "f")
    return text


_fmt = fmt


def clamp(points: Decimal, maximum: Decimal) -> Decimal:
    """Points never below 0 nor above the criterion's maximum."""
    return max(Decimal(0), min(points, maximum))


@dataclass(frozen=True)
class Manual:
    step: Decimal = Decimal(1)
    type: str = "manual"

    def top(self) -> Decimal | None:
        return None

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        number = to_decimal(value, what=_("得分"))
        if number < 0 or number > maximum:
            raise RuleError(
                _("得分必须在 0 到 %(max)s 分之间,收到 %(value)s。")
                % {"max": _fmt(maximum), "value": _fmt(number)}
            )
        if number % self.step != 0:
            raise RuleError(
                _("得分必须是 %(step)s 的整数倍,收到 %(value)s。")
                % {"step": _fmt(self.step), "value": _fmt(number)}
            )
        return number

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "step": _num(self.step)}


@dataclass(frozen=True)
class Binary:
    type: str = "binary"

    def top(self) -> Decimal | None:
        return None

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        if not isinstance(value, bool):
            raise RuleError(_("此项只接受“是”或“否”。"))
        return maximum if value else Decimal(0)

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type}


@dataclass(frozen=True)
class Tier:
    label: str
    points: Decimal


@dataclass(frozen=True)
class Tiers:
    tiers: tuple[Tier, ...]
    type: str = "tiers"

    def top(self) -> Decimal | None:
        return max(t.points for t in self.tiers)

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        for tier in self.tiers:
            if value == tier.label:
                return clamp(tier.points, maximum)
        choices = "、".join(f"“{t.label}”" for t in self.tiers)
        raise RuleError(_("请选择以下档次之一:%(choices)s。") % {"choices": choices})

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "tiers": [{"label": t.label, "points": _num(t.points)} for t in self.tiers],
        }


@dataclass(frozen=True)
class Bound:
    """A threshold step: `points` for a value of at least `min` (不低于), or above it when
    `strict` (大于 / 超过)."""

    min: Decimal
    points: Decimal
    strict: bool = False

    def reached(self, value: Decimal) -> bool:
        return value > self.min if self.strict else value >= self.min

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"min": _num(self.min), "points": _num(self.points)}
        if self.strict:  # written only when set, so tables without it keep their content hash
            data["strict"] = True
        return data


@dataclass(frozen=True)
class Threshold:
    bounds: tuple[Bound, ...]
    unit: str = ""
    otherwise: Decimal = Decimal(0)
    type: str = "threshold"

    def top(self) -> Decimal | None:
        return max([b.points for b in self.bounds] + [self.otherwise])

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        number = to_decimal(value, what=_("数值"))
        if number < 0:
            raise RuleError(
                _("数值必须是不小于 0 的数字(单位:%(unit)s),收到 %(value)s。")
                % {"unit": self.unit or "-", "value": _fmt(number)}
            )
        for bound in self.bounds:
            if bound.reached(number):
                return clamp(bound.points, maximum)
        return clamp(self.otherwise, maximum)

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "unit": self.unit,
            "bounds": [b.to_data() for b in self.bounds],
            "otherwise": _num(self.otherwise),
        }


@dataclass(frozen=True)
class Band:
    band: str
    points: Decimal


@dataclass(frozen=True)
class Rank:
    bands: tuple[Band, ...]
    type: str = "rank"

    def top(self) -> Decimal | None:
        return max(b.points for b in self.bands)

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        for band in self.bands:
            if value == band.band:
                return clamp(band.points, maximum)
        choices = "、".join(f"“{b.band}”" for b in self.bands)
        raise RuleError(_("请选择以下排名档次之一:%(choices)s。") % {"choices": choices})

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "bands": [{"band": b.band, "points": _num(b.points)} for b in self.bands],
        }


@dataclass(frozen=True)
class Count:
    at_least: int
    unit: str = ""
    period: str = "year"
    type: str = "count"

    def top(self) -> Decimal | None:
        return None

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise RuleError(_("数量必须是不小于 0 的整数。"))
        try:
            count = int(str(value).strip())
        except ValueError as exc:
            raise RuleError(
                _("数量必须是不小于 0 的整数,收到“%(value)s”。") % {"value": value}
            ) from exc
        if count < 0:
            raise RuleError(_("数量必须是不小于 0 的整数,收到“%(value)s”。") % {"value": value})
        return maximum if count >= self.at_least else Decimal(0)

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "at_least": self.at_least,
            "unit": self.unit,
            "period": self.period,
        }


@dataclass(frozen=True)
class IndicatorRule:
    indicator: str
    type: str = "indicator"

    def top(self) -> Decimal | None:
        return None

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        if not isinstance(value, bool):
            raise RuleError(_("此项按指标是否达标计分,只接受“达标”或“未达标”。"))
        return maximum if value else Decimal(0)

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "indicator": self.indicator}


def _occurrences(value: Any) -> int:
    """A count of events typed as an integer ≥ 0 (a form gives a string)."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise RuleError(_("数量必须是不小于 0 的整数。"))
    try:
        count = int(str(value).strip())
    except ValueError as exc:
        raise RuleError(
            _("数量必须是不小于 0 的整数,收到“%(value)s”。") % {"value": value}
        ) from exc
    if count < 0:
        raise RuleError(_("数量必须是不小于 0 的整数,收到“%(value)s”。") % {"value": value})
    return count


@dataclass(frozen=True)
class Deduction:
    """扣分制: the criterion's points, less `per` for each occurrence (问题、事故、投诉 …), never
    below 0 — "发现一起扣2分,扣完为止"."""

    per: Decimal
    unit: str = ""
    type: str = "deduction"

    def top(self) -> Decimal | None:
        return None

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        return max(Decimal(0), maximum - self.per * _occurrences(value))

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "per": _num(self.per), "unit": self.unit}


@dataclass(frozen=True)
class Veto:
    """一票否决: a yes/no check worth no points that, when triggered, fails the round
    (`consequence: fail`) or forces its grade (`grade: <label>`)."""

    consequence: str = VETO_FAIL  # "fail" or "grade"
    grade: str = ""
    type: str = "veto"

    def top(self) -> Decimal | None:
        return Decimal(0)

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        if not isinstance(value, bool):
            raise RuleError(_("一票否决项只接受“已触发”或“未触发”。"))
        return Decimal(0)

    def to_data(self) -> dict[str, Any]:
        if self.consequence == VETO_FAIL:
            return {"type": self.type, "consequence": VETO_FAIL}
        return {"type": self.type, "grade": self.grade}


LeafRule = Manual | Binary | Tiers | Threshold | Rank | Count | IndicatorRule | Deduction


def _unit_of(rule: LeafRule) -> Decimal:
    """The points a condition's rule is scored out of to tell whether it holds."""
    top = rule.top()
    return top if top is not None and top > 0 else Decimal(1)


@dataclass(frozen=True)
class Condition:
    """One condition of an `all` / `any` rule: a check with its own rule, which holds when that
    rule gives points (yes, met, a count reached, a bound reached, a tier or band worth points).
    `points`, when set, is what the condition earns alone when the combination does not hold."""

    label: str
    rule: LeafRule
    points: Decimal | None = None

    def holds(self, value: Any) -> bool:
        return self.rule.score(value, _unit_of(self.rule)) > 0

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "rule": self.rule.to_data()}
        if self.points is not None:
            data["points"] = _num(self.points)
        return data


@dataclass(frozen=True)
class Composite:
    """`all` (且, 均) or `any` (或) of several conditions: the criterion's points when the
    combination holds; otherwise the partial points of the conditions that hold (`all` only)."""

    type: str  # "all" or "any"
    conditions: tuple[Condition, ...]

    def top(self) -> Decimal | None:
        return None

    def holding(self, values: Any) -> list[bool]:
        values = _sub_values(values, len(self.conditions))
        return [c.holds(v) for c, v in zip(self.conditions, values, strict=True)]

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        held = self.holding(value)
        if all(held) if self.type == "all" else any(held):
            return maximum
        partial = sum(
            (c.points for c, h in zip(self.conditions, held, strict=True) if h and c.points),
            Decimal(0),
        )
        return clamp(partial, maximum)

    @property
    def partial_total(self) -> Decimal:
        return sum((c.points or Decimal(0) for c in self.conditions), Decimal(0))

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "conditions": [c.to_data() for c in self.conditions]}


@dataclass(frozen=True)
class Part:
    """One part of a row printed as "0.5 + 0.5": its own text, points and rule."""

    text: str
    points: Decimal
    rule: LeafRule

    def to_data(self) -> dict[str, Any]:
        return {"text": self.text, "points": _num(self.points), "rule": self.rule.to_data()}


@dataclass(frozen=True)
class Parts:
    """Sub-criteria that add up: each part is scored out of its own points, the row earns their
    sum, never above the row's maximum."""

    parts: tuple[Part, ...]
    type: str = "parts"

    def top(self) -> Decimal | None:
        return sum((p.points for p in self.parts), Decimal(0))

    def part_points(self, value: Any) -> list[Decimal]:
        values = _sub_values(value, len(self.parts))
        return [
            clamp(p.rule.score(v, p.points), p.points)
            for p, v in zip(self.parts, values, strict=True)
        ]

    def score(self, value: Any, maximum: Decimal) -> Decimal:
        return clamp(sum(self.part_points(value), Decimal(0)), maximum)

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "parts": [p.to_data() for p in self.parts]}


def _sub_values(values: Any, n: int) -> list[Any]:
    """A composite's or parts' input: one value per condition or part, in order."""
    if not isinstance(values, list | tuple) or len(values) != n:
        raise RuleError(_("此项需要逐项填写 %(n)s 个评分输入。") % {"n": n})
    return list(values)


Rule = LeafRule | Composite | Parts | Veto


# Keys a rule's list entries may have besides those their canonical form always writes.
OPTIONAL_ENTRY_KEYS = {"bounds": ("strict",), "conditions": ("points",)}
# List entries that hold a rule of their own (checked for unknown keys in turn).
NESTED_RULE_LISTS = {"conditions": "conditions", "parts": "parts"}


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _labelled(
    items: Any, key: str, what: str, cls: type[Tier] | type[Band]
) -> tuple[Tier | Band, ...]:
    if not isinstance(items, list) or not items:
        raise RuleError(_("规则缺少%(what)s列表。") % {"what": what})
    out = []
    seen: set[str] = set()
    for entry in items:
        if not isinstance(entry, Mapping) or key not in entry or "points" not in entry:
            raise RuleError(_("%(what)s必须写成 {%(key)s, points}。") % {"what": what, "key": key})
        raw_label = entry[key]
        if not isinstance(raw_label, str | int | float) or isinstance(raw_label, bool):
            raise RuleError(_("%(what)s的名称不能为空。") % {"what": what})
        label = str(raw_label).strip()
        if not label:
            raise RuleError(_("%(what)s的名称不能为空。") % {"what": what})
        if label in seen:
            raise RuleError(_("%(what)s“%(label)s”重复。") % {"what": what, "label": label})
        seen.add(label)
        out.append(cls(label, _points(entry["points"], what=_("%(what)s分值") % {"what": what})))
    return tuple(out)


def parse_rule(data: Any) -> Rule:
    """Build a rule from its mapping, or raise RuleError saying what is wrong."""
    if not isinstance(data, Mapping):
        raise RuleError(_("评分规则必须是一个映射,例如 {type: manual}。"))
    kind = data.get("type")
    if kind not in RULE_TYPES:
        raise RuleError(
            _("未知的评分规则类型“%(type)s”,可用类型:%(types)s。")
            % {"type": kind, "types": ", ".join(RULE_TYPES)}
        )
    if kind in ("all", "any"):
        return _parse_composite(kind, data.get("conditions"))
    if kind == "parts":
        return _parse_parts(data.get("parts"))
    if kind == "veto":
        return _parse_veto(data)
    return _parse_leaf(kind, data)


def _parse_veto(data: Mapping) -> Veto:
    consequence, grade = data.get("consequence"), data.get("grade")
    if consequence is not None and grade is not None:
        raise RuleError(_("一票否决项只能写 consequence: fail 或 grade(强制等次)其中之一。"))
    if grade is not None:
        if not isinstance(grade, str) or not grade.strip():
            raise RuleError(_("一票否决项的 grade(强制等次)不能为空。"))
        return Veto(consequence="grade", grade=grade.strip())
    if consequence != VETO_FAIL:
        raise RuleError(
            _("一票否决项必须写明后果:consequence: fail(考核不通过)或 grade: 等次名称。")
        )
    return Veto()


def _sub_rule(data: Any, allowed: tuple[str, ...], where: str) -> LeafRule:
    """The rule of a condition or part: a plain rule of one of the `allowed` types."""
    if not isinstance(data, Mapping):
        raise RuleError(_("%(where)s缺少 rule(评分规则)。") % {"where": where})
    kind = data.get("type")
    if kind not in allowed:
        raise RuleError(
            _("%(where)s的规则类型“%(type)s”不能使用,可用类型:%(types)s。")
            % {"where": where, "type": kind, "types": ", ".join(allowed)}
        )
    try:
        return _parse_leaf(kind, data)
    except RuleError as exc:
        raise RuleError(f"{where}:{exc}") from exc


def _entry_label(entry: Any, key: str, what: str, index: int) -> str:
    raw = entry.get(key) if isinstance(entry, Mapping) else None
    if not isinstance(raw, str) or not raw.strip():
        raise RuleError(
            _("第 %(n)s 个%(what)s必须写成 {%(key)s, rule …},且 %(key)s 不能为空。")
            % {"n": index, "what": what, "key": key}
        )
    return raw.strip()


def _parse_composite(kind: str, raw: Any) -> Composite:
    if not isinstance(raw, list) or len(raw) < 2:
        raise RuleError(_("“%(type)s”规则至少需要 2 个条件(conditions)。") % {"type": kind})
    conditions = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        label = _entry_label(entry, "label", _("条件"), index)
        if label in seen:
            raise RuleError(_("条件“%(label)s”重复。") % {"label": label})
        seen.add(label)
        where = _("条件“%(label)s”") % {"label": label}
        rule = _sub_rule(entry.get("rule"), CONDITION_TYPES, where)
        points = None
        if entry.get("points") is not None:
            if kind == "any":
                raise RuleError(
                    _("“any”规则任一条件满足即得满分,%(where)s不能另设分值。") % {"where": where}
                )
            points = _points(entry["points"], what=_("%(where)s的分值") % {"where": where})
        conditions.append(Condition(label, rule, points))
    return Composite(type=kind, conditions=tuple(conditions))


def _parse_parts(raw: Any) -> Parts:
    if not isinstance(raw, list) or len(raw) < 2:
        raise RuleError(_("“parts”规则至少需要 2 个分项(parts)。"))
    parts = []
    for index, entry in enumerate(raw, start=1):
        text = _entry_label(entry, "text", _("分项"), index)
        where = _("分项“%(text)s”") % {"text": text}
        if entry.get("points") is None:
            raise RuleError(_("%(where)s缺少 points(分值)。") % {"where": where})
        points = _points(entry["points"], what=_("%(where)s的分值") % {"where": where})
        rule = _sub_rule(entry.get("rule"), PART_TYPES, where)
        top = rule.top()
        if top is not None and top > points:
            raise RuleError(
                _("%(where)s的评分规则最高可得 %(top)s 分,超过该分项的分值 %(points)s 分。")
                % {"where": where, "top": _fmt(top), "points": _fmt(points)}
            )
        parts.append(Part(text, points, rule))
    return Parts(parts=tuple(parts))


def _parse_leaf(kind: str, data: Mapping) -> LeafRule:
    if kind == "manual":
        step = _points(data.get("step", 1), what=_("步长"))
        if step <= 0:
            raise RuleError(_("步长必须大于 0。"))
        return Manual(step=step)
    if kind == "binary":
        return Binary()
    if kind == "tiers":
        return Tiers(tiers=_labelled(data.get("tiers"), "label", _("档次"), Tier))  # type: ignore[arg-type]
    if kind == "rank":
        return Rank(bands=_labelled(data.get("bands"), "band", _("排名档次"), Band))  # type: ignore[arg-type]
    if kind == "threshold":
        raw = data.get("bounds")
        if not isinstance(raw, list) or not raw:
            raise RuleError(_("阈值规则缺少 bounds 列表。"))
        bounds = []
        for entry in raw:
            if not isinstance(entry, Mapping) or "min" not in entry or "points" not in entry:
                raise RuleError(_("阈值必须写成 {min, points}。"))
            strict = entry.get("strict", False)
            if not isinstance(strict, bool):
                raise RuleError(_("阈值的 strict 只能是 true(大于)或 false(不低于)。"))
            bounds.append(
                Bound(
                    to_decimal(entry["min"], what=_("阈值下限")),
                    _points(entry["points"], what=_("阈值分值")),
                    strict,
                )
            )
        mins = [b.min for b in bounds]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise RuleError(_("阈值必须按下限从高到低排列且不能重复。"))
        return Threshold(
            bounds=tuple(bounds),
            unit=str(data.get("unit") or ""),
            otherwise=_points(data.get("otherwise", 0), what=_("未达阈值时的分值")),
        )
    if kind == "count":
        at_least = data.get("at_least")
        if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 1:
            raise RuleError(_("计数规则的 at_least 必须是不小于 1 的整数。"))
        period = data.get("period", "year")
        if period not in COUNT_PERIODS:
            raise RuleError(
                _("计数周期“%(period)s”无效,可用:%(periods)s。")
                % {"period": period, "periods": ", ".join(COUNT_PERIODS)}
            )
        return Count(at_least=at_least, unit=str(data.get("unit") or ""), period=period)
    if kind == "deduction":
        per = _points(data.get("per"), what=_("每次扣分"))
        if per <= 0:
            raise RuleError(_("扣分规则的 per(每次扣分)必须大于 0。"))
        return Deduction(per=per, unit=str(data.get("unit") or ""))
    code = data.get("indicator")
    if not isinstance(code, str) or not code.strip():
        raise RuleError(_("指标规则必须给出指标代码(indicator)。"))
    return IndicatorRule(indicator=code.strip())


def criterion_maximum(points: Decimal | None, rule: Rule) -> Decimal | None:
    """A criterion's maximum: its stated points, else the highest points its rule can give."""
    if points is not None:
        return points
    return rule.top()


def score(rule: Rule, value: Any, maximum: Decimal) -> Decimal:
    """Points for an input: never below 0, never above `maximum`."""
    return clamp(rule.score(value, maximum), maximum)


def indicator_codes(rule: Rule) -> set[str]:
    """The codes of the indicators a rule reads, inside combined rules too."""
    if isinstance(rule, IndicatorRule):
        return {rule.indicator}
    if isinstance(rule, Composite):
        return set().union(*(indicator_codes(c.rule) for c in rule.conditions))
    if isinstance(rule, Parts):
        return set().union(*(indicator_codes(p.rule) for p in rule.parts))
    return set()


def describe(rule: Rule, names: Mapping[str, str] | None = None) -> str:
    """A short Chinese description of how the rule scores, for pages and exports.

    `names` gives indicators' names by code (frameworks.naming.indicator_names): an indicator
    is named, its code shown only when no name is known."""
    if isinstance(rule, Composite):
        head = _("全部满足:") if rule.type == "all" else _("满足其一:")
        conditions = [
            c.label
            + (f"({describe(c.rule, names)})" if not isinstance(c.rule, Binary) else "")
            + (_("(单项 %(points)s 分)") % {"points": _fmt(c.points)} if c.points else "")
            for c in rule.conditions
        ]
        return head + ";".join(conditions)
    if isinstance(rule, Veto):
        if rule.consequence == VETO_FAIL:
            return _("一票否决:触发即考核不通过")
        return _("一票否决:触发即定为“%(grade)s”") % {"grade": rule.grade}
    if isinstance(rule, Parts):
        return _("分项计分:") + ";".join(
            f"{p.text} {_fmt(p.points)}({describe(p.rule, names)})" for p in rule.parts
        )
    if isinstance(rule, Manual):
        return _("专家评分(步长 %(step)s)") % {"step": _fmt(rule.step)}
    if isinstance(rule, Binary):
        return _("是/否")
    if isinstance(rule, Tiers):
        return _("分档:") + ";".join(f"{t.label} {_fmt(t.points)}" for t in rule.tiers)
    if isinstance(rule, Threshold):
        parts = [
            f"{'>' if b.strict else '≥'}{_fmt(b.min)}{rule.unit} {_fmt(b.points)}"
            for b in rule.bounds
        ]
        parts.append(_("其余 %(points)s") % {"points": _fmt(rule.otherwise)})
        return _("阈值:") + ";".join(parts)
    if isinstance(rule, Rank):
        return _("排名:") + ";".join(f"{b.band} {_fmt(b.points)}" for b in rule.bands)
    if isinstance(rule, Count):
        period = _("每年") if rule.period == "year" else _("创建期内")
        return _("计数:%(period)s不少于 %(n)s%(unit)s") % {
            "period": period,
            "n": rule.at_least,
            "unit": rule.unit,
        }
    if isinstance(rule, Deduction):
        return _("扣分:每%(unit)s扣 %(per)s 分,扣完为止") % {
            "unit": rule.unit or _("次"),
            "per": _fmt(rule.per),
        }
    name = (names or {}).get(rule.indicator) or rule.indicator
    return _("指标达标:%(code)s") % {"code": name}


def coerce(rule: Rule, raw: Any) -> Any:
    """Turn a form or JSON input into the value `score` takes; refuse it with the accepted values."""
    if isinstance(rule, Composite | Parts):
        entries: list[tuple[str, LeafRule]] = (
            [(c.label, c.rule) for c in rule.conditions]
            if isinstance(rule, Composite)
            else [(p.text, p.rule) for p in rule.parts]
        )
        values = _sub_values(raw, len(entries))
        out = []
        for (label, sub), value in zip(entries, values, strict=True):
            try:
                out.append(coerce(sub, value))
            except RuleError as exc:
                raise RuleError(f"“{label}”:{exc}") from exc
        return out
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise RuleError(_("请填写评分输入。"))
    if isinstance(rule, Binary | IndicatorRule | Veto):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"yes", "true", "1", "是", "达标", "已触发"}:
            return True
        if text in {"no", "false", "0", "否", "未达标", "未触发"}:
            return False
        return rule.score(raw, Decimal(0))  # raises the rule's own message
    if isinstance(rule, Tiers | Rank):
        return str(raw).strip()
    if isinstance(rule, Count | Deduction):
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else str(raw).strip()
    return to_decimal(raw, what=_("评分输入"))


def value_to_json(value: Any) -> Any:
    """A scoring input as JSON (Decimals as strings, to keep them exact)."""
    if isinstance(value, list | tuple):
        return [value_to_json(v) for v in value]
    return str(value) if isinstance(value, Decimal) else value
