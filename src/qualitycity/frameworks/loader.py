"""Reading framework files, loading them as new versions, and exporting them back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qualitycity.audit.services import record
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.models import Region
from qualitycity.orgs.services import name_index

from .lint import BLOCKING_CHECKS, lint_framework
from .models import Criterion, CriterionUnit, Dimension, Framework, Item, UnitRole
from .rules import parse_rule
from .spec import (
    CriterionSpec,
    DimensionSpec,
    Erratum,
    Finding,
    FrameworkSpec,
    ItemSpec,
    apply_scheme,
    content_hash,
    parse_framework,
    spec_to_data,
    stored_scheme,
)

BUILTIN_DIR = Path(__file__).resolve().parent / "data"
YONGZHOU_FILE = BUILTIN_DIR / "yongzhou-2017.yaml"


class FrameworkRefused(ValidationFailed):
    """A framework file that cannot be loaded; `messages` holds one line per problem."""


@dataclass
class ReadResult:
    spec: FrameworkSpec | None
    findings: list[Finding]


def read_framework_file(path: Path) -> ReadResult:
    """Read and parse a YAML framework file; syntax and structure problems become findings."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ReadResult(None, [Finding("error", "file", _("文件不存在。"))])
    except (OSError, UnicodeDecodeError) as exc:
        return ReadResult(None, [Finding("error", "file", _("无法读取文件:%(e)s") % {"e": exc})])
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("第 %(line)s 行第 %(col)s 列") % {"line": mark.line + 1, "col": mark.column + 1}
            if mark
            else ""
        )
        problem = getattr(exc, "problem", None) or str(exc)
        return ReadResult(
            None,
            [
                Finding(
                    "error",
                    "yaml",
                    _("YAML 语法错误 %(where)s:%(problem)s") % {"where": where, "problem": problem},
                )
            ],
        )
    spec, findings = parse_framework(data)
    return ReadResult(spec, findings)


def known_names(region: Region | int) -> dict[str, str]:
    """Printed name → canonical name of every unit, alias and group of one region's directory."""
    return {name: ref.canonical for name, ref in name_index(region).items()}


def check_file(
    path: Path, region: Region | None = None
) -> tuple[FrameworkSpec | None, list[Finding]]:
    """Everything the lint reports for a file: structure first, then consistency; with a
    region, also the printed unit names its directory does not know."""
    result = read_framework_file(path)
    findings = list(result.findings)
    if result.spec is not None:
        known = known_names(region) if region is not None else None
        findings.extend(lint_framework(result.spec, known))
    return result.spec, findings


def load_framework(path: Path, *, by: Any = None) -> tuple[Framework, bool]:
    """Load a framework file. Returns (framework, created).

    The same content twice changes nothing; changed content becomes a new version. A file with any
    structural problem or rule above its maximum is refused whole. Unit names are kept as printed
    (a table may print none): each campaign resolves them in its own region's directory.
    """
    result = read_framework_file(path)
    if result.spec is None or result.findings:
        raise FrameworkRefused([f.render(str(path)) for f in result.findings])
    spec = result.spec
    blocking = [
        f for f in lint_framework(spec) if f.severity == "error" and f.check in BLOCKING_CHECKS
    ]
    if blocking:
        raise FrameworkRefused([f.render(str(path)) for f in blocking])
    return _store(spec, by=by, source_file=path.name)


def store_spec(spec: FrameworkSpec, *, by: Any, source_file: str) -> tuple[Framework, bool]:
    """Store a checked spec (an imported table) as a new version, as load_framework does."""
    return _store(spec, by=by, source_file=source_file)


