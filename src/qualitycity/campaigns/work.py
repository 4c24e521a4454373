"""All writes to campaign work: measures, tasks, progress reports, supervision notices, meetings.

Each function checks permission, validates, writes in one transaction and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.audit.services import record, snapshot
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Criterion, CriterionUnit, UnitRole
from qualitycity.orgs.models import Unit, UnitGroup, User
from qualitycity.orgs.services import name_index

from . import supervision
from .access import is_unit_liaison, manages_campaign
from .models import (
    Campaign,
    Measure,
    MeasureUnit,
    Meeting,
    MeetingKind,
    NoticeStatus,
    Notification,
    Phase,
    ProgressReport,
    ReportStatus,
    SupervisionNotice,
    Task,
    TaskStatus,
    WorkRole,
)

MEASURES_FILE = Path(__file__).resolve().parent / "data" / "yongzhou-2017-measures.yaml"


def _require_office(user: User | None, campaign: Campaign) -> None:
    if user is not None and not manages_campaign(user, campaign):
        raise NotAllowed(_("只有本创建工作的创质办可以执行此操作。"))


# --- measures ---------------------------------------------------------------------------------


@transaction.atomic
def load_measures(campaign: Campaign, *, by: User | None, path: Path = MEASURES_FILE) -> int:
    """Load the plan's measures into a campaign once; returns how many were created."""
    _require_office(by, campaign)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = name_index()
    criteria = {c.key: c for c in Criterion.objects.filter(framework=campaign.framework_id)}
    problems = []
    for m in data["measures"]:
        for name in [*m["lead_units"], *m.get("cooperating_units", [])]:
            if name not in index:
                problems.append(
                    _("措施 %(n)s:“%(name)s”不是已知的单位或单位组。")
                    % {"n": m["number"], "name": name}
                )
        for key in m.get("criteria", []):
            if key not in criteria:
                problems.append(
                    _("措施 %(n)s:评分细则 %(key)s 不存在。") % {"n": m["number"], "key": key}
                )
    if problems:
        raise ValidationFailed(problems)
    existing = set(Measure.objects.filter(campaign=campaign).values_list("number", flat=True))
    created = 0
    for m in data["measures"]:
        if m["number"] in existing:
            continue
        measure = Measure.objects.create(
            campaign=campaign,
            number=m["number"],
            section=m["section"],
            title=m["title"],
            text=m["text"],
            bracket=m["bracket"],
        )
        measure.criteria.set([criteria[k] for k in m.get("criteria", [])])
        for role, names in (
            (WorkRole.LEAD, m["lead_units"]),
            (WorkRole.COOPERATING, m.get("cooperating_units", [])),
        ):
            for pos, name in enumerate(names):
                ref = index[name]
                MeasureUnit.objects.create(
                    measure=measure,
                    role=role,
                    position=pos,
                    printed_name=name,
                    unit_id=ref.pk if ref.kind == "unit" else None,
                    group_id=ref.pk if ref.kind == "group" else None,
                )
        created += 1
    if created:
        record(by, "measures.loaded", campaign, after={"created": created, "file": path.name})
    return created


# --- tasks ------------------------------------------------------------------------------------


def _expand(unit_id: int | None, group_id: int | None, members: dict[int, list[int]]) -> list[int]:
    return [unit_id] if unit_id else members.get(group_id or 0, [])


@dataclass(frozen=True)
class Responsibility:
    source_key: str
    title: str
    criterion_id: int | None
    measure_id: int | None
    units: dict[int, str]  # unit id → role; lead wins over cooperating


