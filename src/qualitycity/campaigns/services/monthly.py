"""Writes to the unit's monthly report (月报): the liaison saves or submits every owed task's
report of a period together; the office accepts or returns the whole 月报 or single tasks in it.

Each task's report is written by services.reports (its own checks, state table and audit event),
all in one transaction: when any task's report is refused, nothing of the 月报 is written and
the refusals are reported per task (`MonthlyRefused.by_task`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.audit.services import record
from qualitycity.errors import DomainError, InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.orgs.models import Unit, User

from .. import monthly as monthly_rules
from .. import monthly_report, rules
from ..access import is_unit_liaison
from ..choices import ReportStatus
from ..models import Campaign, ProgressReport
from .common import require_office
from .notifications import notify
from .reports import review_report, save_report


@dataclass(frozen=True)
class Entry:
    """What the liaison wrote for one task of the 月报."""

    task_id: int
    text: str
    percent: Any
    evidence: Sequence[Any] = field(default_factory=tuple)


class MonthlyRefused(ValidationFailed):
    """Some tasks' reports were refused; `by_task` maps a task id to its reasons."""

    def __init__(self, by_task: dict[int, list[str]], general: Iterable[str] = ()) -> None:
        self.by_task = by_task
        general = list(general)
        count = len(by_task)
        if count:
            general.append(
                _("月报中有 %(n)s 项任务的填报未通过检查,均未保存,请按提示修改。") % {"n": count}
            )
        super().__init__(general)


def _load(campaign: Campaign, unit: Unit, period_start: dt.date, *, lock: bool = False):
    report = monthly_report.load(campaign, unit, period_start, lock=lock)
    if report is None:
        raise ValidationFailed(_("%(unit)s在该周期没有需要填报的任务。") % {"unit": unit.name})
    return report


def _audit(by: User, action: str, report, **after: Any) -> None:
    record(
        by,
        action,
        report.unit,
        object_repr=f"{report.unit.name} · {report.period.label}",
        after={
            "campaign": report.campaign.pk,
            "period_start": report.period.start.isoformat(),
            **after,
        },
    )


@transaction.atomic
def save_monthly(
    campaign: Campaign,
    unit: Unit,
    *,
    by: User,
    period_start: dt.date,
    entries: Iterable[Entry],
    submit: bool = False,
    now: dt.datetime | None = None,
) -> list[ProgressReport]:
    """Save (or submit) the unit's 月报: every editable task's report of the period, together.

    Tasks whose report is submitted or accepted are left as they are. On submit every editable
    task must have an entry. Either every entry is written or nothing is (MonthlyRefused)."""
    if not is_unit_liaison(by, unit.pk):
        raise NotAllowed(_("只有本单位的联络员可以填报月报。"))
    report = _load(campaign, unit, period_start, lock=True)
    rows = {r.task.pk: r for r in report.rows}
    editable = {pk for pk, r in rows.items() if rules.report_editable(r.task.status, r.status)}
    entries = list(entries)
    general: list[str] = []
    by_task: dict[int, list[str]] = {}
    given = {e.task_id for e in entries}
    if any(pk not in rows for pk in given):
        general.append(_("月报中包含不属于本单位本期的任务。"))
    if not editable:
        raise InvalidTransition(_("本期月报已全部提交,没有可以修改的填报。"))
    if submit:
        for pk in sorted(editable - given):
            by_task[pk] = [_("请填写本项任务的进展。")]
    if general:
        raise MonthlyRefused(by_task, general)
    saved: list[ProgressReport] = []
    for entry in entries:
        if entry.task_id not in editable:
            continue  # submitted or accepted: read-only here
        row = rows[entry.task_id]
        try:
            with transaction.atomic():
                saved.append(
                    save_report(
                        row.task,
                        by=by,
                        period_start=row.period.start,
                        text=entry.text,
                        percent=entry.percent,
                        evidence=entry.evidence,
                        submit=submit,
                        now=now,
                        notify_office=False,  # one message for the whole 月报, below
                    )
                )
        except NotAllowed:
            raise
        except DomainError as exc:
            by_task[entry.task_id] = list(exc.messages)
    if by_task:
        raise MonthlyRefused(by_task)  # rolls back every report written above
    _audit(
        by,
        "monthly.submitted" if submit else "monthly.saved",
        report,
        tasks=sorted(r.task_id for r in saved),
    )
    if submit and saved:
        notify(
            "report.submitted",
            campaign,
            actor=by,
            text=_("%(u)s提交了%(p)s的月报(%(n)s 项任务),请审核。")
            % {"u": unit.name, "p": report.period.label, "n": len(saved)},
            url=_monthly_url(campaign, unit, report),
            units=[unit.pk],
        )
    return saved


def _monthly_url(campaign: Campaign, unit: Unit, report) -> str:
    return reverse(
        "campaigns:monthly", args=[campaign.pk, unit.pk, monthly_rules.period_key(report.period)]
    )


@transaction.atomic
def review_monthly(
    campaign: Campaign,
    unit: Unit,
    *,
    by: User,
    period_start: dt.date,
    accept: bool,
    comment: str = "",
    task_ids: Iterable[int] | None = None,
) -> list[ProgressReport]:
    """The office accepts or returns the 月报: every submitted report in it (`task_ids` None), or
    the reports of the tasks named. Returning needs a comment; a task whose report is not
    submitted is refused (the report workflow's table decides)."""
    require_office(by, campaign)
    report = _load(campaign, unit, period_start, lock=True)
    if not accept and not comment.strip():
        raise ValidationFailed(_("退回月报必须写明审核意见。"))
    rows = {r.task.pk: r for r in report.rows}
    if task_ids is None:
        chosen = [r for r in report.rows if r.status == ReportStatus.SUBMITTED]
        if not chosen:
            raise InvalidTransition(_("本期月报没有待审核(已提交)的填报。"))
    else:
        ids = list(dict.fromkeys(task_ids))
        if not ids or any(pk not in rows for pk in ids):
            raise ValidationFailed(_("所选任务不在本期月报中。"))
        chosen = [rows[pk] for pk in ids]
        wrong = [r for r in chosen if not rules.report_reviewable(r.status or "")]
        if wrong:
            raise InvalidTransition(
                [
                    _("“%(task)s”的填报不是“已提交”状态,不能审核。") % {"task": r.task.title}
                    for r in wrong
                ]
            )
    reviewed = [
        review_report(r.report, by=by, accept=accept, comment=comment, notify_unit=False)
        for r in chosen
    ]
    _audit(
        by,
        "monthly.accepted" if accept else "monthly.returned",
        report,
        tasks=[r.task_id for r in reviewed],
        whole=task_ids is None,
        comment=comment.strip(),
    )
    values = {"p": report.period.label, "n": len(reviewed), "c": comment.strip()[:200]}
    notify(
        "report.accepted" if accept else "report.returned",
        campaign,
        actor=by,
        text=(
            _("%(p)s的月报:%(n)s 项任务的进展已通过审核。") % values
            if accept
            else _("%(p)s的月报:%(n)s 项任务的进展被退回:%(c)s") % values
        ),
        url=_monthly_url(campaign, unit, report),
        units=[unit.pk],
        people=User.objects.filter(pk__in={r.author_id for r in reviewed if r.author_id}),
    )
    return reviewed
