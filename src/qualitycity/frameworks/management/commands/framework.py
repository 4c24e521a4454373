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
)
from qualitycity.frameworks.models import Framework
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
        export = sub.add_parser("export", help="write a framework as JSON or YAML")
        export.add_argument("code")
        export.add_argument("--format", choices=["json", "yaml"], default="json")
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

    def do_export(self, options) -> None:
        code = options["code"]
        if options["fw_version"] is not None:
            framework = Framework.objects.filter(code=code, version=options["fw_version"]).first()
        else:
            framework = latest_framework(code)
        if framework is None:
            raise CommandError(_("考核评分体系“%(code)s”不存在。") % {"code": code})
        text = export_framework(framework, options["format"])
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
