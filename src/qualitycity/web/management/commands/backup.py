"""`qualitycity backup -o FILE`: the whole installation (data, files, manifest) in one archive."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from qualitycity.backup import write_backup


class Command(BaseCommand):
    help = "Write a backup archive: every row as portable JSON, every stored file, a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, **options) -> None:
        target: Path = options["output"]
        partial = target.with_name(target.name + ".partial")
        with partial.open("wb") as out:
            summary = write_backup(out)
        os.replace(partial, target)  # never a half-written archive under the real name
        self.stdout.write(
            f"{target}: {summary.rows} rows, {summary.files} files ({summary.bytes} bytes)"
        )
