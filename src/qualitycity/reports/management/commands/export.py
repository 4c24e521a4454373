"""`qualitycity export round|notice|bulletin|minutes ID --format … -o FILE`: the documents the
pages offer, for scripts. The command line reads as the system (every campaign)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.errors import DomainError
from qualitycity.reports.exports import REGISTRY, clean_params
from qualitycity.reports.services import write_export

WHAT = ("round", "notice", "bulletin", "minutes")


class Command(BaseCommand):
    help = (
        "Write a generated document: a round's scoring table (xlsx), self-assessment report "
        "(docx, pdf) or evidence package (zip); a 督办通知 (notice), 情况通报 (bulletin, of a "
        "campaign for --period YYYY-MM) or 会议纪要 (minutes) as docx or pdf."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=WHAT)
        parser.add_argument("id", type=int, help="the round, notice, campaign or meeting id")
        parser.add_argument("--format", dest="fmt", default="docx", help="xlsx, docx, pdf or zip")
        parser.add_argument("--period", default=None, help="bulletin: the month, YYYY-MM")
        parser.add_argument("-o", "--output", type=Path, default=None, help="file; - for stdout")
        parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])

    def handle(self, *args, **options) -> None:
        translation.activate(options["language"])
        key = f"{options['what']}-{options['fmt']}"
        kind = REGISTRY.get(key)
        if kind is None:
            formats = sorted(k.split("-", 1)[1] for k in REGISTRY if k.startswith(options["what"]))
            raise CommandError(
                _("“%(what)s”不能导出为 %(fmt)s;可用格式:%(formats)s。")
                % {
                    "what": options["what"],
                    "fmt": options["fmt"],
                    "formats": "、".join(formats) or "—",
                }
            )
        params = clean_params(kind, {"period": options["period"]})
        started = time.monotonic()
        try:
            target = kind.resolve(None, options["id"], params)
            output: Path | None = options["output"]
            if output is not None and str(output) == "-":
                name = write_export(kind, target, params, sys.stdout.buffer)
                return
            if output is None:
                output = Path(kind.filename(target, params))
            with output.open("wb") as out:
                name = write_export(kind, target, params, out)
        except (Http404, ObjectDoesNotExist) as exc:
            raise CommandError(_("编号 %(id)s 的对象不存在。") % {"id": options["id"]}) from exc
        except DomainError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            _("已写入 %(file)s(%(name)s,%(size)s 字节,用时 %(s).2f 秒)。")
            % {
                "file": output,
                "name": name,
                "size": output.stat().st_size,
                "s": time.monotonic() - started,
            }
        )