def responsibilities(campaign: Campaign) -> list[Responsibility]:
    """Every criterion's and measure's units, groups expanded to their members, no duplicates."""
    members: dict[int, list[int]] = {}
    for group_id, unit_id in UnitGroup.members.through.objects.values_list(
        "unitgroup_id", "unit_id"
    ):
        members.setdefault(group_id, []).append(unit_id)
    out: list[Responsibility] = []
    by_criterion: dict[int, dict[int, str]] = {}
    for cu in CriterionUnit.objects.filter(criterion__framework=campaign.framework_id).order_by(
        "criterion_id", "role", "position"
    ):
        roles = by_criterion.setdefault(cu.criterion_id, {})
        role = WorkRole.LEAD if cu.role == UnitRole.LEAD else WorkRole.COOPERATING
        for unit_id in _expand(cu.unit_id, cu.group_id, members):
            if roles.get(unit_id) != WorkRole.LEAD:
                roles[unit_id] = role
    for c in Criterion.objects.filter(framework=campaign.framework_id).order_by("position"):
        text = c.text if len(c.text) <= 120 else c.text[:119] + "…"
        out.append(
            Responsibility(
                f"criterion:{c.pk}", f"{c.key} {text}", c.pk, None, by_criterion.get(c.pk, {})
            )
        )
    by_measure: dict[int, dict[int, str]] = {}
    for mu in MeasureUnit.objects.filter(measure__campaign=campaign).order_by(
        "measure_id", "role", "position"
    ):
        roles = by_measure.setdefault(mu.measure_id, {})
        for unit_id in _expand(mu.unit_id, mu.group_id, members):
            if roles.get(unit_id) != WorkRole.LEAD:
                roles[unit_id] = mu.role
    for m in Measure.objects.filter(campaign=campaign).order_by("number"):
        out.append(
            Responsibility(
                f"measure:{m.pk}",
                _("措施%(n)s:%(t)s") % {"n": m.number, "t": m.title},
                None,
                m.pk,
                by_measure.get(m.pk, {}),
            )
        )
    return out


@transaction.atomic
def generate_tasks(campaign: Campaign, *, by: User | None, phase: Phase) -> int:
    """Tasks for every unit responsible for a criterion or measure; existing ones are kept."""
    _require_office(by, campaign)
    if phase.campaign_id != campaign.pk:
        raise ValidationFailed(_("工作阶段不属于本创建工作。"))
    existing: set[tuple[str, int]] = set()
    for source_key, unit_id, generated_for in (
        Task.objects.filter(campaign=campaign, split_from__isnull=True)
        .exclude(source_key="")
        .values_list("source_key", "unit_id", "generated_for_id")
    ):
        existing.add((source_key, unit_id))
        if generated_for:  # a task reassigned away is not generated again for its first unit
            existing.add((source_key, generated_for))
    new = []
    for resp in responsibilities(campaign):
        for unit_id, role in resp.units.items():
            if (resp.source_key, unit_id) in existing:
                continue
            new.append(
                Task(
                    campaign=campaign,
                    title=resp.title,
                    unit_id=unit_id,
                    role=role,
                    criterion_id=resp.criterion_id,
                    measure_id=resp.measure_id,
                    source_key=resp.source_key,
                    generated_for_id=unit_id,
                    phase=phase,
                    start=phase.start,
                    due=phase.end,
                )
            )
    Task.objects.bulk_create(new)
    if new:
        record(by, "tasks.generated", campaign, after={"created": len(new), "phase": phase.name})
    return len(new)


def _task_state(task: Task) -> dict[str, Any]:
    return snapshot(task)


def _check_dates(start: dt.date, due: dt.date, campaign: Campaign) -> list[str]:
    problems = []
    if due < start:
        problems.append(_("完成期限不能早于开始日期。"))
    if start < campaign.start or due > campaign.end:
        problems.append(
            _("日期必须在创建工作期间(%(s)s 至 %(e)s)内。")
            % {"s": campaign.start, "e": campaign.end}
        )
    return problems


