"""The office's administration of its own campaigns: setting one up in a single step (phases,
the built-in measures, tasks), changing its settings and dates, its phases and its measures.
Every function is atomic and audited; nothing is written when it refuses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualitycity.audit.services import record, snapshot
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Criterion, Framework
from qualitycity.orgs.access import manages_region
from qualitycity.orgs.models import Region, User
from qualitycity.orgs.services import name_index

from ..choices import WorkRole
from ..models import Campaign, Measure, MeasureUnit, Phase, Task
from ..phases import PhaseDates, overlapping, phase_problems
from ..plan_text import MeasureSpec
from .campaigns import PhaseSpec, create_campaign, settings_problems
from .common import require_office
from .measures import load_measures
from .tasks import generate_tasks


@transaction.atomic
def set_up_campaign(
    *,
    by: User | None,
    region: Region,
    framework: Framework,
    name: str,
    start: dt.date,
    end: dt.date,
    phases: Sequence[PhaseSpec],
    report_period: str = "month",
    report_deadline_days: int = 5,
    blue_days: int = 3,
    reports_from: str = "all",
    grace_days: int = 7,
    builtin_measures: bool = False,
    tasks_for_phase: int | None = None,
) -> Campaign:
    """A new campaign of the office's own region with its phases (at least one, in order, inside
    the campaign's dates, not overlapping), optionally the plan's 25 measures and the tasks of one
    phase (its index in `phases`); then its responsibility table. All or nothing."""
    if by is not None and not manages_region(by, region.pk):
        raise NotAllowed(_("只有本行政区的创质办可以创建创建工作。"))
    problems = [
        p.message
        for p in phase_problems(
            start, end, [PhaseDates(i, p.name, p.start, p.end) for i, p in enumerate(phases)]
        )
    ]
    if tasks_for_phase is not None and not 0 <= tasks_for_phase < len(phases):
        problems.append(_("要生成工作任务的阶段不存在。"))
    if end < start:
        problems.append(_("结束日期不能早于开始日期。"))
    if problems:
        raise ValidationFailed(problems)
    campaign = create_campaign(
        by=by,
        name=name,
        region=region,
        framework=framework,
        start=start,
        end=end,
        phases=[PhaseSpec(p.name.strip(), p.start, p.end, p.description.strip()) for p in phases],
        reports_from=reports_from,
        report_period=report_period,
        report_deadline_days=report_deadline_days,
        blue_days=blue_days,
        grace_days=grace_days,
    )
    if builtin_measures:
        load_measures(campaign, by=by)
    if tasks_for_phase is not None:
        phase = campaign.phases.order_by("position")[tasks_for_phase]
        generate_tasks(campaign, by=by, phase=phase)
    return campaign


@transaction.atomic
def update_campaign(
    campaign: Campaign,
    *,
    by: User | None,
    name: str,
    start: dt.date,
    end: dt.date,
    report_period: str,
    report_deadline_days: int,
    blue_days: int,
    reports_from: str,
    grace_days: int | None = None,
) -> Campaign:
    """Change a campaign's name, dates and reporting settings. Its phases and tasks must stay
    inside the new dates."""
    require_office(by, campaign)
    problems = []
    if not name.strip():
        problems.append(_("名称不能为空。"))
    if end < start:
        problems.append(_("结束日期不能早于开始日期。"))
    if grace_days is None:
        grace_days = campaign.grace_days
    problems.extend(
        settings_problems(reports_from, report_period, report_deadline_days, blue_days, grace_days)
    )
    outside = campaign.phases.filter(Q(start__lt=start) | Q(end__gt=end))
    for phase in outside:
        problems.append(
            _("阶段“%(name)s”(%(start)s—%(end)s)超出了新的起止日期,请先修改该阶段。")
            % {"name": phase.name, "start": phase.start, "end": phase.end}
        )
    late = Task.objects.filter(campaign=campaign).filter(Q(start__lt=start) | Q(due__gt=end))
    count = late.count()
    if count:
        problems.append(
            ngettext(
                "有 %(n)s 项工作任务超出了新的起止日期,请先调整这些任务。",
                "有 %(n)s 项工作任务超出了新的起止日期,请先调整这些任务。",
                count,
            )
            % {"n": count}
        )
    if problems:
        raise ValidationFailed(problems)
    before = snapshot(campaign)
    campaign.name = name.strip()
    campaign.start, campaign.end = start, end
    campaign.report_period = report_period
    campaign.report_deadline_days = report_deadline_days
    campaign.blue_days = blue_days
    campaign.grace_days = grace_days
    campaign.reports_from = reports_from
    campaign.save()
    after = snapshot(campaign)
    if after != before:
        record(by, "campaign.changed", campaign, before=before, after=after)
    return campaign


# --- phases ----------------------------------------------------------------------------------


def _renumber(campaign: Campaign) -> None:
    """Positions 1… in the order of the phases' dates (two steps: positions are unique)."""
    phases = list(campaign.phases.order_by("start", "position", "pk"))
    offset = max((p.position for p in phases), default=0) + len(phases) + 1
    for p in phases:
        Phase.objects.filter(pk=p.pk).update(position=p.position + offset)
    for position, p in enumerate(phases, start=1):
        Phase.objects.filter(pk=p.pk).update(position=position)


