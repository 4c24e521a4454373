"""Writes to progress reports (进展填报): drafts, submission, review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.audit.services import record, snapshot
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.orgs.models import User

from .. import supervision
from ..access import is_unit_liaison
from ..choices import ReportStatus, TaskStatus
from ..models import (
    ProgressReport,
    Task,
)
from ..transitions import REPORT
from .common import require_office
from .notifications import notify


def _period_for(task: Task, period_start: dt.date) -> supervision.Period:
    for period in supervision.report_periods(task):
        if period.start == period_start:
            return period
    raise ValidationFailed(_("%(d)s 不是该任务的填报周期。") % {"d": period_start})


@transaction.atomic
def save_report(
    task: Task,
    *,
    by: User,
    period_start: dt.date,
    text: str,
    percent: int,
    evidence: Iterable[Any] = (),
    submit: bool = False,
    now: dt.datetime | None = None,
    notify_office: bool = True,
) -> ProgressReport:
    """Write (and optionally submit) the unit's report for one period. Only the unit's liaisons.
    A submission tells the office, unless the caller tells it once for many (the 月报)."""
    if not is_unit_liaison(by, task.unit_id):
        raise NotAllowed(_("只有本单位的联络员可以填报进展。"))
    if task.status == TaskStatus.CANCELLED:
        raise InvalidTransition(_("任务已取消,不需要填报。"))
    if not supervision.owes_reports(task):
        raise ValidationFailed(_("本创建工作只要求牵头单位填报进展,配合单位请向牵头单位报送情况。"))
    period = _period_for(task, period_start)
    problems = []
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
        problems.append(_("完成百分比必须是 0 到 100 之间的整数。"))
    if submit and not text.strip():
        problems.append(_("提交前请填写进展情况。"))
    evidence = list(evidence)
    if any(e.campaign_id != task.campaign_id for e in evidence):
        problems.append(_("佐证材料不属于本创建工作。"))
    if problems:
        raise ValidationFailed(problems)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(task=task, period_start=period.start)
        .first()
    )
    before = snapshot(report) if report else None
    if report is None:
        report = ProgressReport(
            task=task,
            period_start=period.start,
            period_end=period.end,
            deadline=period.deadline,
            author=by,
        )
    target = REPORT.target("submit" if submit else "save", report.status)
    if target is None:
        raise InvalidTransition(
            _("该期填报已“%(s)s”,不能再修改。") % {"s": report.get_status_display()}
        )
    report.text, report.percent, report.author = text.strip(), percent, by
    action = "report.saved"
    if submit:
        moment = now or clock.now()
        if report.submitted_at is None:
            report.submitted_at = moment
            report.late = timezone.localdate(moment) > report.deadline
        action = (
            "report.resubmitted" if report.status == ReportStatus.RETURNED else "report.submitted"
        )
    report.status = target
    report.save()
    report.evidence.set(evidence)
    if submit:
        task_before = task.progress
        task.progress = max(task.progress, percent)
        if task.status == TaskStatus.NOT_STARTED:
            task.status = TaskStatus.IN_PROGRESS
        if task.progress == 100:
            task.status = TaskStatus.DONE
        task.save(update_fields=["progress", "status"])
        if task_before != task.progress:
            record(
                by,
                "task.progress",
                task,
                before={"progress": task_before},
                after={"progress": task.progress},
            )
    record(by, action, report, before=before, after=snapshot(report))
    if submit and notify_office:
        _tell(report, "report.submitted", by)
    return report


def _tell(report: ProgressReport, key: str, by: User) -> None:
    task = report.task
    period = supervision.Period(report.period_start, report.period_end, report.deadline)
    texts = {
        "report.submitted": _("%(u)s提交了“%(t)s”%(p)s的进展,请审核。"),
        "report.returned": _("“%(t)s”%(p)s的进展被退回:%(c)s"),
        "report.accepted": _("“%(t)s”%(p)s的进展已通过审核。"),
    }
    text = texts[key] % {
        "u": task.unit.name,
        "t": task.title[:60],
        "p": period.label,
        "c": report.review_comment[:200],
    }
    url = (
        reverse("campaigns:report_review", args=[report.pk])
        if key == "report.submitted"
        else reverse("campaigns:report_edit", args=[task.pk, report.period_start.isoformat()])
    )
    notify(
        key,
        task.campaign,
        actor=by,
        text=text,
        url=url,
        units=[task.unit_id],
        people=[report.author],
    )


@transaction.atomic
def review_report(
    report: ProgressReport, *, by: User, accept: bool, comment: str = "", notify_unit: bool = True
) -> ProgressReport:
    require_office(by, report.task.campaign)
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    target = REPORT.target("accept" if accept else "return", locked.status)
    if target is None:
        raise InvalidTransition(_("只能审核“已提交”的填报。"))
    if not accept and not comment.strip():
        raise ValidationFailed(_("退回填报必须写明审核意见。"))
    before = snapshot(locked)
    locked.status = target
    locked.review_comment = comment.strip()
    locked.reviewed_by = by
    locked.save()
    record(
        by,
        "report.accepted" if accept else "report.returned",
        locked,
        before=before,
        after=snapshot(locked),
    )
    if notify_unit:
        _tell(locked, "report.accepted" if accept else "report.returned", by)
    return locked
