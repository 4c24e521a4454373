from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "qualitycity.frameworks"
    label = "frameworks"
    verbose_name = _("考核评分体系")

    def ready(self) -> None:
        from qualitycity.audit.labels import register

        from .actions import LABELS

        register(LABELS)
