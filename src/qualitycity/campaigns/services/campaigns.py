"""Writes to campaigns and phases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.audit.services import record, snapshot
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Framework
from qualitycity.orgs.access import manages_region
from qualitycity.orgs.models import Region, User

from ..models import Campaign, Phase
from .responsibility import resolve_responsibilities


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    start: dt.date
    end: dt.date
    description: str = ""


# Section 四 of the seed, names and months as printed (四 starts in the month 三 ends: kept).
YONGZHOU_PHASES = (
    PhaseSpec(
        "规划筹建阶段",
        dt.date(2017, 9, 1),
        dt.date(2017, 12, 31),
        "做好创全国质量强市示范城市各项筹备工作,制定工作规划,抓好任务分解。",
    ),
    PhaseSpec(
        "全面推进阶段",
        dt.date(2018, 1, 1),
        dt.date(2019, 2, 28),
        "各部门结合自身职能积极完成创建工作任务,定期召开创建工作碰头会,加强督查。",
    ),
    PhaseSpec(
        "巩固提升阶段",
        dt.date(2019, 3, 1),
        dt.date(2019, 7, 31),
        "按照验收标准进行自查,查漏补缺,迎接省质监局专家组考核。",
    ),
    PhaseSpec(
        "总结验收阶段",
        dt.date(2019, 7, 1),
        dt.date(2019, 10, 31),
        "组织评估考核,督促问题整改,迎接国家质检总局考核验收。",
    ),
)


MAX_DEADLINE_DAYS = 60
MAX_BLUE_DAYS = 60
MAX_GRACE_DAYS = 90


def settings_problems(
    reports_from: str,
    report_period: str,
    report_deadline_days: int,
    blue_days: int,
    grace_days: int = 7,
) -> list[str]:
    """Why these reporting settings are refused ([]: they are accepted)."""
    problems = []
    if reports_from not in ("all", "lead"):
        problems.append(_("进展填报单位设置无效。"))
    if report_period not in ("month", "quarter"):
        problems.append(_("填报周期设置无效。"))
    if not 0 <= report_deadline_days <= MAX_DEADLINE_DAYS:
        problems.append(_("填报截止天数应在 0 至 %(n)s 天之间。") % {"n": MAX_DEADLINE_DAYS})
    if not 0 <= blue_days <= MAX_BLUE_DAYS:
        problems.append(_("蓝色督办提前天数应在 0 至 %(n)s 天之间。") % {"n": MAX_BLUE_DAYS})
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        problems.append(_("新任务宽限天数应在 0 至 %(n)s 天之间。") % {"n": MAX_GRACE_DAYS})
    return problems


@transaction.atomic
def create_campaign(
    *,
    by: User | None,
    name: str,
    region: Region,
    framework: Framework,
    start: dt.date,
    end: dt.date,
    phases: Sequence[PhaseSpec] = (),
    reports_from: str = "all",
    report_period: str = "month",
    report_deadline_days: int = 5,
    blue_days: int = 3,
    grace_days: int = 7,
) -> Campaign:
    if by is not None and not manages_region(by, region.pk):
        raise NotAllowed(_("只有本行政区的创质办可以创建创建工作。"))
    problems = []
    if not name.strip():
        problems.append(_("名称不能为空。"))
    if end < start:
        problems.append(_("结束日期不能早于开始日期。"))
    problems.extend(
        settings_problems(reports_from, report_period, report_deadline_days, blue_days, grace_days)
    )
    for phase in phases:
        if phase.end < phase.start:
            problems.append(_("阶段“%(name)s”的结束日期早于开始日期。") % {"name": phase.name})
        if phase.start < start or phase.end > end:
            problems.append(_("阶段“%(name)s”超出了创建工作的起止日期。") % {"name": phase.name})
    if problems:
        raise ValidationFailed(problems)
    campaign = Campaign.objects.create(
        name=name.strip(),
        region=region,
        framework=framework,
        start=start,
        end=end,
        reports_from=reports_from,
        report_period=report_period,
        report_deadline_days=report_deadline_days,
        blue_days=blue_days,
        grace_days=grace_days,
    )
    for position, phase in enumerate(phases, start=1):
        Phase.objects.create(
            campaign=campaign,
            position=position,
            name=phase.name,
            start=phase.start,
            end=phase.end,
            description=phase.description,
        )
    after = snapshot(campaign)
    after["phases"] = [
        {"name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()} for p in phases
    ]
    record(by, "campaign.created", campaign, after=after)
    # The responsibility table: the framework's printed names read in the region's directory.
    resolve_responsibilities(campaign, by=by)
    return campaign
