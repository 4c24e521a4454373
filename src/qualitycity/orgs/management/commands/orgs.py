"""`qualitycity orgs load FILE [--dry-run]` and `qualitycity orgs export [--region CODE]`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity.audit.context import acting
from qualitycity.orgs import loading
from qualitycity.orgs.models import Region
from qualitycity.orgs.services import apply_org_plan

ACTIONS = {loading.CREATE: gettext_lazy("新增"), loading.CHANGE: gettext_lazy("修改")}
KINDS = {
    "region": gettext_lazy("行政区"),
    "unit": gettext_lazy("单位"),
    "group": gettext_lazy("单位组"),
}


def plan_lines(plan: loading.OrgPlan) -> list[str]:
    """The plan as text: per directory, what is created or changed (before → after)."""
    lines: list[str] = []
    for entry in plan.by_region():
        if not entry["changes"]:
            continue
        lines.append(_("%(name)s(%(code)s):") % {"name": entry["name"], "code": entry["code"]})
        for change in entry["changes"]:
            lines.append(
                "  "
                + _("%(action)s%(kind)s “%(name)s”(%(code)s)")
                % {
                    "action": ACTIONS[change.action],
                    "kind": KINDS[change.kind],
                    "name": change.name,
                    "code": change.code,
                }
            )
            for diff in change.diffs:
                lines.append(
                    "    "
                    + _("%(field)s:%(before)s → %(after)s")
                    % {
                        "field": diff.label,
                        "before": diff.before or "—",
                        "after": diff.after or "—",
                    }
                )
    counts = plan.counts()
    lines.append(_("新增 %(create)s 项,修改 %(change)s 项,未变 %(unchanged)s 项。") % counts)
    return lines


class Command(BaseCommand):
    help = "Load an organisation file (YAML or xlsx) or export the organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="check a file, print the plan, then write it")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--dry-run", action="store_true", help="print the plan and errors; write nothing"
        )
        export = sub.add_parser("export", help="write the organisation as YAML or xlsx")
        export.add_argument("--region", default=None, help="one region's subtree (its code)")
        export.add_argument("--format", choices=["yaml", "xlsx"], default="yaml")
        export.add_argument("--output", "-o", type=Path, default=None)

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        with acting("cli"):
            getattr(self, f"do_{options['action']}")(options)

    def do_load(self, options) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件:%(e)s") % {"e": exc}) from exc
        plan = loading.plan_from_upload(path.name, content, by=None)
        for line in plan_lines(plan):
            self.stdout.write(line)
        if plan.errors:
            for line in plan.error_lines():
                self.stderr.write(line)
            self.stderr.write(
                _("共 %(n)s 个错误。文件未导入,没有写入任何数据。") % {"n": len(plan.errors)}
            )
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write(_("试运行:没有写入任何数据。"))
            return
        written = apply_org_plan(plan, by=None)
        self.stdout.write(
            _("已导入:行政区 %(region)s 项,单位 %(unit)s 项,单位组 %(group)s 项。") % written
        )

    def do_export(self, options) -> None:
        root = None
        if options["region"]:
            root = Region.objects.filter(code=options["region"]).first()
            if root is None:
                raise CommandError(_("行政区“%(code)s”不存在。") % {"code": options["region"]})
        data = loading.export_data(root)
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError(_("导出 xlsx 需要 -o 文件名。"))
            options["output"].write_bytes(loading.to_xlsx(data))
            return
        text = loading.to_yaml(data)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
