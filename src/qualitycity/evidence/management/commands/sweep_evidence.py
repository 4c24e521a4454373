"""`qualitycity sweep_evidence [--hours N]`: remove evidence blobs that no record names (left by
uploads whose transaction failed) and temporary files of cut-off uploads, older than N hours."""

from django.core.management.base import BaseCommand

from qualitycity.evidence.services import sweep_orphan_files


class Command(BaseCommand):
    help = "Remove orphan evidence blobs and temporary upload files older than --hours (24)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hours", type=int, default=None)

    def handle(self, *args, **options) -> None:
        removed = sweep_orphan_files(hours=options["hours"])
        self.stdout.write(
            f"removed {removed['blobs']} orphan blobs, {removed['temporary']} temporary files"
        )
