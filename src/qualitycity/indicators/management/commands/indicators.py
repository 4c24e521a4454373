"""`qualitycity indicators load [FILE]` and `qualitycity indicators demo`.

The demo data belongs to the demo app (the top layer), so `indicators demo` runs its command,
`demo_indicators`, by name; this app imports nothing of the demo.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.audit.context import acting
from qualitycity.errors import DomainError
from qualitycity.indicators.services import BUILTIN_FILE, load_indicators


class Command(BaseCommand):
    help = "Load indicator definitions (质量指标) from YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="create or update indicators from a YAML file")
        load.add_argument("file", type=Path, nargs="?", default=BUILTIN_FILE)
        sub.add_parser("demo", help="built-in indicators and 2014–2018 demo data (idempotent)")

    def handle(self, *args, **options) -> None:
        if options["action"] == "demo":
            call_command("demo_indicators", stdout=self.stdout, stderr=self.stderr)
            return
        translation.activate("zh-hans")
        with acting("cli"):
            try:
                counts = load_indicators(options["file"])
            except DomainError as exc:
                for message in exc.messages:
                    self.stderr.write(message)
                raise CommandError(_("指标数据未能导入。")) from exc
        self.stdout.write(
            _("质量指标:新增 %(created)s 项,更新 %(changed)s 项。")
            % {"created": counts["created"], "changed": counts["changed"]}
        )
