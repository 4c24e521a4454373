"""A framework file as plain data: parsing and checking its structure, without the database.

`parse_framework` turns the YAML mapping into a FrameworkSpec and collects one Finding per structural
problem (missing field, wrong type, unknown rule type, negative points …). `spec_to_data` is its
inverse and gives the canonical form that is hashed to tell versions apart and exported.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .rules import (
    NESTED_RULE_LISTS,
    OPTIONAL_ENTRY_KEYS,
    Rule,
    RuleError,
    _num,
    criterion_maximum,
    parse_rule,
    points_value,
    to_decimal,
)

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    check: str  # a short stable name, e.g. "item-sum"
    message: str
    item: str | None = None
    row: str | None = None

    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(_("第%(row)s行") % {"row": self.row})
        if self.item is not None:
            parts.append(_("指标 %(item)s") % {"item": self.item})
        return " ".join(parts)

    def render(self, filename: str | None = None) -> str:
        label = _("错误") if self.severity == "error" else _("警告")
        prefix = ":".join(p for p in (filename, self.where()) if p)
        return f"{prefix}:{label}:{self.message}" if prefix else f"{label}:{self.message}"


@dataclass(frozen=True)
class Erratum:
    item: str
    row: str
    field: str
    printed: Any
    corrected: Any
    reason: str


@dataclass
class CriterionSpec:
    row: str
    text: str
    points: Decimal | None  # as printed
    rule: Rule
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...] = ()
    na_allowed: bool = False
    na_condition: str = ""
    remarks: str = ""
    note: str = ""
    key: str = ""  # item code + position, e.g. "4.1.1"
    effective_points: Decimal | None = None  # after errata
    raw_row: Any = None
    bonus: bool = False  # 加分项: outside the base total

    @property
    def maximum(self) -> Decimal | None:
        return criterion_maximum(self.effective_points, self.rule)


@dataclass
class ItemSpec:
    code: str
    title: str
    max_points: Decimal
    criteria: list[CriterionSpec] = field(default_factory=list)
    bonus: bool = False  # 加分项: the whole item is outside the base total


@dataclass
class SectionSpec:
    """二级指标: a level between a dimension and its items, with its stated points."""

    code: str
    title: str
    points: Decimal | None = None
    item_codes: list[str] = field(default_factory=list)


@dataclass
class DimensionSpec:
    number: int
    title: str
    items: list[ItemSpec] = field(default_factory=list)
    points: Decimal | None = None  # the dimension's total as the table states it
    sections: list[SectionSpec] = field(default_factory=list)  # 二级指标, when the table has them


@dataclass(frozen=True)
class Grade:
    """A grade band (等次) of the round total: min ≤ total < max (no upper bound when max is None)."""

    label: str
    min: Decimal
    max: Decimal | None = None

    def contains(self, total: Decimal) -> bool:
        return total >= self.min and (self.max is None or total < self.max)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "min": _num(self.min)}
        if self.max is not None:
            data["max"] = _num(self.max)
        return data


@dataclass
class FrameworkSpec:
    code: str
    title: str
    source: str = ""
    dimensions: list[DimensionSpec] = field(default_factory=list)
    errata: list[Erratum] = field(default_factory=list)
    bonus_cap: Decimal | None = None  # overall cap on 加分 points
    grades: list[Grade] = field(default_factory=list)  # 等次 by total, in printed order
    total_points: Decimal | None = None  # the table's total as it states it

    def is_bonus(self, item: ItemSpec, crit: CriterionSpec) -> bool:
        return item.bonus or crit.bonus

    def items(self) -> list[ItemSpec]:
        return [item for dim in self.dimensions for item in dim.items]

    def criteria(self) -> list[tuple[ItemSpec, CriterionSpec]]:
        return [(item, c) for item in self.items() for c in item.criteria]


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def error(self, check: str, message: str, *, item: str | None = None, row: Any = None) -> None:
        self.findings.append(
            Finding("error", check, message, item=item, row=None if row is None else str(row))
        )


TOP_KEYS = (
    "code",
    "title",
    "source",
    "errata",
    "bonus_cap",
    "grades",
    "total_points",
    "dimensions",
)
DIMENSION_KEYS = ("number", "title", "points", "sections", "items")
SECTION_KEYS = ("code", "title", "points", "items")
ITEM_KEYS = ("code", "title", "max_points", "bonus", "criteria")
GRADE_KEYS = ("label", "min", "max")
CRITERION_KEYS = (
    "row",
    "text",
    "points",
    "rule",
    "not_applicable",
    "lead_units",
    "cooperating_units",
    "remarks",
    "note",
    "bonus",
)
NA_KEYS = ("allowed", "condition")
ERRATUM_KEYS = ("item", "row", "field", "printed", "corrected", "reason")


def unknown_keys(raw: Mapping, known: Iterable[str]) -> list[str]:
    """One message per key of `raw` that is not in `known`, with the nearest known key as a hint
    (a misspelt `cooperating_unit` is refused, never ignored)."""
    known = list(known)
    messages = []
    for key in raw:
        if key in known:
            continue
        near = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        if near:
            messages.append(
                _("未知的字段“%(key)s”,是否应为“%(near)s”?") % {"key": key, "near": near[0]}
            )
        else:
            messages.append(
                _("未知的字段“%(key)s”,可用的字段:%(known)s。")
                % {"key": key, "known": ", ".join(known)}
            )
    return messages


def _rule_unknown_keys(raw: Any, rule: Any) -> list[str]:
    """Unknown keys of a parsed rule's mapping and of the entries of its lists (tiers, bounds …):
    a rule's canonical form (`to_data`) names every key it reads."""
    if not isinstance(raw, Mapping):
        return []
    canonical = rule.to_data()
    messages = unknown_keys(raw, canonical)
    for key, value in canonical.items():
        entries = raw.get(key)
        if isinstance(value, list) and value and isinstance(entries, list):
            known = list(dict.fromkeys([*value[0], *OPTIONAL_ENTRY_KEYS.get(key, ())]))
            subs = _sub_rules(rule, key)
            for index, entry in enumerate(entries):
                if isinstance(entry, Mapping):
                    messages += unknown_keys(entry, known)
                    if index < len(subs):
                        messages += _rule_unknown_keys(entry.get("rule"), subs[index])
    return messages


