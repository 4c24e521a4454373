from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "qualitycity.indicators"
    label = "indicators"
    verbose_name = _("质量指标")

    def ready(self) -> None:
        from qualitycity.audit.labels import register

        from .actions import LABELS

        register(LABELS)

        # The framework pages name the indicators their rules read (frameworks.naming).
        from qualitycity.frameworks import naming

        from .queries import indicator_names

        naming.provide_indicator_names(indicator_names)
