"""A liaison's work (我的任务): its own units' tasks, the reports they owe now, the reports
returned to them and the notices waiting for their answer. Read by the 我的任务 page
(`views.tasks.my_tasks`) and the liaison's section of the home page (`web.home`).

A fixed number of queries however many tasks there are: tasks, their reports, notices.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from qualitycity.orgs.access import liaison_unit_ids
from qualitycity.orgs.models import User

from . import supervision
from .access import visible_notices, visible_tasks
from .choices import NoticeStatus, ReportStatus, TaskStatus
from .models import ProgressReport, SupervisionNotice, Task


@dataclass
class DueReport:
    task: Task
    period: supervision.Period
    report: ProgressReport | None
    overdue: bool


@dataclass
class UnitWork:
    unit_ids: set[int]
    tasks: list[Task]  # not cancelled, earliest due first
    colours: dict[int, str | None]  # task pk → 督办 colour (None: done or on track)
    due: list[DueReport]  # report periods still due, earliest deadline first
    returned: list[ProgressReport]  # returned to the unit, latest period first
    notices: list[SupervisionNotice]  # issued, not answered yet, earliest response date first
    colour_counts: Counter[str | None] = field(init=False)

    def __post_init__(self) -> None:
        self.colour_counts = Counter(self.colours.values())

    @property
    def overdue_reports(self) -> int:
        return sum(d.overdue for d in self.due)

    @property
    def monthly_links(self) -> list[Task]:
        """One task per (campaign, unit) that reports: the key of a link to the unit's 月报."""
        return sorted(
            {
                (t.campaign_id, t.unit_id): t for t in self.tasks if supervision.owes_reports(t)
            }.values(),
            key=lambda t: (t.campaign_id, t.unit.position, t.unit.code),
        )


def unit_work(user: User, today: dt.date) -> UnitWork | None:
    """The work of the user's liaison units on `today`; None when the user is no liaison."""
    unit_ids = liaison_unit_ids(user)
    if not unit_ids:
        return None
    own = (
        visible_tasks(user)
        .filter(unit_id__in=unit_ids)
        .exclude(status=TaskStatus.CANCELLED)
        .order_by("due", "pk")
    )
    tasks = list(own)
    by_id = {t.pk: t for t in tasks}
    reports: dict[tuple[int, dt.date], ProgressReport] = {}
    returned = []
    for report in ProgressReport.objects.filter(task__in=own.values("pk")).order_by(
        "-period_start", "task_id"
    ):
        report.task = by_id[report.task_id]
        report.period = supervision.Period(report.period_start, report.period_end, report.deadline)
        reports[(report.task_id, report.period_start)] = report
        if report.status == ReportStatus.RETURNED:
            returned.append(report)
    due = []
    for task in tasks:
        if task.status == TaskStatus.DONE:
            continue
        for period in supervision.report_periods(task):
            if not supervision.still_due(period, today):
                continue
            report = reports.get((task.pk, period.start))
            if report is not None and report.status != ReportStatus.DRAFT:
                continue  # submitted, accepted, or returned (listed on its own)
            due.append(DueReport(task, period, report, today > period.deadline))
    due.sort(key=lambda d: (d.period.deadline, d.task.due, d.task.pk))
    notices = list(
        visible_notices(user)
        .filter(unit_id__in=unit_ids, status=NoticeStatus.ISSUED)
        .order_by("response_due", "pk")
    )
    return UnitWork(
        unit_ids=unit_ids,
        tasks=tasks,
        colours={t.pk: supervision.task_colour(t, today) for t in tasks},
        due=due,
        returned=returned,
        notices=notices,
    )