@transaction.atomic
def add_task(
    campaign: Campaign,
    *,
    by: User,
    title: str,
    unit: Unit,
    due: dt.date,
    start: dt.date | None = None,
    role: str = WorkRole.LEAD,
    phase: Phase | None = None,
    criterion: Criterion | None = None,
    meeting: Meeting | None = None,
) -> Task:
    _require_office(by, campaign)
    start = start or max(campaign.start, min(clock.today(), due))
    problems = [] if title.strip() else [_("任务名称不能为空。")]
    problems += _check_dates(start, due, campaign)
    if role not in WorkRole.values:
        problems.append(_("职责无效。"))
    if problems:
        raise ValidationFailed(problems)
    task = Task.objects.create(
        campaign=campaign,
        title=title.strip(),
        unit=unit,
        role=role,
        phase=phase,
        criterion=criterion,
        meeting=meeting,
        start=start,
        due=due,
    )
    record(by, "task.created", task, after=_task_state(task))
    return task


def _editable(task: Task) -> None:
    if task.status in (TaskStatus.CANCELLED,):
        raise InvalidTransition(_("任务已取消,不能再修改。"))


@transaction.atomic
def reassign_task(task: Task, *, by: User, unit: Unit) -> Task:
    _require_office(by, task.campaign)
    _editable(task)
    if unit.pk == task.unit_id:
        raise ValidationFailed(_("新的责任单位与原单位相同。"))
    if (
        task.source_key
        and task.split_from_id is None
        and Task.objects.filter(
            campaign=task.campaign, source_key=task.source_key, unit=unit, split_from__isnull=True
        )
        .exclude(pk=task.pk)
        .exists()
    ):
        raise ValidationFailed(
            _("“%(unit)s”已有同一来源的任务,请在该任务中办理或先取消其中一项。")
            % {"unit": unit.name}
        )
    before = _task_state(task)
    task.unit = unit
    task.save(update_fields=["unit"])
    record(by, "task.reassigned", task, before=before, after=_task_state(task))
    return task


@transaction.atomic
def redate_task(task: Task, *, by: User, due: dt.date) -> Task:
    _require_office(by, task.campaign)
    _editable(task)
    problems = _check_dates(task.start, due, task.campaign)
    if problems:
        raise ValidationFailed(problems)
    before = _task_state(task)
    task.due = due
    task.save(update_fields=["due"])
    record(by, "task.redated", task, before=before, after=_task_state(task))
    return task


@transaction.atomic
def cancel_task(task: Task, *, by: User, reason: str) -> Task:
    _require_office(by, task.campaign)
    _editable(task)
    if not reason.strip():
        raise ValidationFailed(_("取消任务必须说明原因。"))
    before = _task_state(task)
    task.status, task.cancel_reason = TaskStatus.CANCELLED, reason.strip()
    task.save(update_fields=["status", "cancel_reason"])
    record(by, "task.cancelled", task, before=before, after=_task_state(task))
    return task


@transaction.atomic
def split_task(task: Task, *, by: User, parts: Sequence[tuple[str, Unit, dt.date]]) -> list[Task]:
    """Split a task into parts (title, unit, due); the original is cancelled as split."""
    _require_office(by, task.campaign)
    _editable(task)
    if len(parts) < 2:
        raise ValidationFailed(_("拆分至少需要两项子任务。"))
    problems = []
    for title, _unit, due in parts:
        if not title.strip():
            problems.append(_("子任务名称不能为空。"))
        problems += _check_dates(task.start, due, task.campaign)
    if problems:
        raise ValidationFailed(sorted(set(problems)))
    children = [
        Task.objects.create(
            campaign=task.campaign,
            title=title.strip(),
            unit=unit,
            role=task.role,
            criterion=task.criterion,
            measure=task.measure,
            meeting=task.meeting,
            source_key=task.source_key,
            phase=task.phase,
            start=task.start,
            due=due,
            split_from=task,
        )
        for title, unit, due in parts
    ]
    before = _task_state(task)
    task.status = TaskStatus.CANCELLED
    task.cancel_reason = _("已拆分为 %(n)s 项子任务。") % {"n": len(children)}
    task.save(update_fields=["status", "cancel_reason"])
    record(
        by,
        "task.split",
        task,
        before=before,
        after={**_task_state(task), "parts": [c.pk for c in children]},
    )
    return children


def _may_work(user: User, task: Task) -> bool:
    return manages_campaign(user, task.campaign) or is_unit_liaison(user, task.unit_id)