@transaction.atomic
def save_phase(
    campaign: Campaign,
    *,
    by: User | None,
    phase: Phase | None = None,
    name: str,
    start: dt.date,
    end: dt.date,
    description: str = "",
) -> Phase:
    """Add a phase (phase=None) or change one: inside the campaign's dates, no new overlap;
    phases are renumbered in the order of their dates."""
    require_office(by, campaign)
    if phase is not None and phase.campaign_id != campaign.pk:
        raise NotAllowed(_("工作阶段不属于本创建工作。"))
    stored = list(campaign.phases.order_by("start", "position"))
    known = overlapping([PhaseDates(p.pk, p.name, p.start, p.end) for p in stored])
    new = PhaseDates(phase.pk if phase else "new", name.strip(), start, end)
    rows = [
        PhaseDates(p.pk, p.name, p.start, p.end) for p in stored if not phase or p.pk != phase.pk
    ]
    rows = sorted([*rows, new], key=lambda p: p.start)
    problems = [p.message for p in phase_problems(campaign.start, campaign.end, rows, known=known)]
    if problems:
        raise ValidationFailed(problems)
    before = snapshot(phase) if phase else None
    if phase is None:
        top = max((p.position for p in stored), default=0)
        phase = Phase(campaign=campaign, position=top + 1)
    phase.name, phase.start, phase.end = name.strip(), start, end
    phase.description = description.strip()
    phase.save()
    _renumber(campaign)
    phase.refresh_from_db()
    after = snapshot(phase)
    if before is None:
        record(by, "phase.created", phase, after=after)
    elif before != after:
        record(by, "phase.changed", phase, before=before, after=after)
    return phase


@transaction.atomic
def remove_phase(phase: Phase, *, by: User | None) -> None:
    """Remove a phase no task uses; the campaign keeps at least one."""
    campaign = phase.campaign
    require_office(by, campaign)
    used = Task.objects.filter(phase=phase).count()
    if used:
        raise ValidationFailed(
            ngettext(
                "阶段“%(name)s”已有 %(n)s 项工作任务,不能删除。请先把这些任务移到其他阶段或取消。",
                "阶段“%(name)s”已有 %(n)s 项工作任务,不能删除。请先把这些任务移到其他阶段或取消。",
                used,
            )
            % {"name": phase.name, "n": used}
        )
    if campaign.phases.count() <= 1:
        raise ValidationFailed(_("至少需要一个工作阶段。"))
    record(by, "phase.removed", phase, before=snapshot(phase))
    phase.delete()
    _renumber(campaign)


# --- measures --------------------------------------------------------------------------------

_SPLIT = re.compile(r"[、,,;;\n\r]+")


def split_names(text: str) -> list[str]:
    """Unit names as typed: separated by 、, commas, semicolons or line breaks; no repeats."""
    out: list[str] = []
    for part in _SPLIT.split(text or ""):
        name = part.strip()
        if name and name not in out:
            out.append(name)
    return out


