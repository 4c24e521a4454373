"""Writes to evidence (佐证材料): receiving a file and making the titled evidence of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.audit.services import record, snapshot
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit, User

from . import files
from .access import may_upload_for
from .models import Evidence


def upload_problems(
    campaign, *, title: str, description: str, criteria: Sequence[Criterion]
) -> list[str]:
    """What is wrong with an upload's own fields, in the user's language; empty when nothing."""
    problems = []
    if not title.strip():
        problems.append(_("标题不能为空。"))
    elif len(title.strip()) > 300:
        problems.append(_("标题不能超过 300 个字。"))
    if len(description) > 5000:
        problems.append(_("说明不能超过 5000 个字。"))
    if any(c.framework_id != campaign.framework_id for c in criteria):
        problems.append(_("关联的评分细则不属于本创建工作。"))
    return problems


@transaction.atomic
def upload_evidence(
    campaign,
    upload: File,
    *,
    by: User,
    title: str,
    unit: Unit,
    effective_date: dt.date,
    description: str = "",
    criteria: Iterable[Criterion] = (),
    problems: Sequence[str] = (),
    audit_extra: Mapping[str, Any] | None = None,
) -> Evidence:
    """Store the file (once per content) and make evidence of it for `unit` in `campaign`.

    `problems` are refusals the caller found in what it will link to the evidence (rounds, say);
    they are reported together with the evidence's own, and nothing is stored when there is any.
    `audit_extra` adds what the caller links (e.g. the rounds) to the upload's audit event.
    """
    if not may_upload_for(by, campaign, unit):
        raise NotAllowed(_("您只能为本单位上传佐证材料。"))
    criteria = list(criteria)
    found = upload_problems(campaign, title=title, description=description, criteria=criteria)
    found += list(problems)
    if found:
        raise ValidationFailed(found)
    stored, name = files.receive(upload)
    evidence = Evidence.objects.create(
        campaign=campaign,
        file=stored,
        original_name=name,
        title=title.strip(),
        unit=unit,
        effective_date=effective_date,
        description=description.strip(),
        uploaded_by=by,
    )
    evidence.criteria.set(criteria)
    after = snapshot(evidence)
    after["sha256"] = stored.sha256
    after.update(audit_extra or {})
    record(by, "evidence.uploaded", evidence, after=after)
    return evidence


def sweep_orphan_files(*, now: dt.datetime | None = None, hours: int | None = None) -> dict:
    """Remove blobs and temporary files that failed uploads left (files.sweep_orphans), older
    than `hours` (QC_ORPHAN_HOURS, default 24). Run daily by the worker and by
    `qualitycity sweep_evidence`."""
    from django.conf import settings
    from django.utils import timezone

    hours = settings.QC_ORPHAN_HOURS if hours is None else hours
    return files.sweep_orphans(now=now or timezone.now(), grace=dt.timedelta(hours=hours))
