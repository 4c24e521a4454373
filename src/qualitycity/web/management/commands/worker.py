"""`qualitycity worker`: the background worker, in the top layer because it books the jobs of
every app (campaigns' reminders, reports' sweep)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from qualitycity.campaigns.services.notifications import requeue_pending
from qualitycity.campaigns.tasks import schedule_reminders
from qualitycity.reports.jobs import schedule_sweep


class Command(BaseCommand):
    help = (
        "Run the background worker: e-mails and group-robot messages (with retries), exports, "
        "the daily deadline reminders and the daily sweep of old export files, which it books "
        "itself (no cron needed). "
        "Other options are passed to db_worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--max-tasks", type=int, default=None, help="stop after this many")
        parser.add_argument(
            "--batch", action="store_true", help="process what is due, then stop (for tests)"
        )

    def handle(self, *args, **options) -> None:
        if schedule_reminders():
            self.stdout.write("booked the next deadline-reminder run")
        if schedule_sweep():
            self.stdout.write("booked the next sweep of old export files")
        if requeued := requeue_pending():
            self.stdout.write(f"queued {requeued} pending deliveries again")
        extra = {"interval": options["interval"], "batch": options["batch"]}
        if options["max_tasks"]:
            extra["max_tasks"] = options["max_tasks"]
        call_command("db_worker", startup_delay=False, **extra)
