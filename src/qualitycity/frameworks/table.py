"""The framework as the seed's table, with lint findings beside the rows they concern."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .lint import lint_framework
from .loader import spec_from_db
from .models import Criterion, CriterionUnit, Framework, UnitRole
from .naming import indicator_names
from .rules import describe, indicator_codes, parse_rule
from .spec import Finding, SectionSpec


@dataclass
class RowView:
    criterion: Criterion
    rule_text: str
    lead: list[CriterionUnit]
    cooperating: list[CriterionUnit]
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ItemView:
    code: str
    title: str
    max_points: Decimal
    rows: list[RowView] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    section: SectionSpec | None = None  # the 二级指标 this item opens, if any


@dataclass
class DimensionView:
    number: int
    title: str
    max_points: Decimal = Decimal(0)
    items: list[ItemView] = field(default_factory=list)
    stated_points: Decimal | None = None


@dataclass
class TableView:
    framework: Framework
    dimensions: list[DimensionView]
    findings: list[Finding]
    total_points: Decimal
    criteria_count: int

    @property
    def table_findings(self) -> list[Finding]:
        """Findings about the whole table or a dimension (stated totals), shown above it."""
        return [f for f in self.findings if f.item is None and f.row is None]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def framework_table(framework: Framework) -> TableView:
    """Build the table view with a fixed number of queries, whatever the number of rows."""
    spec = spec_from_db(framework)
    findings = lint_framework(spec)

    by_item_row: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    by_item: dict[str, list[Finding]] = defaultdict(list)
    by_row: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.item is not None and f.row is not None:
            by_item_row[(f.item, f.row)].append(f)
        elif f.item is not None:
            by_item[f.item].append(f)
        elif f.row is not None:
            by_row[f.row].append(f)

    units: dict[int, tuple[list[CriterionUnit], list[CriterionUnit]]] = defaultdict(
        lambda: ([], [])
    )
    for cu in CriterionUnit.objects.filter(criterion__framework=framework).order_by(
        "criterion_id", "role", "position"
    ):
        lead, coop = units[cu.criterion_id]
        (lead if cu.role == UnitRole.LEAD else coop).append(cu)

    item_views: dict[int, ItemView] = {}
    dim_views: dict[int, DimensionView] = {}
    dims: list[DimensionView] = []
    levels = {d.number: d for d in spec.dimensions}
    opens: dict[str, SectionSpec] = {
        sec.item_codes[0]: sec for d in spec.dimensions for sec in d.sections if sec.item_codes
    }
    for dim in framework.dimensions.order_by("position", "number"):
        view = DimensionView(number=dim.number, title=dim.title)
        level = levels.get(dim.number)
        view.stated_points = level.points if level else None
        dim_views[dim.pk] = view
        dims.append(view)
    total = Decimal(0)
    for item in framework.items.order_by("position"):
        view = ItemView(
            item.code,
            item.title,
            item.max_points,
            findings=by_item[item.code],
            section=opens.get(item.code),
        )
        item_views[item.pk] = view
        dim_views[item.dimension_id].items.append(view)
        dim_views[item.dimension_id].max_points += item.max_points
        total += item.max_points
    count = 0
    criteria = [(crit, parse_rule(crit.rule)) for crit in framework.criteria.order_by("position")]
    names = indicator_names(set().union(*(indicator_codes(rule) for _c, rule in criteria)))
    for crit, rule in criteria:
        count += 1
        item_view = item_views[crit.item_id]
        lead, coop = units[crit.pk]
        item_view.rows.append(
            RowView(
                criterion=crit,
                rule_text=describe(rule, names),
                lead=lead,
                cooperating=coop,
                findings=by_item_row[(item_view.code, crit.row)] + by_row[crit.row],
            )
        )
    return TableView(framework, dims, findings, total, count)
