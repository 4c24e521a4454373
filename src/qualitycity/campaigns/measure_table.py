"""The campaign's measures (主要措施) as their pages read them, in a fixed number of queries
whatever the number of measures, rows and tasks: each measure with its lead and cooperating units
(as printed and as resolved in the directory), its linked scoring rows and its tasks rolled up
(campaigns.rollup). The tasks counted are those the caller passes: the tasks the user reads, so
every figure matches the task list it links to."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from qualitycity.frameworks.models import Criterion

from .choices import WorkRole
from .models import Campaign, Measure, MeasureUnit, Task
from .rollup import Rollup, TaskFact
from .supervision import task_colour


@dataclass(frozen=True)
class UnitEntry:
    printed_name: str
    target_name: str
    is_group: bool

    @property
    def renamed(self) -> bool:
        """The directory knows the printed name as another unit or group (an alias)."""
        return self.printed_name != self.target_name


@dataclass
class MeasureRow:
    measure: Measure
    lead: list[UnitEntry] = field(default_factory=list)
    cooperating: list[UnitEntry] = field(default_factory=list)
    rows: int = 0  # linked scoring rows (评分细则)
    tasks: Rollup = field(default_factory=Rollup)


@dataclass
class LinkedRow:
    criterion: Criterion  # with item and dimension
    tasks: Rollup = field(default_factory=Rollup)


@dataclass
class TaskLine:
    task: Task
    colour: str | None


@dataclass
class MeasureDetail:
    row: MeasureRow
    criteria: list[LinkedRow]
    tasks: list[TaskLine]


LIGHT_TASK_FIELDS = ("pk", "status", "progress", "start", "due", "role", "campaign_id")


def _fact(task: Task, campaign: Campaign, today: dt.date) -> TaskFact:
    task.campaign = campaign  # task_colour reads the campaign's blue_days
    return TaskFact(task.status, task.progress, task_colour(task, today))


def _entry(mu: MeasureUnit) -> UnitEntry:
    target = mu.unit if mu.unit_id else mu.group
    return UnitEntry(mu.printed_name, target.name if target else "", mu.group_id is not None)


def _add_units(rows: dict[int, MeasureRow], units: QuerySet[MeasureUnit]) -> None:
    for mu in units.select_related("unit", "group").order_by("measure_id", "role", "position"):
        row = rows[mu.measure_id]
        (row.lead if mu.role == WorkRole.LEAD else row.cooperating).append(_entry(mu))


def measures(campaign: Campaign, tasks: QuerySet[Task], today: dt.date) -> list[MeasureRow]:
    """Every measure of the campaign in order, with its units, rows and tasks (4 queries)."""
    rows = {m.pk: MeasureRow(m) for m in Measure.objects.filter(campaign=campaign)}
    if not rows:
        return []
    _add_units(rows, MeasureUnit.objects.filter(measure__campaign=campaign))
    links = Measure.criteria.through.objects.filter(measure__campaign=campaign)
    for measure_id in links.values_list("measure_id", flat=True):
        rows[measure_id].rows += 1
    light = (
        tasks.filter(campaign=campaign, measure__isnull=False)
        .select_related(None)
        .only(*LIGHT_TASK_FIELDS, "measure_id")
        .order_by()
    )
    for task in light:
        rows[task.measure_id].tasks.add(_fact(task, campaign, today))
    return sorted(rows.values(), key=lambda r: r.measure.number)


def detail(
    campaign: Campaign, measure: Measure, tasks: QuerySet[Task], today: dt.date
) -> MeasureDetail:
    """One measure with its units, its rows (each with the row's own tasks rolled up) and its
    tasks with unit, phase, due date and progress (4 queries)."""
    row = MeasureRow(measure)
    _add_units({measure.pk: row}, MeasureUnit.objects.filter(measure=measure))
    criteria = list(measure.criteria.select_related("item__dimension").order_by("position", "pk"))
    row.rows = len(criteria)
    linked = {c.pk: LinkedRow(c) for c in criteria}
    if linked:
        for task in (
            tasks.filter(campaign=campaign, criterion_id__in=list(linked))
            .select_related(None)
            .only(*LIGHT_TASK_FIELDS, "criterion_id")
            .order_by()
        ):
            linked[task.criterion_id].tasks.add(_fact(task, campaign, today))
    lines = []
    for task in tasks.filter(campaign=campaign, measure=measure).order_by(
        "unit__position", "unit__code", "due", "pk"
    ):
        fact = _fact(task, campaign, today)
        row.tasks.add(fact)
        lines.append(TaskLine(task, fact.colour))
    lines.sort(key=lambda t: (t.task.role != WorkRole.LEAD,))  # lead units first, stable
    return MeasureDetail(row, list(linked.values()), lines)


def group_by_section(rows: list[MeasureRow]) -> list[tuple[str, list[MeasureRow]]]:
    """The measures under their printed section (所属部分), in the plan's order."""
    sections: dict[str, list[MeasureRow]] = defaultdict(list)
    for r in rows:
        sections[r.measure.section].append(r)
    return list(sections.items())
