"""Pure supervision rules: a task's colour, reporting periods (and when one's report is still due
on 我的任务), reporting rates, the meeting rule.

No database here: these take dates and numbers and return values, and are tested at every boundary.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from .choices import TaskStatus, WorkRole

if TYPE_CHECKING:
    from .models import Task

BLUE, YELLOW, RED = "blue", "yellow", "red"
SEVERITY = {None: 0, BLUE: 1, YELLOW: 2, RED: 3}


def colour(
    *,
    start: dt.date,
    due: dt.date,
    progress: int,
    done: bool,
    today: dt.date,
    blue_days: int = 3,
    grace_days: int = 0,
    owes: bool = True,
) -> str | None:
    """督办 colour of a task: a colour only on a task that owes something now.

    red    — overdue: today is after the due date and the task is not done;
    yellow — behind schedule: progress (%) below the elapsed share of start … due, judged only
             from `grace_days` days after the start (a new task is not behind on its first day);
    blue   — due within `blue_days` days (today … due);
    None   — done, on track and not due soon, or a task that owes nothing of its own
             (`owes` false: a cooperating task that rolls up under its lead task).
    The more severe colour wins when several apply.
    """
    if done or not owes:
        return None
    if today > due:
        return RED
    span = (due - start).days
    elapsed = (today - start).days
    # progress % below the elapsed share elapsed / span, in integers (exact, and cheap: the board
    # judges every task of a campaign)
    if elapsed >= grace_days and elapsed >= 0 and span > 0 and progress * span < elapsed * 100:
        return YELLOW
    if (due - today).days <= blue_days:
        return BLUE
    return None


def colour_rules(*, blue_days: int, grace_days: int, reports_from: str) -> list[tuple[str, str]]:
    """The campaign's 亮灯 rules in words, as the board shows them: (key, sentence) pairs."""
    if grace_days:
        yellow = ngettext(
            "黄灯:进度低于时间进度;任务开始 %(n)s 天后才判定。",
            "黄灯:进度低于时间进度;任务开始 %(n)s 天后才判定。",
            grace_days,
        ) % {"n": grace_days}
    else:
        yellow = gettext("黄灯:进度低于时间进度。")
    if reports_from == "all":
        roll_up = gettext("牵头单位和配合单位的任务都按各自的进度亮灯。")
    else:
        roll_up = gettext(
            "配合单位的任务不单独亮灯,随牵头单位的任务督办(本创建工作仅由牵头单位填报进展)。"
        )
    return [
        (RED, gettext("红灯:已过完成期限仍未完成。")),
        (YELLOW, yellow),
        (
            BLUE,
            ngettext("蓝灯:%(n)s 天内到期。", "蓝灯:%(n)s 天内到期。", blue_days)
            % {"n": blue_days},
        ),
        ("cooperating", roll_up),
        ("done", gettext("已完成和已取消的任务不亮灯。")),
    ]


def worst(colours: Iterable[str | None]) -> str | None:
    return max(colours, key=lambda c: SEVERITY[c], default=None)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    deadline: dt.date

    @property
    def label(self) -> str:
        """In the active language: 2018年8月 / August 2018; 2018年第3季度 / Q3 2018."""
        if self.start.month == self.end.month:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        quarter = (self.start.month - 1) // 3 + 1
        return gettext("%(year)s年第%(quarter)s季度") % {
            "year": self.start.year,
            "quarter": quarter,
        }


