"""Writes to tasks (工作任务): generation from criteria and measures, and the office's changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.audit.services import record, snapshot
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit, UnitGroup, User

from .. import rules
from ..choices import TaskStatus, WorkRole
from ..models import (
    Campaign,
    Measure,
    MeasureUnit,
    Meeting,
    Phase,
    ResponsibleUnit,
    Task,
)
from .common import directory_problem, may_work, require_directory_unit, require_office
from .notifications import notify


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
    """Every criterion's and measure's units from the campaign's responsibility table, groups
    expanded to their members, no duplicates."""
    members: dict[int, list[int]] = {}
    for group_id, unit_id in UnitGroup.members.through.objects.filter(
        unitgroup__region_id=campaign.region_id
    ).values_list("unitgroup_id", "unit_id"):
        members.setdefault(group_id, []).append(unit_id)
    out: list[Responsibility] = []
    by_criterion: dict[int, dict[int, str]] = {}
    for criterion_id, role, unit_id, group_id in (
        ResponsibleUnit.objects.filter(campaign=campaign)
        .exclude(unit__isnull=True, group__isnull=True)
        .order_by("criterion_id", "role", "position")
        .values_list("criterion_id", "role", "unit_id", "group_id")
    ):
        roles = by_criterion.setdefault(criterion_id, {})
        for member_id in _expand(unit_id, group_id, members):
            if roles.get(member_id) != WorkRole.LEAD:
                roles[member_id] = role
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
    require_office(by, campaign)
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
        per_unit: dict[int, int] = {}
        for t in new:
            per_unit[t.unit_id] = per_unit.get(t.unit_id, 0) + 1
        for unit_id, count in sorted(per_unit.items()):
            notify(
                "task.assigned",
                campaign,
                actor=by,
                text=_("“%(p)s”阶段为本单位新生成 %(n)s 项任务。") % {"p": phase.name, "n": count},
                url=reverse("campaigns:my_tasks"),
                units=[unit_id],
            )
    return len(new)


def _tell(task: Task, key: str, by: User | None, text: str, units: Sequence[int] = ()) -> None:
    notify(
        key,
        task.campaign,
        actor=by,
        text=text,
        url=reverse("campaigns:task_detail", args=[task.pk]),
        units=units or [task.unit_id],
    )


def _task_state(task: Task) -> dict[str, Any]:
    return snapshot(task)


def check_dates(start: dt.date, due: dt.date, campaign: Campaign) -> list[str]:
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
    require_office(by, campaign)
    start = start or max(campaign.start, min(clock.today(), due))
    problems = title_problems(title)
    problems += check_dates(start, due, campaign)
    if role not in WorkRole.values:
        problems.append(_("职责无效。"))
    if problem := directory_problem(campaign, unit):
        problems.append(problem)
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
    _tell(
        task,
        "task.assigned",
        by,
        _("新任务:“%(t)s”,期限 %(d)s。") % {"t": task.title[:80], "d": task.due},
    )
    return task


TITLE_MAX = Task._meta.get_field("title").max_length


def title_problems(title: str, label: str | None = None) -> list[str]:
    """A task's title must be given and fit the column (PostgreSQL refuses longer text)."""
    label = label or _("任务名称")
    if not title.strip():
        return [_("%(label)s不能为空。") % {"label": label}]
    if len(title.strip()) > TITLE_MAX:
        return [
            _("%(label)s不能超过 %(max)s 个字符(现为 %(n)s 个)。")
            % {"label": label, "max": TITLE_MAX, "n": len(title.strip())}
        ]
    return []


def _editable(task: Task) -> None:
    if not rules.task_editable(task.status):
        raise InvalidTransition(_("任务已取消,不能再修改。"))


def _same_source_elsewhere(task: Task, unit: Unit) -> bool:
    """Would moving a generated task to `unit` give that unit a second task of the same criterion
    or measure (which `task_generated_once` forbids)? Split parts are not counted."""
    if not task.source_key or task.split_from_id is not None:
        return False
    return (
        Task.objects.filter(
            campaign_id=task.campaign_id,
            source_key=task.source_key,
            unit=unit,
            split_from__isnull=True,
        )
        .exclude(pk=task.pk)
        .exists()
    )


@transaction.atomic
def reassign_task(task: Task, *, by: User, unit: Unit) -> Task:
    require_office(by, task.campaign)
    require_directory_unit(task.campaign, unit)
    _editable(task)
    if unit.pk == task.unit_id:
        raise ValidationFailed(_("新的责任单位与原单位相同。"))
    if _same_source_elsewhere(task, unit):
        raise ValidationFailed(
            _("%(unit)s 已有同一来源的任务,不能再分配给该单位。") % {"unit": unit.name}
        )
    before = _task_state(task)
    old_unit = task.unit
    task.unit = unit
    task.save(update_fields=["unit"])
    record(by, "task.reassigned", task, before=before, after=_task_state(task))
    _tell(
        task,
        "task.reassigned",
        by,
        _("任务“%(t)s”已由%(a)s改派给%(b)s。")
        % {"t": task.title[:80], "a": old_unit.name, "b": unit.name},
        units=[old_unit.pk, unit.pk],
    )
    return task


@transaction.atomic
def redate_task(task: Task, *, by: User, due: dt.date) -> Task:
    require_office(by, task.campaign)
    _editable(task)
    problems = check_dates(task.start, due, task.campaign)
    if problems:
        raise ValidationFailed(problems)
    before = _task_state(task)
    task.due = due
    task.save(update_fields=["due"])
    record(by, "task.redated", task, before=before, after=_task_state(task))
    _tell(
        task,
        "task.redated",
        by,
        _("任务“%(t)s”的期限调整为 %(d)s(原为 %(o)s)。")
        % {"t": task.title[:80], "d": due, "o": before["due"]},
    )
    return task


@transaction.atomic
def cancel_task(task: Task, *, by: User, reason: str) -> Task:
    require_office(by, task.campaign)
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
    require_office(by, task.campaign)
    _editable(task)
    if len(parts) < 2:
        raise ValidationFailed(_("拆分至少需要两项子任务。"))
    problems = []
    for title, part_unit, due in parts:
        if problem := directory_problem(task.campaign, part_unit):
            problems.append(problem)
        problems += title_problems(title, _("子任务名称"))
        problems += check_dates(task.start, due, task.campaign)
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
    for child in children:
        _tell(
            child,
            "task.assigned",
            by,
            _("新任务(由“%(o)s”拆分):“%(t)s”,期限 %(d)s。")
            % {"o": task.title[:60], "t": child.title[:80], "d": child.due},
        )
    return children


@transaction.atomic
def update_progress(task: Task, *, by: User, progress: int, done: bool = False) -> Task:
    if not may_work(by, task):
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
