"""Work queues (待办): the lists of what a user can act on now, and their counts on the home page.

One entry per queue. The app that owns the data provides the rows (a scoped queryset of exactly
the objects the user can act on, built from its access helpers and workflow table), whose home
page shows the queue (`concerns`), the table template and, optionally, a function that sets
per-row flags (overdue) with the app's own rules. The page is `/queues/<key>/`
(`web.views.queue_page`), the card on the home page links to it.

Counts are one query each (`rows(user).count()`, after the user's scope, which is cached per
request); an entry may give its own `count` when a cheaper one exists. A queue whose rows are not
a queryset (a list) is counted with `len`.

Adding a queue is one entry in QUEUES (its rows, its test, its template).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitycity.assessments import assessor_queues
from qualitycity.assessments import queues as assessment_queues
from qualitycity.campaigns import queues as campaign_queues
from qualitycity.orgs.access import roles_of
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import User


def _unmarked(rows: Iterable[Any], today: dt.date) -> list[Any]:
    return list(rows)


@dataclass(frozen=True)
class Queue:
    key: str  # the page's address, /queues/<key>/
    label: str | Promise  # 待审核
    description: str | Promise  # one line under the label
    rows: Callable[[User], QuerySet[Any] | Sequence[Any]]  # what the user can act on, in order
    concerns: Callable[[User], bool]  # whether the user's roles make it the user's queue
    template: str  # the table of rows (given `rows` and `today`)
    mark: Callable[[Iterable[Any], dt.date], list[Any]] = _unmarked  # per-row flags
    count_rows: Callable[[User], int] | None = None  # a cheaper count than counting rows
    page: str | None = None  # a queue with its own page (URL name) instead of /queues/<key>/

    def count(self, user: User) -> int:
        if self.count_rows is not None:
            return self.count_rows(user)
        rows = self.rows(user)
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    @property
    def url(self) -> str:
        return reverse(self.page) if self.page else reverse("queue", args=[self.key])


QUEUES: tuple[Queue, ...] = (
    Queue(
        key="review",
        label=_("待审核"),
        description=_("成员单位已提交、等待创质办采纳或退回的进展填报,先提交的在前。"),
        rows=campaign_queues.reports_to_review,
        concerns=campaign_queues.reviews_reports,
        template="campaigns/queues/review.html",
        mark=campaign_queues.mark_report_periods,
    ),
    Queue(
        key="answer",
        label=_("待反馈"),
        description=_("已签发、被督办单位尚未反馈的督办单,反馈期限早的在前。"),
        rows=campaign_queues.notices_to_answer,
        concerns=campaign_queues.answers_notices,
        template="campaigns/queues/answer.html",
        mark=campaign_queues.mark_overdue_notices,
    ),
    Queue(
        key="rectify",
        label=pgettext_lazy("queue", "待整改"),
        description=_("责任单位尚未整改完成的问题(待整改、整改中),整改期限早的在前。"),
        rows=assessment_queues.findings_to_fix,
        concerns=assessment_queues.fixes_findings,
        template="assessments/queues/rectify.html",
        mark=assessment_queues.mark_overdue_findings,
    ),
    Queue(
        key="verify",
        label=_("待复核"),
        description=_("责任单位已提交整改完成、等待创质办复核的问题,先提交的在前。"),
        rows=assessment_queues.findings_to_verify,
        concerns=assessment_queues.verifies_findings,
        template="assessments/queues/verify.html",
    ),
    Queue(
        key="close",
        label=_("待销号"),
        description=_("被督办单位已反馈、等待创质办销号的督办单,先反馈的在前。"),
        rows=campaign_queues.notices_to_close,
        concerns=campaign_queues.reviews_reports,
        template="campaigns/queues/close.html",
        mark=campaign_queues.mark_overdue_notices,
    ),
    Queue(
        key="score",
        label=_("待评分"),
        description=_("您被指派的进行中考核轮次里尚未评分的细则。"),
        rows=assessor_queues.to_score,
        concerns=lambda user: Role.ASSESSOR in roles_of(user),
        template="",
        count_rows=assessor_queues.to_score_count,
        page="assessments:queue_to_score",
    ),
    Queue(
        key="decide",
        label=_("待认定"),
        description=_("等待您认定的合理缺项申请(不含您自己提出的)。"),
        rows=assessor_queues.to_decide,
        concerns=lambda user: (
            bool(roles_of(user) & {Role.ASSESSOR, Role.OFFICE, Role.ADMIN}) or user.is_superuser
        ),
        template="",
        count_rows=assessor_queues.to_decide_count,
        page="assessments:queue_to_decide",
    ),
)

BY_KEY = {q.key: q for q in QUEUES}


@dataclass(frozen=True)
class Card:
    queue: Queue
    count: int


def cards_for(user: User) -> list[Card]:
    """The queues of the user's roles, each with its count (zero included), in QUEUES' order."""
    return [Card(q, q.count(user)) for q in QUEUES if q.concerns(user)]
