"""Background jobs (django-tasks, database backend); run `qualitycity db_worker` to process them."""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def send_reminders() -> int:
    """Send today's reminders; safe to run several times a day."""
    sent, _skipped = reminders.send()
    return len(sent)