def still_due(period: Period, today: dt.date) -> bool:
    """A period's report is due (on 我的任务) once the period has ended, until one period length
    after its deadline; after that the supervision board shows it instead."""
    if period.end >= today:
        return False
    window = (period.end - period.start).days + 1
    return (today - period.deadline).days <= window


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def periods(
    start: dt.date, end: dt.date, kind: str = "month", deadline_days: int = 5
) -> list[Period]:
    """The reporting periods (calendar months or quarters) that overlap start … end."""
    if kind not in ("month", "quarter"):
        raise ValueError(f"unknown period kind {kind!r}")
    step = 1 if kind == "month" else 3
    first_month = start.month if kind == "month" else ((start.month - 1) // 3) * 3 + 1
    cursor = dt.date(start.year, first_month, 1)
    out = []
    while cursor <= end:
        month = cursor.month + step - 1
        last = _month_end(dt.date(cursor.year + (month - 1) // 12, (month - 1) % 12 + 1, 1))
        out.append(Period(cursor, last, last + dt.timedelta(days=deadline_days)))
        nxt = last + dt.timedelta(days=1)
        cursor = nxt
    return out


@dataclass(frozen=True)
class Rate:
    due: int
    arrived: int
    on_time: int

    @property
    def completeness(self) -> Decimal | None:
        return _pct(self.arrived, self.due)

    @property
    def timeliness(self) -> Decimal | None:
        return _pct(self.on_time, self.due)


def _pct(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def reporting_rate(
    due: Iterable[tuple[str, dt.date]], arrived: dict[tuple[str, dt.date], bool]
) -> Rate:
    """Like DHIS2's reporting rates: of the reports due (task key, period start), how many arrived
    (submitted at least once), and how many arrived on time (`arrived` maps a key to on-time)."""
    keys = list(due)
    got = [arrived[k] for k in keys if k in arrived]
    return Rate(due=len(keys), arrived=len(got), on_time=sum(1 for on_time in got if on_time))


@dataclass(frozen=True)
class MeetingGap:
    kind: str  # "quarter" (leading-group meeting) or "year" (summary meeting)
    label: str
    start: dt.date
    end: dt.date


def meeting_gaps(
    leading_group: Iterable[dt.date],
    summary: Iterable[dt.date],
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[MeetingGap]:
    """Section 三.2 of the seed: at least one leading-group meeting every quarter and one summary
    meeting a year. Only quarters and years that have ended (or end today) within the campaign
    are judged, and only those wholly inside it; the current one is not a gap yet."""
    lg = sorted(leading_group)
    sm = sorted(summary)
    gaps: list[MeetingGap] = []
    horizon = min(end, today)
    for q in periods(start, end, "quarter", 0):
        if q.end > horizon:
            break
        if q.start < start:
            continue  # a quarter the campaign joined part-way through is not judged
        if not any(q.start <= d <= q.end for d in lg):
            gaps.append(MeetingGap("quarter", q.label, q.start, q.end))
    for year in range(start.year, end.year + 1):
        y_start, y_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if y_end > horizon:
            break
        if y_start < start:
            continue  # nor a year it joined part-way through
        if not any(y_start <= d <= y_end for d in sm):
            gaps.append(MeetingGap("year", gettext("%(year)s年") % {"year": year}, y_start, y_end))
    return gaps


# --- a task's periods and colour (attributes of a task only, no queries) --------------------


def owes_reports(task: Task) -> bool:
    """Whether the task's unit reports progress on it (cooperating units may report through the
    lead unit, by the campaign's setting)."""
    return task.campaign.reports_from == "all" or task.role == WorkRole.LEAD


def report_periods(task: Task) -> list[Period]:
    """The periods a task owes reports for (none when its unit reports through the lead unit)."""
    c = task.campaign
    if not owes_reports(task):
        return []
    return periods(task.start, task.due, c.report_period, c.report_deadline_days)


def task_colour(task: Task, today: dt.date) -> str | None:
    """The task's colour by its campaign's rules (blue days, grace days, who reports)."""
    if task.status == TaskStatus.CANCELLED:
        return None
    return colour(
        start=task.start,
        due=task.due,
        progress=task.progress,
        done=task.status == TaskStatus.DONE,
        today=today,
        blue_days=task.campaign.blue_days,
        grace_days=task.campaign.grace_days,
        owes=owes_reports(task),
    )
