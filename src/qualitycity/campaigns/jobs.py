"""Background jobs as the system page (`web.system`) shows them: the outgoing messages
(`Delivery`: waiting, failed with their last error) and the worker's runs (the reminder run
booked next, the last one, and the runs that failed). Read only; a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import events
from .choices import DeliveryStatus
from .models import Delivery
from .tasks import reminder_task_path

RECENT_FAILURES = 10


@dataclass(frozen=True)
class DeliveryCounts:
    pending: int
    failed: int
    sent: int


def delivery_counts() -> DeliveryCounts:
    """Deliveries by status (one query)."""
    by_status = dict(
        Delivery.objects.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return DeliveryCounts(
        pending=by_status.get(DeliveryStatus.PENDING, 0),
        failed=by_status.get(DeliveryStatus.FAILED, 0),
        sent=by_status.get(DeliveryStatus.SENT, 0),
    )


def deliveries(status: str) -> QuerySet[Delivery]:
    """Deliveries in one status: waiting ones oldest first (the next to go), the others latest
    first."""
    qs = Delivery.objects.filter(status=status).select_related("user", "robot", "robot__campaign")
    if status == DeliveryStatus.PENDING:
        return qs.order_by("created_at", "pk")
    return qs.order_by("-created_at", "-pk")


def event_label(key: str) -> str:
    """The event's name (a robot's test message has none)."""
    event = events.EVENTS.get(key)
    return str(event.label) if event is not None else key


@dataclass(frozen=True)
class Run:
    """One run of a background job."""

    result: DBTaskResult

    @property
    def failed(self) -> bool:
        return self.result.status == TaskResultStatus.FAILED

    @property
    def error(self) -> str:
        """The exception's last line of traceback ("ValueError: …"), or its class."""
        lines = [line for line in self.result.traceback.splitlines() if line.strip()]
        return lines[-1].strip() if lines else self.result.exception_class_path

    @property
    def job(self) -> str:
        return self.result.task_path.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Worker:
    next_reminders: Run | None  # the reminder run booked (READY), if any
    last_reminders: Run | None  # the latest finished reminder run
    failures: list[Run]  # the latest failed runs of any job
    failure_count: int

    @property
    def reminders_booked(self) -> bool:
        return self.next_reminders is not None


def worker() -> Worker:
    """The worker's state as its table shows it (four queries)."""
    reminders = DBTaskResult.objects.filter(task_path=reminder_task_path())
    booked = reminders.filter(status=TaskResultStatus.READY).order_by("run_after").first()
    last = (
        reminders.filter(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
        .order_by(F("finished_at").desc(nulls_last=True))
        .first()
    )
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    return Worker(
        next_reminders=Run(booked) if booked else None,
        last_reminders=Run(last) if last else None,
        failures=[
            Run(r)
            for r in failed.order_by(F("finished_at").desc(nulls_last=True))[:RECENT_FAILURES]
        ],
        failure_count=failed.count(),
    )
