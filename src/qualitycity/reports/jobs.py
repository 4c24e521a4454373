"""The background jobs of the reports app (django-tasks, database backend), run by
`qualitycity worker`: one export, and the daily sweep of old export files, which books its own
next run (as the reminders do), so it needs no cron."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import TaskResultStatus, task

from qualitycity.dbstats import refresh_statistics
from qualitycity.evidence.services import sweep_orphan_files

from .services import run_export, sweep_exports

SWEEP_EVERY = dt.timedelta(days=1)


@task()
def run_export_job(job_id: int) -> str:
    return run_export(job_id)


@task()
def sweep_export_files() -> int:
    """Remove old export files and jobs (services.sweep_exports) and the evidence blobs that
    failed uploads left (evidence.services.sweep_orphan_files), refreshes SQLite's planner
    statistics (dbstats.py); books the next sweep."""
    swept = sweep_exports()
    sweep_orphan_files()
    refresh_statistics()  # the planner's statistics (qualitycity/dbstats.py)
    schedule_sweep()  # this run is RUNNING, not READY: it books its successor
    return swept.files


def _task_path() -> str:
    return f"{sweep_export_files.func.__module__}.{sweep_export_files.func.__qualname__}"


def schedule_sweep() -> bool:
    """Book the next sweep a day from now unless one is waiting. Returns whether it booked one."""
    from django_tasks_db.models import DBTaskResult

    if not sweep_export_files.get_backend().supports_defer:
        return False  # an immediate backend (tests, a one-off run): nothing to book
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=_task_path())
    if waiting.exists():
        return False
    sweep_export_files.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()
    return True
