"""Work queues of campaign work: what a user can act on now, oldest or most urgent first.

Each queue is the page's scoped queryset (`access.visible_*`) narrowed to the states from which
the workflow table (`transitions.py`) allows the queue's action, and to the objects on which the
user holds the permission the service checks for that action:

- 待审核 (reports to review): `review_report` — the campaign's office (`manages_campaign`),
  from the states `REPORT` accepts or returns in.
- 待反馈 (notices to answer): `respond_notice` — the liaisons of the notice's unit
  (`is_unit_liaison`); the campaign's office sees the same list for its campaigns. Only notices
  not yet answered: a unit may add to an answer (`respond` is allowed again from 已反馈), but then
  it waits for the office, on 待销号.
- 待销号 (notices to close): `close_notice` — the campaign's office, from the states `NOTICE`
  closes in.

Every function runs one query for its count (after the user's scope, cached per request).
`web/queues.py` lists the queues; the pages and home cards live there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from qualitycity.orgs.access import is_office, liaison_unit_ids
from qualitycity.orgs.models import User

from . import rules, supervision
from .access import managed_campaigns, visible_notices, visible_reports
from .choices import NoticeStatus
from .models import ProgressReport, SupervisionNotice
from .transitions import NOTICE, REPORT

# A notice waits for the unit's answer in the states the unit may answer from, until it has
# answered once (then it is the office's turn to close it).
UNANSWERED = NOTICE.sources("respond") - {NoticeStatus.RESPONDED}


def reports_to_review(user: User) -> QuerySet[ProgressReport]:
    """待审核: submitted reports of the campaigns the user manages as office, oldest first."""
    return (
        visible_reports(user)
        .filter(
            status__in=REPORT.sources("accept") & REPORT.sources("return"),
            task__campaign__in=managed_campaigns(user),
        )
        .select_related("task__campaign")
        .order_by("submitted_at", "pk")
    )


def notices_to_answer(user: User) -> QuerySet[SupervisionNotice]:
    """待反馈: notices not yet answered, for the liaisons of the notice's unit and the campaign's
    office; earliest response date first."""
    return (
        visible_notices(user)
        .filter(status__in=UNANSWERED)
        .filter(Q(unit_id__in=liaison_unit_ids(user)) | Q(campaign__in=managed_campaigns(user)))
        .order_by("response_due", "pk")
    )


def notices_to_close(user: User) -> QuerySet[SupervisionNotice]:
    """待销号: answered notices of the campaigns the user manages, waiting for it to close them;
    longest waiting first."""
    return (
        visible_notices(user)
        .filter(status__in=NOTICE.sources("close"), campaign__in=managed_campaigns(user))
        .order_by("responded_at", "pk")
    )


def mark_report_periods(reports: Iterable[ProgressReport], today: dt.date) -> list[ProgressReport]:
    """Each report with its `period` (for the label, 2018年第3季度)."""
    out = list(reports)
    for report in out:
        report.period = supervision.Period(report.period_start, report.period_end, report.deadline)
    return out


def mark_overdue_notices(
    notices: Iterable[SupervisionNotice], today: dt.date
) -> list[SupervisionNotice]:
    """Each notice with `overdue` set by the notice rule (campaigns.rules)."""
    out = list(notices)
    for notice in out:
        notice.overdue = rules.notice_overdue(notice.status, notice.response_due, today)
    return out


# --- whose home page shows which queue ---------------------------------------------------------


def reviews_reports(user: User) -> bool:
    """An office (or administrator): it reviews reports and closes notices."""
    return is_office(user)


def answers_notices(user: User) -> bool:
    """A unit's liaison answers notices; an office follows them."""
    return bool(liaison_unit_ids(user)) or is_office(user)
