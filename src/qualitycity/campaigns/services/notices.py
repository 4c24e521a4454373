"""Writes to supervision notices (督办单): issue, respond, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.audit.services import record, snapshot
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.orgs.models import Unit, User

from .. import supervision
from ..access import is_unit_liaison
from ..models import (
    Campaign,
    SupervisionNotice,
    Task,
)
from ..transitions import NOTICE
from .common import require_office
from .notifications import notify


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
    require_office(by, campaign)
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
    colour = supervision.worst(supervision.task_colour(t, today) for t in tasks)
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
    _tell(
        notice,
        "notice.issued",
        by,
        _("督办单 %(n)s:%(c)s(请于 %(d)s 前反馈)")
        % {"n": notice.number, "c": notice.content[:200], "d": notice.response_due},
    )
    return notice


def _tell(notice: SupervisionNotice, key: str, by: User, text: str) -> None:
    notify(
        key,
        notice.campaign,
        actor=by,
        text=text,
        url=reverse("campaigns:notice_detail", args=[notice.pk]),
        units=[notice.unit_id],
        people=[notice.issued_by] if key == "notice.responded" else [],
    )


@transaction.atomic
def respond_notice(notice: SupervisionNotice, *, by: User, response: str) -> SupervisionNotice:
    if not is_unit_liaison(by, notice.unit_id):
        raise NotAllowed(_("只有被督办单位的联络员可以反馈。"))
    locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    target = NOTICE.target("respond", locked.status)
    if target is None:
        raise InvalidTransition(_("督办单已销号。"))
    if not response.strip():
        raise ValidationFailed(_("请填写反馈情况。"))
    before = snapshot(locked)
    locked.response, locked.status, locked.responded_at = (
        response.strip(),
        target,
        clock.now(),
    )
    locked.save()
    record(by, "notice.responded", locked, before=before, after=snapshot(locked))
    _tell(
        locked,
        "notice.responded",
        by,
        _("%(u)s已反馈督办单 %(n)s,请核实销号。") % {"u": locked.unit.name, "n": locked.number},
    )
    return locked


@transaction.atomic
def close_notice(notice: SupervisionNotice, *, by: User) -> SupervisionNotice:
    require_office(by, notice.campaign)
    locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    target = NOTICE.target("close", locked.status)
    if target is None:
        raise InvalidTransition(_("只有已反馈的督办单可以销号。"))
    before = snapshot(locked)
    locked.status, locked.closed_at = target, clock.now()
    locked.save()
    record(by, "notice.closed", locked, before=before, after=snapshot(locked))
    _tell(locked, "notice.closed", by, _("督办单 %(n)s 已销号。") % {"n": locked.number})
    return locked