@transaction.atomic
def save_measure(
    campaign: Campaign,
    *,
    by: User | None,
    measure: Measure | None = None,
    number: int,
    section: str,
    title: str,
    text: str,
    bracket: str,
    lead_units: Sequence[str],
    cooperating_units: Sequence[str] = (),
    criteria: Sequence[str] = (),
) -> Measure:
    """Add a measure (measure=None) or change one: its text, its units as printed (each a name of
    the campaign's directory) and the rows it serves (criterion keys such as 1.1.1)."""
    require_office(by, campaign)
    if measure is not None and measure.campaign_id != campaign.pk:
        raise NotAllowed(_("该措施不属于本创建工作。"))
    problems = []
    if not title.strip():
        problems.append(_("措施名称不能为空。"))
    if not text.strip():
        problems.append(_("措施内容不能为空。"))
    if number < 1:
        problems.append(_("序号应为正整数。"))
    taken = Measure.objects.filter(campaign=campaign, number=number)
    if measure is not None:
        taken = taken.exclude(pk=measure.pk)
    if taken.exists():
        problems.append(_("序号 %(n)s 已被另一项措施使用。") % {"n": number})
    if not lead_units:
        problems.append(_("至少需要一个牵头单位。"))
    index = name_index(campaign.region_id)
    for name in [*lead_units, *cooperating_units]:
        if name not in index:
            problems.append(_("“%(name)s”不是本行政区名录中的单位或单位组。") % {"name": name})
    found = {
        c.key: c
        for c in Criterion.objects.filter(framework=campaign.framework_id, key__in=criteria)
    }
    for key in criteria:
        if key not in found:
            problems.append(_("评分细则 %(key)s 不存在。") % {"key": key})
    if problems:
        raise ValidationFailed(problems)
    before = _measure_state(measure) if measure else None
    if measure is None:
        measure = Measure(campaign=campaign)
    measure.number, measure.section = number, section.strip()
    measure.title, measure.text, measure.bracket = title.strip(), text.strip(), bracket.strip()
    measure.save()
    measure.criteria.set([found[k] for k in criteria])
    measure.units.all().delete()
    for role, names in ((WorkRole.LEAD, lead_units), (WorkRole.COOPERATING, cooperating_units)):
        for position, name in enumerate(names):
            ref = index[name]
            MeasureUnit.objects.create(
                measure=measure,
                role=role,
                position=position,
                printed_name=name,
                unit_id=ref.pk if ref.kind == "unit" else None,
                group_id=ref.pk if ref.kind == "group" else None,
            )
    after = _measure_state(measure)
    if before is None:
        record(by, "measure.created", measure, after=after)
    elif before != after:
        record(by, "measure.changed", measure, before=before, after=after)
    return measure


@transaction.atomic
def import_measures(
    campaign: Campaign, *, by: User | None, measures: Sequence[MeasureSpec]
) -> list[Measure]:
    """Create a plan's measures (read by campaigns/plan_text.py) in one transaction, each through
    `save_measure`: any refusal (a number taken, a name the directory lacks) and nothing is
    written; the refusals of every measure are reported together, by number."""
    require_office(by, campaign)
    problems: list[str] = []
    created: list[Measure] = []
    for m in measures:
        try:
            with transaction.atomic():
                created.append(
                    save_measure(
                        campaign,
                        by=by,
                        number=m.number,
                        section=m.section,
                        title=m.title,
                        text=m.text,
                        bracket=m.bracket,
                        lead_units=m.lead_units,
                        cooperating_units=m.cooperating_units,
                    )
                )
        except ValidationFailed as exc:
            problems += [
                _("第 %(n)s 项措施:%(message)s") % {"n": m.number, "message": message}
                for message in exc.messages
            ]
    if not measures:
        problems.append(_("没有可导入的措施。"))
    if problems:
        raise ValidationFailed(problems)
    return created


def _measure_state(measure: Measure) -> dict:
    state = snapshot(measure)
    state["criteria"] = sorted(measure.criteria.values_list("key", flat=True))
    state["units"] = [[u.role, u.printed_name] for u in measure.units.order_by("role", "position")]
    return state


@transaction.atomic
def remove_measure(measure: Measure, *, by: User | None) -> None:
    """Remove a measure no task uses."""
    require_office(by, measure.campaign)
    used = Task.objects.filter(measure=measure).count()
    if used:
        raise ValidationFailed(
            ngettext(
                "措施“%(title)s”已有 %(n)s 项工作任务,不能删除。",
                "措施“%(title)s”已有 %(n)s 项工作任务,不能删除。",
                used,
            )
            % {"title": measure.title, "n": used}
        )
    record(by, "measure.removed", measure, before=_measure_state(measure))
    measure.delete()
