from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "qualitycity.reports"
    label = "reports"
    verbose_name = _("报表")

    def ready(self) -> None:
        # Each document registers its export kind (reports/exports.py) when imported.
        from . import evidence_package, official, round_xlsx, self_report  # noqa: F401
