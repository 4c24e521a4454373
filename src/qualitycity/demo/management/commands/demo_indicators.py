"""`qualitycity demo_indicators`: the built-in indicators and their 2014–2018 demo data."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from qualitycity.audit.context import acting
from qualitycity.demo.indicators import ensure_demo_indicators
from qualitycity.errors import DomainError


class Command(BaseCommand):
    help = "Load the built-in indicators and 2014–2018 demo data (idempotent)."

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        with acting("cli"):
            try:
                counts = ensure_demo_indicators()
            except DomainError as exc:
                for message in exc.messages:
                    self.stderr.write(message)
                raise CommandError(_("指标数据未能导入。")) from exc
        self.stdout.write(
            _("质量指标:新增 %(created)s 项,更新 %(changed)s 项。")
            % {"created": counts["created"], "changed": counts["changed"]}
        )
        self.stdout.write(_("演示数据:新增 %(n)s 条指标数据。") % {"n": counts["observations"]})
