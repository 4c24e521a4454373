"""Reminders: reports due, tasks turning blue or red, notice deadlines.

`plan` works out what is due today; `send` records each reminder once per thing, person and day
(the Reminder key), as an in-app notification and, where the user has an address, an email.
Running it twice on one day sends nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, User

from . import events
from .choices import DeliveryChannel, NoticeStatus, ReportStatus, TaskStatus
from .models import (
    Delivery,
    Notification,
    ProgressReport,
    Reminder,
    SupervisionNotice,
    Task,
)
from .services.notifications import attempt_delivery, channels_for
from .supervision import BLUE, RED, report_periods, task_colour

DEADLINE = "deadline"  # the event of every reminder (campaigns.events)
REPORT_WINDOW_DAYS = 3  # remind from this many days before a report deadline


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    user: User
    text: str
    url: str


def _liaisons(unit_ids: set[int]) -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    for m in Membership.objects.filter(role=Role.LIAISON, unit_id__in=unit_ids).select_related(
        "user"
    ):
        if m.user.is_active:
            out.setdefault(m.unit_id, []).append(m.user)
    return out


def plan(today: dt.date) -> list[Planned]:
    tasks = list(
        Task.objects.exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .filter(campaign__start__lte=today, campaign__end__gte=today - dt.timedelta(days=30))
        .select_related("campaign", "unit")
    )
    notices = list(
        SupervisionNotice.objects.filter(
            status=NoticeStatus.ISSUED, response_due__lte=today + dt.timedelta(days=1)
        ).select_related("unit")
    )
    liaisons = _liaisons({t.unit_id for t in tasks} | {n.unit_id for n in notices})
    reports = {
        (r.task_id, r.period_start): r.status
        for r in ProgressReport.objects.filter(task__in=tasks).only(
            "task_id", "period_start", "status"
        )
    }
    out: list[Planned] = []
    my_tasks = reverse("campaigns:my_tasks")
    for task in tasks:
        people = liaisons.get(task.unit_id, [])
        for period in report_periods(task):
            if not (
                period.end < today + dt.timedelta(days=1)
                and today >= period.deadline - dt.timedelta(days=REPORT_WINDOW_DAYS)
            ):
                continue
            if period.deadline < today - dt.timedelta(days=7):
                continue  # long past: the supervision board shows it, no daily nagging
            status = reports.get((task.pk, period.start))
            if status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                continue
            text = _("请于 %(d)s 前填报“%(t)s”%(p)s的进展。") % {
                "d": period.deadline,
                "t": task.title[:40],
                "p": period.label,
            }
            for user in people:
                out.append(
                    Planned(
                        f"{today}:report:{task.pk}:{period.start}:{user.pk}",
                        "report_due",
                        user,
                        text,
                        my_tasks,
                    )
                )
        colour = task_colour(task, today)
        if colour in (BLUE, RED):
            text = (
                _("任务“%(t)s”已逾期(期限 %(d)s),请抓紧办理。")
                if colour == RED
                else _("任务“%(t)s”将于 %(d)s 到期。")
            ) % {"t": task.title[:40], "d": task.due}
            for user in people:
                out.append(
                    Planned(
                        f"{today}:task-{colour}:{task.pk}:{user.pk}",
                        f"task_{colour}",
                        user,
                        text,
                        my_tasks,
                    )
                )
    for notice in notices:
        text = _("督办单 %(n)s 请于 %(d)s 前反馈。") % {
            "n": notice.number,
            "d": notice.response_due,
        }
        for user in liaisons.get(notice.unit_id, []):
            out.append(
                Planned(
                    f"{today}:notice:{notice.pk}:{user.pk}",
                    "notice_due",
                    user,
                    text,
                    reverse("campaigns:notice_detail", args=[notice.pk]),
                )
            )
    return out


def send(
    today: dt.date | None = None, *, dry_run: bool = False
) -> tuple[list[Planned], list[Planned]]:
    """Send today's reminders once. Returns (sent, already sent earlier today)."""
    today = today or clock.today()
    planned = plan(today)
    done_keys = set(
        Reminder.objects.filter(key__in=[p.key for p in planned]).values_list("key", flat=True)
    )
    fresh = [p for p in planned if p.key not in done_keys]
    skipped = [p for p in planned if p.key in done_keys]
    if dry_run:
        return fresh, skipped
    chosen_by_user = channels_for({p.user.pk for p in fresh}, DEADLINE)
    sent, to_deliver = [], []
    for item in fresh:
        chosen = chosen_by_user[item.user.pk]
        mail = bool(item.user.email) and chosen[events.EMAIL]
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    key=item.key,
                    day=today,
                    kind=item.kind,
                    user=item.user,
                    text=item.text,
                    emailed=mail,
                )
                if chosen[events.IN_APP]:
                    Notification.objects.create(
                        user=item.user, event=DEADLINE, text=item.text, url=item.url
                    )
                if mail:
                    to_deliver.append(
                        Delivery.objects.create(
                            channel=DeliveryChannel.EMAIL,
                            event=DEADLINE,
                            user=item.user,
                            address=item.user.email,
                            subject=_("【质量强市创建】工作提醒"),
                            body=item.text,
                        ).pk
                    )
        except IntegrityError:  # sent by a parallel run a moment ago
            skipped.append(item)
            continue
        sent.append(item)
    # Reminders run in the worker (or the remind command): send the e-mails now; one that fails is
    # retried later by the worker like any other delivery.
    for pk in to_deliver:
        attempt_delivery(pk)
    return sent, skipped