@transaction.atomic
def _store(spec: FrameworkSpec, *, by: Any, source_file: str) -> tuple[Framework, bool]:
    digest = content_hash(spec)
    existing = Framework.objects.filter(code=spec.code, content_hash=digest).first()
    if existing is not None:
        return existing, False
    version = (
        Framework.objects.select_for_update()
        .filter(code=spec.code)
        .aggregate(v=Max("version"))["v"]
        or 0
    ) + 1
    data = spec_to_data(spec)
    framework = Framework.objects.create(
        code=spec.code,
        version=version,
        title=spec.title,
        source=spec.source,
        content_hash=digest,
        errata=data["errata"],
        scheme=stored_scheme(spec),
        loaded_by=by if getattr(by, "is_authenticated", False) else None,
        source_file=source_file,
    )
    dims, items, crits, units = [], [], [], []
    item_pos = crit_pos = 0
    for d_pos, d in enumerate(spec.dimensions, start=1):
        dim = Dimension(framework=framework, number=d.number, title=d.title, position=d_pos)
        dims.append(dim)
    Dimension.objects.bulk_create(dims)
    for dim, d in zip(dims, spec.dimensions, strict=True):
        for it in d.items:
            item_pos += 1
            items.append(
                Item(
                    framework=framework,
                    dimension=dim,
                    code=it.code,
                    title=it.title,
                    max_points=it.max_points,
                    position=item_pos,
                )
            )
    Item.objects.bulk_create(items)
    for item, it in zip(items, spec.items(), strict=True):
        for c in it.criteria:
            crit_pos += 1
            crits.append(
                Criterion(
                    framework=framework,
                    item=item,
                    key=c.key,
                    position=crit_pos,
                    row=c.row,
                    text=c.text,
                    points=c.points,
                    max_points=c.maximum,
                    rule=c.rule.to_data(),
                    na_allowed=c.na_allowed,
                    na_condition=c.na_condition,
                    remarks=c.remarks,
                    note=c.note,
                )
            )
    Criterion.objects.bulk_create(crits)
    all_specs = [c for _item, c in spec.criteria()]
    for crit, c in zip(crits, all_specs, strict=True):
        for role, names in (
            (UnitRole.LEAD, c.lead_units),
            (UnitRole.COOPERATING, c.cooperating_units),
        ):
            for pos, name in enumerate(names):
                units.append(
                    CriterionUnit(criterion=crit, role=role, position=pos, printed_name=name)
                )
    CriterionUnit.objects.bulk_create(units)
    record(
        by,
        "framework.loaded",
        framework,
        after={
            "code": framework.code,
            "version": version,
            "content_hash": digest,
            "source_file": source_file,
            "dimensions": len(dims),
            "items": len(items),
            "criteria": len(crits),
        },
    )
    return framework, True


def spec_from_db(framework: Framework) -> FrameworkSpec:
    """Rebuild the spec of a stored framework (4 queries)."""
    spec = FrameworkSpec(code=framework.code, title=framework.title, source=framework.source)
    units: dict[int, tuple[list[str], list[str]]] = {}
    for cu in CriterionUnit.objects.filter(criterion__framework=framework).order_by(
        "criterion_id", "role", "position"
    ):
        lead, coop = units.setdefault(cu.criterion_id, ([], []))
        (lead if cu.role == UnitRole.LEAD else coop).append(cu.printed_name)
    items_by_dim: dict[int, list[ItemSpec]] = {}
    item_specs: dict[int, ItemSpec] = {}
    for item in framework.items.order_by("position"):
        spec_item = ItemSpec(code=item.code, title=item.title, max_points=_dec(item.max_points))
        items_by_dim.setdefault(item.dimension_id, []).append(spec_item)
        item_specs[item.pk] = spec_item
    for c in framework.criteria.order_by("position"):
        lead, coop = units.get(c.pk, ([], []))
        item_specs[c.item_id].criteria.append(
            CriterionSpec(
                row=c.row,
                text=c.text,
                points=_dec(c.points),
                rule=parse_rule(c.rule),
                lead_units=tuple(lead),
                cooperating_units=tuple(coop),
                na_allowed=c.na_allowed,
                na_condition=c.na_condition,
                remarks=c.remarks,
                note=c.note,
                key=c.key,
                effective_points=_dec(c.points),
            )
        )
    for dim in framework.dimensions.order_by("position", "number"):
        spec.dimensions.append(
            DimensionSpec(number=dim.number, title=dim.title, items=items_by_dim.get(dim.pk, []))
        )
    by_key = {(item.code, c.row): c for item in spec.items() for c in item.criteria}
    for e in framework.errata or []:
        target = by_key.get((e["item"], str(e["row"])))
        if target is not None:
            target.effective_points = _dec(e["corrected"])
        spec.errata.append(
            Erratum(
                item=e["item"],
                row=str(e["row"]),
                field=e["field"],
                printed=_dec(e["printed"]),
                corrected=_dec(e["corrected"]),
                reason=e["reason"],
            )
        )
    apply_scheme(spec, framework.scheme or {})
    return spec


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    d = Decimal(str(value))
    return d.normalize() if d == d.to_integral_value() else d


def export_framework(framework: Framework, fmt: str) -> str:
    """The framework as JSON or YAML text, loadable again with `load_framework`."""
    data = spec_to_data(spec_from_db(framework))
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    raise ValidationFailed(_("不支持的导出格式“%(fmt)s”,可用:json、yaml。") % {"fmt": fmt})


def latest_framework(code: str) -> Framework | None:
    return Framework.objects.filter(code=code).order_by("-version").first()
