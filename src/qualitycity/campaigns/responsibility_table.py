"""The campaign's responsibility table (责任分工表) as its page reads it, in a fixed number of
queries whatever the number of rows, entries and mappings: the summary, the printed names the
directory does not know (with suggestions), the rows without a lead unit, the whole table by
dimension, and the campaign's directory as choices. The writes are campaigns.services."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from qualitycity.errors import ValidationFailed
from qualitycity.frameworks.models import Criterion, Dimension
from qualitycity.orgs.models import Unit, UnitGroup
from qualitycity.orgs.naming import suggestions
from qualitycity.orgs.services import name_index

from .choices import EntryStatus, WorkRole
from .models import Campaign, NameMapping, ResponsibleUnit

# How an entry got its unit: the office's mapping of the printed name, the directory itself, a
# unit the office assigned to the row, or nothing (unresolved).
MAPPED, DIRECTORY, ASSIGNED, UNRESOLVED = (
    EntryStatus.MAPPED,
    EntryStatus.DIRECTORY,
    EntryStatus.ASSIGNED,
    EntryStatus.UNRESOLVED,
)


@dataclass(frozen=True)
class Choice:
    """A unit or group of the directory as a form value ("unit:12", "group:3")."""

    value: str
    kind: str
    name: str


def choice_value(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


@dataclass(frozen=True)
class Entry:
    role: str
    printed_name: str
    target_name: str
    target_value: str  # the Choice value, '' when unresolved
    status: str


@dataclass
class Row:
    criterion: Criterion
    lead: list[Entry] = field(default_factory=list)
    cooperating: list[Entry] = field(default_factory=list)

    @property
    def has_lead(self) -> bool:
        return any(e.status != UNRESOLVED for e in self.lead)

    @property
    def assigned(self) -> list[Entry]:
        return [e for e in [*self.lead, *self.cooperating] if e.status == ASSIGNED]


@dataclass(frozen=True)
class UnknownName:
    name: str
    rows: int
    suggestions: list[Choice]


@dataclass(frozen=True)
class Mapping:
    printed_name: str
    target: Choice
    rows: int


@dataclass
class Table:
    rows: list[Row]
    dimensions: list[Dimension]
    unknown: list[UnknownName]
    mappings: list[Mapping]
    units: list[Choice]
    groups: list[Choice]
    entries: int
    resolved: int

    @property
    def unresolved(self) -> int:
        return self.entries - self.resolved

    @property
    def without_lead(self) -> list[Row]:
        return [r for r in self.rows if not r.has_lead]

    def rows_of(self, dimension: Dimension) -> list[Row]:
        return [r for r in self.rows if r.criterion.item.dimension_id == dimension.pk]

    def row(self, criterion_id: int) -> Row | None:
        return next((r for r in self.rows if r.criterion.pk == criterion_id), None)


def _target(entry: ResponsibleUnit | NameMapping) -> Choice | None:
    if entry.unit_id:
        return Choice(choice_value("unit", entry.unit_id), "unit", entry.unit.name)
    if entry.group_id:
        return Choice(choice_value("group", entry.group_id), "group", entry.group.name)
    return None


def table(campaign: Campaign) -> Table:
    """The page's whole reading of the table (9 queries)."""
    criteria = list(
        Criterion.objects.filter(framework_id=campaign.framework_id)
        .select_related("item__dimension")
        .order_by("position")
    )
    dimensions: dict[int, Dimension] = {}
    for c in criteria:
        dimensions.setdefault(c.item.dimension_id, c.item.dimension)
    rows = {c.pk: Row(c) for c in criteria}
    mappings = list(
        NameMapping.objects.filter(campaign=campaign)
        .select_related("unit", "group")
        .order_by("printed_name")
    )
    mapped = {m.printed_name for m in mappings}
    entries = resolved = 0
    printing: dict[str, set[int]] = {}  # printed name → rows printing it
    unknown_rows: dict[str, set[int]] = {}
    for e in (
        ResponsibleUnit.objects.filter(campaign=campaign)
        .select_related("unit", "group")
        .order_by("criterion_id", "role", "position")
    ):
        row = rows.get(e.criterion_id)
        if row is None:  # pragma: no cover - a campaign's framework never changes
            continue
        target = _target(e)
        if target is None:
            status = UNRESOLVED
            unknown_rows.setdefault(e.printed_name, set()).add(e.criterion_id)
        elif not e.printed_name:
            status = ASSIGNED
        elif e.printed_name in mapped:
            status = MAPPED
        else:
            status = DIRECTORY
        if e.printed_name:
            printing.setdefault(e.printed_name, set()).add(e.criterion_id)
        entries += 1
        resolved += target is not None
        entry = Entry(
            e.role,
            e.printed_name,
            target.name if target else "",
            target.value if target else "",
            status,
        )
        (row.lead if e.role == WorkRole.LEAD else row.cooperating).append(entry)
    index = name_index(campaign.region_id)
    choices = {
        name: Choice(choice_value(ref.kind, ref.pk), ref.kind, ref.canonical)
        for name, ref in index.items()
    }
    unknown = [
        UnknownName(
            name,
            len(row_ids),
            list(
                dict.fromkeys(  # an alias and its unit suggest the same unit once
                    choices[s] for s in suggestions(name, choices, limit=6)
                )
            )[:3],
        )
        for name, row_ids in sorted(unknown_rows.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return Table(
        rows=list(rows.values()),
        dimensions=sorted(dimensions.values(), key=lambda d: (d.position, d.number)),
        unknown=unknown,
        mappings=[
            Mapping(m.printed_name, t, len(printing.get(m.printed_name, ())))
            for m in mappings
            if (t := _target(m)) is not None
        ],
        units=[
            Choice(choice_value("unit", pk), "unit", name)
            for pk, name in Unit.objects.filter(region_id=campaign.region_id).values_list(
                "pk", "name"
            )
        ],
        groups=[
            Choice(choice_value("group", pk), "group", name)
            for pk, name in UnitGroup.objects.filter(region_id=campaign.region_id).values_list(
                "pk", "name"
            )
        ],
        entries=entries,
        resolved=resolved,
    )


def _parse(value: str) -> tuple[str, int] | None:
    kind, _sep, pk = (value or "").partition(":")
    if kind not in ("unit", "group") or not pk.isdigit():
        return None
    return kind, int(pk)


def directory_targets(campaign: Campaign, values: Iterable[str]) -> list[Unit | UnitGroup]:
    """The units and groups of the campaign's directory that form values name, in their order
    (at most 2 queries). A value naming nothing there, or a unit of another region's directory,
    is refused without telling what it names."""
    values = [v for v in values if v]
    parsed = [_parse(v) for v in values]
    if any(p is None for p in parsed):
        raise ValidationFailed(_("所选单位不在本创建工作所在行政区的单位名录中。"))
    wanted: dict[str, set[int]] = {"unit": set(), "group": set()}
    for kind, pk in parsed:  # type: ignore[misc]
        wanted[kind].add(pk)
    found: dict[tuple[str, int], Unit | UnitGroup] = {}
    if wanted["unit"]:
        for u in Unit.objects.filter(region_id=campaign.region_id, pk__in=wanted["unit"]):
            found[("unit", u.pk)] = u
    if wanted["group"]:
        for g in UnitGroup.objects.filter(region_id=campaign.region_id, pk__in=wanted["group"]):
            found[("group", g.pk)] = g
    if any(p not in found for p in parsed):
        raise ValidationFailed(_("所选单位不在本创建工作所在行政区的单位名录中。"))
    return list(dict.fromkeys(found[p] for p in parsed))  # type: ignore[index]


def checked(entries: Sequence[Entry]) -> set[str]:
    return {e.target_value for e in entries if e.status == ASSIGNED}
