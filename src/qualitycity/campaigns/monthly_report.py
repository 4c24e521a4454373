"""Read the unit's monthly report (月报) and the office's overview, in a fixed number of queries
whatever the number of tasks: the unit's tasks, their reports for the period (with evidence), done
in Python with the pure rules of `campaigns.monthly`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from qualitycity.evidence.models import Evidence
from qualitycity.orgs.models import Unit

from . import monthly
from .choices import TaskStatus
from .models import Campaign, ProgressReport, Task
from .supervision import Period


@dataclass
class Row:
    task: Task
    period: Period
    report: ProgressReport | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        return self.report.status if self.report is not None else None


@dataclass
class MonthlyReport:
    campaign: Campaign
    unit: Unit
    period: Period
    rows: list[Row]

    @property
    def state(self) -> str:
        return monthly.monthly_state([r.status for r in self.rows])

    @property
    def counts(self) -> monthly.Counts:
        return monthly.counts([r.status for r in self.rows])

    @property
    def deadline(self) -> dt.date:
        return self.period.deadline


def _unit_tasks(campaign: Campaign, unit_id: int) -> list[Task]:
    return list(
        Task.objects.filter(campaign=campaign, unit_id=unit_id)
        .exclude(status=TaskStatus.CANCELLED)
        .select_related("criterion", "measure")
        .order_by("due", "pk")
    )


def _attach_campaign(tasks: list[Task], campaign: Campaign) -> None:
    for task in tasks:
        task.campaign = campaign  # report_periods reads the campaign's settings: no query


def load(
    campaign: Campaign, unit: Unit, period_start: dt.date, *, lock: bool = False
) -> MonthlyReport | None:
    """The unit's 月报 for the period starting `period_start`, or None when it owes none then."""
    tasks = _unit_tasks(campaign, unit.pk)
    _attach_campaign(tasks, campaign)
    reports_qs = ProgressReport.objects.filter(
        task__in=[t.pk for t in tasks], period_start=period_start
    ).select_related("reviewed_by", "author")
    if lock:
        # only the reports' rows: PostgreSQL refuses FOR UPDATE on the nullable side of a join
        reports_qs = reports_qs.select_for_update(of=("self",))
    reports_qs = reports_qs.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("unit").order_by("pk"))
    )
    reports = {r.task_id: r for r in reports_qs}
    owed = monthly.owed_tasks(tasks, period_start, set(reports))
    if not owed:
        return None
    rows = []
    for task, period in owed:
        report = reports.get(task.pk)
        rows.append(Row(task, period, report, list(report.evidence.all()) if report else []))
    return MonthlyReport(campaign, unit, owed[0][1], rows)


@dataclass
class PeriodLine:
    period: Period
    key: str
    state: str
    counts: monthly.Counts


def unit_index(campaign: Campaign, unit: Unit) -> list[PeriodLine]:
    """Every period the unit owes a 月报 for in the campaign, latest first, with its state."""
    tasks = _unit_tasks(campaign, unit.pk)
    _attach_campaign(tasks, campaign)
    statuses: dict[tuple[int, dt.date], str] = dict(
        ((task_id, start), status)
        for task_id, start, status in ProgressReport.objects.filter(
            task__in=[t.pk for t in tasks]
        ).values_list("task_id", "period_start", "status")
    )
    lines = []
    reported = set(statuses)
    for period in monthly.unit_periods(tasks, reported):
        owed = monthly.owed_tasks(
            tasks, period.start, {tid for tid, start in reported if start == period.start}
        )
        states = [statuses.get((t.pk, period.start)) for t, _p in owed]
        lines.append(
            PeriodLine(
                period,
                monthly.period_key(period),
                monthly.monthly_state(states),
                monthly.counts(states),
            )
        )
    return lines


@dataclass
class UnitLine:
    unit: Unit
    state: str
    counts: monthly.Counts
    late: int


@dataclass
class Overview:
    periods: list[Period]
    period: Period | None
    lines: list[UnitLine]


def overview(campaign: Campaign, period_start: dt.date | None, today: dt.date) -> Overview:
    """The office's view of one period: every unit owing a 月报, with its state. Without a period:
    the latest one that has ended by `today` (or the first one)."""
    tasks = list(
        Task.objects.filter(campaign=campaign)
        .exclude(status=TaskStatus.CANCELLED)
        .select_related("unit")
        .order_by("unit__position", "unit__code", "pk")
    )
    _attach_campaign(tasks, campaign)
    rows = ProgressReport.objects.filter(task__campaign=campaign).values_list(
        "task_id", "period_start", "status", "late"
    )
    statuses = {(tid, start): (status, late) for tid, start, status, late in rows}
    periods = sorted(monthly.unit_periods(tasks, set(statuses)), key=lambda p: p.start)
    if period_start is None:
        ended = [p for p in periods if p.end < today]
        chosen = ended[-1] if ended else (periods[0] if periods else None)
    else:
        chosen = next((p for p in periods if p.start == period_start), None)
        if chosen is None:
            return Overview(periods, None, [])
    if chosen is None:
        return Overview(periods, None, [])
    by_unit: dict[int, list[Task]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for task in tasks:
        by_unit[task.unit_id].append(task)
        units[task.unit_id] = task.unit
    lines = []
    for unit_id, unit_tasks in by_unit.items():
        reported = {t.pk for t in unit_tasks if (t.pk, chosen.start) in statuses}
        owed = monthly.owed_tasks(unit_tasks, chosen.start, reported)
        if not owed:
            continue
        found = [statuses.get((t.pk, chosen.start)) for t, _p in owed]
        states = [f[0] if f else None for f in found]
        late = sum(1 for f in found if f and f[1])
        lines.append(
            UnitLine(units[unit_id], monthly.monthly_state(states), monthly.counts(states), late)
        )
    return Overview(periods, chosen, lines)


@dataclass
class PeriodRow:
    unit: Unit
    task: Task
    report: ProgressReport | None


def period_rows(campaign: Campaign, period_start: dt.date) -> list[PeriodRow]:
    """Every task that owes a report for the period, unit by unit (the overview's order), with its
    report or None: the rows of the overview's export. Two queries, whatever the size."""
    tasks = list(
        Task.objects.filter(campaign=campaign)
        .exclude(status=TaskStatus.CANCELLED)
        .select_related("unit", "criterion")
        .order_by("unit__position", "unit__code", "due", "pk")
    )
    _attach_campaign(tasks, campaign)
    reports = {
        r.task_id: r
        for r in ProgressReport.objects.filter(
            task__campaign=campaign, period_start=period_start
        ).select_related("reviewed_by")
    }
    by_unit: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        by_unit[task.unit_id].append(task)
    out = []
    for unit_tasks in by_unit.values():
        reported = {t.pk for t in unit_tasks if t.pk in reports}
        for task, _period in monthly.owed_tasks(unit_tasks, period_start, reported):
            out.append(PeriodRow(task.unit, task, reports.get(task.pk)))
    return out
