"""`qualitycity measures import FILE.docx|FILE.txt [--campaign ID] [--dry-run]`: a plan's 主要措施
read from its text (campaigns/plan_text.py), printed with their units and problems; with a
campaign, the names are checked against its directory (with suggestions) and the measures are
created in one transaction, unless --dry-run, which writes nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.audit.context import acting
from qualitycity.campaigns import plan_import, services
from qualitycity.campaigns.models import Campaign
from qualitycity.campaigns.plan_text import parse_measures
from qualitycity.errors import DomainError
from qualitycity.orgs.naming import suggestions
from qualitycity.orgs.services import name_index


def read_plan(path: Path) -> str:
    """The text of a .txt (UTF-8, or GB18030 as Chinese offices save it) or .docx file."""
    if not path.is_file():
        raise CommandError(_("文件“%(path)s”不存在。") % {"path": path})
    if path.stat().st_size > plan_import.MAX_BYTES:
        raise CommandError(_("文件超过 5 MB。"))
    try:
        return plan_import.read_upload(path.name, path.read_bytes())
    except DomainError as exc:
        raise CommandError(" ".join(exc.messages)) from exc


class Command(BaseCommand):
    help = "Read a plan's measures (主要措施) from a .docx or .txt file and import them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="read, check and (with --campaign) import")
        load.add_argument("file", type=Path)
        load.add_argument("--campaign", type=int, default=None, help="the campaign's id")
        load.add_argument("--dry-run", action="store_true", help="print only, write nothing")

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        plan = parse_measures(read_plan(options["file"]))
        campaign = None
        index: dict = {}
        if options["campaign"] is not None:
            campaign = Campaign.objects.filter(pk=options["campaign"]).first()
            if campaign is None:
                raise CommandError(
                    _("编号 %(id)s 的创建工作不存在。") % {"id": options["campaign"]}
                )
            index = name_index(campaign.region_id)
        unknown = 0
        for m in plan.measures:
            self.stdout.write(f"{m.number}. {m.title}  [{m.section}]")
            for label, names in ((_("牵头"), m.lead_units), (_("配合"), m.cooperating_units)):
                shown = []
                for name in names:
                    if campaign is not None and name not in index:
                        unknown += 1
                        hint = "、".join(suggestions(name, index))
                        shown.append(
                            _("%(name)s(名录中没有%(hint)s)")
                            % {"name": name, "hint": _(",可能是:") + hint if hint else ""}
                        )
                    else:
                        shown.append(name)
                self.stdout.write(f"    {label}: {'、'.join(shown) or '—'}")
        for _number, message in plan.problems:
            self.stdout.write(f"  ! {message}")
        self.stdout.write(
            _("共 %(n)s 项措施,%(p)s 个问题,%(u)s 个名录中没有的单位名称。")
            % {"n": len(plan.measures), "p": len(plan.problems), "u": unknown}
        )
        if campaign is None or options["dry_run"]:
            self.stdout.write(_("未写入任何数据。"))
            return
        try:
            with acting("cli"):
                created = services.import_measures(campaign, by=None, measures=plan.measures)
        except DomainError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(_("措施未导入,没有写入任何数据。")) from exc
        self.stdout.write(_("已导入 %(n)s 项措施。") % {"n": len(created)})
