"""Writes to meetings (会议) and turning their decisions into tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.audit.services import record, snapshot
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.models import Unit, User

from ..choices import MeetingKind
from ..models import (
    Campaign,
    Meeting,
    Task,
)
from .common import require_office
from .tasks import add_task, check_dates


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
    require_office(by, meeting.campaign)
    if not decisions:
        raise ValidationFailed(_("请至少填写一项会议决定。"))
    problems = []
    for title, _unit, due in decisions:
        if not title.strip():
            problems.append(_("决定事项不能为空。"))
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
