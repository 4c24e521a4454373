"""Pure rules of the unit's monthly report (月报): which tasks a unit owes a report on for a
period, and the 月报's state derived from those tasks' reports.

There is no 月报 model: a unit's 月报 for a period is the set of its tasks' progress reports for
that period, so completeness and timeliness keep counting per task. Who owes reports and the
periods are campaigns.supervision's (`report_periods`); this module only groups them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .choices import MonthlyState, ReportStatus, TaskStatus
from .supervision import Period, report_periods

if TYPE_CHECKING:
    from .models import Task

PERIOD_KEY = re.compile(r"^(\d{4})-(\d{2})$")


def period_key(period: Period) -> str:
    """The period as it appears in addresses: its first month, e.g. "2018-08"."""
    return f"{period.start.year:04d}-{period.start.month:02d}"


def parse_period_key(key: str) -> dt.date | None:
    """ "2018-08" → 2018-08-01; None for anything else (bad form, month 13, year 0)."""
    match = PERIOD_KEY.match(key or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def _owes(task: Task, reported: bool) -> bool:
    # A cancelled task owes nothing; a done task owes no further reports, but one it already
    # wrote for a period stays in that period's 月报.
    if task.status == TaskStatus.CANCELLED:
        return False
    return reported or task.status != TaskStatus.DONE


def owed_tasks(
    tasks: Iterable[Task], period_start: dt.date, reported: set[int] | frozenset[int] = frozenset()
) -> list[tuple[Task, Period]]:
    """The tasks (with their period) that owe a report for the period starting `period_start`.
    `reported` holds the ids of tasks that already have a report for it."""
    out = []
    for task in tasks:
        if not _owes(task, task.pk in reported):
            continue
        for period in report_periods(task):
            if period.start == period_start:
                out.append((task, period))
                break
    return out


def unit_periods(
    tasks: Iterable[Task], reported: set[tuple[int, dt.date]] | frozenset = frozenset()
) -> list[Period]:
    """Every period in which at least one of the tasks owes a report, latest first.
    `reported` holds (task id, period start) of the reports written."""
    found: dict[dt.date, Period] = {}
    for task in tasks:
        if task.status == TaskStatus.CANCELLED:
            continue
        for period in report_periods(task):
            if _owes(task, (task.pk, period.start) in reported):
                found.setdefault(period.start, period)
    return sorted(found.values(), key=lambda p: p.start, reverse=True)


def monthly_state(statuses: Sequence[str | None]) -> str:
    """The 月报's state from its task reports' states (None: a task not reported yet).

    accepted — every report accepted; submitted — every report submitted (none reviewed yet);
    partly accepted — every report submitted or accepted, some of each; returned / partly
    returned — the office returned every report / some of them (the liaison has work to do);
    partly submitted — some reports submitted, others not yet; draft — drafts only, nothing
    submitted; not started — nothing written (also for a 月报 without tasks)."""
    present = set(statuses)
    if not statuses or present == {None}:
        return MonthlyState.NOT_STARTED
    if ReportStatus.RETURNED in present:
        if present == {ReportStatus.RETURNED}:
            return MonthlyState.RETURNED
        return MonthlyState.PARTLY_RETURNED
    if present == {ReportStatus.ACCEPTED}:
        return MonthlyState.ACCEPTED
    if present <= {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}:
        if ReportStatus.ACCEPTED in present:
            return MonthlyState.PARTLY_ACCEPTED
        return MonthlyState.SUBMITTED
    if present & {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}:
        return MonthlyState.PARTLY_SUBMITTED
    return MonthlyState.DRAFT


@dataclass(frozen=True)
class Counts:
    owed: int
    submitted: int  # submitted at least once (arrived), as the completeness rate counts
    accepted: int
    returned: int


def counts(statuses: Sequence[str | None]) -> Counts:
    arrived = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED}
    return Counts(
        owed=len(statuses),
        submitted=sum(1 for s in statuses if s in arrived),
        accepted=sum(1 for s in statuses if s == ReportStatus.ACCEPTED),
        returned=sum(1 for s in statuses if s == ReportStatus.RETURNED),
    )