# --- progress reports -------------------------------------------------------------------------


def owes_reports(task: Task) -> bool:
    """Whether the task's unit reports progress on it (cooperating units may report through the
    lead unit, by the campaign's setting)."""
    return task.campaign.reports_from == "all" or task.role == WorkRole.LEAD


def report_periods(task: Task) -> list[supervision.Period]:
    """The periods a task owes reports for (none when its unit reports through the lead unit)."""
    c = task.campaign
    if not owes_reports(task):
        return []
    return supervision.periods(task.start, task.due, c.report_period, c.report_deadline_days)


def _period_for(task: Task, period_start: dt.date) -> supervision.Period:
    for period in report_periods(task):
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
) -> ProgressReport:
    """Write (and optionally submit) the unit's report for one period. Only the unit's liaisons."""
    if not is_unit_liaison(by, task.unit_id):
        raise NotAllowed(_("只有本单位的联络员可以填报进展。"))
    if task.status == TaskStatus.CANCELLED:
        raise InvalidTransition(_("任务已取消,不需要填报。"))
    if not owes_reports(task):
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
    elif report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
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
        report.status = ReportStatus.SUBMITTED
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
    return report


@transaction.atomic
def review_report(
    report: ProgressReport, *, by: User, accept: bool, comment: str = ""
) -> ProgressReport:
    _require_office(by, report.task.campaign)
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != ReportStatus.SUBMITTED:
        raise InvalidTransition(_("只能审核“已提交”的填报。"))
    if not accept and not comment.strip():
        raise ValidationFailed(_("退回填报必须写明审核意见。"))
    before = snapshot(locked)
    locked.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
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
    return locked


@transaction.atomic
def update_progress(task: Task, *, by: User, progress: int, done: bool = False) -> Task:
    if not _may_work(by, task):
        raise NotAllowed(_("只有责任单位的联络员和创质办可以更新进度。"))
    _editable(task)
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationFailed(_("进度必须是 0 到 100 之间的整数。"))
    before = _task_state(task)
    task.progress = 100 if done else progress
    task.status = (
        TaskStatus.DONE
        if task.progress == 100
        else (TaskStatus.IN_PROGRESS if task.progress else TaskStatus.NOT_STARTED)
    )
    task.save(update_fields=["progress", "status"])
    record(by, "task.progress", task, before=before, after=_task_state(task))
    return task


# --- supervision notices ----------------------------------------------------------------------


def task_colour(task: Task, today: dt.date) -> str | None:
    if task.status == TaskStatus.CANCELLED:
        return None
    return supervision.colour(
        start=task.start,
        due=task.due,
        progress=task.progress,
        done=task.status == TaskStatus.DONE,
        today=today,
        blue_days=task.campaign.blue_days,
    )


@transaction.atomic
def issue_notice(
    campaign: Campaign,
    *,
    by: User,
    unit: Unit,
    tasks: Sequence[Task],
    content: str,
    response_due: dt.date,
    today: dt.date | None = None,
) -> SupervisionNotice:
    _require_office(by, campaign)
    today = today or clock.today()
    problems = []
    if not tasks:
        problems.append(_("请至少选择一项督办任务。"))
    if any(t.unit_id != unit.pk or t.campaign_id != campaign.pk for t in tasks):
        problems.append(_("督办任务必须是该单位在本创建工作中的任务。"))
    if not content.strip():
        problems.append(_("请填写督办事项。"))
    if response_due < today:
        problems.append(_("反馈期限不能早于今天。"))
    colour = supervision.worst(task_colour(t, today) for t in tasks)
    if tasks and colour is None:
        problems.append(_("所选任务进展正常,无需督办。"))
    if problems:
        raise ValidationFailed(problems)
    Campaign.objects.select_for_update().get(pk=campaign.pk)  # serialise numbering
    year = today.year
    count = SupervisionNotice.objects.filter(
        campaign=campaign, number__startswith=f"督办〔{year}〕"
    ).count()
    notice = SupervisionNotice.objects.create(
        campaign=campaign,
        number=f"督办〔{year}〕{count + 1}号",
        unit=unit,
        colour=colour,
        content=content.strip(),
        response_due=response_due,
        issued_by=by,
        issued_at=clock.now(),
    )
    notice.tasks.set(tasks)
    record(by, "notice.issued", notice, after={**snapshot(notice), "tasks": [t.pk for t in tasks]})
    return notice


