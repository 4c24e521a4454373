from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.audit.context import acting
from qualitycity.dbstats import refresh_statistics
from qualitycity.demo.county import COUNTY_USERS
from qualitycity.demo.people import DEMO_PASSWORD
from qualitycity.demo.setup import setup_demo
from qualitycity.errors import DomainError


class Command(BaseCommand):
    help = "Load the Yongzhou organisation, framework and demo users (idempotent)."

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        with acting("cli"):
            try:
                result = setup_demo()
            except DomainError as exc:
                for message in exc.messages:
                    self.stderr.write(message)
                raise CommandError(_("演示数据未能导入。")) from exc
        refresh_statistics()  # the planner's statistics for what was just loaded
        fw = result["framework"]
        orgs = result["orgs"]
        self.stdout.write(
            _("组织机构:新增或更新 %(r)s 个行政区、%(u)s 个单位、%(g)s 个单位组。")
            % {"r": orgs["regions"], "u": orgs["units"], "g": orgs["groups"]}
        )
        state = _("已导入") if result["framework_created"] else _("已存在")
        self.stdout.write(f"{state}:{fw.title} v{fw.version}")
        self.stdout.write(_("演示账号(密码均为 %(pw)s):") % {"pw": DEMO_PASSWORD})
        for demo, _created in result["users"]:
            self.stdout.write(f"  {demo.username:<11} {demo.full_name}")
        for demo in COUNTY_USERS:
            self.stdout.write(f"  {demo.username:<11} {demo.full_name}")
