"""Pure rules of campaign work: which progress reports a liaison may still edit, and reading a
meeting's decision lines. No database here; the services and pages call these.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import NoticeStatus, ReportStatus, TaskStatus
from .transitions import REPORT

# --- tasks and notices ------------------------------------------------------------------------


def task_editable(task_status: str) -> bool:
    """Whether the office may still change a task (reassign, redate, split, cancel, progress)."""
    return task_status != TaskStatus.CANCELLED


def notice_overdue(notice_status: str, response_due: dt.date, today: dt.date) -> bool:
    """A notice still waiting for the unit's first response after its response date."""
    return notice_status == NoticeStatus.ISSUED and response_due < today


# --- progress reports -------------------------------------------------------------------------


def report_editable(task_status: str, report_status: str | None) -> bool:
    """Whether the unit's liaison may still write a period's report: the task is not cancelled and
    the report workflow allows saving in the report's state (a report not written yet, `None`, is
    a new draft)."""
    if task_status == TaskStatus.CANCELLED:
        return False
    return REPORT.allows("save", report_status or ReportStatus.DRAFT)


def report_reviewable(report_status: str) -> bool:
    """Whether the office may accept or return a report in this state."""
    return REPORT.allows("accept", report_status) and REPORT.allows("return", report_status)


# --- meeting decisions ------------------------------------------------------------------------

DECISION_SEPARATOR = re.compile(r"\s*[|｜]\s*")


@dataclass(frozen=True)
class DecisionLine:
    """One well-formed line "决定事项 | 责任单位 | YYYY-MM-DD"; `due` is None when the date is
    invalid (the problem is in the parser's list)."""

    number: int
    title: str
    unit_name: str
    due: dt.date | None


@dataclass(frozen=True)
class LineProblem:
    number: int
    message: str


def parse_decision_lines(text: str) -> tuple[list[DecisionLine], list[LineProblem]]:
    """Lines "决定事项 | 单位名称 | YYYY-MM-DD" (| or ｜, blank lines skipped) → the lines read,
    and the problems of form and date found, numbered by line. Unit names are not looked up here
    (services.meetings.parse_decisions does that)."""
    lines: list[DecisionLine] = []
    problems: list[LineProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = DECISION_SEPARATOR.split(line)
        if len(parts) != 3:
            problems.append(
                LineProblem(
                    number,
                    _("第 %(n)s 行格式应为“决定事项 | 责任单位 | YYYY-MM-DD”。") % {"n": number},
                )
            )
            continue
        title, name, raw_date = parts
        try:
            due: dt.date | None = dt.date.fromisoformat(raw_date)
        except ValueError:
            due = None
            problems.append(
                LineProblem(
                    number,
                    _("第 %(n)s 行:完成期限“%(d)s”不是有效的日期,请按 YYYY-MM-DD 填写。")
                    % {"n": number, "d": raw_date},
                )
            )
        lines.append(DecisionLine(number, title, name, due))
    return lines, problems