def _sub_rules(rule: Any, key: str) -> list[Any]:
    """The rules held by the entries of a composite's `conditions` or a `parts` list."""
    if key not in NESTED_RULE_LISTS:
        return []
    return [entry.rule for entry in getattr(rule, NESTED_RULE_LISTS[key], ())]


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    return None


def _row_label(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str) and str(value).strip():
        return str(value).strip()
    return None


def _names(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(v.strip() for v in value if v.strip())


def parse_framework(data: Any) -> tuple[FrameworkSpec | None, list[Finding]]:
    """Parse a framework mapping. Returns the spec (None when unusable) and structural errors."""
    out = _Collector()
    if not isinstance(data, Mapping):
        out.error("structure", _("文件内容必须是一个映射(code、title、dimensions …)。"))
        return None, out.findings
    for message in unknown_keys(data, TOP_KEYS):
        out.error("unknown_key", message)
    code = data.get("code")
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        out.error("field", _("缺少或无效的 code(只能包含小写字母、数字和连字符)。"))
    title = _text(data.get("title"))
    if not title:
        out.error("field", _("缺少 title。"))
    spec = FrameworkSpec(
        code=code if isinstance(code, str) else "",
        title=title or "",
        source=str(data.get("source") or ""),
    )
    dims = data.get("dimensions")
    if not isinstance(dims, list) or not dims:
        out.error("field", _("缺少 dimensions 列表。"))
        dims = []
    seen_numbers: set[int] = set()
    seen_items: set[str] = set()
    for d_index, d in enumerate(dims, start=1):
        if not isinstance(d, Mapping):
            out.error("structure", _("第 %(n)s 个指标项必须是一个映射。") % {"n": d_index})
            continue
        for message in unknown_keys(d, DIMENSION_KEYS):
            out.error("unknown_key", message)
        number = d.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            out.error("field", _("第 %(n)s 个指标项缺少有效的 number。") % {"n": d_index})
            number = d_index
        elif number in seen_numbers:
            out.error("field", _("指标项编号 %(n)s 重复。") % {"n": number})
        seen_numbers.add(number)
        d_title = _text(d.get("title"))
        if not d_title:
            out.error("field", _("指标项 %(n)s 缺少 title。") % {"n": number})
        dim = DimensionSpec(number=number, title=d_title or "")
        dim.points = _stated_points(d, _("指标项 %(n)s 的 points") % {"n": number}, out)
        spec.dimensions.append(dim)
        groups = _item_groups(d, dim, out)
        i_index = 0
        for section, items in groups:
            for it in items:
                i_index += 1
                item = _parse_item(it, number, i_index, out)
                if item is None:
                    continue
                if item.code in seen_items:
                    out.error("field", _("指标内容编号重复。"), item=item.code)
                seen_items.add(item.code)
                dim.items.append(item)
                if section is not None:
                    section.item_codes.append(item.code)
    _parse_errata(data.get("errata"), spec, out)
    _parse_scheme(data, spec, out)
    spec.total_points = _stated_points(data, "total_points", out)
    return spec, out.findings


def _stated_points(raw: Mapping, what: str, out: _Collector) -> Decimal | None:
    key = "total_points" if what == "total_points" else "points"
    if raw.get(key) is None:
        return None
    try:
        return points_value(raw[key], what=what)
    except RuleError as exc:
        out.error("field", str(exc))
        return None


def _item_groups(
    d: Mapping, dim: DimensionSpec, out: _Collector
) -> list[tuple[SectionSpec | None, list[Any]]]:
    """A dimension's items, directly or grouped in 二级指标 (`sections`), never both."""
    number = dim.number
    if "sections" in d:
        if "items" in d:
            out.error(
                "field",
                _(
                    "指标项 %(n)s 不能同时写 sections 和 items:二级指标下的指标内容写在各 sections 里。"
                )
                % {"n": number},
            )
        raw = d.get("sections")
        if not isinstance(raw, list) or not raw:
            out.error("field", _("指标项 %(n)s 的 sections 必须是二级指标列表。") % {"n": number})
            return []
        groups: list[tuple[SectionSpec | None, list[Any]]] = []
        for s_index, sec in enumerate(raw, start=1):
            if not isinstance(sec, Mapping):
                out.error(
                    "structure",
                    _("指标项 %(n)s 的第 %(i)s 个二级指标必须是一个映射。")
                    % {"n": number, "i": s_index},
                )
                continue
            for message in unknown_keys(sec, SECTION_KEYS):
                out.error("unknown_key", message)
            code, title = sec.get("code"), _text(sec.get("title"))
            if not isinstance(code, str) or not code.strip() or not title:
                out.error(
                    "field",
                    _("指标项 %(n)s 的第 %(i)s 个二级指标缺少 code 或 title。")
                    % {"n": number, "i": s_index},
                )
                continue
            section = SectionSpec(
                code.strip(),
                title,
                _stated_points(sec, _("二级指标 %(c)s 的 points") % {"c": code.strip()}, out),
            )
            items = sec.get("items")
            if not isinstance(items, list) or not items:
                out.error("field", _("二级指标 %(c)s 缺少 items 列表。") % {"c": section.code})
                continue
            dim.sections.append(section)
            groups.append((section, items))
        return groups
    items = d.get("items")
    if not isinstance(items, list) or not items:
        out.error("field", _("指标项 %(n)s 缺少 items 列表。") % {"n": number})
        return []
    return [(None, items)]


def _flag(raw: Mapping, key: str, out: _Collector, **where: Any) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        out.error("field", _("%(key)s 只能是 true 或 false。") % {"key": key}, **where)
        return False
    return value


def _parse_scheme(data: Mapping, spec: FrameworkSpec, out: _Collector) -> None:
    """The framework-level keys: the overall bonus cap and the grade bands."""
    if data.get("bonus_cap") is not None:
        try:
            spec.bonus_cap = points_value(data["bonus_cap"], what="bonus_cap")
        except RuleError as exc:
            out.error("field", str(exc))
    raw = data.get("grades")
    if raw is None:
        return
    if not isinstance(raw, list) or not raw:
        out.error("grades", _("grades 必须是等次列表,每项写成 {label, min, max}。"))
        return
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            out.error("grades", _("第 %(n)s 个等次必须写成 {label, min, max}。") % {"n": index})
            continue
        for message in unknown_keys(entry, GRADE_KEYS):
            out.error("unknown_key", message)
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            out.error("grades", _("第 %(n)s 个等次缺少 label(等次名称)。") % {"n": index})
            continue
        try:
            low = points_value(entry.get("min"), what=_("等次“%(g)s”的 min") % {"g": label})
            high = (
                None
                if entry.get("max") is None
                else points_value(entry["max"], what=_("等次“%(g)s”的 max") % {"g": label})
            )
        except RuleError as exc:
            out.error("grades", str(exc))
            continue
        spec.grades.append(Grade(label.strip(), low, high))


def _parse_item(it: Any, number: int, i_index: int, out: _Collector) -> ItemSpec | None:
    if not isinstance(it, Mapping):
        out.error(
            "structure",
            _("指标项 %(n)s 的第 %(i)s 个指标内容必须是一个映射。") % {"n": number, "i": i_index},
        )
        return None
    for message in unknown_keys(it, ITEM_KEYS):
        out.error("unknown_key", message, item=str(it.get("code") or "") or None)
    code = it.get("code")
    if isinstance(code, int | float) and not isinstance(code, bool):
        out.error(
            "field",
            _('指标内容编号 %(code)s 必须加引号写成字符串(例如 "1.10"),否则 YAML 会把它读成数字。')
            % {"code": code},
        )
        return None
    if not isinstance(code, str) or not code.strip():
        out.error(
            "field",
            _("指标项 %(n)s 的第 %(i)s 个指标内容缺少 code。") % {"n": number, "i": i_index},
        )
        return None
    code = str(code).strip()
    title = _text(it.get("title"))
    if not title:
        out.error("field", _("缺少 title。"), item=code)
    if "max_points" not in it:
        out.error("field", _("缺少 max_points(该指标内容的分值)。"), item=code)
        max_points = Decimal(0)
    else:
        try:
            max_points = points_value(it.get("max_points"), what="max_points")
        except RuleError as exc:
            out.error("points", str(exc), item=code)
            max_points = Decimal(0)
    item = ItemSpec(
        code=code,
        title=title or "",
        max_points=max_points,
        bonus=_flag(it, "bonus", out, item=code),
    )
    criteria = it.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        out.error("field", _("缺少 criteria 列表。"), item=code)
        return item
    for position, c in enumerate(criteria, start=1):
        crit = _parse_criterion(c, code, position, out)
        if crit is not None:
            item.criteria.append(crit)
    return item


def _parse_criterion(
    c: Any, item_code: str, position: int, out: _Collector
) -> CriterionSpec | None:
    if not isinstance(c, Mapping):
        out.error(
            "structure", _("第 %(p)s 条评分细则必须是一个映射。") % {"p": position}, item=item_code
        )
        return None
    row = _row_label(c.get("row"))
    where = {"item": item_code, "row": row}
    ok = True
    for message in unknown_keys(c, CRITERION_KEYS):
        out.error("unknown_key", message, **where)
        ok = False
    if row is None:
        out.error(
            "field", _("第 %(p)s 条评分细则缺少 row(序号)。") % {"p": position}, item=item_code
        )
        ok = False
    text = _text(c.get("text"))
    if not text:
        out.error("field", _("缺少 text(评分细则原文)。"), **where)
        ok = False
    points: Decimal | None = None
    if "points" not in c:
        out.error("field", _("缺少 points(未标分值时写 null)。"), **where)
        ok = False
    elif c.get("points") is not None:
        try:
            points = points_value(c.get("points"), what="points")
        except RuleError as exc:
            out.error("points", str(exc), **where)
            ok = False
    if "rule" not in c:
        out.error("field", _("缺少 rule(评分规则)。"), **where)
        ok = False
        rule = None
    else:
        try:
            rule = parse_rule(c.get("rule"))
        except RuleError as exc:
            out.error("rule", str(exc), **where)
            rule = None
            ok = False
        else:
            for message in _rule_unknown_keys(c.get("rule"), rule):
                out.error("unknown_key", message, **where)
                ok = False
    # Many published tables print no unit column: the campaign then assigns the row's units.
    lead = _names(c.get("lead_units", []))
    if lead is None:
        out.error("field", _("lead_units 必须是单位名称列表。"), **where)
        ok = False
    coop = _names(c.get("cooperating_units"))
    if coop is None:
        out.error("field", _("cooperating_units 必须是单位名称列表。"), **where)
        ok = False
    na = c.get("not_applicable")
    na_allowed, na_condition = False, ""
    if na is not None:
        if not isinstance(na, Mapping) or not isinstance(na.get("allowed"), bool):
            out.error(
                "field", _("not_applicable 必须写成 {allowed: true, condition: …}。"), **where
            )
            ok = False
        else:
            for message in unknown_keys(na, NA_KEYS):
                out.error("unknown_key", message, **where)
            na_allowed = na["allowed"]
            na_condition = str(na.get("condition") or "")
    if not ok or rule is None:
        return None
    crit = CriterionSpec(
        row=row or "",
        text=text or "",
        points=points,
        rule=rule,
        lead_units=lead or (),
        cooperating_units=coop or (),
        na_allowed=na_allowed,
        na_condition=na_condition,
        remarks=str(c.get("remarks") or ""),
        note=str(c.get("note") or ""),
        key=f"{item_code}.{position}",
        effective_points=points,
        raw_row=c.get("row"),
        bonus=_flag(c, "bonus", out, **where),
    )
    if crit.maximum is None:
        out.error(
            "points",
            _("“%(type)s”规则的评分细则必须标明分值(points)。") % {"type": rule.type},
            **where,
        )
    return crit


def _parse_errata(raw: Any, spec: FrameworkSpec, out: _Collector) -> None:
    if raw is None:
        return
    if not isinstance(raw, list):
        out.error("errata", _("errata 必须是列表。"))
        return
    by_item = {item.code: item for item in spec.items()}
    for entry in raw:
        if not isinstance(entry, Mapping):
            out.error("errata", _("每条勘误必须是一个映射。"))
            continue
        item_code = str(entry.get("item", "")).strip()
        row = _row_label(entry.get("row"))
        for message in unknown_keys(entry, ERRATUM_KEYS):
            out.error("unknown_key", message, item=item_code or None, row=row)
        reason = str(entry.get("reason") or "").strip()
        if entry.get("field") != "points":
            out.error("errata", _("勘误只能更正 points。"), item=item_code or None, row=row)
            continue
        if not reason:
            out.error("errata", _("勘误必须写明理由(reason)。"), item=item_code or None, row=row)
            continue
        item = by_item.get(item_code)
        matches = [c for c in item.criteria if c.row == row] if item else []
        if len(matches) != 1:
            out.error("errata", _("勘误指向的评分细则不存在。"), item=item_code or None, row=row)
            continue
        crit = matches[0]
        if any(e.item == item_code and e.row == (row or "") for e in spec.errata):
            out.error("errata", _("同一评分细则有多条勘误。"), item=item_code, row=row)
            continue
        try:
            printed = (
                None
                if entry.get("printed") is None
                else to_decimal(entry.get("printed"), what="printed")
            )
            corrected = points_value(entry.get("corrected"), what="corrected")
        except RuleError as exc:
            out.error("errata", str(exc), item=item_code, row=row)
            continue
        if printed != crit.points:
            out.error(
                "errata",
                _("勘误记录的原印分值 %(printed)s 与文件中的 points 不一致。")
                % {"printed": entry.get("printed")},
                item=item_code,
                row=row,
            )
            continue
        if corrected < 0:
            out.error("errata", _("更正后的分值不能为负数。"), item=item_code, row=row)
            continue
        crit.effective_points = corrected
        spec.errata.append(Erratum(item_code, row or "", "points", printed, corrected, reason))


# --- canonical data -------------------------------------------------------------------------


def _points_out(value: Decimal | None) -> int | float | None:
    return None if value is None else _num(value)


def _row_out(row: str) -> int | str:
    return int(row) if row.isascii() and row.isdigit() and str(int(row)) == row else row


def spec_to_data(spec: FrameworkSpec) -> dict[str, Any]:
    """The canonical mapping of a framework: what export writes and what a version hash covers.
    Keys of the later features (bonus, grades) are written only when set, so a table that does not
    use them keeps its content hash."""
    data = _spec_data(spec)
    extra = scheme_data(spec)
    if "bonus_cap" in extra:
        data["bonus_cap"] = extra["bonus_cap"]
    if "grades" in extra:
        data["grades"] = extra["grades"]
    if spec.total_points is not None:
        data["total_points"] = _points_out(spec.total_points)
    for dim, out in zip(spec.dimensions, data["dimensions"], strict=True):
        if dim.points is not None:
            out["points"] = _points_out(dim.points)
        if dim.sections:
            by_code = {i["code"]: i for i in out.pop("items")}
            out["sections"] = [
                {
                    "code": sec.code,
                    "title": sec.title,
                    **({"points": _points_out(sec.points)} if sec.points is not None else {}),
                    "items": [by_code[c] for c in sec.item_codes],
                }
                for sec in dim.sections
            ]
    return data


def scheme_data(spec: FrameworkSpec) -> dict[str, Any]:
    """The framework-level data stored beside the table (Framework.scheme): only what is set."""
    data: dict[str, Any] = {}
    if spec.bonus_cap is not None:
        data["bonus_cap"] = _num(spec.bonus_cap)
    if spec.grades:
        data["grades"] = [g.to_data() for g in spec.grades]
    return data


def stored_scheme(spec: FrameworkSpec) -> dict[str, Any]:
    """What Framework.scheme holds: the framework-level data and which items and criteria are
    加分项 (by item code and criterion key); empty for a table that uses none of them."""
    data = scheme_data(spec)
    if spec.total_points is not None:
        data["total_points"] = _num(spec.total_points)
    levels = {
        str(d.number): {
            **({"points": _num(d.points)} if d.points is not None else {}),
            **(
                {
                    "sections": [
                        {
                            "code": sec.code,
                            "title": sec.title,
                            "points": None if sec.points is None else _num(sec.points),
                            "items": list(sec.item_codes),
                        }
                        for sec in d.sections
                    ]
                }
                if d.sections
                else {}
            ),
        }
        for d in spec.dimensions
        if d.points is not None or d.sections
    }
    if levels:
        data["dimensions"] = levels
    bonus_items = [i.code for i in spec.items() if i.bonus]
    bonus_criteria = [c.key for _i, c in spec.criteria() if c.bonus]
    if bonus_items:
        data["bonus_items"] = bonus_items
    if bonus_criteria:
        data["bonus_criteria"] = bonus_criteria
    return data


def apply_scheme(spec: FrameworkSpec, scheme: Mapping[str, Any]) -> None:
    """The inverse of stored_scheme, onto a spec rebuilt from the database."""
    if scheme.get("bonus_cap") is not None:
        spec.bonus_cap = to_decimal(scheme["bonus_cap"], what="bonus_cap")
    spec.grades = [
        Grade(
            g["label"],
            to_decimal(g["min"], what="min"),
            None if g.get("max") is None else to_decimal(g["max"], what="max"),
        )
        for g in scheme.get("grades", [])
    ]
    if scheme.get("total_points") is not None:
        spec.total_points = to_decimal(scheme["total_points"], what="total_points")
    for dim in spec.dimensions:
        level = scheme.get("dimensions", {}).get(str(dim.number), {})
        if level.get("points") is not None:
            dim.points = to_decimal(level["points"], what="points")
        dim.sections = [
            SectionSpec(
                sec["code"],
                sec["title"],
                None if sec.get("points") is None else to_decimal(sec["points"], what="points"),
                list(sec["items"]),
            )
            for sec in level.get("sections", [])
        ]
    items, keys = set(scheme.get("bonus_items", [])), set(scheme.get("bonus_criteria", []))
    for item in spec.items():
        item.bonus = item.code in items
        for c in item.criteria:
            c.bonus = c.key in keys


def _spec_data(spec: FrameworkSpec) -> dict[str, Any]:
    return {
        "code": spec.code,
        "title": spec.title,
        "source": spec.source,
        "errata": [
            {
                "item": e.item,
                "row": _row_out(e.row),
                "field": e.field,
                "printed": _points_out(e.printed),
                "corrected": _points_out(e.corrected),
                "reason": e.reason,
            }
            for e in spec.errata
        ],
        "dimensions": [
            {
                "number": d.number,
                "title": d.title,
                "items": [_item_data(i) for i in d.items],
            }
            for d in spec.dimensions
        ],
    }


def _item_data(i: ItemSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": i.code,
        "title": i.title,
        "max_points": _points_out(i.max_points),
    }
    if i.bonus:
        data["bonus"] = True
    data["criteria"] = [criterion_to_data(c) for c in i.criteria]
    return data


def criterion_to_data(c: CriterionSpec) -> dict[str, Any]:
    data = _criterion_data(c)
    if c.bonus:
        data["bonus"] = True
    return data


def _criterion_data(c: CriterionSpec) -> dict[str, Any]:
    return {
        "row": _row_out(c.row),
        "text": c.text,
        "points": _points_out(c.points),
        "rule": c.rule.to_data(),
        "not_applicable": {"allowed": True, "condition": c.na_condition} if c.na_allowed else None,
        "lead_units": list(c.lead_units),
        "cooperating_units": list(c.cooperating_units),
        "remarks": c.remarks,
        "note": c.note,
    }


def content_hash(spec: FrameworkSpec) -> str:
    payload = json.dumps(spec_to_data(spec), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
