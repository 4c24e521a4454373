"""The 整改 section of a liaison's 我的任务: the open findings its units lead the rectification
of (the 待整改 queue, narrowed to the user's liaison units), registered with
campaigns.my_sections when Django starts (AssessmentsConfig.ready)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import pgettext_lazy

from qualitycity.campaigns.my_sections import MySection, register
from qualitycity.orgs.models import User

from .models import Finding
from .queues import findings_to_fix, mark_overdue_findings


def unit_findings_to_fix(user: User, unit_ids: set[int], today: dt.date) -> list[Finding]:
    """Open or in-progress findings of the user's own units (one query), overdue ones marked."""
    if not unit_ids:
        return []
    return mark_overdue_findings(findings_to_fix(user).filter(unit_id__in=unit_ids), today)


SECTION = MySection(
    key="rectify",
    title=pgettext_lazy("queue", "待整改"),
    template="assessments/_my_tasks_rectify.html",
    rows=unit_findings_to_fix,
)


def register_section() -> None:
    register(SECTION)
