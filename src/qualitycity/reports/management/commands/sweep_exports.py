"""`qualitycity sweep_exports [--days N]`: remove export jobs older than N days (QC_EXPORT_DAYS)
with their files, and files under exports/ whose job is gone. The worker does this daily."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qualitycity.reports.services import sweep_exports


class Command(BaseCommand):
    help = "Remove old export files and their jobs (the worker runs this daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="keep this many days")

    def handle(self, *args, **options) -> None:
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days must be 0 or more")
        swept = sweep_exports(days=options["days"])
        self.stdout.write(f"removed {swept.jobs} export jobs and {swept.files} files")
