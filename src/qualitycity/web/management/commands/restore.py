"""`qualitycity restore FILE`: load a backup archive into an empty, migrated instance."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive (qualitycity backup) into an empty instance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("文件“%(path)s”不存在。") % {"path": path})
        try:
            summary = restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            raise CommandError(
                _("恢复失败(%(error)s),未恢复任何数据。")
                % {"error": f"{type(exc).__name__}: {exc}"}
            ) from exc
        self.stdout.write(
            f"restored {summary.rows} rows and {summary.files} files ({summary.bytes} bytes)"
        )
