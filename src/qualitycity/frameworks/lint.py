"""The framework lint: every internal inconsistency of a scoring table, with row and item.

Pure: it takes a parsed FrameworkSpec and the known unit names (name → canonical name) and returns
findings. Errors are defects (exit code 1), warnings are things to look at (exit code 0 alone).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _

from qualitycity.orgs.naming import suggestions

from .rules import Composite, Parts, Veto, _fmt
from .spec import CriterionSpec, Finding, FrameworkSpec

# Checks whose errors make `framework load` refuse the file (the rest are defects kept as printed).
# Unit names are not among them: a framework keeps its names as printed and each campaign resolves
# them against its own region's directory.
BLOCKING_CHECKS = frozenset({"rule-above-max"})

_NUMBERED = re.compile(r"(?:^|\s)(\d{1,2})[.、．](?!\d)")
_STATED = re.compile(r"[((]\s*(\d+(?:\.\d+)?)\s*分(?!钟)\s*[))]?")


def _erratum_for(spec: FrameworkSpec, item: str, crit: CriterionSpec) -> str | None:
    for e in spec.errata:
        if e.item == item and e.row == crit.row:
            return _("勘误:原印 %(printed)s 分更正为 %(corrected)s 分(%(reason)s)") % {
                "printed": _fmt(e.printed) if e.printed is not None else "-",
                "corrected": _fmt(e.corrected),
                "reason": e.reason,
            }
    return None


def lint_framework(
    spec: FrameworkSpec, known_names: Mapping[str, str] | None = None
) -> list[Finding]:
    """All findings for a framework, in table order. `known_names` (printed name → canonical
    name of one region's directory) adds the check that every printed name is found there;
    `None` skips it."""
    findings: list[Finding] = []
    rows: dict[str, list[str]] = defaultdict(list)

    for item in spec.items():
        printed_sum = Decimal(0)
        effective_sum = Decimal(0)
        any_erratum = False
        for crit in item.criteria:
            rows[crit.row].append(item.code)
            findings.extend(_lint_criterion(spec, item.code, crit, known_names))
            if crit.bonus and not item.bonus:
                continue  # a 加分 row is outside its item's base points
            top = crit.rule.top()
            printed_max = crit.points if crit.points is not None else top
            printed_sum += printed_max or 0
            effective_sum += crit.maximum or 0
            if crit.effective_points != crit.points:
                any_erratum = True
        if effective_sum != item.max_points:
            findings.append(
                Finding(
                    "error",
                    "item-sum",
                    _("各评分细则分值合计 %(sum)s 分,与该指标内容的分值 %(max)s 分不符。")
                    % {"sum": _fmt(effective_sum), "max": _fmt(item.max_points)},
                    item=item.code,
                )
            )
        elif printed_sum != item.max_points and any_erratum:
            findings.append(
                Finding(
                    "warning",
                    "item-sum",
                    _(
                        "原印各评分细则分值合计 %(sum)s 分,与该指标内容的分值 %(max)s 分不符;已按勘误更正。"
                    )
                    % {"sum": _fmt(printed_sum), "max": _fmt(item.max_points)},
                    item=item.code,
                )
            )

    for row, items in rows.items():
        if len(items) > 1:
            findings.append(
                Finding(
                    "error",
                    "duplicate-row",
                    _("序号 %(row)s 出现 %(n)s 次(指标内容 %(items)s)。")
                    % {"row": row, "n": len(items), "items": "、".join(items)},
                    row=row,
                )
            )
    findings.extend(_lint_bonus(spec))
    findings.extend(_lint_grades(spec))
    findings.extend(_lint_levels(spec))
    return findings


def _lint_levels(spec: FrameworkSpec) -> list[Finding]:
    """Stated totals: items add up to their 二级指标, 二级指标 (or items) to their dimension's
    stated points, dimensions to the table's stated total. 加分项 stay outside every total."""
    out: list[Finding] = []
    dimension_totals: list[Decimal] = []
    for dim in spec.dimensions:
        points = {i.code: i.max_points for i in dim.items if not i.bonus}
        for sec in dim.sections:
            summed = sum((points.get(c, Decimal(0)) for c in sec.item_codes), Decimal(0))
            if sec.points is not None and summed != sec.points:
                out.append(
                    Finding(
                        "error",
                        "section-sum",
                        _(
                            "二级指标 %(code)s 下各指标内容分值合计 %(sum)s 分,与其标明的 %(points)s 分不符。"
                        )
                        % {"code": sec.code, "sum": _fmt(summed), "points": _fmt(sec.points)},
                    )
                )
        if dim.sections and all(sec.points is not None for sec in dim.sections):
            computed = sum((sec.points for sec in dim.sections if sec.points), Decimal(0))
            what = _("各二级指标")
        else:
            computed = sum(points.values(), Decimal(0))
            what = _("各指标内容")
        if dim.points is not None and computed != dim.points:
            out.append(
                Finding(
                    "error",
                    "dimension-sum",
                    _("指标项 %(n)s:%(what)s分值合计 %(sum)s 分,与其标明的 %(points)s 分不符。")
                    % {
                        "n": dim.number,
                        "what": what,
                        "sum": _fmt(computed),
                        "points": _fmt(dim.points),
                    },
                )
            )
        dimension_totals.append(dim.points if dim.points is not None else computed)
    total = sum(dimension_totals, Decimal(0))
    if spec.total_points is not None and total != spec.total_points:
        out.append(
            Finding(
                "error",
                "total-sum",
                _("各指标项分值合计 %(sum)s 分,与评分表标明的总分 %(points)s 分不符。")
                % {"sum": _fmt(total), "points": _fmt(spec.total_points)},
            )
        )
    return out


def _lint_bonus(spec: FrameworkSpec) -> list[Finding]:
    """加分项 above the framework's overall bonus cap."""
    cap = spec.bonus_cap
    if cap is None:
        return []
    out = []
    for item in spec.items():
        if item.bonus and item.max_points > cap:
            out.append(
                Finding(
                    "error",
                    "bonus-cap",
                    _("加分项分值 %(points)s 分,超过加分上限 %(cap)s 分。")
                    % {"points": _fmt(item.max_points), "cap": _fmt(cap)},
                    item=item.code,
                )
            )
        for crit in item.criteria:
            if crit.bonus and not item.bonus and (crit.maximum or 0) > cap:
                out.append(
                    Finding(
                        "error",
                        "bonus-cap",
                        _("加分项分值 %(points)s 分,超过加分上限 %(cap)s 分。")
                        % {"points": _fmt(crit.maximum or Decimal(0)), "cap": _fmt(cap)},
                        item=item.code,
                        row=crit.row,
                    )
                )
    return out


def _lint_grades(spec: FrameworkSpec) -> list[Finding]:
    """Grade bands: labels repeated, empty bands, overlaps and gaps from 0 up; vetoes forcing a
    grade the framework does not define."""
    out: list[Finding] = []

    def error(check: str, message: str, **where: str) -> None:
        out.append(Finding("error", check, message, **where))

    labels = [g.label for g in spec.grades]
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        error("grade-repeated", _("等次“%(label)s”重复。") % {"label": label})
    for g in spec.grades:
        if g.max is not None and g.max <= g.min:
            error(
                "grade-empty",
                _("等次“%(label)s”的上限 %(max)s 不大于下限 %(min)s。")
                % {"label": g.label, "max": _fmt(g.max), "min": _fmt(g.min)},
            )
    bands = sorted(spec.grades, key=lambda g: g.min)
    if bands and bands[0].min > 0:
        error(
            "grade-gap",
            _("总分 0 至 %(min)s 分不属于任何等次。") % {"min": _fmt(bands[0].min)},
        )
    for low, high in pairwise(bands):
        if low.max is None or high.min < low.max:
            error(
                "grade-overlap",
                _("等次“%(a)s”与“%(b)s”的分数段重叠。") % {"a": low.label, "b": high.label},
            )
        elif high.min > low.max:
            error(
                "grade-gap",
                _("总分 %(a)s 至 %(b)s 分不属于任何等次。")
                % {"a": _fmt(low.max), "b": _fmt(high.min)},
            )
    if bands and bands[-1].max is not None:
        error(
            "grade-gap",
            _("总分达到 %(max)s 分及以上不属于任何等次。") % {"max": _fmt(bands[-1].max)},
        )
    defined = set(labels)
    for item in spec.items():
        for crit in item.criteria:
            rule = crit.rule
            if isinstance(rule, Veto) and rule.consequence == "grade" and rule.grade not in defined:
                error(
                    "veto-grade",
                    _("一票否决强制的等次“%(grade)s”未在 grades 中定义。") % {"grade": rule.grade},
                    item=item.code,
                    row=crit.row,
                )
    return out


def _lint_criterion(
    spec: FrameworkSpec, item: str, crit: CriterionSpec, known: Mapping[str, str] | None
) -> list[Finding]:
    out: list[Finding] = []
    where = {"item": item, "row": crit.row}
    rule = crit.rule
    top = None if isinstance(rule, Parts) else rule.top()  # parts have their own check
    erratum = _erratum_for(spec, item, crit)
    out.extend(_lint_combined(crit, where))

    if crit.points is None and not isinstance(rule, Veto):
        out.append(
            Finding(
                "warning",
                "no-points",
                _("原文未标明分值,按评分规则最高分 %(top)s 分计。") % {"top": _fmt(crit.maximum)}
                if crit.maximum is not None
                else _("原文未标明分值。"),
                **where,
            )
        )
    if top is not None and crit.points is not None and top != crit.points:
        if erratum and crit.maximum == top:
            out.append(
                Finding(
                    "warning",
                    "tier-max",
                    _("原印分值 %(points)s 分与评分档次最高分 %(top)s 分不符;%(erratum)s。")
                    % {"points": _fmt(crit.points), "top": _fmt(top), "erratum": erratum},
                    **where,
                )
            )
        else:
            out.append(
                Finding(
                    "error",
                    "tier-max",
                    _("标明分值 %(points)s 分与评分档次最高分 %(top)s 分不符。")
                    % {"points": _fmt(crit.points), "top": _fmt(top)},
                    **where,
                )
            )
    if top is not None and crit.maximum is not None and top > crit.maximum:
        out.append(
            Finding(
                "error",
                "rule-above-max",
                _("评分规则最高可得 %(top)s 分,超过该评分细则的分值 %(max)s 分。")
                % {"top": _fmt(top), "max": _fmt(crit.maximum)},
                **where,
            )
        )

    numbered = _NUMBERED.findall(crit.text)
    if len(numbered) > 1 and not isinstance(rule, Parts):
        out.append(
            Finding(
                "warning",
                "merged-criteria",
                _("本行原文包含 %(n)s 条编号细则(%(nums)s),但只有一个分值。")
                % {"n": len(numbered), "nums": "、".join(f"{n}." for n in numbered)},
                **where,
            )
        )
    stated = _STATED.findall(crit.text)
    if stated:
        in_text = Decimal(stated[-1])
        if crit.points is None or in_text != crit.points:
            out.append(
                Finding(
                    "warning",
                    "text-points",
                    _("原文标注“(%(text)s分)”,与 points 字段 %(points)s 不一致。")
                    % {
                        "text": stated[-1],
                        "points": "null" if crit.points is None else _fmt(crit.points),
                    },
                    **where,
                )
            )
    if crit.na_allowed and not crit.na_condition:
        out.append(Finding("warning", "na-condition", _("允许合理缺项但未写明条件。"), **where))

    if known is not None:
        for name in (*crit.lead_units, *crit.cooperating_units):
            if name not in known:
                message = _("“%(name)s”不在该行政区名录的单位、别名或单位组中。") % {"name": name}
                close = suggestions(name, known)
                if close:
                    message += _("可能是:%(names)s。") % {"names": "、".join(close)}
                out.append(Finding("warning", "unknown-unit", message, **where))
    canon = (lambda n: known.get(n, n)) if known is not None else (lambda n: n)
    lead = {canon(n): n for n in crit.lead_units}
    for name in crit.cooperating_units:
        if canon(name) in lead:
            shown = name if lead[canon(name)] == name else f"{lead[canon(name)]} / {name}"
            out.append(
                Finding(
                    "error",
                    "lead-and-cooperating",
                    _("“%(name)s”同时列为牵头单位和配合单位。") % {"name": shown},
                    **where,
                )
            )
    return out


def _lint_combined(crit: CriterionSpec, where: dict[str, str]) -> list[Finding]:
    """Composite (`all` / `any`) and `parts` rules: partial points and parts that add up."""
    rule, maximum = crit.rule, crit.maximum
    out: list[Finding] = []
    if isinstance(rule, Composite) and maximum is not None and rule.partial_total > maximum:
        out.append(
            Finding(
                "error",
                "composite-partial",
                _("各条件的单项分值合计 %(sum)s 分,超过该评分细则的分值 %(max)s 分。")
                % {"sum": _fmt(rule.partial_total), "max": _fmt(maximum)},
                **where,
            )
        )
    if isinstance(rule, Parts) and crit.points is not None:
        total = rule.top() or Decimal(0)
        if total != (crit.effective_points or Decimal(0)):
            out.append(
                Finding(
                    "error",
                    "parts-sum",
                    _("各分项分值合计 %(sum)s 分,与该评分细则的分值 %(max)s 分不符。")
                    % {"sum": _fmt(total), "max": _fmt(crit.effective_points or Decimal(0))},
                    **where,
                )
            )
    return out


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
