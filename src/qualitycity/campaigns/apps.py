from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "qualitycity.campaigns"
    label = "campaigns"
    verbose_name = _("创建工作")

    def ready(self) -> None:
        from qualitycity.audit.labels import register

        from .actions import LABELS

        register(LABELS)
