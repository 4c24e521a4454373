"""Background jobs (django-tasks, database backend), run by `qualitycity worker`.

- `deliver`: one e-mail or group-robot message; a failure is retried later (services.notifications).
- `send_reminders`: the day's deadline reminders; each run books the next one for the next day at
  QC_REMINDER_HOUR, and `qualitycity worker` books one when none is waiting, so reminders need no
  cron. Sending twice on one day sends nothing the second time (reminders.Reminder keys).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from . import reminders
from .services import notifications


@task()
def deliver(delivery_id: int) -> str:
    return notifications.attempt_delivery(delivery_id)


@task()
def send_reminders() -> int:
    """Send today's reminders; safe to run several times a day. Books tomorrow's run."""
    sent, _skipped = reminders.send()
    schedule_reminders()  # this run is RUNNING, not READY: it books its successor
    return len(sent)


def next_reminder_time(now: dt.datetime, hour: int) -> dt.datetime:
    """The next QC_REMINDER_HOUR o'clock, local time, strictly after now."""
    local = timezone.localtime(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if at <= local:
        at += dt.timedelta(days=1)
    return at


def reminder_task_path() -> str:
    """The reminder run's `task_path` in the worker's table (read by the system page)."""
    return f"{send_reminders.func.__module__}.{send_reminders.func.__qualname__}"


_task_path = reminder_task_path


def schedule_reminders() -> bool:
    """Book the next reminder run unless one is already waiting. Returns whether it booked one.
    The wall clock decides when, not the app's pinned demo date (clock.today): a run booked in
    2018 would be due at once, again and again."""
    from django_tasks_db.models import DBTaskResult

    if not send_reminders.get_backend().supports_defer:
        return False  # an immediate backend (tests, a one-off run): nothing to book
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=_task_path())
    if waiting.exists():
        return False
    when = next_reminder_time(timezone.now(), settings.QC_REMINDER_HOUR)
    send_reminders.using(run_after=when).enqueue()
    return True
