"""`qualitycity framework lint|load|export`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.audit.context import acting
from qualitycity.frameworks.lint import has_errors
from qualitycity.frameworks.loader import (
    FrameworkRefused,
    check_file,
    export_framework,
    latest_framework,
    load_framework,
    spec_from_db,
)
from qualitycity.frameworks.models import Framework
from qualitycity.frameworks.services import import_framework
from qualitycity.frameworks.xlsx_table import plan_import, write_framework_xlsx
from qualitycity.orgs.models import Region


class Command(BaseCommand):
    help = "Lint, load or export a scoring framework (考核评分体系)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        lint = sub.add_parser("lint", help="report inconsistencies; exit 1 on errors")
        lint.add_argument("file", type=Path)
        lint.add_argument(
            "--region",
            default=None,
            help="also check every printed unit name against this region's directory (its code)",
        )
        load = sub.add_parser("load", help="load a framework file as a new version")
        load.add_argument("file", type=Path)
        table = sub.add_parser(
            "import", help="import another table from xlsx (this system's layout) or docx"
        )
        table.add_argument("file", type=Path)
        table.add_argument("--code", default="", help="the new framework's code (a-z, 0-9, -)")
        table.add_argument("--region", default=None, help="check unit names in this directory")
        table.add_argument("--dry-run", action="store_true", help="check and print, write nothing")
        table.add_argument(
            "--accept-warnings", action="store_true", help="import although there are warnings"
        )
        export = sub.add_parser("export", help="write a framework as JSON, YAML or xlsx")
        export.add_argument("code")
        export.add_argument("--format", choices=["json", "yaml", "xlsx"], default="json")
        export.add_argument("--version", dest="fw_version", type=int, default=None)
        export.add_argument("--output", "-o", type=Path, default=None)

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        with acting("cli"):
            getattr(self, f"do_{options['action']}")(options)

    def do_lint(self, options) -> None:
        path: Path = options["file"]
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(_("行政区“%(code)s”不存在。") % {"code": options["region"]})
        _spec, findings = check_file(path, region)
        for finding in findings:
            self.stdout.write(finding.render(str(path)))
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = len(findings) - errors
        self.stdout.write(_("共 %(e)s 个错误,%(w)s 个警告。") % {"e": errors, "w": warnings})
        if has_errors(findings):
            sys.exit(1)

    def do_load(self, options) -> None:
        path: Path = options["file"]
        try:
            framework, created = load_framework(path)
        except FrameworkRefused as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(_("文件未导入,没有写入任何数据。")) from exc
        if created:
            self.stdout.write(
                _("已导入 %(code)s 第 %(v)s 版:%(n)s 条评分细则。")
                % {"code": framework.code, "v": framework.version, "n": framework.criteria.count()}
            )
        else:
            self.stdout.write(
                _("%(code)s 第 %(v)s 版内容相同,未作更改。")
                % {"code": framework.code, "v": framework.version}
            )

    def do_import(self, options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("文件“%(path)s”不存在。") % {"path": path})
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(_("行政区“%(code)s”不存在。") % {"code": options["region"]})
        plan = plan_import(path, code=options["code"], region=region)
        for row, severity, message in plan.problems:
            where = _("第 %(row)s 行") % {"row": row} if row else path.name
            label = _("错误") if severity == "error" else _("警告")
            self.stdout.write(f"{where}:{label}:{message}")
        spec = plan.spec
        if spec is not None:
            self.stdout.write(
                _("将创建:%(d)s 个指标项、%(i)s 项指标内容、%(r)s 条评分细则。")
                % {"d": len(spec.dimensions), "i": len(spec.items()), "r": len(spec.criteria())}
            )
        if plan.errors or spec is None:
            raise CommandError(_("文件有错误,未导入,没有写入任何数据。"))
        if options["dry_run"]:
            self.stdout.write(_("未写入任何数据。"))
            return
        if plan.warnings and not options["accept_warnings"]:
            raise CommandError(
                _("文件有 %(n)s 个警告;确认无误后加 --accept-warnings 导入。未写入任何数据。")
                % {"n": len(plan.warnings)}
            )
        framework, created = import_framework(
            plan, by=None, source_file=path.name, accept_warnings=True
        )
        if created:
            self.stdout.write(
                _("已导入 %(code)s 第 %(v)s 版:%(n)s 条评分细则。")
                % {"code": framework.code, "v": framework.version, "n": len(spec.criteria())}
            )
        else:
            self.stdout.write(
                _("%(code)s 第 %(v)s 版内容相同,未作更改。")
                % {"code": framework.code, "v": framework.version}
            )

    def do_export(self, options) -> None:
        code = options["code"]
        if options["fw_version"] is not None:
            framework = Framework.objects.filter(code=code, version=options["fw_version"]).first()
        else:
            framework = latest_framework(code)
        if framework is None:
            raise CommandError(_("考核评分体系“%(code)s”不存在。") % {"code": code})
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError(_("导出 xlsx 需要用 -o 指定文件。"))
            with options["output"].open("wb") as out:
                write_framework_xlsx(spec_from_db(framework), out)
            return
        text = export_framework(framework, options["format"])
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
