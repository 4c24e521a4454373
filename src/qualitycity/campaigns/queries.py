"""Read models for supervision pages: the office's board (督办看板) and the phase timeline.

`board()` runs a fixed number of queries whatever the number of tasks: it fetches the campaign's
tasks, reports, phases, meetings and open notices once each and does the rest in Python with the
pure rules of `supervision` (colours, reporting rates, the meeting rule).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from qualitycity.orgs.models import Unit

from . import supervision
from .choices import MeetingKind, NoticeStatus, TaskStatus, WorkRole
from .models import Campaign, Phase, ProgressReport, SupervisionNotice, Task
from .supervision import BLUE, RED, YELLOW

COLOURS = (RED, YELLOW, BLUE)
COOPERATING_SHOWN = 3  # cooperating units named beside a flagged lead task (all on hover)


@dataclass
class ColourCounts:
    tasks: int = 0  # not cancelled
    done: int = 0
    blue: int = 0
    yellow: int = 0
    red: int = 0

    def add(self, colour: str | None, *, done: bool) -> None:
        self.tasks += 1
        self.done += done
        if colour is not None:
            setattr(self, colour, getattr(self, colour) + 1)

    @property
    def flagged(self) -> int:
        return self.blue + self.yellow + self.red

    @property
    def done_percent(self) -> Decimal | None:
        if not self.tasks:
            return None
        return (Decimal(self.done) * 100 / Decimal(self.tasks)).quantize(Decimal("0.1"))


@dataclass
class UnitRow:
    unit_id: int
    name: str
    position: int
    code: str
    counts: ColourCounts = field(default_factory=ColourCounts)
    rate: supervision.Rate = field(default_factory=lambda: supervision.Rate(0, 0, 0))
    open_notices: int = 0


@dataclass
class PhaseRow:
    phase: Phase | None
    counts: ColourCounts = field(default_factory=ColourCounts)


@dataclass
class PeriodRow:
    label: str
    start: dt.date
    deadline: dt.date
    rate: supervision.Rate


@dataclass
class FlaggedTask:
    pk: int
    title: str
    unit: str
    due: dt.date
    progress: int
    colour: str
    days_left: int  # negative when overdue
    # When cooperating units report through the lead unit, their tasks on the same row or measure
    # roll up under the lead task: their names are shown with it.
    cooperating: list[str] = field(default_factory=list)

    @property
    def cooperating_shown(self) -> list[str]:
        return self.cooperating[:COOPERATING_SHOWN]

    @property
    def cooperating_more(self) -> int:
        return max(len(self.cooperating) - COOPERATING_SHOWN, 0)

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)


@dataclass
class Board:
    campaign: Campaign
    today: dt.date
    counts: ColourCounts
    units: list[UnitRow]
    phases: list[PhaseRow]
    periods: list[PeriodRow]
    rate: supervision.Rate
    gaps: list[supervision.MeetingGap]
    flagged: dict[str, list[FlaggedTask]]
    open_notices: int
    rolled_up: int = 0  # cooperating tasks without a colour of their own (they roll up)

    def flagged_total(self, colour: str) -> int:
        return getattr(self.counts, colour)


def board(campaign: Campaign, today: dt.date) -> Board:
    """Everything the supervision board shows for `campaign` on `today` (at most 10 queries)."""
    everyone_reports = campaign.reports_from == "all"
    roll_up = not everyone_reports
    live = Task.objects.filter(campaign=campaign).exclude(status=TaskStatus.CANCELLED).order_by()
    # The tasks that owe something of their own, as plain tuples (thousands of them: no model
    # objects). Cooperating tasks that roll up under their lead task have no colour and owe no
    # report: they are only counted, in SQL.
    owing = live if everyone_reports else live.filter(role=WorkRole.LEAD)
    tasks = owing.values_list(
        "pk",
        "unit_id",
        "criterion_id",
        "measure_id",
        "phase_id",
        "start",
        "due",
        "progress",
        "status",
    )
    rolled_counts = (
        []
        if everyone_reports
        else list(
            live.exclude(role=WorkRole.LEAD)
            .values_list("unit_id", "phase_id", "status")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "phase_id", "status", "n")
        )
    )
    phases = list(campaign.phases.order_by("position"))
    submitted = {
        (task_id, period_start): timezone.localdate(at)
        for task_id, period_start, at in ProgressReport.objects.filter(
            task__campaign=campaign, submitted_at__isnull=False
        ).values_list("task_id", "period_start", "submitted_at")
    }
    meetings = list(
        campaign.meetings.filter(
            kind__in=[MeetingKind.LEADING_GROUP, MeetingKind.SUMMARY]
        ).values_list("kind", "date")
    )
    open_notices = dict(
        SupervisionNotice.objects.filter(campaign=campaign)
        .exclude(status=NoticeStatus.CLOSED)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )

    overall = ColourCounts()
    units: dict[int, UnitRow] = {}
    by_phase: dict[int | None, PhaseRow] = {p.pk: PhaseRow(p) for p in phases}
    flagged: dict[str, list[FlaggedTask]] = {c: [] for c in COLOURS}
    due_by_unit: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    due_by_period: dict[dt.date, list[tuple[str, dt.date]]] = defaultdict(list)
    period_info: dict[dt.date, supervision.Period] = {}
    arrived: dict[tuple[str, dt.date], bool] = {}
    periods_memo: dict[tuple[dt.date, dt.date], list[supervision.Period]] = {}
    cooperating: dict[tuple[int | None, int | None], set[tuple[int, str, str]]] = defaultdict(set)
    row_of: dict[int, tuple[int | None, int | None]] = {}  # flagged lead task → its row
    rolled_up = 0

    unit_info = {
        u[0]: u[1:]
        for u in Unit.objects.filter(
            pk__in=Task.objects.filter(campaign=campaign).values("unit_id")
        ).values_list("pk", "name", "position", "code")
    }

    def unit_row(unit_id: int) -> UnitRow:
        row = units.get(unit_id)
        if row is None:
            name, position, code = unit_info[unit_id]
            row = units[unit_id] = UnitRow(unit_id, name, position, code)
        return row

    def phase_row(phase_id: int | None) -> PhaseRow:
        row = by_phase.get(phase_id)
        if row is None:
            row = by_phase[phase_id] = PhaseRow(None)
        return row

    blue_days, grace_days = campaign.blue_days, campaign.grace_days
    for (
        pk,
        unit_id,
        criterion_id,
        measure_id,
        phase_id,
        start,
        due,
        progress,
        status,
    ) in tasks:
        done = status == TaskStatus.DONE
        colour = supervision.colour(
            start=start,
            due=due,
            progress=progress,
            done=done,
            today=today,
            blue_days=blue_days,
            grace_days=grace_days,
        )
        overall.add(colour, done=done)
        row = unit_row(unit_id)
        row.counts.add(colour, done=done)
        phase_row(phase_id).counts.add(colour, done=done)
        if colour is not None:
            flagged[colour].append(
                FlaggedTask(pk, "", row.name, due, progress, colour, (due - today).days)
            )
            if roll_up and (criterion_id or measure_id):
                row_of[pk] = (criterion_id, measure_id)

        span = (start, due)
        if span not in periods_memo:
            periods_memo[span] = supervision.periods(
                start, due, campaign.report_period, campaign.report_deadline_days
            )
        for period in periods_memo[span]:
            if period.deadline > today:
                break
            key = (str(pk), period.start)
            due_by_unit[unit_id].append(key)
            due_by_period[period.start].append(key)
            period_info.setdefault(period.start, period)
            day = submitted.get((pk, period.start))
            if day is not None:
                arrived[key] = day <= period.deadline

    for unit_id, phase_id, status, n in rolled_counts:
        rolled_up += n
        for counts in (overall, unit_row(unit_id).counts, phase_row(phase_id).counts):
            counts.tasks += n
            counts.done += n if status == TaskStatus.DONE else 0
    if row_of:  # the cooperating units of the flagged lead tasks' rows and measures
        rows = set(row_of.values())
        for criterion_id, measure_id, unit_id in (
            live.exclude(role=WorkRole.LEAD)
            .filter(
                Q(criterion_id__in={c for c, _m in rows if c})
                | Q(measure_id__in={m for _c, m in rows if m})
            )
            .values_list("criterion_id", "measure_id", "unit_id")
            .distinct()
        ):
            if (criterion_id, measure_id) in rows:
                name, position, code = unit_info[unit_id]
                cooperating[(criterion_id, measure_id)].add((position, code, name))

    for unit_id, row in units.items():
        row.rate = supervision.reporting_rate(due_by_unit.get(unit_id, []), arrived)
        row.open_notices = open_notices.get(unit_id, 0)
    period_rows = [
        PeriodRow(
            period_info[start].label,
            start,
            period_info[start].deadline,
            supervision.reporting_rate(keys, arrived),
        )
        for start, keys in sorted(due_by_period.items())
    ]
    all_due = [key for keys in due_by_unit.values() for key in keys]
    # Titles only of the flagged tasks (a few dozen of thousands).
    titles = dict(
        Task.objects.filter(pk__in=[t.pk for items in flagged.values() for t in items])
        .order_by()
        .values_list("pk", "title")
    )
    for items in flagged.values():
        items.sort(key=lambda t: (t.days_left, t.progress, t.pk))
        for item in items:
            item.title = titles[item.pk]
            if item.pk in row_of:
                item.cooperating = [n for *_, n in sorted(cooperating.get(row_of[item.pk], ()))]
    gaps = supervision.meeting_gaps(
        [d for kind, d in meetings if kind == MeetingKind.LEADING_GROUP],
        [d for kind, d in meetings if kind == MeetingKind.SUMMARY],
        start=campaign.start,
        end=campaign.end,
        today=today,
    )
    phase_rows = [r for r in by_phase.values() if r.phase is not None or r.counts.tasks]
    return Board(
        campaign=campaign,
        today=today,
        counts=overall,
        units=sort_units(list(units.values()), "red"),
        phases=phase_rows,
        periods=period_rows,
        rate=supervision.reporting_rate(all_due, arrived),
        gaps=gaps,
        flagged=flagged,
        open_notices=sum(open_notices.values()),
        rolled_up=rolled_up,
    )


def _rate_key(value: Decimal | None) -> Decimal:
    return Decimal(-1) if value is None else value


SORTS = {
    "red": lambda r: (-r.counts.red, -r.counts.yellow, -r.counts.blue, r.position, r.code),
    "yellow": lambda r: (-r.counts.yellow, -r.counts.red, -r.counts.blue, r.position, r.code),
    "blue": lambda r: (-r.counts.blue, -r.counts.red, -r.counts.yellow, r.position, r.code),
    "tasks": lambda r: (-r.counts.tasks, r.position, r.code),
    # Lowest rates first: the units to chase.
    "completeness": lambda r: (_rate_key(r.rate.completeness), r.position, r.code),
    "timeliness": lambda r: (_rate_key(r.rate.timeliness), r.position, r.code),
    "unit": lambda r: (r.position, r.code),
}


def sort_units(rows: list[UnitRow], by: str) -> list[UnitRow]:
    return sorted(rows, key=SORTS.get(by, SORTS["red"]))


def chart_data(rows: list[UnitRow], labels: dict[str, str]) -> dict[str, object]:
    """A stacked bar per unit with flagged tasks, most red first; `labels` names each colour."""
    shown = [r for r in sort_units(rows, "red") if r.counts.flagged]
    return {
        "categories": [r.name for r in shown],
        "series": [
            {"key": c, "name": labels[c], "values": [getattr(r.counts, c) for r in shown]}
            for c in COLOURS
        ],
    }


# --- timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of the campaign as percentages of its width (for bars and points)."""

    left: Decimal
    width: Decimal


def position(campaign: Campaign, start: dt.date, end: dt.date | None = None) -> Span:
    total = max((campaign.end - campaign.start).days + 1, 1)

    def pct(day: dt.date, *, end_of_day: bool = False) -> Decimal:
        days = (day - campaign.start).days + (1 if end_of_day else 0)
        days = min(max(days, 0), total)
        return (Decimal(days) * 100 / Decimal(total)).quantize(Decimal("0.01"))

    left = pct(start)
    if end is None:
        return Span(left, Decimal(0))
    return Span(left, max(pct(end, end_of_day=True) - left, Decimal("0.2")))


def year_ticks(campaign: Campaign) -> list[tuple[dt.date, Span]]:
    """The first of January and July within the campaign, for the timeline's axis."""
    out = []
    for year in range(campaign.start.year, campaign.end.year + 1):
        for month in (1, 7):
            day = dt.date(year, month, 1)
            if campaign.start <= day <= campaign.end:
                out.append((day, position(campaign, day)))
    return out
