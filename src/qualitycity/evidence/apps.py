from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "qualitycity.evidence"
    label = "evidence"
    verbose_name = _("佐证材料")

    def ready(self) -> None:
        from qualitycity.audit.labels import register

        from .actions import LABELS

        register(LABELS)
