import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.campaigns import reminders


class Command(BaseCommand):
    help = "Send today's reminders (reports due, tasks turning blue/red, notice deadlines)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent")
        parser.add_argument("--date", help="as if today were YYYY-MM-DD")
        parser.add_argument(
            "--enqueue", action="store_true", help="hand the job to the background worker"
        )

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        if options["enqueue"]:
            from qualitycity.campaigns.tasks import send_reminders

            result = send_reminders.enqueue()
            self.stdout.write(_("已交给后台任务:%(id)s") % {"id": result.id})
            return
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc
        sent, skipped = reminders.send(today, dry_run=options["dry_run"])
        for item in sent:
            prefix = _("将发送") if options["dry_run"] else _("已发送")
            self.stdout.write(f"{prefix} [{item.kind}] {item.user.username}: {item.text}")
        self.stdout.write(
            _("%(verb)s %(n)s 条提醒,%(s)s 条今天已发送过。")
            % {
                "verb": _("将发送") if options["dry_run"] else _("共发送"),
                "n": len(sent),
                "s": len(skipped),
            }
        )