@transaction.atomic
def respond_notice(notice: SupervisionNotice, *, by: User, response: str) -> SupervisionNotice:
    if not is_unit_liaison(by, notice.unit_id):
        raise NotAllowed(_("只有被督办单位的联络员可以反馈。"))
    locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.status == NoticeStatus.CLOSED:
        raise InvalidTransition(_("督办单已销号。"))
    if not response.strip():
        raise ValidationFailed(_("请填写反馈情况。"))
    before = snapshot(locked)
    locked.response, locked.status, locked.responded_at = (
        response.strip(),
        NoticeStatus.RESPONDED,
        clock.now(),
    )
    locked.save()
    record(by, "notice.responded", locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def close_notice(notice: SupervisionNotice, *, by: User) -> SupervisionNotice:
    _require_office(by, notice.campaign)
    locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.status != NoticeStatus.RESPONDED:
        raise InvalidTransition(_("只有已反馈的督办单可以销号。"))
    before = snapshot(locked)
    locked.status, locked.closed_at = NoticeStatus.CLOSED, clock.now()
    locked.save()
    record(by, "notice.closed", locked, before=before, after=snapshot(locked))
    return locked


# --- meetings ---------------------------------------------------------------------------------


@transaction.atomic
def create_meeting(
    campaign: Campaign,
    *,
    by: User,
    kind: str,
    title: str,
    date: dt.date,
    attendees: Iterable[Unit] = (),
    minutes: str = "",
    attachments: Iterable[Any] = (),
) -> Meeting:
    _require_office(by, campaign)
    problems = []
    if kind not in MeetingKind.values:
        problems.append(_("会议类型无效。"))
    if not title.strip():
        problems.append(_("会议名称不能为空。"))
    if problems:
        raise ValidationFailed(problems)
    attachments = list(attachments)
    if any(a.campaign_id != campaign.pk for a in attachments):
        raise ValidationFailed(_("附件不属于本创建工作。"))
    meeting = Meeting.objects.create(
        campaign=campaign,
        kind=kind,
        title=title.strip(),
        date=date,
        minutes=minutes.strip(),
        created_by=by,
    )
    meeting.attendees.set(list(attendees))
    meeting.attachments.set(attachments)
    record(by, "meeting.created", meeting, after=snapshot(meeting))
    return meeting


@transaction.atomic
def decisions_to_tasks(
    meeting: Meeting, *, by: User, decisions: Sequence[tuple[str, Unit, dt.date]]
) -> list[Task]:
    """A meeting's decisions become tasks in one step (all or nothing)."""
    _require_office(by, meeting.campaign)
    if not decisions:
        raise ValidationFailed(_("请至少填写一项会议决定。"))
    problems = []
    for title, _unit, due in decisions:
        if not title.strip():
            problems.append(_("决定事项不能为空。"))
        start = max(meeting.date, meeting.campaign.start)
        problems += _check_dates(start, due, meeting.campaign)
    if problems:
        raise ValidationFailed(sorted(set(problems)))
    phase = meeting.campaign.phases.filter(start__lte=meeting.date, end__gte=meeting.date).first()
    return [
        add_task(
            meeting.campaign,
            by=by,
            title=title,
            unit=unit,
            due=due,
            start=max(meeting.date, meeting.campaign.start),
            phase=phase,
            meeting=meeting,
        )
        for title, unit, due in decisions
    ]


def mark_notifications_read(user: User) -> int:
    """The user's own unread notifications become read. Not audited: they are the user's inbox,
    not campaign data."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())
