"""The export job of the background worker (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from .services import run_export


@task()
def run_export_job(job_id: int) -> str:
    return run_export(job_id)
