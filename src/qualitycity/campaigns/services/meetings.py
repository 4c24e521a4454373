"""Writes to meetings (会议), reading their decision lines, and turning decisions into tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.audit.services import record, snapshot
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.models import Unit, User
from qualitycity.orgs.services import name_index

from .. import rules
from ..choices import MeetingKind
from ..models import (
    Campaign,
    Meeting,
    Task,
)
from .common import directory_problem, require_office
from .tasks import add_task, check_dates, title_problems


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
    require_office(by, campaign)
    problems = []
    if kind not in MeetingKind.values:
        problems.append(_("会议类型无效。"))
    if not title.strip():
        problems.append(_("会议名称不能为空。"))
    attendees = list(attendees)
    for unit in attendees:
        if problem := directory_problem(campaign, unit):
            problems.append(problem)
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
    meeting.attendees.set(attendees)
    meeting.attachments.set(attachments)
    record(by, "meeting.created", meeting, after=snapshot(meeting))
    return meeting


def parse_decisions(text: str, campaign: Campaign) -> list[tuple[str, Unit, dt.date]]:
    """Decision lines "决定事项 | 单位名称 | YYYY-MM-DD" → (title, unit, due) for
    `decisions_to_tasks`, or ValidationFailed with every problem, by line (4 queries). Names are
    read in the campaign's own directory."""
    lines, problems = rules.parse_decision_lines(text)
    if not lines and not problems:
        raise ValidationFailed(_("请至少填写一项会议决定。"))
    index = name_index(campaign.region_id)
    unit_problems: list[rules.LineProblem] = []
    rows: list[tuple[str, int, dt.date]] = []
    for line in lines:
        n, name = line.number, line.unit_name
        ref = index.get(name)
        if ref is None:
            unit_problems.append(
                rules.LineProblem(
                    n, _("第 %(n)s 行:“%(name)s”不是已知的单位。") % {"n": n, "name": name}
                )
            )
        elif ref.kind != "unit":
            unit_problems.append(
                rules.LineProblem(
                    n,
                    _("第 %(n)s 行:“%(name)s”是单位组,请填写具体的责任单位。")
                    % {"n": n, "name": name},
                )
            )
        elif line.due is not None:
            rows.append((line.title, ref.pk, line.due))
    if problems or unit_problems:
        # by line; on one line the unit's problem comes before the date's (a stable sort)
        ordered = sorted([*unit_problems, *problems], key=lambda p: p.number)
        raise ValidationFailed([p.message for p in ordered])
    units = Unit.objects.in_bulk([unit_id for _t, unit_id, _d in rows])
    return [(title, units[unit_id], due) for title, unit_id, due in rows]


@transaction.atomic
def decisions_to_tasks(
    meeting: Meeting, *, by: User, decisions: Sequence[tuple[str, Unit, dt.date]]
) -> list[Task]:
    """A meeting's decisions become tasks in one step (all or nothing)."""
    require_office(by, meeting.campaign)
    if not decisions:
        raise ValidationFailed(_("请至少填写一项会议决定。"))
    problems = []
    for title, _unit, due in decisions:
        problems += title_problems(title, _("决定事项"))
        start = max(meeting.date, meeting.campaign.start)
        problems += check_dates(start, due, meeting.campaign)
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
